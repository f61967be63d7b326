"""The transfer policy (SPEC section 2): which rules fire on a customer line, with evidence.

Thresholds come from `BotSettings`; every firing is a `TriggerEntry` in the call's
ledger, so the agent sees exactly why the call reached them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.state import CallState
from agentdesk.config import BotSettings
from agentdesk.domain.models import Tier
from agentdesk.domain.transfers import TriggerEntry, TriggerRule
from agentdesk.nlp.emotion import emotion_trend

COMPLEX_KINDS = frozenset({"threat", "compensation", "cross_department"})
"""Complexity reasons that make a complaint complex on their own (SPEC: dispute,
compensation, cross-department, regulator or media threat). A dispute alone is
something the bot can log and remedy; with another reason it becomes complex."""

COMPLAINT_KINDS = frozenset({"dispute", "compensation", "threat"})
"""Complexity reasons that are complaints in themselves. A request that merely spans two
departments is complex (routing and VIP handling see it) but not a complaint unless the
customer is complaining or upset."""

MAX_ENTRIES_PER_RULE = 3
"""A rule may fire again on new evidence, but the ledger stays readable."""


def _amount_value(text: str) -> float:
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    try:
        return float(digits)
    except ValueError:
        return 0.0


def answer_did_not_help(state: CallState, a: LineAnalysis) -> bool:
    """The caller reports that what the bot answered did not solve it ("I've looked in
    Subscriptions already. There's nothing there."): SPEC 2's "unresolved", which counts
    towards repeated dissatisfaction and is itself a no-answer."""
    return a.unresolved.found and bool(state.answered)


def _missed_before(state: CallState) -> LineAnalysis | None:
    """The caller's line before this one, when it asked something the KB did not answer."""
    before = state.analyses[-2] if len(state.analyses) >= 2 else None
    return before if before is not None and before.is_question and before.kb.answer is None else None


class TransferPolicy:
    """Evaluates the six transfer rules on each customer line."""

    def __init__(self, settings: BotSettings) -> None:
        self.settings = settings

    def evaluate(self, state: CallState, a: LineAnalysis, turn: int, at: datetime) -> list[TriggerEntry]:
        """New ledger entries for line `a` (already added to `state`), at transcript index `turn`."""
        entries = []
        for rule, evidence, confidence in self._fired(state, a):
            previous = [e for e in state.ledger if e.rule == rule]
            if len(previous) >= MAX_ENTRIES_PER_RULE or any(e.evidence == evidence for e in previous):
                continue
            entries.append(
                TriggerEntry(
                    rule=rule,
                    turn=turn,
                    at=at,
                    evidence=evidence,
                    confidence=round(min(1.0, max(0.0, confidence)), 2),
                )
            )
        return entries

    def _fired(self, state: CallState, a: LineAnalysis) -> Iterator[tuple[TriggerRule, str, float]]:
        s = self.settings
        if a.human.found:
            yield TriggerRule.ASKED_FOR_HUMAN, a.text, a.human.confidence

        levels = [int(x) for x in state.emotion_levels]
        trend = emotion_trend(levels)
        if a.emotion.level >= s.emotion_transfer_level:
            yield TriggerRule.STRONG_EMOTION, a.text, max(0.6, min(1.0, a.emotion.anger or 0.8))
        elif trend.max_rise >= s.emotion_rise and levels[-1] == trend.peak and levels[-1] >= 2:
            yield TriggerRule.STRONG_EMOTION, a.text, 0.7

        kinds = set(a.complexity.kinds)
        complaining = state.complaint or a.emotion.level >= 2 or bool(kinds & COMPLAINT_KINDS)
        if complaining and (kinds & COMPLEX_KINDS or a.complexity.score >= 2):
            yield TriggerRule.COMPLEX_COMPLAINT, a.text, max(0.6, a.complexity.confidence)

        answer_failed = answer_did_not_help(state, a)
        if (a.dissatisfied.found or answer_failed) and state.dissatisfied >= s.dissatisfaction_limit:
            confidence = max(a.dissatisfied.confidence, a.unresolved.confidence if answer_failed else 0.0)
            yield TriggerRule.REPEATED_DISSATISFACTION, a.text, confidence

        # "不用了，我自己去营业厅，再见": what the KB finds in a goodbye is no procedure asked for
        answer = None if a.is_small_talk else a.kb.answer
        if answer is not None and answer.article.procedure:
            yield TriggerRule.NO_ANSWER, f"{answer.article.title}: {a.text}", answer.confidence
        elif answer_failed and not a.dissatisfied.found:
            yield TriggerRule.NO_ANSWER, a.text, a.unresolved.confidence
        elif a.is_question and answer is None and state.unanswered >= 2 and not state.decided:
            # once a person is on the way the bot no longer answers: a line it cannot is no new miss
            yield TriggerRule.NO_ANSWER, a.text, round(1 - a.kb.confidence, 2)
        elif (
            a.human.found
            and state.unanswered >= 1
            and not state.decided
            and (missed := _missed_before(state))
        ):
            # "Can someone ring me back?" right after a question the bot could not answer: it had none
            yield TriggerRule.NO_ANSWER, missed.text, round(1 - missed.kb.confidence, 2)

        if state.tier is Tier.VIP or self._large_order(state):
            needs_human = a.complexity.score >= 1 or (answer is not None and answer.article.procedure)
            if needs_human or (a.is_question and answer is None and state.unanswered >= 1):
                why = "VIP" if state.tier is Tier.VIP else "large order"
                yield TriggerRule.HIGH_VALUE, f"{why}: {a.text}", 0.9 if a.complexity.score else 0.75

    def _large_order(self, state: CallState) -> bool:
        amounts = [v for k, v in state.details.items() if k.startswith("amount")]
        return any(_amount_value(v) >= self.settings.high_value_amount for v in amounts)
