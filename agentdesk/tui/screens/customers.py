"""The customers place (F3): find a customer by name, phone or id; profile, account, calls and tickets.

Moving through the list loads the highlighted customer's history in a worker, so the
cursor never waits. A ticket opens in the tickets place's editor (`open_ticket`), so
there is one editor and one place where tickets are saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Input

from agentdesk.domain.models import Call, Customer, Ticket
from agentdesk.store.base import NotFound, TicketQuery
from agentdesk.tui.messages import StoreChanged
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.customer_profile import CustomerAccount, CustomerProfile
from agentdesk.tui.widgets.customer_table import CustomerList, CustomerWindow
from agentdesk.tui.widgets.customer_tickets import CustomerTickets
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.ticket_calls import CallList, CallTable
from agentdesk.tui.widgets.ticket_format import ui_zone
from agentdesk.tui.widgets.ticket_table import PAGE_SIZE, PagedTable
from agentdesk.tui.widgets.ticket_transcript import TranscriptScreen

HISTORY_LIMIT = 50
"""Calls and tickets shown per customer, newest first."""
DEBOUNCE_SECONDS = 0.3
POLL_SECONDS = 1.0


@dataclass
class CustomersLoaded(Message):
    """A window of the customer list was read."""

    request: int
    window: CustomerWindow
    seq: int


@dataclass
class ProfileLoaded(Message):
    """A customer with their calls, tickets and the agents' names."""

    customer: Customer
    calls: list[Call]
    tickets: list[Ticket]
    ticket_total: int
    agents: dict[str, str]


