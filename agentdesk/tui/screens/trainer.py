"""The trainer's place (F5): replay a sample call, decide where the bot acts, get scored.

The trainee picks a call; it runs once through the real bot engine and routing (in a
worker) and then replays at the recording's pace: pause, step, 1x/2x/4x, restart. Beside
the transcript the panel shows what the bot read from each customer line. Where the bot
of the recording acts, the replay holds for the trainee's decision, which is scored
against the call's expected outcome with the reasons. The summary is saved to the
trainee's record. Sound plays through the sound card when there is one; without one
(a server, SSH) a single line says the replay is transcript only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from time import monotonic

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Header

from agentdesk.calls.training import (
    SPEEDS,
    Playback,
    TrainingSession,
    Verdict,
    best_scores,
    call_hours,
    reference_customers,
    reference_replayer,
    timeline,
)
from agentdesk.domain.models import Customer, TrainingResult
from agentdesk.domain.scripts import CallScript
from agentdesk.tui import clock
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.trainer_audio import SoundFollower
from agentdesk.tui.widgets.trainer_calls import CallPicker, CallPreview
from agentdesk.tui.widgets.trainer_decision import DecisionPanel
from agentdesk.tui.widgets.trainer_player import PlayerBar
from agentdesk.tui.widgets.trainer_record import TrainingRecord
from agentdesk.tui.widgets.trainer_signals import SignalPanel
from agentdesk.tui.widgets.trainer_summary import SummaryPanel
from agentdesk.tui.widgets.trainer_transcript import ReplayTranscript

TICK_SECONDS = 0.1
"""How often the replay clock moves the transcript on."""
CHOICES = 6
"""Answers a question can have at most (the hand-back tasks and "none")."""


@dataclass
class CallsLoaded(Message):
    scripts: list[CallScript]
    results: list[TrainingResult]
    """The trainee's runs, newest first."""


@dataclass
class CustomersLoaded(Message):
    customers: dict[str, Customer]


@dataclass
class SessionReady(Message):
    session: TrainingSession
    audio: Path | None


@dataclass
class SessionFailed(Message):
    call: str
    reason: str


@dataclass
class ResultSaved(Message):
    result: TrainingResult
    results: list[TrainingResult]


