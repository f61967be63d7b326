"""The call workspace: transcript, assist and ticket editor for the previewed or active call.

It owns everything that happens while the agent is on a call: live transcription (kept in
step with the store by its base, `CallLines`), assist refreshed on each final customer
line, hand-back tasks, flags and wrap-up.
Blocking work runs in thread workers that only post messages; handlers own state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from agentdesk.bot.assist import Assist, suggest
from agentdesk.bot.tasks import TaskResult
from agentdesk.calls.live import LiveSpec
from agentdesk.domain.models import BotMode, Customer, Speaker, Ticket, Utterance
from agentdesk.domain.transfers import Transfer
from agentdesk.nlp.kb import KBIndex
from agentdesk.store.base import Store
from agentdesk.tui.call_tickets import CallTicket, finish_call, save_during_call, wrap_up_call
from agentdesk.tui.clock import now
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.messages import TicketSaved
from agentdesk.tui.screens.flag_bot import Flag
from agentdesk.tui.screens.wrap_up import WrapUp
from agentdesk.tui.unsaved_lines import UnsavedLinesFile
from agentdesk.tui.unsaved_notes import NotesDraft, UnsavedNotesFile
from agentdesk.tui.widgets.active_call import (
    ActiveCall,
    answer_bot_task,
    flag_feedback,
    run_bot_task,
    set_bot_mode,
)
from agentdesk.tui.widgets.assist_panel import AssistPanel
from agentdesk.tui.widgets.call_lines import CallLines
from agentdesk.tui.widgets.format import duration
from agentdesk.tui.widgets.ticket_editor import TicketEditor, draft_for
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from agentdesk.tui.worker_failures import failure_text

KEEP_NOTES_SECONDS = 0.5
"""At most this long passes between the agent typing in the ticket and the draft reaching its file."""


class CallWorkspace(CallLines):
    """Right-hand side of the desk. The screen calls `preview`, `start` and the action methods."""

    @dataclass
    class AssistReady(Message):
        assist: Assist

    @dataclass
    class HandBackDone(Message):
        result: TaskResult
        line: Utterance

    @dataclass
    class AnswerNotChecked(Message):
        """The bot's next line after the caller's answer could not be stored; the task still waits."""

        call_id: str
        error: Exception

    @dataclass
    class BotModeSet(Message):
        """The bot's mode for the call changed; `line`: what the bot said to the caller then."""

        call_id: str
        mode: BotMode
        line: Utterance | None

    @dataclass
    class WrapUpFailed(Message):
        """The wrap-up's ticket could not be written; the call is still on."""

        wrap: WrapUp
        error: Exception

    @dataclass
    class Ended(Message):
        """The call was wrapped up: the ticket is saved and the transfer completed."""

        transfer: Transfer
        ticket: Ticket

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        kb: Callable[[], KBIndex | None],
        agent_id: str,
        *,
        unsaved: UnsavedLinesFile | None = None,
        notes: UnsavedNotesFile | None = None,
        id: str | None = None,
    ) -> None:
        """`notes`: where the ticket draft of a call outlasts the desk (None: only on screen)."""
        super().__init__(catalog, store, agent_id, unsaved=unsaved, id=id)
        self.notes = notes
        self._notes_typed: tuple[str, NotesDraft | None] | None = None
        """The active call's transfer id and unsaved draft (None: nothing unsaved) as typed."""
        self._notes_kept: tuple[str, NotesDraft | None] | None = None
        """The same, as last handed to the notes file."""
        self._notes_version = 0
        self._notes_timer: Timer | None = None
        self.kb = kb
        self.agent_name = agent_id
        self.previewing: Transfer | None = None
        self.latest: Assist | None = None
        self._ticket_writes = threading.Lock()
        """One ticket write at a time, so two quick saves cannot both create the call's ticket."""

    def compose(self) -> ComposeResult:
        yield Static(self.t("call.idle"), id="call-bar")
        yield TranscriptPane(self.t, id="transcript")
        yield AssistPanel(self.t, id="assist")
        yield TicketEditor(self.t, id="ticket-editor")

    def on_mount(self) -> None:  # `CallLines.on_mount` runs too (Textual calls each class's)
        self.set_interval(1.0, self._tick)

    # -- preview and call lifecycle -----------------------------------------------------------
    def preview(self, transfer: Transfer) -> None:
        """Show a waiting transfer's bot conversation and draft, unless a call is active."""
        if self.active is not None:
            return
        self.previewing = transfer
        p = transfer.packet
        self.query_one(TranscriptPane).show(p.transcript)
        self.query_one(TicketEditor).load(draft_for(transfer), p.customer_name, p.summary)
        self.refresh_assist(transfer, [u.text for u in p.transcript if u.speaker == Speaker.CUSTOMER])

    def start(
        self,
        transfer: Transfer,
        customer: Customer | None,
        spec: LiveSpec | None,
        settings: object,
        *,
        ticket: CallTicket | None = None,
        started: datetime | None = None,
        notes: NotesDraft | None = None,
        bot_mode: BotMode = BotMode.NORMAL,
    ) -> None:
        """Take the call: show its history, start its live text, suggest the takeover.

        Args:
            ticket: the ticket the call works on (see `call_tickets.find_call_ticket`); the
                editor edits it instead of a fresh draft.
            started: when the agent took the call, for a call resumed after the desk closed.
            notes: what the agent had typed into the ticket, unsaved, when the desk closed.
            bot_mode: the bot's mode stored with the call; the call bar shows its badge.
        """
        self.active = ActiveCall(transfer, customer, started or now(), bot_mode=bot_mode)
        p = transfer.packet
        self.active.customer_lines = [u.text for u in p.transcript if u.speaker == Speaker.CUSTOMER]
        self.active.history_lines = len(self.active.customer_lines)
        self.query_one(TranscriptPane).show(p.transcript)
        editor = self.query_one(TicketEditor)
        if ticket is None:
            editor.load(draft_for(transfer), p.customer_name, p.summary)
        else:
            self.active.ticket_id, self.active.ticket_is_case = ticket.ticket.id, ticket.is_case
            # A summary the ticket already holds (saved before the desk closed, alone or with
            # what the agent added to it) is not offered again, so it is never saved twice.
            held = p.summary.strip()
            summary = "" if held and any(held in n.text for n in ticket.ticket.notes) else p.summary
            key = "ticket.working_on_case" if ticket.is_case else "ticket.working_on"
            # The call's own ticket (not the customer's case) holds only notes of this call.
            saved = [] if ticket.is_case else [n.text for n in ticket.ticket.notes if n.kind == "note"]
            editor.load(
                ticket.ticket,
                p.customer_name,
                summary,
                status=self.t(key, id=ticket.ticket.id),
                saved_notes=saved,
            )
        self._notes_typed = self._notes_kept = (transfer.id, notes)
        if notes is not None:
            editor.restore(notes)
            self.post_message(self.Notice(self.t("keep_typed.notes_back"), "warning"))
        self.refresh_assist(transfer, self.active.customer_lines)
        if spec is not None:
            self.listen(spec, settings)
        else:
            self._follow_store(self.active.call_id)

    def watch_active(self, active: ActiveCall | None) -> None:
        self.set_class(active is not None, "-on-call")
        self._tick()

    def _tick(self) -> None:
        bar = self.query_one("#call-bar", Static)
        call = self.active
        if call is None:
            bar.update(self.t("call.idle"))
            return
        name = call.transfer.packet.customer_name or call.transfer.packet.customer_id or "?"
        source = call.source or self.t("call.source.store")
        elapsed = duration((now() - call.started).total_seconds())
        if call.bot_mode == BotMode.NORMAL and call.asking is None:
            bar.update(self.t("call.on", name=name, elapsed=elapsed, source=source))
            return
        # The badge opens the bar: at 80 columns the bar is narrow and cuts its end.
        mode = "asking" if call.asking is not None else call.bot_mode
        badge = self.t(f"keep_typed.badge.{mode}")
        bar.update(self.t("desk11.call_on_bot", badge=badge, name=name, elapsed=elapsed, source=source))

    # -- the ticket draft, kept in a file as the agent types (`unsaved_notes`) ------------------
    @on(TicketEditor.Edited)
    def _ticket_edited(self) -> None:
        if self.notes is None or self.active is None:
            return
        self._notes_typed = (self.active.transfer.id, self.query_one(TicketEditor).unsaved())
        if self._notes_timer is None:
            self._notes_timer = self.set_timer(KEEP_NOTES_SECONDS, self._keep_notes)

    def _keep_notes(self) -> None:
        """Hand the active call's unsaved draft to the notes file when it changed."""
        self._notes_timer = None
        typed = self._notes_typed
        if self.notes is not None and typed is not None and typed != self._notes_kept:
            self._notes_kept = typed
            self._notes_version += 1
            self._write_notes(self.notes, self._notes_version, *typed)

    @work(thread=True, group="unsaved-notes", exit_on_error=False)
    def _write_notes(
        self, notes: UnsavedNotesFile, version: int, transfer_id: str, draft: NotesDraft | None
    ) -> None:
        notes.put(version, transfer_id, draft)

    def _forget_notes(self, transfer_id: str) -> None:
        """The call is wrapped up: what was typed is in its ticket now."""
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        self._notes_typed = self._notes_kept = None
        if self.notes is not None:
            self._notes_version += 1
            self._write_notes(self.notes, self._notes_version, transfer_id, None)

    def on_unmount(self) -> None:  # `CallLines.on_unmount` runs too
        # The desk is closing: the last keystrokes reach the file now, not in a worker that
        # may not run any more.
        typed = self._notes_typed
        if self.notes is not None and typed is not None and typed != self._notes_kept:
            self._notes_version += 1
            self.notes.put(self._notes_version, *typed)

    # -- assist ------------------------------------------------------------------------------------
    def refresh_assist(self, transfer: Transfer, customer_lines: list[str]) -> None:
        if customer_lines:
            self._assist(
                transfer,
                customer_lines[-1],
                customer_lines[:-1],
                resolved=bool(self.active and self.active.resolved),
            )

    @work(thread=True, exclusive=True, group="assist", exit_on_error=False)
    def _assist(self, transfer: Transfer, line: str, context: list[str], *, resolved: bool) -> None:
        kb = self.kb()
        if kb is None:
            return
        self.post_message(
            self.AssistReady(
                suggest(
                    line,
                    transfer.packet,
                    kb,
                    agent_name=self.agent_name,
                    context=context[-2:],
                    resolved=resolved,
                )
            )
        )

    @on(AssistReady)
    def _assist_ready(self, message: AssistReady) -> None:
        assist = message.assist
        shown = self.active.transfer if self.active else self.previewing
        if shown is None:
            return
        self.latest = assist
        call = self.active
        picked_up = call is not None and len(call.customer_lines) > call.history_lines
        self.query_one(AssistPanel).show_assist(assist, takeover=not picked_up)

    def insert_suggestion(self, n: int) -> bool:
        """Put the n-th KB answer (or 0: the next-best-action script) into the ticket notes."""
        if self.latest is None:
            return False
        if n == 0:
            text = self.latest.action.text
        elif n <= len(self.latest.matches):
            text = self.latest.matches[n - 1].article.answer
        else:
            return False
        self.query_one(TicketEditor).append_note(text)
        return True

    # -- hand back, bot mode, flag -----------------------------------------------------------------
    def hand_back(self, choice: str) -> None:
        """Run the task or set the mode `choice` names; `cancel` drops a task waiting for the caller."""
        call = self.active
        if call is None:
            return
        if choice == "cancel" or not choice.startswith("mode:"):
            self._stop_asking(call, said=choice == "cancel")
        if choice.startswith("mode:"):
            self._set_bot_mode(call, BotMode(choice.split(":", 1)[1]))
        elif choice != "cancel":
            self._run_task(call, choice)

    def _stop_asking(self, call: ActiveCall, *, said: bool) -> None:
        """Take the call back from a task waiting for the caller's answer."""
        asking = call.asking
        call.asking, call.answering = None, False
        self._tick()
        if asking is not None and said:
            self.post_message(self.Notice(self.t("handback.cancelled", task=self.t(f"task.{asking.task}"))))

    @work(thread=True, group="store", exit_on_error=False)
    def _run_task(self, call: ActiveCall, task: str) -> None:
        done = run_bot_task(self.store, call, task, agent_id=self.agent_id, at=now())
        if done is None:
            self.post_message(self.Notice(self.t("handback.no_customer"), "warning"))
        else:
            self.post_message(self.HandBackDone(*done))

    def customer_line_stored(self, call: ActiveCall, line: Utterance) -> None:
        asking = call.asking
        if asking is None or call.answering or (line.seq or 0) <= call.asked_seq:
            return
        call.answering, call.asked_seq = True, line.seq or 0
        self._answer_task(call, asking, line.text)

    @work(thread=True, group="store", exit_on_error=False)
    def _answer_task(self, call: ActiveCall, asking: TaskResult, said: str) -> None:
        try:
            done = answer_bot_task(self.store, call, asking, said, agent_id=self.agent_id)
        except Exception as exc:  # the task keeps waiting; the handler says why
            self.post_message(self.AnswerNotChecked(call.call_id, exc))
        else:
            self.post_message(self.HandBackDone(*done))

    @on(AnswerNotChecked)
    def _answer_not_checked(self, message: AnswerNotChecked) -> None:
        call = self.active
        if call is not None and call.call_id == message.call_id:
            call.answering = False
        self.post_message(self.Notice(failure_text(self.t, message.error), "error"))

    @on(HandBackDone)
    def _hand_back_done(self, message: HandBackDone) -> None:
        result, call = message.result, self.active
        if call is None or message.line.call_id != call.call_id:
            return  # a late answer about a call that has ended
        self.query_one(TranscriptPane).upsert(message.line)
        task = self.t(f"task.{result.task}")
        if result.pending is not None:
            if result.pending.tries and call.asking is None:
                return  # the agent took the call back while the answer was being checked
            call.asking, call.asked_seq, call.answering = result, message.line.seq or 0, False
            self._tick()
            if not result.pending.tries:  # the first question; asked again, the line says so
                self.post_message(self.Notice(self.t("handback.asking", task=task)))
            return
        if call.asking is not None:
            call.asking, call.answering = None, False
            self._tick()
        key = "handback.done" if result.ok else "handback.failed"
        said = self.t(key, task=task)
        if result.note:  # why an identity check passed or failed: for the agent, not the caller
            said = f"{said} {result.note}"
        self.post_message(self.Notice(said, "information" if result.ok else "warning"))

    @work(thread=True, group="store", exit_on_error=False)
    def _set_bot_mode(self, call: ActiveCall, mode: BotMode) -> None:
        line = set_bot_mode(self.store, call, mode, agent_id=self.agent_id)
        self.post_message(self.BotModeSet(call.call_id, mode, line))

    @on(BotModeSet)
    def _bot_mode_set(self, message: BotModeSet) -> None:
        call = self.active
        if call is None or call.call_id != message.call_id:
            return
        call.bot_mode = message.mode
        self._tick()
        said = self.t("botmode.set", mode=self.t(f"botmode.{message.mode}"))
        if message.line is not None:
            self.query_one(TranscriptPane).upsert(message.line)
            said += " " + self.t(f"keep_typed.mode_said.{message.mode}")
        self.post_message(self.Notice(said))

    def bot_lines(self) -> list[Utterance]:
        return [u for u in self.query_one(TranscriptPane).lines if u.speaker == Speaker.BOT]

    @work(thread=True, group="store", exit_on_error=False)
    def save_flag(self, flag: Flag, call_id: str) -> None:
        saved = self.store.create_feedback(flag_feedback(flag, call_id, self.agent_id), actor=self.agent_id)
        self.post_message(self.Notice(self.t("flag.saved", id=saved.id)))

    # -- the call's ticket: saved during the call, finalised at wrap-up ----------------------------
    @work(thread=True, group="store", exit_on_error=False)
    def save_ticket(self, call_id: str | None, ticket: Ticket, note: str, *, stored: bool) -> None:
        """Create the call's ticket on the first save and update it on later ones.

        `stored`: the call's ticket is known to be in the store (see `ActiveCall.ticket_id`).
        """
        with self._ticket_writes:
            saved = save_during_call(
                self.store,
                ticket,
                note,
                stored=stored,
                call_id=call_id,
                agent_id=self.agent_id,
                at=now(),
            )
        self.post_message(TicketSaved(saved, note))

    @on(TicketSaved)
    def _ticket_saved(self, message: TicketSaved) -> None:
        editor = self.query_one(TicketEditor)
        if self.active is not None and editor.draft is not None and editor.draft.id == message.ticket.id:
            self.active.ticket_id = message.ticket.id
            editor.saved(message.ticket, message.note)

    def wrap_up_draft(self) -> tuple[Ticket, str] | None:
        """The ticket as edited so far, and its first note, to start the wrap-up from."""
        return self.query_one(TicketEditor).current()

    def keep_wrap_up(self, call: ActiveCall, wrap: WrapUp) -> None:
        """The agent left the wrap-up dialog to go on with the call: what they typed there goes
        back into the ticket editor (the same ticket), and their choices wait for the next `w`."""
        editor = self.query_one(TicketEditor)
        before = editor.typed()
        call.wrap_kept = wrap
        t = wrap.ticket
        editor.restore(NotesDraft(t.subject, str(t.type), str(t.priority), wrap.note))
        if editor.typed() != before or wrap.note:
            self.post_message(self.Notice(self.t("keep_typed.wrapup_kept")))

    def wrap_up(self, call: ActiveCall, wrap: WrapUp) -> None:
        """Finalise the call's ticket as the wrap-up dialog says, then end the call (`Ended`)."""
        ticket = wrap.ticket
        if wrap.new_ticket:
            # The agent chose a ticket of its own over the customer's open one. It gets its id
            # once: a retry after a write whose answer was lost updates it, files no second one.
            fields = ("subject", "type", "priority", "disposition")
            fresh = draft_for(call.transfer)
            call.new_ticket_id = call.new_ticket_id or fresh.id
            update = {f: getattr(ticket, f) for f in fields}
            ticket = fresh.model_copy(update={**update, "id": call.new_ticket_id})
        stored = not wrap.new_ticket and call.ticket_id == ticket.id
        case_id = call.ticket_id if call.ticket_is_case else None
        self._finish(
            call.transfer, ticket, wrap, stored=stored, case_ticket_id=case_id, retry=call.wrap_up_failed
        )

    @work(thread=True, group="store", exit_on_error=False)
    def _finish(
        self,
        transfer: Transfer,
        ticket: Ticket,
        wrap: WrapUp,
        *,
        stored: bool,
        case_ticket_id: str | None,
        retry: bool,
    ) -> None:
        try:
            with self._ticket_writes:
                saved = wrap_up_call(
                    self.store,
                    ticket,
                    wrap.note,
                    resolved=wrap.resolved,
                    stored=stored,
                    call_id=transfer.call_id,
                    agent_id=self.agent_id,
                    at=now(),
                    case_ticket_id=case_ticket_id,
                    retry=retry,
                )
            finished = finish_call(self.store, transfer.id, saved.id, agent_id=self.agent_id)
        except Exception as exc:  # the call goes on: the handler gives the agent's note back
            self.post_message(self.WrapUpFailed(wrap, exc))
            return
        self.post_message(self.Ended(finished, saved))

    @on(WrapUpFailed)
    def _wrap_up_failed(self, message: WrapUpFailed) -> None:
        """The call goes on; what the agent wrote in the wrap-up waits in the ticket notes."""
        if self.active is not None:
            self.active.wrap_up_failed = True
        if self.active is not None and message.wrap.note:
            notes = self.query_one("#ticket-notes", TextArea)
            notes.text = message.wrap.note
            notes.move_cursor(notes.document.end)
        reason = failure_text(self.t, message.error)
        self.post_message(self.Notice(self.t("wrapup.failed", reason=reason), "error"))

    def end(self) -> None:
        """Back to the queue: stop live text and clear the call."""
        self.workers.cancel_group(self, "transcription")
        if self.active is not None:
            self._forget_notes(self.active.transfer.id)
        self.listening = None
        self.query_one(TranscriptPane).border_subtitle = ""
        self.active = None
        self.latest = None
