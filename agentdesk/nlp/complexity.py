"""Complexity of a customer's request: 0 (simple) .. 3 (needs a senior human), with reasons.

Reasons (SPEC 2, complex-complaint; SPEC 4, routing priority):
    dispute: the customer contests a charge or a decision (乱扣费, "I never authorised").
    compensation: the customer demands compensation (赔偿, "compensate me", 承担损失,
        "I want that cost covered"), or claims a loss they blame on us in a
        sentence that asks no question ("..., plus the bank's overdraft fee!",
        手续费也要退给我).
    multiple_issues: several issues in one request (还有一个问题, "another thing"),
        or a weak marker (另外, 而且, "also", "and check") in a line naming two
        request categories, or one the caller's earlier lines did not.
    cross_department: the customer was passed around (踢皮球, "transferred three
        times"), or several issues belong to different teams.
    threat: a threat to go to a regulator, the media or court (工信部, 12315, Ofcom).

A negated demand or threat (我不要赔偿, 我不会去工信部投诉, "I'm not asking for
compensation") is no reason.

The score is the sum of reason weights (threat 2, others 1), capped at 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from agentdesk.nlp.categories import category_matcher
from agentdesk.nlp.cues import Cue, CueMatcher, negates, window_before
from agentdesk.nlp.lexicon import weighted_words, word_list
from agentdesk.nlp.text import normalise

__all__ = ["Complexity", "ComplexityReason", "assess_complexity"]

_REASON_WEIGHT = {"threat": 2, "dispute": 1, "compensation": 1, "multiple_issues": 1, "cross_department": 1}
_NEGATABLE = frozenset({"compensation", "threat"})
"""Reasons a negator cancels: "I don't want compensation" demands nothing, 我不会去工信部 threatens nothing."""
_CUE_MIN = 0.6  # weaker cues (另外, "also") only count alongside a second signal
_LOSS_CLAIM = 0.7  # a claimed loss ("plus the overdraft fee") as a compensation demand
_SENTENCE = re.compile(r"[^.!?;。！？；\n]+[.!?;。！？；\n]*")
# Which team handles each category; two teams in one request is cross-department.
_TEAM = {
    "billing": "finance",
    "refunds": "finance",
    "data_plans": "product",
    "orders_delivery": "logistics",
    "account_security": "security",
    "complaint_policy": "complaints",
}


@dataclass(frozen=True)
class ComplexityReason:
    """One reason a request is complex, with the words that showed it."""

    kind: str
    evidence: tuple[str, ...]
    confidence: float
    from_issues: bool = False
    """Read from the several issues the line raises (teams of a second issue), not said."""


@dataclass(frozen=True)
class Complexity:
    """Complexity score (0..3) and its reasons.

    Attributes:
        score: 0 simple .. 3 very complex.
        reasons: why, strongest first.
        confidence: the strongest reason's confidence (0 when simple).
    """

    score: int
    reasons: tuple[ComplexityReason, ...] = ()
    confidence: float = 0.0

    @property
    def kinds(self) -> set[str]:
        """The reason kinds present."""
        return {r.kind for r in self.reasons}

    def one_issue(self) -> Complexity:
        """This complexity once one of several issues is dealt with (the bot answers it): no
        several issues, nor the teams read from them."""
        kept = tuple(r for r in self.reasons if r.kind != "multiple_issues" and not r.from_issues)
        return Complexity(
            score=min(3, sum(_REASON_WEIGHT[r.kind] for r in kept)),
            reasons=kept,
            confidence=max((r.confidence for r in kept), default=0.0),
        )


@cache
def _matcher() -> CueMatcher:
    kinds: dict[str, dict[str, float]] = {}
    for kind in ("dispute", "compensation", "cross_department", "multiple_issues"):
        kinds[kind] = {**weighted_words("intents.zh", kind), **weighted_words("intents.en", kind)}
    # Threats share the emotion lexicon's list; weights there are emotion weights, so
    # every threat cue gets the same high confidence here.
    threats = {**weighted_words("emotion.zh", "threat"), **weighted_words("emotion.en", "threat")}
    kinds["threat"] = dict.fromkeys(threats, 0.9)
    return CueMatcher(kinds)


@cache
def _negators() -> tuple[str, ...]:
    words = {
        normalise(w) for lang in ("zh", "en") for w in word_list(f"intents.{lang}", "complexity_negators")
    }
    return tuple(sorted(words, key=len, reverse=True))


def _negated(norm: str, cue: Cue) -> bool:
    """A negator just before the cue: 我不要赔偿, 我不会去工信部, "I'm not asking for compensation"."""
    window = window_before(norm, cue.start, 0, han_chars=6, words=4)
    return any(negates(window, cue.text, n) for n in _negators())


@cache
def _loss() -> tuple[CueMatcher, CueMatcher]:
    def both(key: str) -> dict[str, float]:
        return dict.fromkeys(word_list("intents.zh", key) + word_list("intents.en", key), 1.0)

    return CueMatcher({"loss": both("loss")}), CueMatcher({"claim": both("loss_claim")})


def _claimed_losses(text: str) -> list[Cue]:
    """Loss and claim cues from the sentences that claim a loss and ask no question."""
    losses, claims = _loss()
    out: list[Cue] = []
    for m in _SENTENCE.finditer(normalise(text).replace("’", "'")):
        sentence = m.group()
        if "?" in sentence or "？" in sentence:
            continue
        loss, claim = losses.find(sentence), claims.find(sentence)
        if loss and claim:
            out += [*loss, *claim]
    return out


def _categories(text: str) -> set[str]:
    return {c.kind for c in category_matcher().search(text)}


def assess_complexity(text: str, *, context: Sequence[str] = ()) -> Complexity:
    """How complex one customer line (or a joined turn history) is, with reasons.

    Args:
        text: the customer's line.
        context: the caller's earlier lines in this call, newest last. A weak
            marker of a further request ("and check ...", 顺便) in `text` counts
            as a second issue when `text` names a request category those lines
            did not, and their teams count toward cross-department.
    """
    found: dict[str, list[Cue]] = {}
    norm = normalise(text).replace("’", "'")
    for cue in _matcher().find(norm):
        if cue.kind in _NEGATABLE and _negated(norm, cue):
            continue
        found.setdefault(cue.kind, []).append(cue)
    categories = _categories(text)
    earlier: set[str] = set()
    for line in context:
        earlier |= _categories(line)
    new_topic = bool(earlier) and bool(categories - earlier)

    reasons: list[ComplexityReason] = []
    for kind, cues in found.items():
        best = max(c.weight for c in cues)
        # weak markers (另外, "also") count only when the line names two request
        # types, or a new one after the caller's earlier lines
        if best < _CUE_MIN and not (kind == "multiple_issues" and (len(categories) >= 2 or new_topic)):
            continue
        reasons.append(ComplexityReason(kind, tuple(c.text for c in cues), best))
    kinds = {r.kind for r in reasons}
    if "compensation" not in kinds and (claimed := _claimed_losses(text)):
        reasons.append(ComplexityReason("compensation", tuple(c.text for c in claimed), _LOSS_CLAIM))
        kinds.add("compensation")
    in_call = categories | earlier if new_topic else categories
    teams = {_TEAM[c] for c in in_call if c in _TEAM}
    if "logistics" in teams:  # a complaint about an order is the order team's (with its complaint process)
        teams.discard("complaints")
    # Two request types alone are often a contrast ("the shop order, not my phone
    # bill"); with an explicit second issue they span teams.
    if "multiple_issues" in kinds and len(teams) >= 2 and "cross_department" not in kinds:
        reasons.append(ComplexityReason("cross_department", tuple(sorted(teams)), 0.55, from_issues=True))
    reasons.sort(key=lambda r: (-_REASON_WEIGHT[r.kind], -r.confidence))
    score = min(3, sum(_REASON_WEIGHT[r.kind] for r in reasons))
    return Complexity(
        score=score, reasons=tuple(reasons), confidence=max((r.confidence for r in reasons), default=0.0)
    )
