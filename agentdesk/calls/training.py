"""Trainer sessions over sample calls: when the trainee decides, and how each decision scores.

A sample call replays at its recording's pace. At the moment the bot in the reference
recording acts (transfers, books a callback or closes the call) the replay holds and the
trainee answers the route questions; on hand-back calls a second point holds just before
the agent hands a task back to the bot. Each answer is scored against the script's
`expected` outcome and explained with what the bot and routing actually did (the
`Replayer`'s result). Headless, so the trainer screen and the tests share every rule.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from agentdesk.bot.analysis import LineAnalysis
from agentdesk.calls.replay import Replayer, ReplayResult, ReplayTurn
from agentdesk.config import Settings
from agentdesk.domain import hours
from agentdesk.domain.models import Customer, Speaker, TrainingDecision, TrainingResult, new_id
from agentdesk.domain.scripts import CallScript, ScriptTurn
from agentdesk.domain.transfers import TriggerEntry
from agentdesk.nlp.intents import detect_acknowledgement, detect_closing
from agentdesk.nlp.kb import KBIndex
from agentdesk.store.base import NotFound, Store

NONE = "none"
"""The answer for "no agent level", "no ticket" or "no task"."""
OUTCOMES = ("contained", "transferred", "callback")
LEVELS = ("junior", "senior", "gold")
TICKET_TYPES = ("consultation", "complaint", "callback", "follow-up", NONE)
TASKS = ("bill_lookup", "order_status", "balance", "identity_check", "send_survey", NONE)
SPEEDS = (1.0, 2.0, 4.0)
"""Replay speeds the trainee can pick."""

Point = Literal["outcome", "agent_level", "ticket_type", "hand_back"]


# -- decision points -------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    """One choice at a decision point."""

    point: Point
    options: tuple[str, ...]
    expected: str

    def asked(self, answers: Mapping[str, str]) -> bool:
        """Whether the trainee is asked this, given the answers so far (a level only for a transfer)."""
        return self.point != "agent_level" or answers.get("outcome") == "transferred"


@dataclass(frozen=True)
class DecisionPoint:
    """Where the replay holds for the trainee: before `turn` is shown (`len(turns)`: at the end)."""

    turn: int
    kind: Literal["route", "hand_back"]
    questions: tuple[Question, ...]

    def next_question(self, answers: Mapping[str, str]) -> Question | None:
        """The next question to ask, or None once every question that applies is answered."""
        return next((q for q in self.questions if q.asked(answers) and q.point not in answers), None)

    def score(self, answers: Mapping[str, str]) -> list[TrainingDecision]:
        """Each applicable answer against the expected one.

        A question skipped because of an earlier answer still counts when the call
        expected something there (not transferring a call that needed a senior agent
        also misses the level); one whose expected answer is "none" is left out.
        """
        decisions = []
        for q in self.questions:
            if q.asked(answers):
                chosen = answers[q.point]
            elif q.expected != NONE:
                chosen = NONE
            else:
                continue
            decisions.append(
                TrainingDecision(
                    point=q.point,
                    turn=self.turn,
                    chosen=chosen,
                    expected=q.expected,
                    correct=chosen == q.expected,
                )
            )
        return decisions


def _is_thanks(text: str) -> bool:
    return detect_closing(text).found or detect_acknowledgement(text).found


def _bot_run_before(turns: Sequence[ScriptTurn], end: int) -> int:
    """Index of the first bot line of the run of bot lines that ends just before `end`."""
    while end > 0 and turns[end - 1].speaker == Speaker.BOT:
        end -= 1
    return end


def route_turn(script: CallScript) -> int:
    """Where the bot of the reference recording acts: the replay holds before that line.

    - A human takes over: the bot lines just before the first agent line (the announcement).
    - Contained: the bot's closing lines at the end (or the very end).
    - Transfer or callback with no human in the recording: the bot lines after the
      customer's last real request; thanks and okays after a booked callback do not count.
    """
    turns = script.turns
    first_agent = next((i for i, t in enumerate(turns) if t.speaker == Speaker.AGENT), None)
    if first_agent is not None:
        return _bot_run_before(turns, first_agent)
    if script.expected.outcome == "contained":
        return _bot_run_before(turns, len(turns))
    asks = [i for i, t in enumerate(turns) if t.speaker == Speaker.CUSTOMER and not _is_thanks(t.text)]
    after = asks[-1] + 1 if asks else 0
    return next((i for i in range(after, len(turns)) if turns[i].speaker == Speaker.BOT), len(turns))


def decision_points(script: CallScript) -> list[DecisionPoint]:
    """The call's decision points in replay order: the route decision, then any hand-back."""
    exp = script.expected
    points = [
        DecisionPoint(
            route_turn(script),
            "route",
            (
                Question("outcome", OUTCOMES, str(exp.outcome)),
                Question("agent_level", LEVELS, str(exp.agent_level) if exp.agent_level else NONE),
                Question("ticket_type", TICKET_TYPES, str(exp.ticket_type) if exp.ticket_type else NONE),
            ),
        )
    ]
    hand_back = next((i for i, t in enumerate(script.turns) if t.speaker == Speaker.AGENT and t.task), None)
    if hand_back is not None:
        task = exp.hand_back or script.turns[hand_back].task or NONE
        points.append(DecisionPoint(hand_back, "hand_back", (Question("hand_back", TASKS, str(task)),)))
    return sorted(points, key=lambda p: p.turn)


