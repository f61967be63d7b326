"""The live lines of a call, for the call workspace: heard at this desk, or written by others.

Lines heard here (microphone or recording) are saved as they become final; a line the store
cannot take yet (a locked database, a server away) stays on screen, marked, and is offered
again until it is saved, so nothing said in a call is lost from its record; the waiting lines
are also kept in a file (`UnsavedLinesFile`), so a desk closed meanwhile offers them again
when it next opens. Lines a voice
bot or another desk writes are followed through the call's change feed, which also names
a partial made final (same seq) and a partial taken back (deleted).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.worker import get_current_worker

from agentdesk.calls.live import LiveSpec, live_events
from agentdesk.domain.models import Speaker, Utterance
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import Store, StoreUnavailable
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.unsaved_lines import UnsavedLinesFile
from agentdesk.tui.widgets.active_call import ActiveCall
from agentdesk.tui.widgets.live_audio import StopReason, failure_detail, source_label, stop_reason, stopped
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from agentdesk.tui.worker_failures import ReportsWorkerFailures, failure_text, is_retryable

FOLLOW_SECONDS = 0.5
"""How often the call's change feed is read for lines other writers saved or took back."""
RETRY_SECONDS = 2.0
"""How long a line the store could not take waits before it is offered again."""


class CallLines(ReportsWorkerFailures, Vertical):
    """Base of `CallWorkspace`: the call's transcript kept in step with the store."""

    @dataclass
    class Transcribed(Message):
        """Partial or final text from the live transcriber."""

        event: object
        """A `speech.events.Partial` or `Final`."""

        def can_replace(self, message: Message) -> bool:
            # A newer partial of the same utterance makes an older one pointless to render.
            return (
                isinstance(message, CallLines.Transcribed)
                and not getattr(self.event, "final", False)
                and getattr(message.event, "utterance_id", None) == getattr(self.event, "utterance_id", "")
            )

    @dataclass
    class LineStored(Message):
        """Lines of the call arrived through the store (a bot or another desk wrote them)."""

        lines: list[Utterance]

    @dataclass
    class LinesTakenBack(Message):
        """Partial lines of the call that their writer took back (`utterance.retracted`)."""

        call_id: str
        ids: list[str]

    @dataclass
    class LineNotSaved(Message):
        """The store did not take a line heard at this desk; it stays on screen."""

        line: Utterance
        error: Exception
        retry: bool
        """The store may take it later (a lock, a server away); False: it never will."""

    @dataclass
    class LinesRecovered(Message):
        """Lines an earlier desk left waiting for the store (read from the unsaved-lines file)."""

        lines: list[Utterance]

    @dataclass
    class TranscriptionStopped(Message):
        """Live transcription of a call stopped: its audio ended, it failed, or the agent stopped it."""

        call_id: str
        reason: StopReason
        detail: str = ""
        """The speech layer's own words for a failure (names the file or device)."""

    @dataclass
    class Notice(Message):
        """Something the agent should read: a status, or a problem with a clear cause."""

        text: str
        severity: str = "information"

    active: reactive[ActiveCall | None] = reactive(None, init=False)
    """The call the agent is on; None while previewing the queue."""

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        agent_id: str,
        *,
        unsaved: UnsavedLinesFile | None = None,
        id: str | None = None,
    ) -> None:
        """`unsaved`: where waiting lines outlast the desk (None: they live only on screen)."""
        super().__init__(id=id)
        self.t = catalog
        self.store = store
        self.agent_id = agent_id
        self._waiting: dict[str, Utterance] = {}
        """Lines heard here that the store could not take yet, oldest first; offered again
        every `RETRY_SECONDS` until saved, during the call and after it."""
        self._waited = 0
        """How many lines have waited since the store last took them all."""
        self._refused: set[str] = set()
        """Lines the store refused for good (shown marked, never offered again)."""
        self._retry: Timer | None = None
        self.unsaved = unsaved
        self._kept: list[Utterance] = []
        """The waiting lines as last handed to the unsaved-lines file."""
        self._kept_version = 0
        self.listening: LiveSpec | None = None
        """The audio being transcribed into the call; None: its lines come from the store only."""

    def on_mount(self) -> None:
        if self.unsaved is not None:
            self._read_unsaved(self.unsaved)

    def on_unmount(self) -> None:
        # The desk is closing: the last change to the waiting lines reaches the file now,
        # not in a worker that may not run any more.
        if self.unsaved is not None:
            self.unsaved.write(self._kept_version, self._kept)

    @work(thread=True, group="unsaved-lines", exit_on_error=False)
    def _read_unsaved(self, unsaved: UnsavedLinesFile) -> None:
        lines = unsaved.read()
        if lines:
            self.post_message(self.LinesRecovered(lines))

    @work(thread=True, group="unsaved-lines", exit_on_error=False)
    def _write_unsaved(self, unsaved: UnsavedLinesFile, version: int, lines: list[Utterance]) -> None:
        unsaved.write(version, lines)

    @on(LinesRecovered)
    def _lines_recovered(self, message: LinesRecovered) -> None:
        count = len(message.lines)
        self.post_message(self.Notice(self.t.count("call.lines_recovered", count, count=count), "warning"))
        self._wait(*message.lines)  # one sort, one redraw and one file write for them all

    def refresh_assist(self, transfer: Transfer, customer_lines: list[str]) -> None:
        """New customer sentences were heard; the workspace refreshes agent assist."""

    def customer_line_stored(self, call: ActiveCall, line: Utterance) -> None:
        """A final customer line of the call is in the store (heard here or written by others,
        maybe again); the workspace gives it to a hand-back task waiting for the caller."""

    def _tick(self) -> None:
        """Redraw the call bar, which says what is transcribed (the workspace draws it)."""

    def _show_source(self, call: ActiveCall, text: str) -> None:
        """Say what the call's text comes from: in the call bar and under the transcript
        (the call bar is cut short on a narrow terminal; the transcript's edge is not)."""
        call.source = text
        self.query_one(TranscriptPane).border_subtitle = text
        self._tick()

    def listen(self, spec: LiveSpec, settings: object) -> None:
        """Transcribe `spec` live into the call in progress, instead of what was before.

        Lines go where every heard line goes (the transcript, then the store); when the
        audio ends or fails, the agent is told and the call follows the store's lines.
        """
        call = self.active
        if call is None:
            return
        self.listening = spec
        self._show_source(call, source_label(self.t, spec))
        self._transcribe(call.call_id, spec, settings)

    def stop_listening(self) -> None:
        """Stop transcribing the call; lines others write into the store still show."""
        call = self.active
        if call is None or self.listening is None:
            return
        self._follow_store(call.call_id)  # same exclusive group: cancels the transcription
        self._transcription_stopped(self.TranscriptionStopped(call.call_id, "stopped"))

    @work(thread=True, exclusive=True, group="transcription", exit_on_error=False)
    def _transcribe(self, call_id: str, spec: LiveSpec, settings: object) -> None:
        worker = get_current_worker()
        label = source_label(self.t, spec)
        try:
            for event in live_events(
                spec,
                settings,  # type: ignore[arg-type]
                cancelled=lambda: worker.is_cancelled,
                on_ready=lambda _: self.post_message(self.Notice(self.t("call.listening", source=label))),
            ):
                self.post_message(self.Transcribed(event))
        except Exception as exc:  # every speech failure must reach the agent as a message
            if not worker.is_cancelled:
                self.post_message(
                    self.TranscriptionStopped(call_id, stop_reason(exc), failure_detail(self.t, exc))
                )
            return
        if not worker.is_cancelled:
            self.post_message(self.TranscriptionStopped(call_id, "ended"))

    @on(TranscriptionStopped)
    def _transcription_stopped(self, message: TranscriptionStopped) -> None:
        """Say why, in the call bar and a toast; the call, its lines and notes carry on."""
        call = self.active
        if call is None or call.call_id != message.call_id:
            return
        self.listening = None
        told = stopped(self.t, message.reason, message.detail)
        self._show_source(call, told.status)
        self.post_message(self.Notice(told.toast, told.severity))
        if message.reason != "stopped":  # `stop_listening` has started following already
            self._follow_store(call.call_id)

    @work(thread=True, exclusive=True, group="transcription", exit_on_error=False)
    def _follow_store(self, call_id: str) -> None:
        """Lines a voice bot or softphone writes into the store for this call, as they change.

        A partial made final keeps its seq and a taken-back partial is deleted, so reading the
        lines past the last seq seen would miss both: the call's change feed names each change.
        """
        worker = get_current_worker()
        seq: int | None = None
        while not worker.is_cancelled:
            try:
                if seq is None:
                    start = self.store.last_seq()  # read first: later changes come through the feed
                    self.post_message(self.LineStored(self.store.list_utterances(call_id)))
                    seq = start
                else:
                    seq = self._sync_lines(call_id, seq)
            except StoreUnavailable:
                pass  # the header says the server is away; the feed is read on when it is back
            worker.cancelled_event.wait(FOLLOW_SECONDS)

    def _sync_lines(self, call_id: str, seq: int) -> int:
        """Post the call's lines saved or taken back after change `seq`; returns the new position.

        Runs inside the `_follow_store` worker.
        """
        events = self.store.events_since(seq, entity_id=call_id)
        if not events:
            return seq
        saved = [e.data.get("seq") for e in events if e.kind == "utterance.saved"]
        taken = [str(e.data.get("id")) for e in events if e.kind == "utterance.retracted"]
        lines: list[Utterance] = []
        if saved:
            first = min((s for s in saved if isinstance(s, int)), default=1)
            lines = self.store.list_utterances(call_id, since_seq=max(first - 1, 0))
            if lines:
                self.post_message(self.LineStored(lines))
        present = {u.id for u in lines}
        gone = [i for i in taken if i not in present]  # a line taken back, then saved again, stays
        if gone:
            self.post_message(self.LinesTakenBack(call_id, gone))
        return events[-1].seq

    @on(Transcribed)
    def _transcribed(self, message: Transcribed) -> None:
        call = self.active
        if call is None:
            return
        event = message.event
        line = event.to_utterance(call.call_id)  # type: ignore[attr-defined]
        line = line.model_copy(update={"id": f"{call.call_id}-{event.utterance_id}"})  # type: ignore[attr-defined]
        pane = self.query_one(TranscriptPane)
        pane.upsert(line.model_copy(update={"seq": 10**6}))
        if not line.final or not line.text.strip():  # an empty final takes its partial back: not stored
            return
        if self._waiting:
            self._wait(line)  # behind the lines still waiting, so the call's order is kept
        else:
            self._store_line(line)
        if line.speaker == Speaker.CUSTOMER:
            call.customer_lines.append(line.text)
            self.refresh_assist(call.transfer, call.customer_lines)

    @on(LineStored)
    def _line_stored(self, message: LineStored) -> None:
        pane = self.query_one(TranscriptPane)
        call = self.active
        heard = False
        shown: list[Utterance] = []
        for line in message.lines:
            self._waiting.pop(line.id, None)
            if call is None or line.call_id != call.call_id:
                continue  # a late answer about a call that has ended
            before = pane.line(line.id)
            shown.append(line)
            # Each customer sentence reaches assist once: not again when a line heard here
            # comes back from the store, nor when the feed repeats a line already final.
            if line.final and line.speaker == Speaker.CUSTOMER and not (before and before.final):
                call.customer_lines.append(line.text)
                heard = True
        pane.upsert(*shown)  # one redraw for the whole batch (a call's lines read on accept)
        if heard and call is not None:
            self.refresh_assist(call.transfer, call.customer_lines)
        if call is not None:
            for line in shown:
                if line.final and line.speaker == Speaker.CUSTOMER:
                    self.customer_line_stored(call, line)
        self._show_waiting()

    @on(LinesTakenBack)
    def _lines_taken_back(self, message: LinesTakenBack) -> None:
        if self.active is not None and message.call_id == self.active.call_id:
            self.query_one(TranscriptPane).remove(message.ids)

    @work(thread=True, group="store", exit_on_error=False)
    def _store_line(self, line: Utterance) -> None:
        try:
            stored = self.store.append_utterance(line.call_id, line, actor=self.agent_id)
        except Exception as exc:  # the line must not be lost: the handler keeps it and says why
            self.post_message(self.LineNotSaved(line, exc, retry=is_retryable(exc)))
        else:
            self.post_message(self.LineStored([stored]))

    @work(thread=True, exclusive=True, group="line-retry", exit_on_error=False)
    def _store_waiting(self, lines: list[Utterance]) -> None:
        """Offer the waiting lines again, oldest first; stop at the first the store cannot take."""
        worker = get_current_worker()
        for line in lines:
            if worker.is_cancelled:
                return
            try:
                stored = self.store.append_utterance(line.call_id, line, actor=self.agent_id)
            except Exception as exc:  # kept by the handler, as in `_store_line`
                retry = is_retryable(exc)
                self.post_message(self.LineNotSaved(line, exc, retry=retry))
                if retry:
                    return  # the store is still not taking lines: later ones wait their turn
            else:
                self.post_message(self.LineStored([stored]))

    @on(LineNotSaved)
    def _line_not_saved(self, message: LineNotSaved) -> None:
        reason = failure_text(self.t, message.error)
        if message.retry:
            if not self._waiting:  # once per spell of trouble, not for every line
                self.post_message(self.Notice(self.t("call.line_unsaved", reason=reason), "warning"))
            self._wait(message.line)
        else:
            if self._waiting.pop(message.line.id, None) is not None:
                self._waited -= 1  # it will not be among the lines said to be saved
            self._refused.add(message.line.id)
            self.post_message(self.Notice(self.t("call.line_refused", reason=reason), "error"))
        self._show_waiting()

    def _wait(self, *lines: Utterance) -> None:
        """Keep `lines` until the store takes them, in the order the lines were said."""
        for line in lines:
            if line.id not in self._waiting:
                self._waited += 1
            self._waiting[line.id] = line
        self._waiting = dict(sorted(self._waiting.items(), key=lambda item: item[1].at))
        self._show_waiting()

    def _show_waiting(self) -> None:
        """Mark the waiting lines on screen; offer them again soon; say so when all are saved."""
        self.query_one(TranscriptPane).mark_unsaved(set(self._waiting) | self._refused)
        self._keep_waiting()
        if self._waiting:
            if self._retry is None:
                self._retry = self.set_timer(RETRY_SECONDS, self._offer_waiting)
        elif self._waited:
            self.post_message(self.Notice(self.t.count("call.lines_saved", self._waited, count=self._waited)))
            self._waited = 0

    def _keep_waiting(self) -> None:
        """Hand the waiting lines to the unsaved-lines file when they changed."""
        lines = list(self._waiting.values())
        if self.unsaved is None or lines == self._kept:
            return
        self._kept = lines
        self._kept_version += 1
        self._write_unsaved(self.unsaved, self._kept_version, lines)

    def _offer_waiting(self) -> None:
        self._retry = None
        if self._waiting:
            self._store_waiting(list(self._waiting.values()))
