"""The desk: inbox and handoff card on the left; transcript, suggestions and ticket editor on the right."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Header

from agentdesk.domain.models import Speaker, Ticket, TicketNote
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import AlreadyClaimed, KBHit, TicketQuery, TransferQuery
from agentdesk.tui.messages import StoreChanged, TicketSaved, TransferClaimed, TransfersLoaded
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.assist_panel import AssistPanel
from agentdesk.tui.widgets.handoff_card import HandoffCard
from agentdesk.tui.widgets.ticket_editor import TicketEditor, draft_for
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from agentdesk.tui.widgets.transfer_inbox import TransferInbox

INBOX_WINDOW = 200
"""How many of the highest-priority transfers the inbox holds at once."""


@dataclass
class SelectionLoaded(Message):
    """History counts and KB suggestions for the selected transfer."""

    transfer: Transfer
    prior_tickets: int
    prior_calls: int
    line: str
    hits: list[KBHit]


@dataclass
class ClaimLost(Message):
    """Someone else took the transfer first."""

    reason: str


class DeskScreen(AgentDeskScreen):
    BINDINGS = [
        Binding(
            "a", "accept_transfer", "Accept", tooltip="Accept the selected transfer", id="accept-transfer"
        ),
        Binding("t", "edit_ticket", "Ticket", tooltip="Jump to the ticket editor", id="edit-ticket"),
        Binding("ctrl+s", "save_ticket", "Save", tooltip="Save the ticket", id="save-ticket", priority=True),
        Binding("i", "focus_inbox", "Inbox", tooltip="Jump to the transfer inbox", id="focus-inbox"),
        Binding("r", "refresh", "Refresh", tooltip="Reload from the store", id="refresh"),
        Binding("q", "app.quit", "Quit", tooltip="Leave AgentDesk", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="desk")
        self.seq = -1
        """Change-feed position this screen has seen; -1 until the first load."""
        self.selected: Transfer | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header()
        with Horizontal(id="desk-body"):
            with Vertical(id="desk-left"):
                yield TransferInbox(t, id="inbox")
                yield HandoffCard(t, id="handoff")
            with Vertical(id="desk-right"):
                yield TranscriptPane(t, id="transcript")
                yield AssistPanel(t, id="assist")
                yield TicketEditor(t, id="ticket-editor")
        yield Footer()

    def on_mount(self) -> None:
        self.load_inbox()
        self.set_interval(1.0, self.poll_changes)
        self.query_one("#inbox-table").focus()

    # -- workers: blocking store calls, results posted as messages ------------------------
    @work(thread=True, exclusive=True, group="inbox", exit_on_error=False)
    def load_inbox(self) -> None:
        seq = self.store.last_seq()  # read first: later changes will show up in the next poll
        query = TransferQuery(limit=INBOX_WINDOW)
        self.post_message(
            TransfersLoaded(self.store.list_transfers(query), self.store.count_transfers(query), seq)
        )

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def poll_changes(self) -> None:
        if self.seq < 0:
            return
        events = self.store.events_since(self.seq)
        if events:
            self.post_message(StoreChanged(events))

    @work(thread=True, exclusive=True, group="selection", exit_on_error=False)
    def load_selection(self, transfer: Transfer) -> None:
        p = transfer.packet
        tickets = self.store.count_tickets(TicketQuery(customer_id=p.customer_id)) if p.customer_id else 0
        calls = len(self.store.list_calls(customer_id=p.customer_id)) if p.customer_id else 0
        lines = [u.text for u in p.transcript if u.speaker == Speaker.CUSTOMER]
        line = lines[-1] if lines else p.intent
        hits = self.store.search_kb(line, language=p.language if p.language != "mixed" else None, limit=3)
        self.post_message(SelectionLoaded(transfer, tickets, max(0, calls - 1), line, hits))

    @work(thread=True, group="store", exit_on_error=False)
    def claim(self, transfer: Transfer) -> None:
        try:
            self.post_message(TransferClaimed(self.store.claim_transfer(transfer.id, self.agent_id)))
        except AlreadyClaimed as exc:
            self.post_message(ClaimLost(str(exc)))

    @work(thread=True, group="store", exit_on_error=False)
    def save(self, ticket: Ticket, note: str) -> None:
        if note:
            ticket = ticket.model_copy(
                update={"notes": [*ticket.notes, TicketNote(author=self.agent_id, text=note)]}
            )
        self.post_message(TicketSaved(self.store.create_ticket(ticket, actor=self.agent_id)))

    # -- handlers: own the state ------------------------------------------------------------
    @on(TransfersLoaded)
    def _transfers_loaded(self, message: TransfersLoaded) -> None:
        self.seq = max(self.seq, message.seq)
        self.query_one(TransferInbox).show(message.transfers, message.total)
        if not message.transfers:
            self.selected = None
            self.query_one(HandoffCard).clear()

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        self.seq = max(self.seq, message.events[-1].seq)
        if any(e.kind.startswith("transfer.") for e in message.events):
            self.load_inbox()

    @on(TransferInbox.Highlighted)
    def _transfer_highlighted(self, message: TransferInbox.Highlighted) -> None:
        transfer = message.transfer
        self.selected = transfer
        self.query_one(HandoffCard).show(transfer)
        self.query_one(TranscriptPane).show(transfer.packet.transcript)
        self.query_one(TicketEditor).load(
            draft_for(transfer), transfer.packet.customer_name, transfer.packet.summary
        )
        self.load_selection(transfer)

    @on(TransferInbox.Chosen)
    def _transfer_chosen(self, message: TransferInbox.Chosen) -> None:
        self.claim(message.transfer)

    @on(SelectionLoaded)
    def _selection_loaded(self, message: SelectionLoaded) -> None:
        if self.selected is None or message.transfer.id != self.selected.id:
            return  # the cursor moved on while this was loading
        card = self.query_one(HandoffCard)
        card.show(message.transfer, prior_tickets=message.prior_tickets, prior_calls=message.prior_calls)
        self.query_one(AssistPanel).show(message.line, message.hits)

    @on(TransferClaimed)
    def _transfer_claimed(self, message: TransferClaimed) -> None:
        self.notify(self.t("accept.done", name=message.transfer.packet.customer_name))
        self.load_inbox()

    @on(ClaimLost)
    def _claim_lost(self, message: ClaimLost) -> None:
        self.notify(self.t("accept.lost", reason=message.reason), severity="warning")
        self.load_inbox()

    @on(TicketEditor.SaveRequested)
    def _save_requested(self, message: TicketEditor.SaveRequested) -> None:
        self.save(message.ticket, message.note)

    @on(TicketSaved)
    def _ticket_saved(self, message: TicketSaved) -> None:
        self.query_one(TicketEditor).saved(message.ticket)
        self.notify(self.t("ticket.saved", id=message.ticket.id))

    # -- actions --------------------------------------------------------------------------
    def action_accept_transfer(self) -> None:
        if self.selected is not None:
            self.claim(self.selected)

    def action_edit_ticket(self) -> None:
        self.query_one("#ticket-subject").focus()

    def action_save_ticket(self) -> None:
        self.query_one(TicketEditor).action_save()

    def action_focus_inbox(self) -> None:
        self.query_one("#inbox-table").focus()

    def action_refresh(self) -> None:
        self.load_inbox()