def difficulty(script: CallScript) -> int:
    """1 basic (the bot copes, or the customer simply asks for a person), 2 one judgement
    (no answer, three strikes, off hours, a hand-back, a contained complaint), 3 several
    rules at once or routing past junior agents."""
    exp = script.expected
    if len(exp.triggers) >= 2 or str(exp.agent_level or "") in ("senior", "gold"):
        return 3
    simple = exp.outcome == "contained" and exp.ticket_type is None
    asked = exp.outcome == "transferred" and [str(r) for r in exp.triggers] == ["asked-for-human"]
    return 1 if simple or (asked and not exp.hand_back) else 2


def call_hours(script: CallScript, settings: Settings) -> tuple[bool, str]:
    """Whether humans were on duty when the call came in, and its line's time zone."""
    line = hours.line_for(settings.hours, script.language)
    return hours.is_open(line, script.at), line.timezone


def ledger_by_turn(entries: Sequence[tuple[int, TriggerEntry]]) -> list[tuple[int, list[TriggerEntry]]]:
    """Ledger entries grouped by the script turn that fired them, in call order."""
    grouped: dict[int, list[TriggerEntry]] = {}
    for turn, entry in entries:
        grouped.setdefault(turn, []).append(entry)
    return sorted(grouped.items())


# -- pacing -----------------------------------------------------------------------------------
def timeline(script: CallScript) -> list[tuple[float, float]]:
    """(start, end) seconds of each turn: the recording's timings, else an estimate from the text."""
    if script.has_audio_timings:
        return [(float(t.start or 0.0), float(t.end or 0.0)) for t in script.turns]
    spans, at = [], 0.5
    for t in script.turns:
        length = max(1.5, len(t.text) * 0.22 if script.language == "zh" else len(t.text.split()) * 0.4)
        spans.append((at, at + length))
        at += length + 0.8
    return spans


