"""The customer list: a window of customers (id, name, tier) found by name, phone or id."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from agentdesk.domain.models import Customer
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import tier_badge
from agentdesk.tui.widgets.ticket_format import cell
from agentdesk.tui.widgets.ticket_table import PagedTable, paging_bindings

NAME_WIDTH = 12


@dataclass
class CustomerWindow:
    """One window of the customer list, as a worker loaded it."""

    customers: list[Customer]
    offset: int
    more: bool
    """Whether customers follow this window (the store gives no count, so the end is found by reading)."""
    cursor: int | None = None
    """Absolute row to put the cursor on; None keeps it on the same customer."""

    @property
    def size(self) -> int:
        """Rows known to exist: those read, plus one when more follow."""
        return self.offset + len(self.customers) + (1 if self.more else 0)


class CustomerTable(PagedTable):
    BINDINGS = paging_bindings("customers", "customer")


class CustomerList(Widget):
    """Bordered list of customers; posts `Highlighted` as the cursor moves."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a customer."""

        customer_list: CustomerList
        customer: Customer

        @property
        def control(self) -> CustomerList:
            return self.customer_list

    @dataclass
    class Chosen(Message):
        """The agent pressed enter on a customer."""

        customer_list: CustomerList
        customer: Customer

        @property
        def control(self) -> CustomerList:
            return self.customer_list

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.window = CustomerWindow([], 0, False)

    def compose(self) -> ComposeResult:
        yield CustomerTable(self.t, id="customers-table")
        yield Static(Text(self.t("customers.loading"), style="dim"), id="customers-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("customers.list.title")
        table = self.table
        table.add_column(self.t("customers.col.id"), key="id")
        table.add_column(self.t("customers.col.name"), key="name", width=NAME_WIDTH)
        table.add_column(self.t("customers.col.tier"), key="tier")

    @property
    def table(self) -> CustomerTable:
        return self.query_one(CustomerTable)

    @property
    def current(self) -> Customer | None:
        rows, row = self.window.customers, self.table.cursor_row
        return rows[row] if self.table.row_count and 0 <= row < len(rows) else None

    def show(self, window: CustomerWindow) -> None:
        """Replace the rows held; the cursor goes to `window.cursor` or stays on its customer."""
        table = self.table
        keep = self.current.id if self.current else None
        self.window = window
        table.first_row, table.result_size = window.offset, window.size
        table.clear()
        for c in window.customers:
            table.add_row(
                Text(c.id, style="bold"),
                cell(c.name, NAME_WIDTH),
                tier_badge(c.tier, self.t, short=True),
                key=c.id,
            )
        ids = [c.id for c in window.customers]
        if window.cursor is not None:
            row = window.cursor - window.offset
        else:
            row = ids.index(keep) if keep in ids else 0
        if ids:
            table.move_cursor(row=max(0, min(row, len(ids) - 1)), animate=False)
        self.set_class(not ids, "-empty")
        if not ids:
            self.query_one("#customers-empty", Static).update(Text(self.t("customers.none"), style="dim"))
        self._update_position()
        if (customer := self.current) is not None:
            self.post_message(self.Highlighted(self, customer))

    def _update_position(self) -> None:
        w = self.window
        row = self.table.absolute_row + 1 if w.customers else 0
        key = "customers.list.count_more" if w.more else "customers.list.count"
        self.border_subtitle = self.t(key, row=row, total=w.offset + len(w.customers))

    @on(DataTable.RowHighlighted, "#customers-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._update_position()
        if (customer := self.current) is not None:
            self.post_message(self.Highlighted(self, customer))

    @on(DataTable.RowSelected, "#customers-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if (customer := self.current) is not None:
            self.post_message(self.Chosen(self, customer))
