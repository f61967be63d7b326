"""Trainer rules, headless: where each sample call stops for the trainee, pacing, and scoring."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest

from agentdesk.calls.library import find_script, load_all, load_script
from agentdesk.calls.replay import Replayer
from agentdesk.calls.training import (
    NONE,
    Playback,
    TrainingSession,
    best_scores,
    decision_points,
    difficulty,
    ledger_by_turn,
    partial_text,
    reference_replayer,
    route_turn,
    timeline,
)
from agentdesk.config import Settings
from agentdesk.domain.models import Speaker, TrainingDecision, TrainingResult
from agentdesk.domain.scripts import CallScript

SCRIPTS = load_all()
NOW = datetime(2026, 11, 23, 9, 45, tzinfo=UTC)


def script(prefix: str) -> CallScript:
    return load_script(find_script(prefix))


def expected_answers(s: CallScript) -> list[dict[str, str]]:
    """The right answers at each of the call's decision points."""
    out = []
    for point in decision_points(s):
        answers = {q.point: q.expected for q in point.questions}
        if answers.get("outcome", "transferred") != "transferred":
            answers.pop("agent_level", None)
        out.append(answers)
    return out


@pytest.fixture(scope="module")
def replayer() -> Replayer:
    return reference_replayer(Settings())


# -- where the replay stops ------------------------------------------------------------------
@pytest.mark.parametrize("s", SCRIPTS, ids=[s.id for s in SCRIPTS])
def test_the_route_decision_comes_before_the_bot_reveals_what_it_does(s: CallScript) -> None:
    turn = route_turn(s)
    shown = s.turns[:turn]
    assert any(t.speaker == Speaker.CUSTOMER for t in shown), "the trainee has heard the customer"
    assert all(t.speaker != Speaker.AGENT for t in shown), "no human has taken over yet"
    if s.expected.outcome == "contained":
        assert all(t.speaker == Speaker.BOT for t in s.turns[turn:]), "only the bot's goodbye is left"
    else:
        assert turn < len(s.turns) and s.turns[turn].speaker == Speaker.BOT


@pytest.mark.parametrize(
    ("prefix", "turn"),
    [
        ("en-02", 2),  # the "putting you through" line before the agent
        ("zh-05", 8),
        ("en-04", 8),  # the bot's transfer announcement, before the agent picks up
        ("en-08", 4),  # callback: before the booking, not before the goodbye after "thanks"
        ("zh-08", 6),
        ("en-01", 8),  # contained: before the closing goodbye
        ("zh-06", 11),  # contained, ends on the customer: at the very end
    ],
)
def test_route_turn_of_known_calls(prefix: str, turn: int) -> None:
    assert route_turn(script(prefix)) == turn


@pytest.mark.parametrize("prefix", ["en-02", "zh-02"])
def test_hand_back_calls_add_a_second_point_at_the_agents_task_line(prefix: str) -> None:
    s = script(prefix)
    route, hand_back = decision_points(s)
    assert route.kind == "route" and hand_back.kind == "hand_back"
    assert s.turns[hand_back.turn].task == s.expected.hand_back
    assert route.turn < hand_back.turn
    assert [q.expected for q in hand_back.questions] == [s.expected.hand_back]


def test_the_agent_level_is_asked_only_when_the_trainee_transfers() -> None:
    point = decision_points(script("en-05"))[0]
    assert point.next_question({}).point == "outcome"  # type: ignore[union-attr]
    assert point.next_question({"outcome": "transferred"}).point == "agent_level"  # type: ignore[union-attr]
    assert point.next_question({"outcome": "contained"}).point == "ticket_type"  # type: ignore[union-attr]
    assert point.next_question({"outcome": "contained", "ticket_type": NONE}) is None


# -- scoring ------------------------------------------------------------------------------------
def test_expected_answers_are_all_right() -> None:
    point = decision_points(script("zh-05"))[0]
    decisions = point.score({"outcome": "transferred", "agent_level": "senior", "ticket_type": "complaint"})
    assert [(d.point, d.correct) for d in decisions] == [
        ("outcome", True),
        ("agent_level", True),
        ("ticket_type", True),
    ]


