"""Agent assist: KB answers for what the customer just said."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.store.base import KBHit
from agentdesk.tui.i18n import Catalog


class AssistPanel(VerticalScroll):
    """Shows the best KB matches for the last customer line."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.hits: list[KBHit] = []
        self._body = Static("", id="assist-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("assist.title")

    def show(self, line: str, hits: list[KBHit]) -> None:
        self.hits = hits
        if not hits:
            self._body.update(Text(self.t("assist.none"), style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")
        for n, hit in enumerate(hits, start=1):
            a = hit.article
            grid.add_row(f"{n}.", Text(a.title, style="bold cyan"))
            grid.add_row("", Text(a.answer))
        parts = [
            Text(self.t("assist.for", text=line), style="dim italic", no_wrap=True, overflow="ellipsis"),
            grid,
        ]
        self._body.update(Group(*parts))
        self.scroll_home(animate=False)
