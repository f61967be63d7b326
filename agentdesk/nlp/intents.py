"""Detectors the bot's transfer rules read: request for a human, dissatisfaction, request type.

Every detector returns the cue it matched (evidence for the trigger ledger) and
a confidence in [0, 1]. Cues live in `assets/lexicons/intents.{zh,en}.yaml`.
Complexity (disputes, compensation, several issues) is in `complexity.py`.
What a line does in the conversation (closing, acknowledging, "still not
solved", complaining) is in `moves.py` and re-exported here, so the bot reads
every line detector from one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from agentdesk.nlp.categories import category_matcher
from agentdesk.nlp.cues import Cue, CueMatcher, in_window, negates, window_before
from agentdesk.nlp.detection import FOUND as _FOUND
from agentdesk.nlp.detection import Detection
from agentdesk.nlp.lexicon import weighted_words, word_list
from agentdesk.nlp.moves import detect_acknowledgement, detect_closing, detect_complaint, detect_unresolved
from agentdesk.nlp.text import normalise

__all__ = [
    "CATEGORIES",
    "Detection",
    "RequestType",
    "classify_request",
    "detect_acknowledgement",
    "detect_closing",
    "detect_complaint",
    "detect_dissatisfaction",
    "detect_human_request",
    "detect_unresolved",
]

CATEGORIES = (
    "billing",
    "data_plans",
    "orders_delivery",
    "refunds",
    "account_security",
    "complaint_policy",
    "general",
)
"""KB category slugs a customer line can be classified into; `general` is the fallback."""

_VERB_BONUS = 0.25


@dataclass(frozen=True)
class RequestType:
    """The KB category a customer line is about.

    Attributes:
        category: one of `CATEGORIES`.
        confidence: 0..1.
        evidence: keywords (and the KB article id, when retrieval voted) behind it.
        scores: category -> raw score, for diagnostics.
    """

    category: str
    confidence: float
    evidence: tuple[str, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)


def _both(key: str) -> dict[str, float]:
    return {**weighted_words("intents.zh", key), **weighted_words("intents.en", key)}


def _list(key: str) -> tuple[str, ...]:
    items = {normalise(w) for lang in ("zh", "en") for w in word_list(f"intents.{lang}", key)}
    return tuple(sorted(items, key=len, reverse=True))


@dataclass(frozen=True)
class _HumanLexicon:
    matcher: CueMatcher
    not_human: CueMatcher
    negators: tuple[str, ...]
    reinstate: tuple[str, ...]
    verbs: tuple[str, ...]
    bare: frozenset[str]
    """Fillers around a cue that make up a whole line ("Agent, please." / 人工啊)."""


@cache
def _human() -> _HumanLexicon:
    return _HumanLexicon(
        matcher=CueMatcher({"human_request": _both("human_request")}),
        not_human=CueMatcher({"not": dict.fromkeys(_list("not_human_request"), 1.0)}),
        negators=_list("negators"),
        reinstate=_list("reinstate"),
        verbs=_list("request_verbs"),
        bare=frozenset(_list("bare_fillers")),
    )


_PUNCT = re.compile(r"[\s,.;:!?，。；：！？、…~～'\"“”]+")


def _is_bare(norm: str, cue: Cue, fillers: frozenset[str]) -> bool:
    """The line is the cue alone, give or take please and filler: "Agent!", "An agent, please."."""
    rest = _PUNCT.sub(" ", norm[: cue.start] + " " + norm[cue.end :]).split()
    return all(w in fillers for w in rest)


def detect_human_request(text: str) -> Detection:
    """Whether the customer asks for a person (人工, 转人工, "a real person", "agent" ...).

    Negated requests (不要人工, 不用转人工, "no need for an agent") do not count,
    but a complaint about not getting one (为什么不能转人工, "why can't I talk
    to a human") does. Weak cues (客服, agent) need a request verb before them
    (找客服, "get me an agent") or a line of their own ("Agent!", 客服呢) to
    reach full confidence. Words that only contain a cue ("human error",
    "which operator will my phone use", "my supervisor at work") ask for nobody.
    """
    lex = _human()
    norm = normalise(text).replace("’", "'")
    excluded = [(x.start, x.end) for x in lex.not_human.find(norm)]
    kept: list[Cue] = []
    cancelled: list[Cue] = []
    floor = 0
    for cue in lex.matcher.find(norm):
        if any(cue.start < e and s < cue.end for s, e in excluded):
            continue
        window = window_before(norm, cue.start, floor, han_chars=5, words=4)
        floor = cue.end
        # a negator may share characters with the cue: 不要人工 matches 要人工 after 不
        negated = any(negates(window, cue.text, n) for n in lex.negators) and not any(
            in_window(window, r) for r in lex.reinstate
        )
        if negated:
            cancelled.append(Cue(cue.kind, cue.text, cue.start, cue.end, 0.0, True))
            continue
        weight = cue.weight
        if weight < 0.9 and _is_bare(norm, cue, lex.bare):
            weight = 0.9
        elif weight < 0.9 and any(in_window(window, v) for v in lex.verbs):
            weight = min(0.95, weight + _VERB_BONUS)
        kept.append(Cue(cue.kind, cue.text, cue.start, cue.end, weight))
    confidence = max((c.weight for c in kept), default=0.0)
    ranked = sorted(kept, key=lambda c: -c.weight)
    return Detection(
        found=confidence >= _FOUND,
        confidence=round(confidence, 3),
        evidence=tuple(c.text for c in ranked),
        cues=tuple(sorted([*kept, *cancelled], key=lambda c: c.start)),
    )


@cache
def _dissatisfaction() -> tuple[CueMatcher, CueMatcher, tuple[str, ...]]:
    return (
        CueMatcher({"dissatisfaction": _both("dissatisfaction")}),
        CueMatcher({"not": dict.fromkeys(_list("not_dissatisfaction"), 1.0)}),
        _list("dissatisfaction_negators"),
    )


def detect_dissatisfaction(text: str) -> Detection:
    """Whether the customer says the bot's answer did not help (没用, 答非所问, "that's not what I asked").

    A cue inside a longer word that means something else (流量没用完, 对不对) or
    after a negator (我不是说你答得不对) does not count. Confidence is the
    strongest cue's, raised a little for each further cue.
    """
    matcher, not_matcher, negators = _dissatisfaction()
    norm = normalise(text).replace("’", "'")
    excluded = [(x.start, x.end) for x in not_matcher.find(norm)]
    cues = []
    for cue in matcher.find(norm):
        if any(cue.start < e and s < cue.end for s, e in excluded):
            continue
        window = window_before(norm, cue.start, 0, han_chars=6, words=4)
        if any(negates(window, cue.text, n) for n in negators):
            continue
        cues.append(cue)
    if not cues:
        return Detection(False, 0.0)
    ranked = sorted(cues, key=lambda c: -c.weight)
    confidence = min(0.99, ranked[0].weight + 0.05 * (len(ranked) - 1))
    return Detection(confidence >= _FOUND, round(confidence, 3), tuple(c.text for c in ranked), tuple(cues))


@cache
def _damaged_goods() -> tuple[CueMatcher, tuple[str, ...]]:
    return CueMatcher({"damaged_goods": dict.fromkeys(_list("damaged_goods"), 1.0)}), _list(
        "damaged_goods_negators"
    )


def detect_damaged_goods(text: str) -> Detection:
    """Whether the customer says goods arrived damaged or wrong (外壳是裂的, "arrived cracked", 发错货).

    A negated cue ("the box wasn't damaged", 没有破损) does not count.
    """
    matcher, negators = _damaged_goods()
    norm = normalise(text).replace("’", "'")
    cues = [
        cue
        for cue in matcher.find(norm)
        if not any(
            negates(window_before(norm, cue.start, han_chars=3, words=2), cue.text, n) for n in negators
        )
    ]
    if not cues:
        return Detection(False, 0.0)
    return Detection(True, 0.9, tuple(c.text for c in cues), tuple(cues))


def classify_request(text: str, kb_result: object | None = None) -> RequestType:
    """Map a customer line to a KB category slug, optionally helped by KB retrieval.

    Args:
        text: the customer's words.
        kb_result: a `kb.KBResult` for the same words; its best match votes for
            its article's category in proportion to its confidence.

    Returns:
        The best category, or `general` with low confidence when nothing points anywhere.
    """
    scores: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    evidence: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for cue in category_matcher().search(text):
        if cue.kind in scores:
            scores[cue.kind] += cue.weight
            evidence[cue.kind].append(cue.text)
    best = getattr(kb_result, "best", None)
    if best is not None and best.article.category in scores and best.confidence > 0.2:
        scores[best.article.category] += 2.0 * best.confidence
        evidence[best.article.category].append(f"kb:{best.article.id}")
    total = sum(scores.values())
    if total <= 0:
        return RequestType("general", 0.3, (), scores)
    category = max(scores, key=lambda c: scores[c])
    # share of the evidence, damped when there is little of it
    confidence = scores[category] / total * min(1.0, 0.5 + 0.25 * scores[category])
    return RequestType(category, round(confidence, 3), tuple(evidence[category]), scores)
