"""Why a queued transfer goes where it goes: the routing rationale in full, one reason a line.

The queue shows the highlighted transfer's rationale on one line under the table, cut to
the pane's width; Enter on the row opens this dialog with every reason.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.transfers import RoutingRationale, Transfer
from agentdesk.tui.i18n import Catalog, localize_bindings


def rationale_text(rationale: RoutingRationale | None, lang: str, catalog: Catalog) -> Table | Text:
    """Every reason on its own line, in the order routing weighed them."""
    lines = rationale.lines(lang) if rationale else []
    if not lines:
        return Text(catalog("supervisor.why.none"), style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1, overflow="fold")
    for line in lines:
        grid.add_row("•", line)
    return grid


class RationaleDialog(ModalScreen[None]):
    """The full rationale of one queued transfer; Esc or Enter closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", tooltip="Back to the queue", id="supervisor-why-close"),
        Binding(
            "enter", "dismiss", "Close", tooltip="Back to the queue", id="supervisor-why-done", show=False
        ),
    ]

    def __init__(
        self, transfer: Transfer, rationale: RoutingRationale | None, goes_to: str, catalog: Catalog
    ) -> None:
        super().__init__(id="supervisor-why")
        self.transfer = transfer
        self.rationale = rationale
        self.goes_to = goes_to
        self.t = catalog
        localize_bindings(self, catalog)

    def compose(self) -> ComposeResult:
        t, p = self.t, self.transfer.packet
        who = mask_text(p.customer_name or p.customer_id or "?")
        with Vertical(id="supervisor-why-box"):
            yield Static(
                Text(t("supervisor.why.title", customer=who, agent=self.goes_to), style="bold"),
                id="supervisor-why-title",
            )
            with VerticalScroll(id="supervisor-why-scroll"):
                yield Static(rationale_text(self.rationale, t.lang, t), id="supervisor-why-body")
            yield Static(t("supervisor.why.hint"), id="supervisor-why-hint")