def test_a_wrong_level_is_one_wrong_decision_with_the_expected_value() -> None:
    point = decision_points(script("zh-05"))[0]
    decisions = point.score({"outcome": "transferred", "agent_level": "junior", "ticket_type": "complaint"})
    wrong = [d for d in decisions if not d.correct]
    assert [(d.point, d.chosen, d.expected) for d in wrong] == [("agent_level", "junior", "senior")]


def test_not_transferring_a_call_that_needed_a_senior_also_misses_the_level() -> None:
    point = decision_points(script("en-05"))[0]
    decisions = point.score({"outcome": "contained", "ticket_type": "complaint"})
    level = next(d for d in decisions if d.point == "agent_level")
    assert (level.chosen, level.expected, level.correct) == (NONE, "senior", False)


def test_a_contained_call_scores_no_level_unless_the_trainee_transfers() -> None:
    point = decision_points(script("en-01"))[0]
    assert [d.point for d in point.score({"outcome": "contained", "ticket_type": NONE})] == [
        "outcome",
        "ticket_type",
    ]
    transferred = point.score({"outcome": "transferred", "agent_level": "junior", "ticket_type": NONE})
    assert [(d.point, d.correct) for d in transferred] == [
        ("outcome", False),
        ("agent_level", False),
        ("ticket_type", True),
    ]


def test_difficulty_grows_with_the_judgement_a_call_needs() -> None:
    assert difficulty(script("en-01")) == 1
    assert difficulty(script("en-04")) == 2
    assert difficulty(script("en-08")) == 2
    assert difficulty(script("zh-05")) == 3
    assert difficulty(script("zh-07")) == 3


def test_best_scores_count_finished_runs_only() -> None:
    right = TrainingDecision(point="outcome", chosen="a", expected="a", correct=True)
    wrong = TrainingDecision(point="outcome", chosen="b", expected="a", correct=False)
    results = [
        TrainingResult(trainee="A01", script_id="x", finished_at=NOW, decisions=[right, wrong]),
        TrainingResult(trainee="A01", script_id="x", finished_at=NOW, decisions=[right]),
        TrainingResult(trainee="A01", script_id="y", decisions=[right]),  # abandoned
    ]
    assert best_scores(results) == {"x": 1.0}


# -- pacing -------------------------------------------------------------------------------------
def test_playback_never_passes_a_pending_decision() -> None:
    s = script("en-02")
    spans = timeline(s)
    playback = Playback(spans, hold_turn=2)
    playback.advance(600)
    assert playback.holding and playback.position == spans[2][0]
    assert playback.shown == 2, "the held line is not shown yet"
    playback.hold_turn = None
    playback.advance(600)
    assert playback.finished and playback.shown == len(s.turns)


def test_step_pauses_and_shows_exactly_the_next_line() -> None:
    spans = timeline(script("zh-01"))
    playback = Playback(spans)
    playback.step()
    assert not playback.playing and playback.shown == 1 and playback.spoken(0) == 1.0
    playback.step()
    assert playback.shown == 2 and playback.position == spans[1][1]
    playback.advance(10)
    assert playback.position == spans[1][1], "paused: the clock does not move"


def test_speed_scales_the_clock() -> None:
    playback = Playback(timeline(script("en-01")), speed=4.0)
    playback.advance(2.0)
    assert playback.position == pytest.approx(8.0)


def test_scripts_without_timings_get_an_estimated_timeline() -> None:
    s = script("en-01")
    bare = s.model_copy(
        update={"turns": [t.model_copy(update={"start": None, "end": None}) for t in s.turns]}
    )
    spans = timeline(bare)
    assert len(spans) == len(s.turns)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in pairwise(spans))


@pytest.mark.parametrize(
    ("text", "spoken", "shown"),
    [
        ("I paid by credit card today", 0.5, "I paid by"),
        ("I paid by credit card today", 1.0, "I paid by credit card today"),
        ("我要退回银行卡", 0.5, "我要退回"),
        ("我要退回银行卡", 0.0, "我"),
    ],
)
def test_partial_text_reveals_words_or_characters(text: str, spoken: float, shown: str) -> None:
    assert partial_text(text, spoken) == shown


