"""The tickets place (F2): every ticket, searched and filtered, a window at a time; enter opens the editor.

The list holds one window of `PAGE_SIZE` tickets whatever the store holds; moving past
either end loads the neighbouring window in a worker, so the cursor never waits for the
store. A change-feed poll (once a second, while the place is shown) reloads the window
when a ticket changes anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import tzinfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header

from agentdesk.domain.models import Tier
from agentdesk.store.base import NotFound, StoreUnavailable
from agentdesk.tui import clock
from agentdesk.tui.messages import StoreChanged
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.ticket_editor_screen import AgentsLoaded, TicketEditorScreen
from agentdesk.tui.widgets.ticket_filters import TicketFilter, TicketFilters
from agentdesk.tui.widgets.ticket_format import ui_zone
from agentdesk.tui.widgets.ticket_preview import TicketPreview
from agentdesk.tui.widgets.ticket_table import PAGE_SIZE, PagedTable, TicketList, TicketWindow, window_offset

POLL_SECONDS = 1.0
"""How often the change feed is read while the list is on screen."""
TICK_SECONDS = 30.0
"""SLA countdowns show minutes, so redrawing them twice a minute is enough."""


@dataclass
class TicketWindowLoaded(Message):
    """A window of the ticket list was read from the store."""

    request: int
    """The load this answers; answers to superseded loads are dropped."""
    window: TicketWindow
    seq: int
    """The change-feed position read just before the tickets."""


@dataclass
class TicketWindowFailed(Message):
    """The store could not be read (the team server is unreachable)."""

    request: int


class TicketsScreen(AgentDeskScreen):
    """Ticket search and list; the editor opens over it (`open_ticket`)."""

    CSS_PATH = "tickets.tcss"
    AUTO_FOCUS = "#tickets-table"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    """Below 96 columns the filter bar's pickers shrink so Mine and Overdue stay on screen."""
    BINDINGS = [
        Binding(
            "slash", "search", "Search", tooltip="Type to search subjects, notes and ids", id="tickets-search"
        ),
        Binding("m", "toggle('mine')", "Mine", tooltip="Only tickets assigned to me", id="tickets-mine"),
        Binding(
            "o",
            "toggle('overdue')",
            "Overdue",
            tooltip="Only open tickets past their SLA",
            id="tickets-overdue",
        ),
        Binding(
            "f",
            "filters",
            "Filters",
            tooltip="Jump to the status, type and priority filters",
            id="tickets-filters",
        ),
        Binding("c", "clear", "Clear", tooltip="Every open ticket again", id="tickets-clear"),
        Binding(
            "escape", "focus_list", "List", tooltip="Back to the ticket list", id="tickets-list", show=False
        ),
        Binding("r", "refresh", "Refresh", tooltip="Reload the list from the store", id="tickets-refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="tickets")
        self.filter = TicketFilter()
        """What the list shows; changed only by the filter bar."""
        self.seq = -1
        """Change-feed position this screen has seen; -1 until the first load."""
        self.agents: dict[str, str] = {}
        """Agent id -> name, for assignees."""
        self.customers: dict[str, tuple[str, Tier]] = {}
        """Customer id -> (name, tier) of every ticket shown so far."""
        self._request = 0
        self._answered = 0
        """The last load whose window is shown."""
        self._results_wanted = False
        """The agent left the search box while its search was loading: focus the results when they come."""

    @property
    def zone(self) -> tzinfo:
        return ui_zone(self.settings)

    def compose(self) -> ComposeResult:
        yield Header()
        yield TicketFilters(self.t, id="tickets-filters")
        yield TicketList(self.t, self.zone, id="tickets-list")
        yield TicketPreview(self.t, self.zone, id="tickets-preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load_agents()
        self.reload(0, place_cursor=True)
        self.set_interval(POLL_SECONDS, self._poll)
        self.set_interval(TICK_SECONDS, self.query_one(TicketList).tick)
        self.query_one(TicketList).table.focus()
        self.watch(self, "focused", self._focus_moved)

    def on_screen_resume(self) -> None:
        if self.focused is None:  # e.g. the focused widget went away while another place was shown
            self.query_one(TicketList).table.focus()
        self._poll()  # catch up with what changed while another place (or the editor) was shown

    # -- public ---------------------------------------------------------------------------
    def open_ticket(self, ticket_id: str) -> None:
        """Open the editor on a ticket, or switch the open editor to it (used by the customers place)."""
        top = self.app.screen
        if isinstance(top, TicketEditorScreen):
            top.switch_to(ticket_id)
        else:
            self.app.push_screen(TicketEditorScreen(ticket_id))

    def reload(self, target: int, *, place_cursor: bool = False) -> None:
        """Load the window around absolute row `target`; the cursor goes there when `place_cursor`."""
        self._request += 1
        self.load_window(self.filter, target, place_cursor, self._request, frozenset(self.customers))

    # -- workers: blocking store calls, results posted as messages ------------------------
    @work(thread=True, exclusive=True, group="tickets-window", exit_on_error=False)
    def load_window(
        self, flt: TicketFilter, target: int, place_cursor: bool, request: int, known: frozenset[str]
    ) -> None:
        store = self.store
        query = flt.query(self.agent_id, clock.now(), limit=PAGE_SIZE)
        try:
            seq = store.last_seq()  # read first: later changes show up in the next poll
            total = store.count_tickets(query)
            offset = window_offset(target, total, PAGE_SIZE)
            tickets = store.list_tickets(replace(query, offset=offset))
        except StoreUnavailable:
            self.post_message(TicketWindowFailed(request))
            return
        customers: dict[str, tuple[str, Tier]] = {}
        for customer_id in {t.customer_id for t in tickets if t.customer_id} - known:
            try:
                customer = store.get_customer(customer_id)
                customers[customer_id] = (customer.name, customer.tier)
            except NotFound:
                customers[customer_id] = (customer_id, Tier.STANDARD)
        cursor = max(0, min(target, total - 1)) if place_cursor else None
        window = TicketWindow(tickets, offset, total, customers, cursor)
        self.post_message(TicketWindowLoaded(request, window, seq))

    @work(thread=True, exclusive=True, group="tickets-agents", exit_on_error=False)
    def load_agents(self) -> None:
        self.post_message(AgentsLoaded({a.id: a.name for a in self.store.list_agents()}))

    @work(thread=True, exclusive=True, group="tickets-sync", exit_on_error=False)
    def poll_changes(self, seq: int) -> None:
        events = self.store.events_since(seq)
        if events:
            self.post_message(StoreChanged(events))

    def _poll(self) -> None:
        if not self.is_current:
            return
        self._follow_connection()
        if self.seq >= 0:
            self.poll_changes(self.seq)

    def _follow_connection(self) -> None:
        """A team desk: mark the list unreachable while the server is away, read it again when it is back."""
        if self.desk_app.connection is None:  # only a team-server store has one
            return
        reachable = not self.desk_app.server_offline
        tickets = self.query_one(TicketList)
        if reachable and tickets.unreachable:
            self.reload(tickets.table.absolute_row if tickets.window.tickets else 0, place_cursor=True)
        elif not reachable:
            tickets.unreachable = True

    # -- handlers: own the state ----------------------------------------------------------
    @on(TicketWindowLoaded)
    def _window_loaded(self, message: TicketWindowLoaded) -> None:
        if message.request != self._request:
            return  # a newer load (another key press or filter) is on its way
        self.seq = max(self.seq, message.seq)
        self._answered = message.request
        tickets = self.query_one(TicketList)
        tickets.unreachable = self.desk_app.server_offline  # else read from the cache
        self.customers.update(message.window.customers)
        message.window.customers = self.customers
        self.query_one(TicketList).show(message.window)
        if self._results_wanted:
            self._results_wanted = False
            self._to_results()

    @on(TicketWindowFailed)
    def _window_failed(self, message: TicketWindowFailed) -> None:
        if message.request == self._request:  # rows of an earlier filter would pass for its answer
            self._answered = message.request
            tickets = self.query_one(TicketList)
            tickets.unreachable = True
            tickets.show(TicketWindow([], 0, 0))

    @on(AgentsLoaded)
    def _agents_loaded(self, message: AgentsLoaded) -> None:
        self.agents = message.agents
        self._preview()

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        self.seq = max(self.seq, message.events[-1].seq)
        if any(e.entity in ("ticket", "customer") for e in message.events):
            self.reload(self.query_one(TicketList).table.absolute_row)
        if any(e.entity == "agent" for e in message.events):
            self.load_agents()

    @on(TicketFilters.Changed)
    def _filters_changed(self, message: TicketFilters.Changed) -> None:
        self.filter = message.value
        self.reload(0, place_cursor=True)

    @on(TicketFilters.Finished)
    def _search_finished(self, message: TicketFilters.Finished) -> None:
        """Enter or Down in the search box: on to the results (once the search has answered)."""
        if self._answered == self._request:
            self._to_results()
        else:
            self._results_wanted = True

    def _to_results(self) -> None:
        """Focus the results; with none, stay in the search box, whose empty state says what to do."""
        tickets = self.query_one(TicketList)
        if tickets.window.tickets:
            tickets.table.focus()

    def _focus_moved(self, focused: Widget | None) -> None:
        self.query_one(TicketList).searching = focused is not None and focused.id == "tickets-query"

    @on(PagedTable.WindowRequested, "#tickets-table")
    def _window_requested(self, message: PagedTable.WindowRequested) -> None:
        self.reload(message.target, place_cursor=True)

    @on(TicketList.Highlighted)
    def _highlighted(self, message: TicketList.Highlighted) -> None:
        self._preview()

    @on(TicketList.Chosen)
    def _chosen(self, message: TicketList.Chosen) -> None:
        self.open_ticket(message.ticket.id)

    def _preview(self) -> None:
        ticket = self.query_one(TicketList).current
        customer = self.customers.get(ticket.customer_id or "") if ticket else None
        self.query_one(TicketPreview).show(ticket, customer, self.agents)

    # -- actions --------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#tickets-query").focus()

    def action_toggle(self, name: str) -> None:
        self.query_one(TicketFilters).toggle(name)

    def action_filters(self) -> None:
        self.query_one("#tickets-status").focus()

    def action_clear(self) -> None:
        self.query_one(TicketFilters).clear()

    def action_focus_list(self) -> None:
        self.query_one(TicketList).table.focus()

    def action_refresh(self) -> None:
        self.load_agents()
        self.reload(self.query_one(TicketList).table.absolute_row)
