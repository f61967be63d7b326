"""A customer's tickets (status, type, subject, updated); enter opens one in the tickets place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Ticket
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.ticket_format import status_text, type_label, when


class CustomerTicketTable(DataTable[Text | str]):
    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open ticket",
            tooltip="Open the ticket in the ticket editor (F2)",
            id="customers-open-ticket",
        )
    ]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True)
        localize_bindings(self, catalog)


class CustomerTickets(Vertical):
    """Bordered table of the customer's tickets, newest activity first."""

    @dataclass
    class Chosen(Message):
        """The agent pressed enter on a ticket."""

        customer_tickets: CustomerTickets
        ticket: Ticket

        @property
        def control(self) -> CustomerTickets:
            return self.customer_tickets

    def __init__(self, catalog: Catalog, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-empty")
        self.t = catalog
        self.zone = zone
        self.tickets: list[Ticket] = []

    def compose(self) -> ComposeResult:
        yield CustomerTicketTable(self.t)
        yield Static(Text(self.t("customers.tickets.none"), style="dim"), classes="customer-tickets-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("customers.tickets.title")
        for key in ("status", "type", "subject", "updated"):
            self.table.add_column(self.t(f"tickets.col.{key}"), key=key)

    @property
    def table(self) -> CustomerTicketTable:
        return self.query_one(CustomerTicketTable)

    def show(self, tickets: Sequence[Ticket], total: int) -> None:
        table = self.table
        table.clear()
        self.tickets = list(tickets)
        now = utcnow()
        for ticket in self.tickets:
            subject = Text(mask_text(ticket.subject), no_wrap=True, overflow="ellipsis")
            subject.truncate(28, overflow="ellipsis")
            table.add_row(
                status_text(ticket.status, self.t),
                type_label(ticket.type, self.t),
                subject,
                Text(when(ticket.updated_at, now, self.zone, short=True), style="dim"),
                key=ticket.id,
            )
        self.set_class(not tickets, "-empty")
        self.border_subtitle = (
            self.t("customers.tickets.count", shown=len(tickets), total=total) if total else ""
        )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.tickets):
            self.post_message(self.Chosen(self, self.tickets[event.cursor_row]))
