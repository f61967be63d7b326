"""The transcript pane: speaker-labelled lines; partial text shown tentatively, replaced when final."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widgets import Static

from agentdesk.domain.masking import mask_speakers
from agentdesk.domain.models import Utterance
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import SPEAKER_STYLE


class TranscriptPane(VerticalScroll):
    """Keeps the call's lines by id so a partial line is replaced in place when it becomes final.

    It follows the call: scrolled to the latest line as lines arrive, until the agent scrolls
    up to read; then it stays put and its title counts the lines that arrived meanwhile.
    End, or scrolling back down to the last line, follows the call again.
    """

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._lines: dict[str, Utterance] = {}
        self.unsaved: set[str] = set()
        """Ids of lines heard at this desk that the store has not taken yet; shown marked."""
        self._body = Static(Text(catalog("transcript.none"), style="dim"), id="transcript-body")
        self.unseen = 0
        """Lines that arrived while the agent was reading further up."""
        self.following = True
        """The pane shows the latest line and keeps doing so as lines arrive."""
        self._masked_for: tuple[tuple[tuple[str, str], ...], list[str]] = ((), [])

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("transcript.title")

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Only the agent scrolls up (following scrolls down; fewer lines end at the bottom).
        if new_value >= self.max_scroll_y:
            self.following = True
            if self.unseen:  # back at the latest line: everything is seen
                self.unseen = 0
                self._show_unseen()
        elif new_value < old_value:
            self.following = False

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        # The new lines' height is known only once laid out, which may be after the redraw's
        # `scroll_end` ran (a long call accepted, an answer arriving as a dialog closes).
        if self.following and self.scroll_y < self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        return resized

    def _show_unseen(self) -> None:
        title = self.t("transcript.title")
        if self.unseen:
            title += "  " + self.t.count("keep_typed.transcript_unseen", self.unseen, count=self.unseen)
        self.border_title = title

    @property
    def lines(self) -> list[Utterance]:
        """The lines shown, in call order."""
        return sorted(self._lines.values(), key=lambda u: (u.seq, u.at))

    def line(self, line_id: str) -> Utterance | None:
        """The line shown with this id, if any."""
        return self._lines.get(line_id)

    def remove(self, line_ids: list[str]) -> None:
        """Take lines off the transcript (partials their writer took back)."""
        removed = [i for i in line_ids if self._lines.pop(i, None) is not None]
        if removed:
            self._redraw()

    def show(self, utterances: list[Utterance]) -> None:
        """Replace the whole transcript (another call): it opens on its latest line."""
        self._lines = {u.id: u for u in utterances}
        self.unseen = 0
        self._show_unseen()
        self.following = True  # wherever the agent read the last call
        self._redraw()

    def upsert(self, *utterances: Utterance) -> None:
        """Add lines, or replace the lines with the same ids (partial to final); no text removes
        one. The pane redraws once, and not at all when nothing changed (the store reading back
        lines already shown)."""
        changed = False
        added = 0
        for u in utterances:
            if not u.text.strip():
                changed |= self._lines.pop(u.id, None) is not None
            elif self._lines.get(u.id) != u:
                added += u.id not in self._lines
                self._lines[u.id] = u
                changed = True
        if changed:
            self._redraw()
        if added and not self.following:
            self.unseen += added
            self._show_unseen()

    def mark_unsaved(self, ids: set[str]) -> None:
        """Mark these lines as not saved yet (and every other line as saved)."""
        if ids != self.unsaved:
            self.unsaved = set(ids)
            self._redraw()

    def _masked(self, lines: tuple[tuple[str, str], ...]) -> list[str]:
        """The lines masked together (a number read over two lines), kept while they are unchanged."""
        if self._masked_for[0] != lines:
            self._masked_for = (lines, mask_speakers(lines))
        return self._masked_for[1]

    def _redraw(self) -> None:
        if not self._lines:
            self._body.update(Text(self.t("transcript.none"), style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        lines = self.lines
        said = self._masked(tuple((u.speaker, u.text) for u in lines))
        for u, masked in zip(lines, said, strict=True):
            label = Text(self.t(f"speaker.short.{u.speaker}"), style=SPEAKER_STYLE.get(u.speaker, ""))
            text = Text(masked, style="" if u.final else "italic dim")
            if u.id in self.unsaved:
                text.append(f"  {self.t('transcript.unsaved')}", style="bold red")
            grid.add_row(label, text)
        self._body.update(grid)
        if self.following:
            self.scroll_end(animate=False)  # after the new size is laid out
