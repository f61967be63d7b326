"""The call workspace: transcript, assist and ticket editor for the previewed or active call.

It owns everything that happens while the agent is on a call: live transcription,
assist refreshed on each final customer line, hand-back tasks, flags and wrap-up.
Blocking work runs in thread workers that only post messages; handlers own state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import get_current_worker

from agentdesk.bot.assist import Assist, suggest
from agentdesk.bot.tasks import TaskResult, run_task
from agentdesk.calls.live import LiveSpec, live_events
from agentdesk.domain import surveys, tickets
from agentdesk.domain.models import (
    BotFeedback,
    BotMode,
    Customer,
    Speaker,
    Ticket,
    TicketNote,
    TicketStatus,
    Utterance,
)
from agentdesk.domain.transfers import Transfer, TransferStatus
from agentdesk.nlp.kb import KBIndex
from agentdesk.store.base import Store
from agentdesk.tui.clock import now
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.screens.flag_bot import Flag
from agentdesk.tui.screens.wrap_up import WrapUp
from agentdesk.tui.widgets.assist_panel import AssistPanel
from agentdesk.tui.widgets.format import duration
from agentdesk.tui.widgets.ticket_editor import TicketEditor, draft_for
from agentdesk.tui.widgets.transcript_pane import TranscriptPane


@dataclass
class ActiveCall:
    """The call this agent is on."""

    transfer: Transfer
    customer: Customer | None
    started: datetime
    source: str = ""
    resolved: bool = False
    customer_lines: list[str] = field(default_factory=list)
    history_lines: int = 0
    """Customer lines from the bot conversation; more than this means the agent is talking."""

    @property
    def call_id(self) -> str:
        return self.transfer.call_id or self.transfer.id

    @property
    def language(self) -> str:
        return "en" if self.transfer.packet.language == "en" else "zh"


class CallWorkspace(Vertical):
    """Right-hand side of the desk. The screen calls `preview`, `start` and the action methods."""

    @dataclass
    class Transcribed(Message):
        """Partial or final text from the live transcriber."""

        event: object
        """A `speech.events.Partial` or `Final`."""

        def can_replace(self, message: Message) -> bool:
            # A newer partial of the same utterance makes an older one pointless to render.
            return (
                isinstance(message, CallWorkspace.Transcribed)
                and not getattr(self.event, "final", False)
                and getattr(message.event, "utterance_id", None) == getattr(self.event, "utterance_id", "")
            )

    @dataclass
    class LineStored(Message):
        """Lines of the call arrived through the store (a bot or another desk wrote them)."""

        lines: list[Utterance]

    @dataclass
    class AssistReady(Message):
        assist: Assist

    @dataclass
    class Notice(Message):
        """Something the agent should read: a status, or a problem with a clear cause."""

        text: str
        severity: str = "information"

    @dataclass
    class HandBackDone(Message):
        result: TaskResult
        line: Utterance

    @dataclass
    class Ended(Message):
        """The call was wrapped up: the ticket is saved and the transfer completed."""

        transfer: Transfer
        ticket: Ticket

    active: reactive[ActiveCall | None] = reactive(None, init=False)
    """The call the agent is on; None while previewing the queue."""

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        kb: Callable[[], KBIndex | None],
        agent_id: str,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.store = store
        self.kb = kb
        self.agent_id = agent_id
        self.agent_name = agent_id
        self.previewing: Transfer | None = None
        self.latest: Assist | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.t("call.idle"), id="call-bar")
        yield TranscriptPane(self.t, id="transcript")
        yield AssistPanel(self.t, id="assist")
        yield TicketEditor(self.t, id="ticket-editor")

    def on_mount(self) -> None:
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
        self, transfer: Transfer, customer: Customer | None, spec: LiveSpec | None, settings: object
    ) -> None:
        """Take the call: show its history, start its live text, suggest the takeover."""
        self.active = ActiveCall(transfer, customer, now())
        p = transfer.packet
        self.active.customer_lines = [u.text for u in p.transcript if u.speaker == Speaker.CUSTOMER]
        self.active.history_lines = len(self.active.customer_lines)
        self.query_one(TranscriptPane).show(p.transcript)
        self.query_one(TicketEditor).load(draft_for(transfer), p.customer_name, p.summary)
        self.refresh_assist(transfer, self.active.customer_lines)
        if spec is not None:
            self._transcribe(spec, settings)
        else:
            self._follow_store(self.active.call_id, max((u.seq for u in p.transcript), default=0))

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
        bar.update(
            self.t(
                "call.on",
                name=name,
                elapsed=duration((now() - call.started).total_seconds()),
                source=call.source or self.t("call.source.store"),
            )
        )

    # -- live text ---------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="transcription", exit_on_error=False)
    def _transcribe(self, spec: LiveSpec, settings: object) -> None:
        worker = get_current_worker()
        try:
            for event in live_events(
                spec,
                settings,
                cancelled=lambda: worker.is_cancelled,  # type: ignore[arg-type]
                on_ready=lambda d: self.post_message(self.Notice(self.t("call.listening", source=d))),
            ):
                self.post_message(self.Transcribed(event))
        except Exception as exc:  # every speech failure must reach the agent as a message
            self.post_message(self.Notice(self.t("call.speech_failed", reason=str(exc)), "error"))

    @work(thread=True, exclusive=True, group="transcription", exit_on_error=False)
    def _follow_store(self, call_id: str, since: int) -> None:
        """Lines a voice bot or softphone streams into the store for this call."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            lines = self.store.list_utterances(call_id, since_seq=since)
            if lines:
                since = max(u.seq for u in lines)
                self.post_message(self.LineStored(lines))
            worker.cancelled_event.wait(0.5)

    @on(Transcribed)
    def _transcribed(self, message: Transcribed) -> None:
        call = self.active
        if call is None:
            return
        event = message.event
        line = event.to_utterance(call.call_id)  # type: ignore[attr-defined]
        line = line.model_copy(update={"id": f"{call.call_id}-{event.utterance_id}"})  # type: ignore[attr-defined]
        if not line.final:
            self.query_one(TranscriptPane).upsert(line.model_copy(update={"seq": 10**6}))
            return
        self.query_one(TranscriptPane).upsert(line.model_copy(update={"seq": 10**6}))
        self._store_line(line)
        if line.speaker == Speaker.CUSTOMER:
            call.customer_lines.append(line.text)
            self.refresh_assist(call.transfer, call.customer_lines)

    @on(LineStored)
    def _line_stored(self, message: LineStored) -> None:
        pane = self.query_one(TranscriptPane)
        for line in message.lines:
            pane.upsert(line)
            if self.active and line.final and line.speaker == Speaker.CUSTOMER:
                self.active.customer_lines.append(line.text)
        if self.active and any(u.speaker == Speaker.CUSTOMER and u.final for u in message.lines):
            self.refresh_assist(self.active.transfer, self.active.customer_lines)

    @work(thread=True, group="store", exit_on_error=False)
    def _store_line(self, line: Utterance) -> None:
        stored = self.store.append_utterance(line.call_id, line, actor=self.agent_id)
        self.post_message(self.LineStored([stored]))

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
        if self.active is None:
            return
        if choice.startswith("mode:"):
            self._set_bot_mode(self.active.call_id, BotMode(choice.split(":", 1)[1]))
        else:
            self._run_task(self.active, choice)

    @work(thread=True, group="store", exit_on_error=False)
    def _run_task(self, call: ActiveCall, task: str) -> None:
        customer = call.customer or (
            self.store.get_customer(call.transfer.customer_id) if call.transfer.customer_id else None
        )
        if customer is None:
            self.post_message(self.Notice(self.t("handback.no_customer"), "warning"))
            return
        hint = " ".join(call.customer_lines[-2:])
        result = run_task(
            task,
            customer,
            call.language,
            self.store,
            hint=hint,
            caller=customer.phone,  # type: ignore[arg-type]
            call_id=call.call_id,
            ticket_id=call.transfer.ticket_id,
            now=now(),
        )
        line = self.store.append_utterance(
            call.call_id,
            Utterance(speaker=Speaker.BOT, text=result.text, language=call.language),
            actor=self.agent_id,
        )  # type: ignore[arg-type]
        self.post_message(self.HandBackDone(result, line))

    @on(HandBackDone)
    def _hand_back_done(self, message: HandBackDone) -> None:
        self.query_one(TranscriptPane).upsert(message.line)
        key = "handback.done" if message.result.ok else "handback.failed"
        self.post_message(
            self.Notice(
                self.t(key, task=self.t(f"task.{message.result.task}")),
                "information" if message.result.ok else "warning",
            )
        )

    @work(thread=True, group="store", exit_on_error=False)
    def _set_bot_mode(self, call_id: str, mode: BotMode) -> None:
        call = self.store.get_call(call_id)
        self.store.upsert_call(call.model_copy(update={"bot_mode": mode}), actor=self.agent_id)
        self.post_message(self.Notice(self.t("botmode.set", mode=self.t(f"botmode.{mode}"))))

    def bot_lines(self) -> list[Utterance]:
        return [u for u in self.query_one(TranscriptPane).lines if u.speaker == Speaker.BOT]

    @work(thread=True, group="store", exit_on_error=False)
    def save_flag(self, flag: Flag, call_id: str) -> None:
        feedback = BotFeedback(
            call_id=call_id,
            utterance_id=flag.utterance.id,
            utterance_text=flag.utterance.text,
            reason=flag.reason,
            correct_article_id=flag.article_id,
            correct_text=flag.text,
            flagged_by=self.agent_id,
        )
        saved = self.store.create_feedback(feedback, actor=self.agent_id)
        self.post_message(self.Notice(self.t("flag.saved", id=saved.id)))

    # -- wrap-up -----------------------------------------------------------------------------------------
    def wrap_up_draft(self) -> tuple[Ticket, str] | None:
        """The ticket as edited so far, and its first note, to start the wrap-up from."""
        return self.query_one(TicketEditor).current()

    @work(thread=True, group="store", exit_on_error=False)
    def wrap_up(self, call: ActiveCall, wrap: WrapUp) -> None:
        at = now()
        ticket = wrap.ticket.model_copy(
            update={
                "status": TicketStatus.NEW,
                "assignee_id": self.agent_id,
                "created_at": at,
                "updated_at": at,
                "sla_due": tickets.sla_due(wrap.ticket.type, wrap.ticket.priority, at),
            }
        )
        if wrap.note:
            ticket = ticket.model_copy(
                update={"notes": [*ticket.notes, TicketNote(at=at, author=self.agent_id, text=wrap.note)]}
            )
        target = TicketStatus.RESOLVED if wrap.resolved else TicketStatus.IN_PROGRESS
        ticket = tickets.transition(ticket, target, self.agent_id, at=at)
        if wrap.resolved and ticket.type == "complaint":
            # Complaints close the loop with a satisfaction survey the bot sends right away.
            survey = surveys.send(surveys.request_survey(ticket, at, call_id=call.call_id), at)
            survey = self.store.upsert_survey(survey, actor=self.agent_id)
            ticket = ticket.model_copy(update={"survey_id": survey.id})
        saved = self.store.create_ticket(ticket, actor=self.agent_id)
        transfer = self.store.finish_transfer(
            call.transfer.id, TransferStatus.COMPLETED, ticket_id=saved.id, actor=self.agent_id
        )
        self.post_message(self.Ended(transfer, saved))

    def end(self) -> None:
        """Back to the queue: stop live text and clear the call."""
        self.workers.cancel_group(self, "transcription")
        self.active = None
        self.latest = None
