"""Chinese text in toasts and dialogs keeps every character where it overlaps other panes.

Textual's compositor cuts each screen line at every edge of every visible widget, even
edges hidden under a toast, and splits the top widget's line at each cut. A double-width
character that straddles a cut is split into two blanks (rich's `Segment.split_cells`),
so a Chinese toast over the desk's pane borders lost characters: `通话仍在进行` drew as
`      在进行`. Upstream: https://github.com/Textualize/textual/issues/6357 (open for
Textual 8.2.8, the pinned version).

`mend_wide_characters` replaces `Compositor._render_chops` with the same algorithm, except
that a widget's line is cut only where what lies under it changes owner: the cuts inside
a run of cells the widget wins are skipped, and the run is one piece. The cells those
skipped cuts start get an empty strip, so no widget below claims them. Lines come out
the same width; only a character that really is half covered is still blanked. A partial
update then draws each piece to its real end (`render_partial_update`), not to the next cut.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """`Compositor._render_chops`, cutting each widget's line only at owner changes."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    intersection = Region.intersection
    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            buckets = final_cuts[:-1]
            if not buckets:
                continue
            # Runs of buckets that are all still free (this widget wins them) or all taken.
            free = [line.get(cut) is None for cut in buckets]
            starts = [i for i in range(len(buckets)) if i == 0 or free[i] != free[i - 1]]
            ends = [*starts[1:], len(buckets)]
            edges = [final_cuts[i] - render_x for i in ends]
            for start, end, piece in zip(starts, ends, strip.divide(edges), strict=False):
                if not free[start]:
                    continue
                line[buckets[start]] = piece
                for cut in buckets[start + 1 : end]:
                    line[cut] = _EMPTY
    return cast("Sequence[Mapping[int, Strip]]", chops)


def _chop_ends(line: Mapping[int, Strip | None], cut_set: list[int]) -> list[int]:
    """Where each piece of a line ends: its next cut, or further for a piece over several cuts."""
    return [
        end if strip is None else max(end, x + strip.cell_length)
        for (x, strip), end in zip(line.items(), cut_set[1:], strict=False)
    ]


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """`Compositor.render_partial_update`, with each piece's end taken from the piece itself."""
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(self.size.region)
    # every widget on the rows drawn counts, not only those in the dirty columns: a run this
    # widget wins must not be merged across a toast that lies outside the dirty region
    crop = Region(0, crop.y, self.size.width, crop.height)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = _render_chops(self, crop, is_rendered_line)
    chop_ends = [_chop_ends(line, cut_set) for line, cut_set in zip(chops, self.cuts, strict=False)]
    return ChopsUpdate(chops, spans, chop_ends)


def mend_wide_characters() -> None:
    """Install the wide-character-safe line cutting (idempotent)."""
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
