"""The help screen: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from agentdesk.tui.i18n import Catalog


class HelpScreen(ModalScreen[None]):
    """Lists the bindings active on `screen` (its own, its widgets' and the app's)."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", tooltip="Close help", id="close-help")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__(id="help")
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        t: Catalog = self.app.t  # type: ignore[attr-defined]
        table = Table(box=None, expand=True, padding=(0, 2))
        table.add_column(t("help.key"), style="bold cyan", no_wrap=True)
        table.add_column(t("help.action"), style="bold")
        table.add_column(t("help.what"), ratio=1)
        seen: set[str] = set()
        for active in self.for_screen.active_bindings.values():
            b = active.binding
            # Only AgentDesk's own bindings carry ids; Textual's cursor keys are listed in one line.
            if not b.id or b.id in seen or not b.description:
                continue
            name = b.id
            seen.add(name)
            table.add_row(self.app.get_key_display(b), b.description, Text(b.tooltip or "", style="dim"))
        with VerticalScroll(id="help-body"):
            yield Static(Text(t("help.title"), style="bold"), id="help-title")
            yield Static(table)
            yield Static(Text(t("help.navigation"), style="dim"), id="help-navigation")
            yield Static(Text(t("help.footer"), style="dim"), id="help-footer")