@dataclass
class Playback:
    """The replay clock: a position in the recording that never passes a pending decision."""

    spans: list[tuple[float, float]]
    position: float = 0.0
    speed: float = 1.0
    playing: bool = True
    hold_turn: int | None = None
    """The next decision point's turn: the replay stops before showing it."""

    @property
    def duration(self) -> float:
        return max((end for _, end in self.spans), default=0.0)

    @property
    def hold_at(self) -> float | None:
        """Position where the pending decision stops the replay, if any."""
        if self.hold_turn is None:
            return None
        return self.spans[self.hold_turn][0] if self.hold_turn < len(self.spans) else self.duration

    @property
    def holding(self) -> bool:
        """The replay reached the pending decision point."""
        return self.hold_at is not None and self.position >= self.hold_at

    @property
    def finished(self) -> bool:
        return self.hold_turn is None and self.position >= self.duration

    @property
    def shown(self) -> int:
        """How many turns have started (and so are on screen)."""
        # Strictly before the position: a replay paused where a line begins has not said it yet.
        started = bisect_left([s for s, _ in self.spans], self.position)
        return started if self.hold_turn is None else min(started, self.hold_turn)

    def spoken(self, turn: int) -> float:
        """How much of a turn has been said, 0..1."""
        start, end = self.spans[turn]
        return 1.0 if end <= start else max(0.0, min(1.0, (self.position - start) / (end - start)))

    def _clamp(self, position: float) -> float:
        limit = self.hold_at if self.hold_at is not None else self.duration
        return max(0.0, min(position, limit))

    def advance(self, seconds: float) -> None:
        """Move on by `seconds` of wall time at the current speed, if playing."""
        if self.playing:
            self.position = self._clamp(self.position + seconds * self.speed)

    def step(self) -> None:
        """Pause and show the next turn in full (or reach the pending decision)."""
        self.playing = False
        following = next((end for _, end in self.spans if end > self.position), self.duration)
        self.position = self._clamp(following)

    def restart(self) -> None:
        self.position = 0.0
        self.playing = True


def partial_text(text: str, spoken: float) -> str:
    """The part of a line said so far: whole words in English, characters in Chinese."""
    if spoken >= 1.0:
        return text
    if " " in text.strip():
        words = text.split()
        return " ".join(words[: max(1, round(len(words) * spoken))])
    return text[: max(1, round(len(text) * spoken))]


# -- reference run, readings, verdicts ---------------------------------------------------------
_reference_lock = threading.Lock()
_reference: tuple[Store, KBIndex] | None = None


def reference_replayer(settings: Settings) -> Replayer:
    """A replayer over a private demo store, like `agentdesk replay`.

    The sample calls are written against the demo customers, agents and KB; replaying
    them over the user's own data would route by whoever happens to be on shift and
    write hand-back results into real records. Seeding and the KB index take seconds,
    so they are built once per process. Blocking: call it from a worker.
    """
    global _reference
    with _reference_lock:
        if _reference is None:
            from agentdesk.store.seed import seed_store
            from agentdesk.store.sqlite import SqliteStore

            store = SqliteStore(":memory:", actor="trainer")
            seed_store(store)
            _reference = (store, KBIndex(store.list_articles()))
        store, kb = _reference
    return Replayer(store, settings, kb)


def reference_customers(scripts: Sequence[CallScript], settings: Settings) -> dict[str, Customer]:
    """The demo customers the calls are about, by id; a script naming an unknown one is skipped."""
    store = reference_replayer(settings).store
    found: dict[str, Customer] = {}
    for s in scripts:
        try:
            found[s.customer] = store.get_customer(s.customer)
        except NotFound:
            continue
    return found


@dataclass(frozen=True)
class Reading:
    """What the bot read on one customer line."""

    turn: ReplayTurn
    analysis: LineAnalysis | None
    """The engine's reading; None once a human has the call."""
    trend: tuple[int, ...]
    """Emotion levels of the customer's lines so far, this one last."""


@dataclass(frozen=True)
class Verdict:
    """A scored decision and why the expected answer is right."""

    decision: TrainingDecision
    evidence: tuple[tuple[int, TriggerEntry], ...] = ()
    """(script turn, ledger entry) of the rules that had fired by the decision point."""
    rationale: tuple[str, ...] = ()
    """Routing's reasons for the agent it chose, in the UI language."""
    result: str = ""
    """What the bot's hand-back task answered."""