# -- a session over the real bot and routing -------------------------------------------------------
@pytest.mark.parametrize("s", SCRIPTS, ids=[s.id for s in SCRIPTS])
def test_expected_answers_score_full_marks_on_every_call(replayer: Replayer, s: CallScript) -> None:
    session = TrainingSession.start(s, replayer, now=NOW)
    for answers in expected_answers(s):
        session.answer(answers, lang="en")
    assert session.pending is None
    assert session.score == 1.0
    result = session.to_result("A05")
    assert (result.trainee, result.script_id, result.language) == ("A05", s.id, s.language)
    assert result.score == 1.0 and result.id == session.id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_verdicts_explain_with_the_rules_that_fired_and_routings_reasons(
    replayer: Replayer, lang: str
) -> None:
    s = script(f"{lang}-05")
    session = TrainingSession.start(s, replayer, now=NOW)
    verdicts = session.answer(
        {"outcome": "transferred", "agent_level": "junior", "ticket_type": "complaint"}, lang=lang
    )
    outcome, level, ticket = verdicts
    assert outcome.decision.correct and ticket.decision.correct
    assert {str(e.rule) for _, e in outcome.evidence} >= {"strong-emotion", "complex-complaint"}
    assert all(turn < route_turn(s) for turn, _ in outcome.evidence)
    assert not level.decision.correct and level.decision.expected == "senior"
    assert level.rationale == tuple(session.result.assignment.rationale.lines(lang))  # type: ignore[union-attr]
    assert session.score == pytest.approx(2 / 3)


def test_the_hand_back_verdict_carries_what_the_bot_answered(replayer: Replayer) -> None:
    session = TrainingSession.start(script("zh-02"), replayer, now=NOW)
    session.answer(
        {"outcome": "transferred", "agent_level": "junior", "ticket_type": "consultation"}, lang="zh"
    )
    [verdict] = session.answer({"hand_back": "balance"}, lang="zh")
    assert (verdict.decision.chosen, verdict.decision.expected, verdict.decision.correct) == (
        "balance",
        "bill_lookup",
        False,
    )
    assert verdict.result and verdict.result == session.result.hand_back.text  # type: ignore[union-attr]


def test_answering_needs_every_question_that_applies(replayer: Replayer) -> None:
    session = TrainingSession.start(script("en-05"), replayer, now=NOW)
    with pytest.raises(ValueError, match="agent_level"):
        session.answer({"outcome": "transferred", "ticket_type": "complaint"}, lang="en")


def test_readings_follow_the_engine_on_bot_phase_customer_lines(replayer: Replayer) -> None:
    s = script("zh-05")
    session = TrainingSession.start(s, replayer, now=NOW)
    readings = session.readings()
    customer = [i for i, t in enumerate(s.turns) if t.speaker == Speaker.CUSTOMER]
    assert sorted(readings) == customer
    first_agent = next(i for i, t in enumerate(s.turns) if t.speaker == Speaker.AGENT)
    bot_phase = [i for i in customer if i < first_agent]
    last = readings[bot_phase[-1]]
    assert last.analysis is not None and int(last.analysis.emotion.level) == 3
    assert len(last.trend) == len(bot_phase)
    assert all(readings[i].analysis is None for i in customer if i > first_agent)  # the bot had left
    assert {str(e.rule) for e in last.turn.entries} >= {"complex-complaint"}


def test_the_situation_says_when_no_human_is_on_duty(replayer: Replayer) -> None:
    assert TrainingSession.start(script("en-08"), replayer, now=NOW).lines_open is False
    assert TrainingSession.start(script("en-05"), replayer, now=NOW).lines_open is True


def test_again_is_a_fresh_run_of_the_same_call(replayer: Replayer) -> None:
    session = TrainingSession.start(script("en-01"), replayer, now=NOW)
    session.answer({"outcome": "contained", "ticket_type": NONE}, lang="en")
    fresh = session.again(now=NOW)
    assert fresh.pending is not None and fresh.verdicts == [] and fresh.id != session.id
    assert fresh.result is session.result


def test_ledger_by_turn_groups_rules_fired_on_one_line(replayer: Replayer) -> None:
    session = TrainingSession.start(script("en-05"), replayer, now=NOW)
    grouped = ledger_by_turn(session.ledger())
    assert [turn for turn, _ in grouped] == sorted({turn for turn, _ in session.ledger()})
    assert sum(len(entries) for _, entries in grouped) == len(session.result.state.ledger)