class CustomersScreen(AgentDeskScreen):
    """Customer search and history; the ticket editor lives in the tickets place."""

    # The transcript viewer and call list are styled in the tickets place's sheet.
    CSS_PATH = ["customers.tcss", "tickets.tcss"]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding(
            "slash", "search", "Search", tooltip="Find a customer by name, phone or id", id="customers-search"
        ),
        Binding(
            "l", "focus('customers-table')", "List", tooltip="Back to the customer list", id="customers-list"
        ),
        Binding(
            "c",
            "focus('customers-calls')",
            "Calls",
            tooltip="The customer's past calls",
            id="customers-calls",
        ),
        Binding(
            "t",
            "focus('customers-tickets')",
            "Tickets",
            tooltip="The customer's tickets",
            id="customers-tickets",
        ),
        Binding(
            "escape",
            "focus('customers-table')",
            "List",
            tooltip="Back to the list",
            id="customers-back",
            show=False,
        ),
        Binding("r", "refresh", "Refresh", tooltip="Reload from the store", id="customers-refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="customers")
        self.search = ""
        """The search as last run."""
        self.selected: Customer | None = None
        """The customer whose profile is shown (or loading)."""
        self.seq = -1
        self._request = 0
        self._debounce: Timer | None = None

    @property
    def zone(self) -> tzinfo:
        return ui_zone(self.settings)

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header()
        with Horizontal(id="customers-search-bar"):
            yield Input(placeholder=t("customers.search.placeholder"), id="customers-query", compact=True)
        with Horizontal(id="customers-body"):
            yield CustomerList(t, id="customers-list")
            with Vertical(id="customers-detail"):
                yield CustomerProfile(t, id="customers-profile")
                with Horizontal(id="customers-account"):
                    yield CustomerAccount(t, "bills", id="customers-bills")
                    yield CustomerAccount(t, "orders", id="customers-orders")
                yield CustomerTickets(t, self.zone, id="customers-tickets")
                yield CallList(t, self.zone, empty="customers.calls.none", id="customers-calls")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#customers-calls").border_title = self.t("customers.calls.title")
        self.reload(0, place_cursor=True)
        self.set_interval(POLL_SECONDS, self._poll)
        self.query_one("#customers-table").focus()

    def on_screen_resume(self) -> None:
        self._poll()

    def reload(self, target: int, *, place_cursor: bool = False) -> None:
        """Load the window of customers around absolute row `target`."""
        self._request += 1
        self.load_window(self.search, target, place_cursor, self._request)

    # -- workers --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="customers-window", exit_on_error=False)
    def load_window(self, search: str, target: int, place_cursor: bool, request: int) -> None:
        store = self.store
        seq = store.last_seq()
        offset = max(0, target - PAGE_SIZE // 2)
        rows = store.list_customers(search=search or None, limit=PAGE_SIZE + 1, offset=offset)
        while not rows and offset > 0:  # past the end: step back to the last window that has rows
            offset = max(0, offset - PAGE_SIZE)
            rows = store.list_customers(search=search or None, limit=PAGE_SIZE + 1, offset=offset)
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        cursor = max(offset, min(target, offset + len(rows) - 1)) if place_cursor and rows else None
        self.post_message(CustomersLoaded(request, CustomerWindow(rows, offset, more, cursor), seq))

    @work(thread=True, exclusive=True, group="customers-profile", exit_on_error=False)
    def load_profile(self, customer_id: str) -> None:
        store = self.store
        try:
            customer = store.get_customer(customer_id)
        except NotFound:
            return  # deleted meanwhile; the next list reload drops it
        calls = store.list_calls(customer_id=customer_id, limit=HISTORY_LIMIT)
        query = TicketQuery(customer_id=customer_id, limit=HISTORY_LIMIT)
        tickets = store.list_tickets(query)
        total = store.count_tickets(query) if len(tickets) == HISTORY_LIMIT else len(tickets)
        agents = {a.id: a.name for a in store.list_agents()}
        self.post_message(ProfileLoaded(customer, calls, tickets, total, agents))

    @work(thread=True, exclusive=True, group="customers-sync", exit_on_error=False)
    def poll_changes(self, seq: int) -> None:
        events = self.store.events_since(seq)
        if events:
            self.post_message(StoreChanged(events))

    def _poll(self) -> None:
        if self.seq >= 0 and self.is_current:
            self.poll_changes(self.seq)

    # -- handlers -------------------------------------------------------------------------
    @on(CustomersLoaded)
    def _customers_loaded(self, message: CustomersLoaded) -> None:
        if message.request != self._request:
            return
        self.seq = max(self.seq, message.seq)
        self.query_one(CustomerList).show(message.window)
        if not message.window.customers:
            self._show_profile(None)

    @on(CustomerList.Highlighted)
    def _highlighted(self, message: CustomerList.Highlighted) -> None:
        if self.selected is not None and self.selected.id == message.customer.id:
            return
        self.selected = message.customer
        self.load_profile(message.customer.id)

    @on(CustomerList.Chosen)
    def _chosen(self, message: CustomerList.Chosen) -> None:
        self.query_one(CustomerTickets).table.focus()

    @on(ProfileLoaded)
    def _profile_loaded(self, message: ProfileLoaded) -> None:
        if self.selected is None or self.selected.id != message.customer.id:
            return  # the cursor moved on while this was loading
        self._show_profile(message.customer)
        self.query_one(CallList).show(message.calls, message.agents)
        self.query_one(CallList).border_subtitle = self.t("customers.calls.count", count=len(message.calls))
        self.query_one(CustomerTickets).show(message.tickets, message.ticket_total)

    def _show_profile(self, customer: Customer | None) -> None:
        self.selected = customer
        self.query_one(CustomerProfile).show(customer)
        for account in self.query(CustomerAccount):
            account.show(customer)
        if customer is None:
            self.query_one(CallList).show([], {})
            self.query_one(CustomerTickets).show([], 0)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        self.seq = max(self.seq, message.events[-1].seq)
        entities = {e.entity for e in message.events}
        if "customer" in entities:
            self.reload(self.query_one(CustomerList).table.absolute_row)
        if self.selected is not None and entities & {"customer", "ticket", "call"}:
            self.load_profile(self.selected.id)

    @on(PagedTable.WindowRequested, "#customers-table")
    def _window_requested(self, message: PagedTable.WindowRequested) -> None:
        self.reload(message.target, place_cursor=True)

    @on(Input.Changed, "#customers-query")
    def _typed(self, message: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._run_search)

    @on(Input.Submitted, "#customers-query")
    def _submitted(self, message: Input.Submitted) -> None:
        self._run_search()
        self.query_one("#customers-table").focus()

    def _run_search(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        text = self.query_one("#customers-query", Input).value.strip()
        if text != self.search:
            self.search = text
            self.reload(0, place_cursor=True)

    @on(CallTable.Chosen)
    def _call_chosen(self, message: CallTable.Chosen) -> None:
        self.app.push_screen(TranscriptScreen(message.call, self.zone))

    @on(CustomerTickets.Chosen)
    async def _ticket_chosen(self, message: CustomerTickets.Chosen) -> None:
        await self.open_in_tickets(message.ticket.id)

    async def open_in_tickets(self, ticket_id: str) -> None:
        """Show the tickets place with its editor on `ticket_id`."""
        if "tickets" not in self.desk_app.places:
            self.notify(self.t("customers.tickets.unavailable"), severity="warning")
            return
        from agentdesk.tui.screens.tickets import TicketsScreen  # loaded with its place, not before

        await self.app.switch_mode("tickets")
        base = self.app.screen_stack[0]
        if isinstance(base, TicketsScreen):
            base.open_ticket(ticket_id)

    # -- actions --------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#customers-query").focus()

    def action_focus(self, target: str) -> None:
        widget = self.query_one(f"#{target}")
        if isinstance(widget, CallList | CustomerTickets):
            widget = widget.table
        widget.focus()

    def action_refresh(self) -> None:
        self.reload(self.query_one(CustomerList).table.absolute_row)
        if self.selected is not None:
            self.load_profile(self.selected.id)
