"""The handoff packet builder (SPEC section 3): everything the bot learned, so nobody asks twice."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.state import CallState
from agentdesk.domain.complaints import DAMAGED_GOODS
from agentdesk.domain.masking import mask_lines, mask_quoting, mask_text
from agentdesk.domain.models import EmotionLevel
from agentdesk.domain.routing_policy import COMPLAINT_REQUEST_TYPES
from agentdesk.domain.transfers import HandoffPacket, TriggerEntry
from agentdesk.nlp.intents import detect_damaged_goods
from agentdesk.nlp.moves import strip_preamble

MAX_KEY_SENTENCES = 3
_SENTENCE_END = re.compile(r"(?<=[。！？!?.])\s*")


def _weight(a: LineAnalysis, first: bool) -> float:
    """How much a customer line tells the agent: the request, facts, trouble signals."""
    if a.is_small_talk:
        return -1.0
    return (
        1.5 * first
        + 2.0 * bool(a.details)
        + 1.0 * a.complexity.score
        + 1.0 * a.complaint.found
        + 0.75 * int(a.emotion.level)
        + 1.0 * a.human.found
        + 0.5 * (a.kb.answer is None)
        + min(len(a.text), 60) / 60
    )


def key_sentences(
    analyses: Sequence[LineAnalysis], limit: int = MAX_KEY_SENTENCES, said: Sequence[str] | None = None
) -> list[str]:
    """The customer lines that carry the case, in the order they were said, masked: a number
    read out over two lines is masked as one even when only one of them is picked (`said`:
    the lines masked together, when the caller has them already)."""
    scored = [(_weight(a, i == 0), i) for i, a in enumerate(analyses)]
    best = sorted((i for w, i in sorted(scored, reverse=True)[:limit] if w > 0))
    said = said if said is not None else mask_lines([a.text for a in analyses])
    return [said[i] for i in best]


def _votes(analyses: Sequence[LineAnalysis]) -> Counter[str]:
    """KB category votes of the caller's lines, each as strong as its evidence.

    Thanks and goodbyes do not vote: a KB hit on 没有了，谢谢 says nothing about the case;
    nor does a request for a person that names no topic (對，人工服務 matching an article
    about callbacks).
    """
    votes: Counter[str] = Counter()
    for a in analyses:
        if a.is_small_talk or (a.human.found and all(e.startswith("kb:") for e in a.request.evidence)):
            continue
        if a.request.category != "general":
            votes[a.request.category] += a.request.confidence + (0.5 if a.kb.answer else 0.0)
    return votes


def request_type(analyses: Sequence[LineAnalysis]) -> str:
    """The KB category the call is mostly about (`general` when nothing stands out)."""
    votes = _votes(analyses)
    return votes.most_common(1)[0][0] if votes else "general"


def complaint_subject(analyses: Sequence[LineAnalysis]) -> str | None:
    """What a complaint is about, for its remedy: `damaged_goods` when the caller says goods
    arrived damaged or wrong, else the category with most votes other than complaint ones
    (投诉 names the act of complaining, not its subject), or None when nothing else stands out."""
    if any(detect_damaged_goods(a.text).found for a in analyses):
        return DAMAGED_GOODS
    votes = [(n, c) for c, n in _votes(analyses).items() if c not in COMPLAINT_REQUEST_TYPES]
    return max(votes)[1] if votes else None


def intent(analyses: Sequence[LineAnalysis], max_chars: int = 48, said: Sequence[str] | None = None) -> str:
    """The contact reason in the customer's words: their first real request, one sentence."""
    masked = said if said is not None else mask_lines([a.text for a in analyses])
    for a, said_line in zip(analyses, masked, strict=True):
        if a.is_small_talk:
            continue
        # masked before it is cut short: a cut number ("card 4929 1…") no longer looks like one
        text = strip_preamble(said_line)  # "Good morning. Quick one." is no contact reason
        sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        pick = next((s for s in sentences if len(s) > 6), text)
        return pick if len(pick) <= max_chars else pick[: max_chars - 1] + "…"
    return ""


def complaint_intent(analyses: Sequence[LineAnalysis]) -> str:
    """What a complaint ticket is about in the customer's words: the contact reason from the
    line that first complains on ("I'd like to complain about order …"), not a question the
    bot answered before it ("Do I pay for delivery?")."""
    start = next((i for i, a in enumerate(analyses) if a.complaint.found), 0)
    said = mask_lines([a.text for a in analyses])
    return intent(analyses[start:], said=said[start:])


def _masked_evidence(
    ledger: Sequence[TriggerEntry], lines: Sequence[str], said: Sequence[str]
) -> list[TriggerEntry]:
    """The ledger with each quoted customer line as the packet shows it: a half of a number
    read out over two lines is masked as part of the whole."""
    out = []
    for e in ledger:
        evidence = mask_quoting(e.evidence, lines, said)
        out.append(e if evidence == e.evidence else e.model_copy(update={"evidence": evidence}))
    return out


def build_packet(
    state: CallState,
    *,
    titles: dict[str, str] | None = None,
    prior_ticket_ids: Sequence[str] = (),
    prior_contacts: int = 0,
    wait_started_at: datetime | None = None,
) -> HandoffPacket:
    """Assemble the packet from the call so far; sensitive numbers in details are masked.

    Args:
        titles: KB article id -> title, so the agent reads what the bot answered.
    """
    analyses = state.analyses
    levels = state.emotion_levels
    lines = [a.text for a in analyses]
    said = mask_lines(lines)  # once: key sentences, request and evidence show the same masking
    sentences = key_sentences(analyses, said=said)
    customer = state.customer
    answered = [(titles or {}).get(a, a) for a in state.answered]
    amounts = [
        float(re.sub(r"[^\d.]", "", v) or 0) for k, v in state.details.items() if k.startswith("amount")
    ]
    # the value on record of an order the caller named counts as much as an amount they said
    named = {v for k, v in state.details.items() if k.startswith("order_id")}
    amounts += [o.amount for o in (customer.orders if customer else []) if o.id in named and o.amount]
    summary = " / ".join(sentences)
    if answered:
        summary += (" | 机器人已答复：" if state.language == "zh" else " | Bot answered: ") + "; ".join(
            answered
        )
    return HandoffPacket(
        customer_id=customer.id if customer else None,
        customer_name=customer.name if customer else "",
        tier=state.tier,
        language=state.language if state.language in ("zh", "en", "mixed") else "zh",  # type: ignore[arg-type]
        intent=intent(analyses, said=said),
        request_type=request_type(analyses),
        summary=mask_text(summary),
        key_sentences=sentences,
        transcript=list(state.utterances),
        emotion_level=EmotionLevel(max(levels[-3:])) if levels else EmotionLevel.CALM,
        emotion_trend=list(levels),
        bot_answers=answered,
        details={k: mask_text(v) for k, v in state.details.items()},
        ledger=_masked_evidence(state.ledger, lines, said),
        complexity=max((a.complexity.score for a in analyses), default=0),
        order_value=max(amounts) if amounts else None,
        prior_ticket_ids=list(prior_ticket_ids),
        prior_contacts=prior_contacts,
        wait_started_at=wait_started_at
        or (state.utterances[-1].at if state.utterances else state.started_at),
    )
