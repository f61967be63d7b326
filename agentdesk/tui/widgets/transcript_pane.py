"""The transcript pane: speaker-labelled lines; partial text shown tentatively, replaced when final."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Utterance
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import SPEAKER_STYLE


class TranscriptPane(VerticalScroll):
    """Keeps the call's lines by id so a partial line is replaced in place when it becomes final."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._lines: dict[str, Utterance] = {}
        self.unsaved: set[str] = set()
        """Ids of lines heard at this desk that the store has not taken yet; shown marked."""
        self._body = Static(Text(catalog("transcript.none"), style="dim"), id="transcript-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("transcript.title")

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
        """Replace the whole transcript."""
        self._lines = {u.id: u for u in utterances}
        self._redraw()

    def upsert(self, *utterances: Utterance) -> None:
        """Add lines, or replace the lines with the same ids (partial to final); no text removes
        one. The pane redraws once, and not at all when nothing changed (the store reading back
        lines already shown)."""
        changed = False
        for u in utterances:
            if not u.text.strip():
                changed |= self._lines.pop(u.id, None) is not None
            elif self._lines.get(u.id) != u:
                self._lines[u.id] = u
                changed = True
        if changed:
            self._redraw()

    def mark_unsaved(self, ids: set[str]) -> None:
        """Mark these lines as not saved yet (and every other line as saved)."""
        if ids != self.unsaved:
            self.unsaved = set(ids)
            self._redraw()

    def _redraw(self) -> None:
        if not self._lines:
            self._body.update(Text(self.t("transcript.none"), style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for u in self.lines:
            label = Text(self.t(f"speaker.short.{u.speaker}"), style=SPEAKER_STYLE.get(u.speaker, ""))
            text = Text(mask_text(u.text), style="" if u.final else "italic dim")
            if u.id in self.unsaved:
                text.append(f"  {self.t('transcript.unsaved')}", style="bold red")
            grid.add_row(label, text)
        self._body.update(grid)
        self.scroll_end(animate=False)