class TrainerScreen(AgentDeskScreen):
    CSS_PATH = "trainer.tcss"
    BINDINGS = [
        # A priority binding, or the call table's own Enter would hide it from the footer.
        Binding(
            "enter",
            "start",
            "Start",
            tooltip="Replay the highlighted call",
            id="trainer-start",
            priority=True,
        ),
        Binding("space", "pause", "Pause/play", tooltip="Pause or resume the replay", id="trainer-pause"),
        Binding("n,right", "step", "Step", tooltip="Pause and show the next line", id="trainer-step"),
        Binding("plus", "faster", "Faster", tooltip="Replay speed up: 1x, 2x, 4x", id="trainer-faster"),
        Binding("minus", "slower", "Slower", tooltip="Replay speed down: 4x, 2x, 1x", id="trainer-slower"),
        Binding("r", "restart", "Restart", tooltip="Replay this call from the start", id="trainer-restart"),
        Binding("escape", "calls", "Calls", tooltip="Back to the list of sample calls", id="trainer-calls"),
        *(
            Binding(
                str(n),
                f"choose({n})",
                f"Choose {n}",
                tooltip=f"Pick answer {n}",
                id=f"trainer-choose-{n}",
                show=False,
            )
            for n in range(1, CHOICES + 1)
        ),
        Binding("q", "app.quit", "Quit", tooltip="Leave AgentDesk", id="quit"),
    ]

    phase: reactive[str] = reactive("picking", init=False)
    """`picking` a call, `replaying` it (decisions included), or reading its `summary`."""

    def __init__(self) -> None:
        super().__init__(id="trainer")
        self.session: TrainingSession | None = None
        self.playback: Playback | None = None
        self.customers: dict[str, Customer] = {}
        self.best: dict[str, float] = {}
        """The trainee's best score per call, from the store."""
        self.best_before: float | None = None
        """The best score on the call being replayed, from before this run."""
        self._last = monotonic()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="trainer-picker"):
            with Vertical(id="trainer-left"):
                yield CallPicker(self.t, id="trainer-calls")
                yield TrainingRecord(self.t, id="trainer-record")
            yield CallPreview(self.t, id="trainer-preview")
        with Vertical(id="trainer-replay"):
            yield PlayerBar(self.t, id="trainer-player")
            with Horizontal(id="trainer-stage"):
                with Vertical(id="trainer-main"):
                    yield ReplayTranscript(self.t, id="trainer-transcript")
                    yield DecisionPanel(self.t, id="trainer-decision")
                yield SignalPanel(self.t, id="trainer-signals")
            yield SummaryPanel(self.t, id="trainer-summary")
        yield SoundFollower(self.t, id="trainer-sound")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_class(True, "-picking")
        self.load_calls()
        self.set_interval(TICK_SECONDS, self._tick)
        self.query_one("#trainer-table").focus()

    def watch_phase(self, phase: str) -> None:
        for name in ("picking", "replaying", "summary"):
            self.set_class(phase == name, f"-{name}")
        self.refresh_bindings()

    @property
    def decision(self) -> DecisionPanel:
        return self.query_one(DecisionPanel)

    @property
    def sound(self) -> SoundFollower:
        return self.query_one(SoundFollower)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        asking = self.phase == "replaying" and self.decision.asking
        allowed = {
            "start": self.phase == "picking",
            "pause": self.phase == "replaying" and not asking,
            "step": self.phase == "replaying" and not asking,
            "faster": self.phase == "replaying",
            "slower": self.phase == "replaying",
            "restart": self.phase != "picking",
            "calls": self.phase != "picking",
            "choose": asking,
        }
        return allowed.get(action, True)

    # -- workers: blocking work, results posted as messages ------------------------------------
    @work(thread=True, exclusive=True, group="trainer-calls", exit_on_error=False)
    def load_calls(self) -> None:
        from agentdesk.calls.library import load_all

        scripts = load_all()
        self.post_message(CallsLoaded(scripts, self.store.list_training_results(trainee=self.agent_id)))
        # From the trainer's own demo store (see `reference_replayer`): the first open builds it.
        self.post_message(CustomersLoaded(reference_customers(scripts, self.settings)))

    @work(thread=True, exclusive=True, group="trainer-session", exit_on_error=False)
    def start_session(self, script: CallScript) -> None:
        from agentdesk.calls.library import audio_path

        try:
            session = TrainingSession.start(script, reference_replayer(self.settings), now=clock.now())
        except Exception as exc:  # a broken script or KB must reach the trainee as a message
            self.post_message(SessionFailed(script.id, str(exc)))
            return
        self.post_message(SessionReady(session, audio_path(script)))

    @work(thread=True, group="trainer-save", exit_on_error=False)
    def save_result(self, result: TrainingResult) -> None:
        saved = self.store.save_training_result(result, actor=self.agent_id)
        self.post_message(ResultSaved(saved, self.store.list_training_results(trainee=self.agent_id)))

    # -- handlers: own the state -------------------------------------------------------------------
    @on(CallsLoaded)
    def _calls_loaded(self, message: CallsLoaded) -> None:
        self.best = best_scores(message.results)
        self.query_one(CallPicker).show(message.scripts, self.best)
        self.query_one(TrainingRecord).show(message.results, message.scripts)

    @on(CustomersLoaded)
    def _customers_loaded(self, message: CustomersLoaded) -> None:
        self.customers = message.customers
        self._preview()

    @on(CallPicker.Highlighted)
    def _highlighted(self, message: CallPicker.Highlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        script = self.query_one(CallPicker).current
        if script is not None:
            lines_open, timezone = call_hours(script, self.settings)
            self.query_one(CallPreview).show(
                script,
                self.customers.get(script.customer),
                self.best.get(script.id),
                lines_open=lines_open,
                timezone=timezone,
            )

    @on(CallPicker.Chosen)
    def _chosen(self, message: CallPicker.Chosen) -> None:
        self.action_start()

    @on(SessionReady)
    def _session_ready(self, message: SessionReady) -> None:
        self.query_one(CallPicker).loading = False
        self.sound.load(message.audio)
        self._begin(message.session)

    @on(SessionFailed)
    def _session_failed(self, message: SessionFailed) -> None:
        self.query_one(CallPicker).loading = False
        self.notify(self.t("trainer.failed", call=message.call, reason=message.reason), severity="error")

    @on(SoundFollower.Changed)
    def _sound_changed(self, message: SoundFollower.Changed) -> None:
        if not self.sound.problem:
            self._sync_audio()  # the device was just found: catch up with the replay
        self._draw()

    @on(DecisionPanel.Answered)
    def _answered(self, message: DecisionPanel.Answered) -> None:
        session, playback = self.session, self.playback
        if session is None or playback is None or session.pending != message.point:
            return
        verdicts: list[Verdict] = session.answer(message.answers, lang=self.t.lang)
        playback.hold_turn = session.pending.turn if session.pending else None
        playback.playing = False  # the verdicts stay until the trainee continues
        self.decision.show_verdicts(verdicts)
        self.set_focus(None)
        self.refresh_bindings()
        self._draw()

    @on(ResultSaved)
    def _result_saved(self, message: ResultSaved) -> None:
        self.best = best_scores(message.results)
        picker = self.query_one(CallPicker)
        picker.show(picker.scripts, self.best)
        self.query_one(TrainingRecord).show(message.results, picker.scripts)
        session = self.session
        if session is not None and session.id == message.result.id and self.phase == "summary":
            self.query_one(SummaryPanel).show(session, best=self.best_before, saved=True)
        self.notify(
            self.t("trainer.saved", score=f"{message.result.score:.0%}", call=message.result.script_id)
        )

    # -- the replay clock ----------------------------------------------------------------------------
    def _begin(self, session: TrainingSession) -> None:
        """Show a fresh run of `session` from the start, playing."""
        self.session = session
        self.playback = Playback(
            timeline(session.script), speed=self.playback.speed if self.playback else 1.0
        )
        self.playback.hold_turn = session.pending.turn if session.pending else None
        self.decision.reset()
        self.query_one(ReplayTranscript).clear()
        self.query_one(SignalPanel).clear()
        self.phase = "replaying"
        self.set_focus(None)
        self._last = monotonic()
        self._sync_audio()
        self._draw()

    def _tick(self) -> None:
        now = monotonic()
        elapsed, self._last = now - self._last, now
        if self.phase != "replaying" or self.playback is None:
            return
        was_holding = self.playback.holding
        self.playback.advance(elapsed)
        if self.playback.holding and not was_holding:
            self._sync_audio()
        self._draw()

    def _draw(self) -> None:
        """Bring every pane up to the clock; each skips its redraw when nothing it shows moved."""
        session, playback = self.session, self.playback
        if session is None or playback is None or self.phase != "replaying":
            return
        self.query_one(PlayerBar).show(session, playback, self.sound.notice())
        self.query_one(ReplayTranscript).show(session, playback)
        self.query_one(SignalPanel).show(session, playback)
        pending = session.pending
        # Once per point: between the last answer and its verdicts the panel is on it already.
        if playback.holding and pending is not None and self.decision.point is not pending:
            self.decision.ask(pending, len(session.script.turns))
            self.refresh_bindings()
        elif playback.finished:
            self._finish(session)

    def _finish(self, session: TrainingSession) -> None:
        self._stop_audio()
        session.finished_at = clock.now()
        self.phase = "summary"
        self.best_before = self.best.get(session.script.id)
        summary = self.query_one(SummaryPanel)
        summary.show(session, best=self.best_before, saved=False)
        summary.focus()
        self.save_result(session.to_result(self.agent_id))

    def _sync_audio(self) -> None:
        """Sound follows the clock: from the replay's position, at its speed, while it plays."""
        playback = self.playback
        playing = (
            playback is not None and self.phase == "replaying" and playback.playing and not playback.holding
        )
        self.sound.follow(
            playback.position if playback else 0.0, playback.speed if playback else 1.0, playing=playing
        )

    def _stop_audio(self) -> None:
        self.sound.stop()

    def on_screen_suspend(self) -> None:
        """Another place or the help went on top: the replay waits for the trainee (and goes quiet)."""
        if self.phase == "replaying" and self.playback is not None and self.playback.playing:
            self.action_pause()

    # -- actions ---------------------------------------------------------------------------------------
    def action_start(self) -> None:
        picker = self.query_one(CallPicker)
        script = picker.current
        if script is None or self.phase != "picking":
            return
        picker.loading = True
        self.notify(self.t("trainer.loading", call=script.id), timeout=3)
        self.start_session(script)

    def action_pause(self) -> None:
        playback = self.playback
        if playback is None or playback.finished or (playback.holding and self.decision.asking):
            return
        playback.playing = not playback.playing
        if playback.playing:
            self.decision.collapse()
        self._last = monotonic()
        self._sync_audio()
        self._draw()

    def action_step(self) -> None:
        if self.playback is not None:
            self.decision.collapse()
            self.playback.step()
            self._sync_audio()
            self._draw()

    def action_faster(self) -> None:
        self._set_speed(+1)

    def action_slower(self) -> None:
        self._set_speed(-1)

    def _set_speed(self, change: int) -> None:
        playback = self.playback
        if playback is None:
            return
        at = SPEEDS.index(playback.speed) if playback.speed in SPEEDS else 0
        playback.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, at + change))]
        self._sync_audio()
        self._draw()

    def action_restart(self) -> None:
        if self.session is not None:
            self._begin(self.session.again(now=clock.now()))

    def action_calls(self) -> None:
        self._stop_audio()
        self.phase = "picking"
        self.session = None
        self.decision.reset()
        self.query_one("#trainer-table").focus()

    def action_choose(self, n: int) -> None:
        self.decision.choose(n)
