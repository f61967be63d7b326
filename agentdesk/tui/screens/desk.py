"""The desk: inbox and handoff card on the left; the call workspace (transcript, assist, ticket) on the right."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label

from agentdesk.domain.kpis import repeats_an_earlier_call
from agentdesk.domain.models import Agent, AgentStatus, BotMode, EmotionLevel, Speaker, Tier
from agentdesk.domain.transfers import Transfer, TransferStatus
from agentdesk.nlp.kb import KBIndex, shared_index
from agentdesk.store.base import AlreadyClaimed, NotFound, StoreUnavailable, TicketQuery, TransferQuery
from agentdesk.tui.call_tickets import find_call_ticket
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.messages import StoreChanged, TicketSaved, TransferClaimed, TransfersLoaded
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.screens.desk_bindings import DESK_BINDINGS, DESK_FOOTER_PRIORITY
from agentdesk.tui.screens.desk_messages import AgentLoaded, CallReady, ClaimLost, HistoryLoaded, KBReady
from agentdesk.tui.screens.flag_bot import Flag, FlagBotModal
from agentdesk.tui.screens.hand_back import HandBackModal
from agentdesk.tui.screens.wrap_up import WrapUp, WrapUpModal, is_repeat_contact
from agentdesk.tui.signed_in import NO_AGENT_ACTIONS, SignedInWithoutAgent, without_agent
from agentdesk.tui.unsaved_notes import UnsavedNotesFile, unsaved_notes_file
from agentdesk.tui.widgets.active_call import stored_bot_mode
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.handoff_card import HandoffCard
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.ticket_editor import TicketEditor, draft_for
from agentdesk.tui.widgets.transfer_inbox import TransferInbox
from agentdesk.tui.worker_failures import claim_lost_reason

INBOX_WINDOW = 200
"""How many of the highest-priority transfers the inbox holds at once."""
STATUS_CYCLE = (AgentStatus.AVAILABLE, AgentStatus.BUSY, AgentStatus.AWAY, AgentStatus.OFFLINE)


def is_priority(t: Transfer) -> bool:
    """Transfers worth an alert the moment they arrive: VIPs, angry or complex complaints."""
    return t.tier is Tier.VIP or t.emotion_level >= EmotionLevel.ANGRY or t.packet.complexity >= 2


class DeskScreen(AgentDeskScreen):
    BINDINGS = DESK_BINDINGS
    FOOTER_PRIORITY = DESK_FOOTER_PRIORITY

    def __init__(self) -> None:
        super().__init__(id="desk")
        self.seq = -1
        """Change-feed position this screen has seen; -1 until the first load."""
        self.selected: Transfer | None = None
        self.kb: KBIndex | None = None
        self.agent: Agent | None = None
        self.no_agent = False
        """Signed in as a supervisor or trainer: no agent, so no calls or status of their own."""
        self.history: HistoryLoaded | None = None
        """The customer history of the transfer on the handoff card, once loaded."""
        self._known: set[str] | None = None
        self._cursor_to_top = False
        """The next inbox load puts the cursor on the top-priority transfer (after a wrap-up)."""
        self.unsaved_notes: UnsavedNotesFile | None = None
        """Where unsaved ticket drafts of held calls outlast the desk (set when composed)."""

    def compose(self) -> ComposeResult:
        self.unsaved_notes = unsaved_notes_file(self.store, self.agent_id)
        yield Header()
        with Horizontal(id="desk-body"):
            with Vertical(id="desk-left"):
                yield TransferInbox(self.t, id="inbox")
                yield HandoffCard(self.t, id="handoff")
            yield CallWorkspace(
                self.t,
                self.store,
                lambda: self.kb,
                self.agent_id,
                unsaved=self.desk_app.unsaved_lines,
                notes=self.unsaved_notes,
                id="desk-right",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load_inbox()
        self.load_agent()
        # Tokenising the KB is Python-heavy and would hold the GIL while the first frames draw.
        self.set_timer(0.5, self.build_kb)
        self.set_interval(1.0, self.poll_changes)
        self.set_interval(1.0, self.tick_waits)
        self.query_one("#inbox-table").focus()
        self.open_held_call(self.desk_app.accept_on_start)

    @work(thread=True, group="store", exit_on_error=False)
    def open_held_call(self, accept: str | None = None) -> None:
        """Bring back a call this agent still holds (the desk closed during it); else accept
        `accept`, if given. A held call comes first: an agent takes one call at a time."""
        held = self.store.list_transfers(
            TransferQuery(statuses=frozenset({TransferStatus.CLAIMED}), claimed_by=self.agent_id, limit=1)
        )
        if held:
            self._prepare(held[0], resumed=True)
        elif accept:
            self._claim(self.store.get_transfer(accept))

    @property
    def workspace(self) -> CallWorkspace:
        return self.query_one(CallWorkspace)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.no_agent and action in NO_AGENT_ACTIONS:
            return False
        on_call = self.workspace.active is not None if self.is_mounted else False
        if action in ("hand_back", "wrap_up", "save_ticket"):
            return on_call
        if action == "accept_transfer":
            return not on_call
        if action == "explain":
            return on_call if parameters[0] == "accept" else not on_call
        if action == "leave_ticket":
            # Shown only while typing in the ticket, where Esc is the way back to the call keys.
            focused = self.focused
            return focused is not None and self.query_one(TicketEditor) in focused.ancestors_with_self
        return True

    # -- workers: blocking store calls, results posted as messages ---------------------------
    @work(thread=True, exclusive=True, group="inbox", exit_on_error=False)
    def load_inbox(self) -> None:
        seq = self.store.last_seq()  # read first: later changes show up in the next poll
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

    @work(thread=True, exclusive=True, group="agent", exit_on_error=False)
    def load_agent(self, status: AgentStatus | None = None, *, announce: bool = False) -> None:
        if status is not None:
            agent = self.store.set_agent_status(self.agent_id, status, actor=self.agent_id)
            self.post_message(AgentLoaded(agent, announce=announce))
        else:
            try:
                self.post_message(AgentLoaded(self.store.get_agent(self.agent_id)))
            except NotFound:
                self.post_message(without_agent(self.store, self.agent_id))

    @work(thread=True, exclusive=True, group="kb", exit_on_error=False)
    def build_kb(self) -> None:
        # Built (tokeniser and matrix) now, not on the first customer line; shared per KB version.
        self.post_message(KBReady(shared_index(self.store.list_articles())))

    @work(thread=True, exclusive=True, group="selection", exit_on_error=False)
    def load_history(self, transfer: Transfer) -> None:
        p = transfer.packet
        tickets = self.store.count_tickets(TicketQuery(customer_id=p.customer_id)) if p.customer_id else 0
        calls = self.store.list_calls(customer_id=p.customer_id) if p.customer_id else []
        this = next((c for c in calls if c.id == transfer.call_id), None)
        repeat = this is not None and repeats_an_earlier_call(this, calls)
        self.post_message(HistoryLoaded(transfer, tickets, max(0, len(calls) - 1), repeat))

    @work(thread=True, group="store", exit_on_error=False)
    def claim(self, transfer: Transfer) -> None:
        self._claim(transfer)

    def _claim(self, transfer: Transfer) -> None:
        """Claim and prepare the call; runs inside a worker thread."""
        try:
            claimed = self.store.claim_transfer(transfer.id, self.agent_id)
        except AlreadyClaimed as exc:
            self.post_message(ClaimLost(claim_lost_reason(self.t, exc, self.store)))
            return
        except StoreUnavailable:
            self.post_message(ClaimLost(self.t("accept.server_offline"), offline=True))
            return
        self.post_message(TransferClaimed(claimed))
        self._prepare(claimed)
        # On a call the agent is busy: routing and the supervisor see it; wrap-up frees them.
        self.post_message(
            AgentLoaded(self.store.set_agent_status(self.agent_id, AgentStatus.BUSY, actor=self.agent_id))
        )

    def _prepare(self, transfer: Transfer, *, resumed: bool = False) -> None:
        """Gather what the call needs and post `CallReady`; runs inside a worker thread."""
        customer = self.store.get_customer(transfer.customer_id) if transfer.customer_id else None
        ticket = find_call_ticket(self.store, transfer)
        spec = self.desk_app.live_spec_for(transfer)
        start = ticket.ticket if ticket is not None else draft_for(transfer)  # what the editor shows
        other_desk = {
            f: self.t(f"desk11.other_desk.{f}", value="{}") for f in ("subject", "type", "priority")
        }
        notes = (
            self.unsaved_notes.take(transfer.id, start, other_desk)
            if self.unsaved_notes is not None
            else None
        )
        # Only a resumed call can have a mode set already: a fresh accept skips the store read.
        mode = stored_bot_mode(self.store, transfer) if resumed else BotMode.NORMAL
        self.post_message(CallReady(transfer, customer, spec, ticket, resumed, notes, mode))

    # -- handlers: own the state -----------------------------------------------------------------
    @on(TransfersLoaded)
    def _transfers_loaded(self, message: TransfersLoaded) -> None:
        self.seq = max(self.seq, message.seq)
        # Routing decides the card's transfer among the open transfers the inbox shows.
        self.query_one(HandoffCard).queue = message.transfers
        self.query_one(TransferInbox).show(message.transfers, message.total, top=self._cursor_to_top)
        self._cursor_to_top = False
        ids = {t.id for t in message.transfers}
        if self._known is not None:
            for t in message.transfers:
                if t.id not in self._known and is_priority(t):
                    self.app.bell()
                    reason = ", ".join(self.t(f"rule.{r}") for r in t.packet.rules[:2])
                    self.notify(
                        self.t("inbox.alert", name=t.packet.customer_name, reason=reason),
                        severity="warning",
                        timeout=8,
                    )
        self._known = ids
        if not message.transfers and self.workspace.active is None:
            self.selected = None
            self.query_one(HandoffCard).clear()

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        self.seq = max(self.seq, message.events[-1].seq)
        if any(e.kind.startswith("transfer.") for e in message.events):
            self.load_inbox()
        if any(e.kind == "article.saved" for e in message.events):
            self.build_kb()

    @on(TransferInbox.Highlighted)
    def _transfer_highlighted(self, message: TransferInbox.Highlighted) -> None:
        self.selected = message.transfer
        if self.workspace.active is not None:
            return  # the card keeps showing the call in progress
        self.query_one(HandoffCard).show(message.transfer)
        self.workspace.preview(message.transfer)
        self.load_history(message.transfer)

    @on(TransferInbox.Chosen)
    def _transfer_chosen(self, message: TransferInbox.Chosen) -> None:
        # Enter on a row is the accept key: the same check says whether it applies, or why not.
        if self.check_action("accept_transfer", ()):
            self.action_accept_transfer()
        elif self.workspace.active is not None:  # a supervisor's desk has no call to finish
            self.action_explain("accept")

    @on(HistoryLoaded)
    def _history_loaded(self, message: HistoryLoaded) -> None:
        shown = self.workspace.active.transfer if self.workspace.active else self.selected
        if shown is None or message.transfer.id != shown.id:
            return  # the cursor moved on while this was loading
        self.history = message
        card = self.query_one(HandoffCard)
        card.show(shown, prior_tickets=message.prior_tickets, prior_calls=message.prior_calls)

    @on(KBReady)
    def _kb_ready(self, message: KBReady) -> None:
        self.kb = message.kb
        # Only the suggestions change: the editor and transcript keep what the agent has done.
        call = self.workspace.active
        if call is not None:
            self.workspace.refresh_assist(call.transfer, call.customer_lines)
        elif self.selected is not None:
            lines = [u.text for u in self.selected.packet.transcript if u.speaker == Speaker.CUSTOMER]
            self.workspace.refresh_assist(self.selected, lines)

    @on(AgentLoaded)
    def _agent_loaded(self, message: AgentLoaded) -> None:
        a = self.agent = message.agent
        self.workspace.agent_name = a.name
        self.desk_app.set_agent_label(
            f"{a.name} · {self.t(f'level.{a.level}')} · {self.t(f'status.{a.status}')}"
        )
        if message.announce:
            self.notify(self.t("status.now", status=self.t(f"status.{a.status}")), timeout=3)

    @on(SignedInWithoutAgent)
    def _without_agent(self, message: SignedInWithoutAgent) -> None:
        self.no_agent = True
        self.desk_app.set_agent_label(message.label(self.t))
        self.refresh_bindings()

    @on(TransferClaimed)
    def _transfer_claimed(self, message: TransferClaimed) -> None:
        self.notify(self.t("accept.done", name=message.transfer.packet.customer_name))
        self.load_inbox()

    @on(CallReady)
    def _call_ready(self, message: CallReady) -> None:
        transfer = message.transfer
        if self.workspace.active is not None:
            return  # one call at a time; a held call is offered again once this one ends
        self.workspace.start(
            transfer,
            message.customer,
            message.spec,
            self.settings.speech,
            ticket=message.ticket,
            started=transfer.claimed_at if message.resumed else None,
            notes=message.notes,
            bot_mode=message.bot_mode,
        )
        name = transfer.packet.customer_name or transfer.packet.customer_id or "?"
        self.desk_app.set_call(name)
        if message.resumed:
            self.notify(self.t("call.resumed", name=name), severity="warning", timeout=8)
        self.query_one(HandoffCard).show(transfer)
        self.load_history(transfer)
        self.refresh_bindings()

    @on(ClaimLost)
    def _claim_lost(self, message: ClaimLost) -> None:
        text = message.reason if message.offline else self.t("accept.lost", reason=message.reason)
        self.notify(text, severity="warning")
        self.load_inbox()

    @on(CallWorkspace.Notice)
    def _notice(self, message: CallWorkspace.Notice) -> None:
        self.notify(message.text, severity=message.severity, timeout=6)  # type: ignore[arg-type]

    @on(CallWorkspace.Ended)
    def _call_ended(self, message: CallWorkspace.Ended) -> None:
        self.workspace.end()
        self.desk_app.set_call(None)
        if self.changes_queued:
            self.notify(
                self.t("keep_typed.wrapup_queued", id=message.ticket.id), severity="warning", timeout=8
            )
        elif message.ticket.survey_id:
            self.notify(self.t("wrapup.done_survey", id=message.ticket.id, survey=message.ticket.survey_id))
        else:
            self.notify(self.t("wrapup.done", id=message.ticket.id))
        self.query_one(HandoffCard).clear()
        self.refresh_bindings()
        self.load_agent(AgentStatus.AVAILABLE)
        self._cursor_to_top = True  # the next call to take is the top of the queue, not the old row
        self.load_inbox()
        self.query_one("#inbox-table").focus()
        self.open_held_call()  # another call left over from a closed desk comes back now

    @on(TicketEditor.SaveRequested)
    def _save_requested(self, message: TicketEditor.SaveRequested) -> None:
        call = self.workspace.active
        if call is None:
            # A ticket belongs to a call: saving a preview would leave a stray, unassigned ticket.
            self.query_one("#ticket-status", Label).update(self.t("ticket.off_call"))
            self.notify(self.t("ticket.off_call"), severity="warning")
            return
        stored = call.ticket_id == message.ticket.id
        self.workspace.save_ticket(call.transfer.call_id, message.ticket, message.note, stored=stored)

    @property
    def changes_queued(self) -> bool:
        """A change made now waits in the team outbox: the server is away."""
        return self.desk_app.server_offline

    @on(TicketSaved)
    def _ticket_saved(self, message: TicketSaved) -> None:
        if self.changes_queued:
            self.notify(self.t("keep_typed.saved_queued", id=message.ticket.id), severity="warning")
        else:
            self.notify(self.t("ticket.saved", id=message.ticket.id))

    # -- actions ------------------------------------------------------------------------------
    def action_accept_transfer(self) -> None:
        # On a call the accept key is its twin, `explain('accept')` (see `check_action`).
        if self.agent is not None and self.agent.status == AgentStatus.OFFLINE:
            self.notify(self.t("accept.agent_offline"), severity="warning")
        elif self.desk_app.server_offline:
            # Only the server can hand a transfer to one agent; offline it could go to two.
            self.notify(self.t("accept.server_offline"), severity="warning")
        else:
            # The inbox's cursor row counts even before its highlight message has been handled.
            transfer = self.selected or self.query_one(TransferInbox).current
            if transfer is not None:
                self.claim(transfer)
            else:
                self.notify(self.t("accept.none"), severity="warning")

    def action_explain(self, what: str) -> None:
        """A call key pressed when it does not apply: say why, instead of nothing happening."""
        if what == "save":
            self.action_save_ticket()  # the editor checks the draft, then the desk says why not
            return
        key = {"accept": "accept.busy", "hand_back": "handback.off_call", "wrap_up": "wrapup.off_call"}
        self.notify(self.t(key[what]), severity="warning")

    def tick_waits(self) -> None:
        """Count the waits on: the inbox and the handoff card read one clock at one moment."""
        now = utcnow()
        self.query_one(TransferInbox).tick(now)
        self.query_one(HandoffCard).tick(now)

    def action_hand_back(self) -> None:
        call = self.workspace.active
        if call is None:
            return
        if self.desk_app.server_offline and call.asking is None:
            # The bot works through the server: a task queued now would answer after the caller left.
            self.notify(self.t("keep_typed.bot_offline"), severity="warning")
            return
        suggested = self.workspace.latest.action.task if self.workspace.latest else None
        asking = call.asking.task if call.asking else None
        self.app.push_screen(HandBackModal(self.t, suggested, asking=asking), self._hand_back_chosen)

    def _hand_back_chosen(self, choice: str | None) -> None:
        if choice and choice != "cancel" and self.desk_app.server_offline:  # went away while choosing
            self.notify(self.t("keep_typed.bot_offline"), severity="warning")
        elif choice:
            self.workspace.hand_back(choice)

    def action_flag_bot(self) -> None:
        call = self.workspace.active
        lines = self.workspace.bot_lines()
        if not lines:
            self.notify(self.t("flag.no_bot_lines"), severity="warning")
            return
        call_id = call.call_id if call else (self.selected.call_id if self.selected else None)
        shown = call.transfer if call else self.selected
        language = shown.packet.language if shown else self.t.lang
        # The call's own language first: a Chinese call is corrected with a Chinese article.
        articles = sorted(self.kb.articles if self.kb else [], key=lambda a: a.language != language)
        self.app.push_screen(FlagBotModal(self.t, lines, articles), lambda flag: self._flagged(flag, call_id))

    def _flagged(self, flag: Flag | None, call_id: str | None) -> None:
        if flag is not None and call_id:
            self.workspace.save_flag(flag, call_id)

    def action_wrap_up(self) -> None:
        call = self.workspace.active
        draft = self.workspace.wrap_up_draft()
        if call is None or draft is None:
            return
        ticket, note = draft
        history = self.history if self.history and self.history.transfer.id == call.transfer.id else None
        repeat = is_repeat_contact(
            case_ticket=call.ticket_is_case, repeats_a_call=bool(history and history.repeat)
        )
        modal = WrapUpModal(
            self.t,
            ticket,
            note,
            saved=call.ticket_id == ticket.id,
            case=call.ticket_is_case,
            repeat=repeat,
            kept=call.wrap_kept,
            saved_notes=self.query_one(TicketEditor).saved_notes,
        )
        self.app.push_screen(modal, lambda w: self._wrapped(w))

    def _wrapped(self, wrap: WrapUp | None) -> None:
        call = self.workspace.active
        if wrap is None or call is None:
            return
        if wrap.finish:
            self.workspace.wrap_up(call, wrap)
        else:
            self.workspace.keep_wrap_up(call, wrap)

    def action_cycle_status(self) -> None:
        current = self.agent.status if self.agent else AgentStatus.AVAILABLE
        status = STATUS_CYCLE[(STATUS_CYCLE.index(current) + 1) % len(STATUS_CYCLE)]
        if status == AgentStatus.OFFLINE and self.workspace.active is not None:
            self.notify(self.t("status.offline_on_call"), severity="warning")
            return
        self.load_agent(status, announce=True)

    def action_insert(self, n: int) -> None:
        if not self.workspace.insert_suggestion(n):
            self.notify(self.t("assist.nothing_to_insert"), severity="warning")

    def action_edit_ticket(self) -> None:
        self.query_one(TicketEditor).focus_notes()

    def action_leave_ticket(self) -> None:
        self.query_one("#inbox-table").focus()

    def action_save_ticket(self) -> None:
        self.query_one(TicketEditor).action_save()

    def action_focus_inbox(self) -> None:
        self.query_one("#inbox-table").focus()

    def action_refresh(self) -> None:
        self.load_inbox()
