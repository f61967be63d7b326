"""The ticket search bar: search-as-you-type text and the status, type, priority, mine and overdue filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select

from agentdesk.domain.models import TicketPriority, TicketStatus, TicketType
from agentdesk.domain.tickets import OPEN_STATUSES
from agentdesk.store.base import TicketQuery
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.ticket_format import STATUS_ORDER, status_label
from agentdesk.tui.widgets.toggles import MarkedCheckbox

ANY = "all"
OPEN = "open"
DEBOUNCE_SECONDS = 0.3
"""Typing pauses this long before a search runs, so each keystroke does not hit the store."""


@dataclass(frozen=True)
class TicketFilter:
    """What the agent asked to see; `query` turns it into a store query for one window."""

    text: str = ""
    status: str = OPEN
    """`open`, `all`, or one ticket status."""
    type: str = ANY
    priority: str = ANY
    mine: bool = False
    overdue: bool = False

    def query(self, agent_id: str, now: datetime, *, limit: int = 100, offset: int = 0) -> TicketQuery:
        if self.status == OPEN:
            statuses: frozenset[TicketStatus] | None = OPEN_STATUSES
        elif self.status == ANY:
            statuses = None
        else:
            statuses = frozenset({TicketStatus(self.status)})
        return TicketQuery(
            text=self.text.strip() or None,
            statuses=statuses,
            type=None if self.type == ANY else TicketType(self.type),
            priority=None if self.priority == ANY else TicketPriority(self.priority),
            assignee_id=agent_id if self.mine else None,
            overdue_at=now if self.overdue else None,
            limit=limit,
            offset=offset,
        )


class TicketFilters(Horizontal):
    """One line of search and filter controls; posts `Changed` with the whole filter, and
    `Finished` when the agent is done typing (Enter or Down) and wants the results."""

    BINDINGS = [
        Binding(
            "down",
            "finish",
            "Results",
            tooltip="From the search box to the results",
            id="tickets-results",
            show=False,
        ),
    ]

    @dataclass
    class Finished(Message):
        """The agent left the search box for the results (Enter, or Down)."""

        filters: TicketFilters

        @property
        def control(self) -> TicketFilters:
            return self.filters

    @dataclass
    class Changed(Message):
        """The filter changed (typing settles after a short pause)."""

        filters: TicketFilters
        value: TicketFilter

        @property
        def control(self) -> TicketFilters:
            return self.filters

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._debounce: Timer | None = None
        localize_bindings(self, catalog)

    def compose(self) -> ComposeResult:
        t = self.t
        yield Input(placeholder=t("tickets.search.placeholder"), id="tickets-query", compact=True)
        statuses = [(t("tickets.filter.open"), OPEN), (t("tickets.filter.any_status"), ANY)]
        statuses += [(status_label(s, t), str(s)) for s in STATUS_ORDER]
        yield Select(statuses, value=OPEN, allow_blank=False, id="tickets-status", compact=True)
        types = [(t("tickets.filter.any_type"), ANY), *((t(f"type.{x}"), str(x)) for x in TicketType)]
        yield Select(types, value=ANY, allow_blank=False, id="tickets-type", compact=True)
        prios = [(t("tickets.filter.any_priority"), ANY)]
        prios += [(t(f"priority.{x}"), str(x)) for x in reversed(TicketPriority)]
        yield Select(prios, value=ANY, allow_blank=False, id="tickets-priority", compact=True)
        yield MarkedCheckbox(t("tickets.filter.mine"), id="tickets-mine", compact=True)
        yield MarkedCheckbox(t("tickets.filter.overdue"), id="tickets-overdue", compact=True)

    @property
    def value(self) -> TicketFilter:
        return TicketFilter(
            text=self.query_one("#tickets-query", Input).value,
            status=str(self.query_one("#tickets-status", Select).value),
            type=str(self.query_one("#tickets-type", Select).value),
            priority=str(self.query_one("#tickets-priority", Select).value),
            mine=self.query_one("#tickets-mine", Checkbox).value,
            overdue=self.query_one("#tickets-overdue", Checkbox).value,
        )

    def toggle(self, name: str) -> None:
        """Flip the `mine` or `overdue` checkbox."""
        self.query_one(f"#tickets-{name}", Checkbox).toggle()

    def clear(self) -> None:
        """Back to every open ticket, with one `Changed` for the lot."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#tickets-query", Input).value = ""
            self.query_one("#tickets-status", Select).value = OPEN
            self.query_one("#tickets-type", Select).value = ANY
            self.query_one("#tickets-priority", Select).value = ANY
            self.query_one("#tickets-mine", Checkbox).value = False
            self.query_one("#tickets-overdue", Checkbox).value = False
        self._changed()

    def _changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self.post_message(self.Changed(self, self.value))

    @on(Input.Changed, "#tickets-query")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._changed)

    @on(Input.Submitted, "#tickets-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._changed()
        self.post_message(self.Finished(self))

    def action_finish(self) -> None:
        """Down in the search box (or on a checkbox): settle the search now and go to the results."""
        if self._debounce is not None:
            self._changed()
        self.post_message(self.Finished(self))

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _picked(self, event: Select.Changed | Checkbox.Changed) -> None:
        event.stop()
        self._changed()
