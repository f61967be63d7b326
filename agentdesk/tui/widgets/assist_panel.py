"""Agent assist: the next best action, the takeover script and KB answers with confidence."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.bot.assist import Assist
from agentdesk.tui.i18n import Catalog

_ACTION_STYLE = {
    "de_escalate": "bold red",
    "hand_back": "bold green",
    "offer_callback": "bold yellow",
    "send_survey": "bold cyan",
    "answer": "bold",
    "listen": "dim",
}


def confidence_bar(value: float, width: int = 5) -> Text:
    """A small gauge for a 0-1 confidence: ▮▮▮▯▯ 62%."""
    filled = round(max(0.0, min(1.0, value)) * width)
    style = "green" if value >= 0.7 else "yellow" if value >= 0.45 else "dim"
    return Text("▮" * filled + "▯" * (width - filled) + f" {value:.0%}", style=style)


class AssistPanel(VerticalScroll):
    """Shows suggestions for the customer's latest line; keys 1-3 insert a KB answer, 0 the script."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.assist: Assist | None = None
        self._body = Static(Text(catalog("assist.waiting"), style="dim"), id="assist-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("assist.title")

    def show_assist(self, assist: Assist, *, takeover: bool) -> None:
        """Render one suggestion set; `takeover` adds the pick-up script (before the agent has spoken)."""
        self.assist = assist
        t = self.t
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")
        action = assist.action
        label = t(f"assist.action.{action.code}") + (f" · {t(f'task.{action.task}')}" if action.task else "")
        grid.add_row(
            "0", Text.assemble((label, _ACTION_STYLE.get(action.code, "bold")), "  ", (action.text, ""))
        )
        if takeover:
            grid.add_row("»", Text(assist.takeover, style="italic"))
        for n, match in enumerate(assist.matches[:3], start=1):
            grid.add_row(
                str(n),
                Text.assemble((match.article.title, "bold cyan"), "  ", confidence_bar(match.confidence)),
            )
            grid.add_row("", Text(match.article.answer, style="" if match.confidence >= 0.45 else "dim"))
        if not assist.matches:
            grid.add_row("", Text(t("assist.none"), style="dim"))
        head = Text(t("assist.for", text=assist.line), style="dim italic", no_wrap=True, overflow="ellipsis")
        self._body.update(Group(head, grid))
        self.scroll_home(animate=False)