@dataclass
class TrainingSession:
    """One trainee's run through one call."""

    script: CallScript
    result: ReplayResult
    started_at: datetime
    customer: Customer | None = None
    lines_open: bool = True
    """Whether humans were on duty when the call came in."""
    timezone: str = ""
    """The time zone of the call's line (`Europe/London`)."""
    points: list[DecisionPoint] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    answered: int = 0
    """Decision points answered so far."""
    finished_at: datetime | None = None
    id: str = field(default_factory=lambda: new_id("TRN"))
    """Id of the stored result, so saving a run twice replaces it."""

    @classmethod
    def start(cls, script: CallScript, replayer: Replayer, *, now: datetime) -> TrainingSession:
        """Run the call through the bot and routing (blocking) and set up its decision points."""
        result = replayer.run(script)
        lines_open, timezone = call_hours(script, replayer.settings)
        return cls(
            script,
            result,
            now,
            customer=replayer.store.get_customer(script.customer),
            lines_open=lines_open,
            timezone=timezone,
            points=decision_points(script),
        )

    def again(self, *, now: datetime) -> TrainingSession:
        """A fresh run of the same call (same bot run, decisions asked again)."""
        return replace(self, started_at=now, verdicts=[], answered=0, finished_at=None, id=new_id("TRN"))

    @property
    def pending(self) -> DecisionPoint | None:
        return self.points[self.answered] if self.answered < len(self.points) else None

    @property
    def score(self) -> float:
        """Share of decisions so far that were right."""
        return sum(v.decision.correct for v in self.verdicts) / len(self.verdicts) if self.verdicts else 0.0

    def ledger(self, before: int | None = None) -> list[tuple[int, TriggerEntry]]:
        """Every rule that fired, with the script turn it fired on; only before turn `before` if given."""
        return [
            (t.index, e) for t in self.result.turns for e in t.entries if before is None or t.index < before
        ]

    def readings(self) -> dict[int, Reading]:
        """The bot's reading of each customer line, by script turn."""
        analyses = iter(self.result.state.analyses)
        trend: list[int] = []
        out: dict[int, Reading] = {}
        for t in self.result.turns:
            if t.speaker != Speaker.CUSTOMER:
                continue
            analysis = next(analyses, None) if t.phase == "bot" else None
            if analysis is not None:
                trend.append(int(analysis.emotion.level))
            out[t.index] = Reading(t, analysis, tuple(trend))
        return out

    def answer(self, answers: Mapping[str, str], *, lang: str) -> list[Verdict]:
        """Score the pending point's answers; the explanations' routing lines are in `lang`.

        Raises:
            ValueError: nothing is pending, or a question that applies has no answer.
        """
        point = self.pending
        if point is None:
            raise ValueError("no decision is pending")
        if point.next_question(answers) is not None:
            raise ValueError(f"unanswered: {point.next_question(answers).point}")  # type: ignore[union-attr]
        verdicts = [self._explain(d, point, lang) for d in point.score(answers)]
        self.verdicts.extend(verdicts)
        self.answered += 1
        return verdicts

    def _explain(self, d: TrainingDecision, point: DecisionPoint, lang: str) -> Verdict:
        if d.point == "outcome":
            fired: dict[str, tuple[int, TriggerEntry]] = {}
            for turn, entry in self.ledger(before=point.turn):
                fired.setdefault(str(entry.rule), (turn, entry))  # first time each rule fired
            return Verdict(d, evidence=tuple(fired.values()))
        if d.point == "agent_level" and self.result.assignment is not None:
            return Verdict(d, rationale=tuple(self.result.assignment.rationale.lines(lang)))
        if d.point == "hand_back" and self.result.hand_back is not None:
            return Verdict(d, result=self.result.hand_back.text)
        return Verdict(d)

    def to_result(self, trainee: str) -> TrainingResult:
        """The run as stored: every decision so far, scored."""
        return TrainingResult(
            id=self.id,
            trainee=trainee,
            script_id=self.script.id,
            language=self.script.language,
            started_at=self.started_at,
            finished_at=self.finished_at,
            decisions=[v.decision for v in self.verdicts],
        )


def best_scores(results: Sequence[TrainingResult]) -> dict[str, float]:
    """Each call's best score over finished runs."""
    best: dict[str, float] = {}
    for r in results:
        if r.finished_at is not None:
            best[r.script_id] = max(best.get(r.script_id, 0.0), r.score)
    return best
