"""The ticket editor, pushed over the ticket list: form, full history, linked calls and survey.

Saving is one `Store.update_ticket` call in a worker. A move the lifecycle forbids
(someone changed the ticket meanwhile) comes back as a message and a reload, never a
crash. Changes made elsewhere are announced, not forced into a form the agent is
typing in; ctrl+r reloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Header, Static

from agentdesk.domain.models import AuditEvent, Call, Customer, Survey, Ticket
from agentdesk.domain.tickets import IllegalTransition, IncompleteTicket
from agentdesk.store.base import NotFound, StoreError
from agentdesk.tui import clock
from agentdesk.tui.messages import TicketSaved
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.format import tier_badge
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.ticket_calls import CallList, CallTable
from agentdesk.tui.widgets.ticket_form import TicketChanges, TicketForm
from agentdesk.tui.widgets.ticket_format import sla_text, status_label, survey_text, ui_zone
from agentdesk.tui.widgets.ticket_history import TicketHistory, author_name
from agentdesk.tui.widgets.ticket_transcript import TranscriptScreen

POLL_SECONDS = 1.0
TICK_SECONDS = 30.0


@dataclass
class AgentsLoaded(Message):
    """Agent names, for assignees and note authors."""

    agents: dict[str, str]


@dataclass
class TicketLoaded(Message):
    """A ticket and what hangs off it, read in one worker."""

    ticket: Ticket
    customer: Customer | None
    calls: list[Call]
    survey: Survey | None
    agents: dict[str, str]
    seq: int
    keep_note: bool = False
    """Keep the note being typed (a reload, not a fresh open)."""


@dataclass
class TicketMissing(Message):
    """The ticket asked for does not exist (any more)."""

    ticket_id: str


@dataclass
class TicketSaveRefused(Message):
    """The store would not take the edits; `message` says why in the UI language."""

    message: str
    reload: bool
    """Whether the ticket changed underneath and should be read again."""


@dataclass
class TicketChangedElsewhere(Message):
    """Another desk or the bot changed the open ticket."""

    events: list[AuditEvent]


class TicketEditorScreen(AgentDeskScreen):
    """Edits one ticket; Esc goes back to the list."""

    CSS_PATH = "../screens/tickets.tcss"
    AUTO_FOCUS = "#tickets-edit-status"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save the changes and the note",
            id="tickets-save",
            priority=True,
        ),
        Binding("escape", "back", "Back", tooltip="Back to the ticket list", id="tickets-back"),
        Binding("ctrl+t", "take", "Take", tooltip="Assign the ticket to me on save", id="tickets-take"),
        Binding(
            "ctrl+n", "note", "Note", tooltip="Write a note (notes are never edited later)", id="tickets-note"
        ),
        Binding("ctrl+o", "open_call", "Call", tooltip="Read a linked call's transcript", id="tickets-call"),
        Binding(
            "ctrl+r", "reload", "Reload", tooltip="Read the ticket again", id="tickets-reload", show=False
        ),
    ]

    def __init__(self, ticket_id: str) -> None:
        super().__init__(id="tickets-editor")
        self.ticket_id = ticket_id
        self.ticket: Ticket | None = None
        self.agents: dict[str, str] = {}
        self.seq = -1
        """Change-feed position of the ticket as shown."""
        self._discard_armed = False

    @property
    def zone(self) -> tzinfo:
        return ui_zone(self.settings)

    @property
    def form(self) -> TicketForm:
        return self.query_one(TicketForm)

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header()
        yield TicketForm(t, self.agent_id, id="tickets-form")
        with Horizontal(id="tickets-editor-lower"):
            yield TicketHistory(t, id="tickets-history")
            with Vertical(id="tickets-editor-side"):
                yield CallList(t, self.zone, empty="tickets.calls.none", id="tickets-calls")
                yield Static(Text(t("tickets.loading"), style="dim"), id="tickets-survey")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#tickets-calls").border_title = self.t("tickets.calls.title")
        self.query_one("#tickets-survey").border_title = self.t("tickets.survey.title")
        self.form.border_title = self.ticket_id
        self.load()
        self.set_interval(POLL_SECONDS, self._poll)
        self.set_interval(TICK_SECONDS, self._tick)

    def switch_to(self, ticket_id: str) -> None:
        """Show another ticket in this editor."""
        self.ticket_id, self.ticket, self.seq = ticket_id, None, -1
        self.form.say("")
        self.load()

    # -- workers --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="ticket-load", exit_on_error=False)
    def load(self, *, keep_note: bool = False) -> None:
        store, ticket_id = self.store, self.ticket_id
        seq = store.last_seq()
        try:
            ticket = store.get_ticket(ticket_id)
        except NotFound:
            self.post_message(TicketMissing(ticket_id))
            return
        customer = None
        if ticket.customer_id:
            try:
                customer = store.get_customer(ticket.customer_id)
            except NotFound:
                customer = None
        calls = []
        for call_id in ticket.linked_call_ids:
            try:
                calls.append(store.get_call(call_id))
            except NotFound:
                continue
        surveys = (
            [store.get_survey(ticket.survey_id)]
            if ticket.survey_id
            else store.list_surveys(ticket_id=ticket.id)
        )
        agents = {a.id: a.name for a in store.list_agents()}
        survey = surveys[-1] if surveys else None
        self.post_message(TicketLoaded(ticket, customer, calls, survey, agents, seq, keep_note))

    @work(thread=True, exclusive=True, group="ticket-save", exit_on_error=False)
    def save(self, ticket_id: str, changes: TicketChanges) -> None:
        t = self.t
        try:
            ticket = self.store.update_ticket(
                ticket_id,
                status=changes.status,
                note=changes.note,
                assignee_id=changes.assignee_id,
                disposition=changes.disposition,
                priority=changes.priority,
                subject=changes.subject,
                actor=self.agent_id,
            )
        except IllegalTransition as exc:
            text = t(
                "tickets.edit.illegal",
                current=status_label(exc.current, t),
                target=status_label(exc.target, t),
            )
            self.post_message(TicketSaveRefused(text, reload=True))
        except IncompleteTicket as exc:  # the form checks first; this is the store's word on it
            text = t(f"tickets.edit.needs.{exc.missing}", status=status_label(exc.status, t))
            self.post_message(TicketSaveRefused(text, reload=False))
        except NotFound:
            self.post_message(TicketMissing(ticket_id))
        except StoreError as exc:
            self.post_message(
                TicketSaveRefused(t("tickets.edit.store_error", message=str(exc)), reload=False)
            )
        else:
            self.post_message(TicketSaved(ticket))

    @work(thread=True, exclusive=True, group="ticket-sync", exit_on_error=False)
    def poll_changes(self, ticket_id: str, seq: int) -> None:
        events = [e for e in self.store.events_since(seq, entity_id=ticket_id) if e.actor != self.agent_id]
        if events:
            self.post_message(TicketChangedElsewhere(events))

    def _poll(self) -> None:
        if self.seq >= 0 and self.is_current:
            self.poll_changes(self.ticket_id, self.seq)

    # -- handlers -------------------------------------------------------------------------
    @on(TicketLoaded)
    def _loaded(self, message: TicketLoaded) -> None:
        if message.ticket.id != self.ticket_id:
            return
        self.ticket, self.agents, self.seq = message.ticket, message.agents, message.seq
        self._discard_armed = False
        self.form.load(message.ticket, message.agents, keep_note=message.keep_note)
        self._show_ticket(message.ticket)
        customer = message.customer
        title = Text.assemble((message.ticket.id, "bold"))
        if customer is not None:
            badge = tier_badge(customer.tier, self.t, short=True)
            title.append("  ·  ")
            title.append(customer.name)
            if badge.plain:
                title.append(" ")
                title.append_text(badge)
        self.form.border_title = title
        self.query_one(CallList).show(message.calls, message.agents)
        survey = survey_text(message.survey, self.t, clock.now(), self.zone)
        self.query_one("#tickets-survey", Static).update(survey)

    def _show_ticket(self, ticket: Ticket) -> None:
        now = clock.now()
        self.query_one(TicketHistory).show(ticket.notes, now=now, zone=self.zone, agents=self.agents)
        self.form.border_subtitle = Text.assemble(
            (self.t("tickets.edit.sla"), "dim"), " ", sla_text(ticket, now, self.t)
        )

    @on(TicketForm.SaveRequested)
    def _save_requested(self, message: TicketForm.SaveRequested) -> None:
        if self.ticket is None:
            return
        self.form.say(self.t("tickets.edit.saving"))
        self.save(self.ticket.id, message.changes)

    @on(TicketSaved)
    def _saved(self, message: TicketSaved) -> None:
        ticket = message.ticket
        if ticket.id != self.ticket_id:
            return
        self.ticket = ticket
        self.form.load(ticket, self.agents)
        self._show_ticket(ticket)
        text = self.t("tickets.edit.saved", id=ticket.id)
        self.form.say(text)
        self.notify(text)

    @on(TicketSaveRefused)
    def _refused(self, message: TicketSaveRefused) -> None:
        self.form.say(message.message, error=True)
        self.notify(message.message, severity="error", timeout=8)
        if message.reload:
            self.load(keep_note=True)

    @on(TicketMissing)
    def _missing(self, message: TicketMissing) -> None:
        self.notify(self.t("tickets.edit.missing", id=message.ticket_id), severity="error")
        self.dismiss()

    @on(TicketChangedElsewhere)
    def _changed_elsewhere(self, message: TicketChangedElsewhere) -> None:
        events = [e for e in message.events if e.seq > self.seq]
        if not events:
            return  # already in what was loaded last (a reload overtook this poll)
        self.seq = events[-1].seq
        who = ", ".join(sorted({author_name(e.actor, self.t, self.agents) for e in events}))
        text = self.t("tickets.edit.changed_elsewhere", who=who)
        if not self.form.has_error:  # never bury a refused save under the warning
            self.form.say(text, error=True)
        self.notify(text, severity="warning")

    @on(CallTable.Chosen)
    def _call_chosen(self, message: CallTable.Chosen) -> None:
        self.app.push_screen(TranscriptScreen(message.call, self.zone))

    # -- actions --------------------------------------------------------------------------
    def action_save(self) -> None:
        self.form.request_save()

    def action_back(self) -> None:
        if self.form.dirty and not self._discard_armed:
            self._discard_armed = True
            self.form.say(self.t("tickets.edit.unsaved"), error=True)
            return
        self.dismiss()

    def action_take(self) -> None:
        self.form.toggle_take()

    def action_note(self) -> None:
        self.query_one("#tickets-edit-note").focus()

    def action_open_call(self) -> None:
        calls = self.query_one(CallList).table
        if calls.calls:
            self.app.push_screen(TranscriptScreen(calls.calls[max(0, calls.cursor_row)], self.zone))
        else:
            self.notify(self.t("tickets.calls.none"))

    def action_reload(self) -> None:
        self.load(keep_note=True)

    def _tick(self) -> None:
        if self.ticket is not None:
            self._show_ticket(self.ticket)
