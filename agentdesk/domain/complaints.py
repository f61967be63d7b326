"""The complaint flow (SPEC section 6): contain calm and simple complaints, escalate the rest.

1. The bot collects the core facts and scores emotion (the handoff packet).
2. Calm and simple: the bot offers the standard remedy for the request type and files a
   complaint ticket for the back office to carry it out; the call is contained.
3. Angry or complex: the bot files the ticket too, then transfers with everything it
   learned; routing sends the transfer to senior agents first (gold for a VIP).
4. The agent resolves the ticket with the customer's history at hand.
5. After resolution a survey goes out and its answer closes the loop (see `surveys`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from agentdesk.domain.hours import handoff_note
from agentdesk.domain.models import EmotionLevel, Ticket, TicketNote, TicketPriority, TicketType, Tier
from agentdesk.domain.routing_policy import is_complex, required_skill
from agentdesk.domain.tickets import sla_due
from agentdesk.domain.transfers import HandoffPacket, RationaleReason, TriggerEntry, TriggerRule


class ComplaintPath(StrEnum):
    CONTAIN = "contain"
    """The bot offers the standard remedy and files a ticket."""
    ESCALATE = "escalate"
    """The bot files a ticket and transfers to a senior agent with priority."""


@dataclass(frozen=True, slots=True)
class Remedy:
    """A standard remedy the bot may offer without a human, in both languages."""

    code: str
    en: str
    zh: str

    def text(self, lang: str) -> str:
        """The remedy in `lang` (`zh`, or English for anything else)."""
        return self.zh if lang == "zh" else self.en


DAMAGED_GOODS = "damaged_goods"
"""Complaint subject: goods that arrived damaged or wrong (replace or refund, not a courier trace)."""

REMEDIES: dict[str, Remedy] = {
    r.code: r
    for r in (
        Remedy(
            "billing",
            "We will re-check this bill; any overcharge is refunded to your account within 3 working days.",
            "我们会复核这笔账单，如有多扣费用，将在3个工作日内退回您的账户。",
        ),
        Remedy(
            "data_plans",
            "We will check your data usage records; if the plan was applied wrongly we correct it and credit the difference this month.",
            "我们会核查您的流量使用记录，如套餐计费有误，将在本月内更正并补偿差额。",
        ),
        Remedy(
            "orders_delivery",
            "We will ask the courier to trace the parcel; you will get an update by SMS within 24 hours, and a resend if it is lost.",
            "我们会请快递公司追踪包裹，24小时内短信告知进展，如确认丢失将为您补发。",
        ),
        Remedy(
            DAMAGED_GOODS,
            "Upload photos of the item and its packaging in the app; once they are checked we replace it or refund you within 1 working day, and we pay the postage both ways.",
            "请在App订单页上传商品和外包装的照片，审核通过后1个工作日内为您换货或退款，往返运费由我们承担。",
        ),
        Remedy(
            "refunds",
            "We will chase the refund with the payments team; it should reach your original payment method within 5 working days.",
            "我们会向支付部门催办退款，款项应在5个工作日内退回原支付账户。",
        ),
        Remedy(
            "account_security",
            "We will pass this to our account security team; a specialist will contact you within 24 hours.",
            "我们会将情况转交账户安全团队，专员将在24小时内与您联系。",
        ),
        Remedy(
            "general",
            "We have recorded your complaint; a specialist will contact you within 24 hours.",
            "我们已记录您的投诉，专员将在24小时内与您联系。",
        ),
    )
}
"""Standard remedies by request type (KB category); `general` covers any other type.

Each says what will happen, never that something was already done: the bot only files
the ticket, and the back office carries the remedy out. A complaint about a shop's
staff can land in `account_security` (it mentions a PIN or an ID), so no remedy may
describe an action that would alarm a customer it does not fit."""


def remedy_for(request_type: str, subject: str | None = None) -> Remedy:
    """The standard remedy for what the complaint is about (`subject`, e.g. `damaged_goods` or
    a KB category), else for the call's request type, else the general one."""
    if subject is not None and subject in REMEDIES:
        return REMEDIES[subject]
    return REMEDIES.get(required_skill(request_type), REMEDIES["general"])


@dataclass(frozen=True, slots=True)
class ComplaintDecision:
    """How the bot handles a complaint, and why, readable in both languages."""

    path: ComplaintPath
    reasons: tuple[RationaleReason, ...]
    remedy: Remedy | None
    """What the bot offers when it contains the complaint."""

    @property
    def contained(self) -> bool:
        return self.path is ComplaintPath.CONTAIN


def classify_complaint(
    packet: HandoffPacket,
    *,
    angry_at: EmotionLevel = EmotionLevel.ANGRY,
    subject: str | None = None,
    promised: Remedy | None = None,
) -> ComplaintDecision:
    """Contain a calm, simple complaint with the standard remedy; escalate an angry or complex one.

    Complex means complexity of `routing_policy.COMPLEX_AT` (2) or more, or a complex-complaint
    trigger (dispute, compensation demand, cross-department, regulator or media threat).

    Args:
        packet: what the bot collected, with the emotion score.
        angry_at: emotion level from which the customer counts as angry (the bot's
            `emotion_transfer_level` setting).
        subject: what the complaint is about, when known (`remedy_for`).
        promised: what the bot already promised for this complaint (a KB answer's own
            promise), offered instead of the standard remedy.
    """
    reasons = []
    if packet.emotion_level >= angry_at:
        reasons.append(RationaleReason(code="complaint.angry", en="Customer is angry", zh="客户情绪激动"))
    if is_complex(packet):
        reasons.append(
            RationaleReason(
                code="complaint.complex",
                en="Complex complaint (dispute, compensation, several departments or a threat to go public)",
                zh="复杂投诉（争议、索赔、跨部门或扬言投诉到监管/媒体）",
            )
        )
    if reasons:
        reasons.append(
            RationaleReason(
                code="complaint.escalate",
                en="Transfer with priority to a senior agent",
                zh="优先转接资深坐席",
            )
        )
        return ComplaintDecision(ComplaintPath.ESCALATE, tuple(reasons), None)
    remedy = promised or remedy_for(packet.request_type, subject)
    reason = RationaleReason(
        code="complaint.contain",
        en="Customer is calm and the complaint is simple: the bot offers the standard remedy",
        zh="客户情绪平稳且问题简单：由机器人提供标准补救方案",
    )
    return ComplaintDecision(ComplaintPath.CONTAIN, (reason,), remedy)


def complaint_priority(packet: HandoffPacket, decision: ComplaintDecision) -> TicketPriority:
    """Contained: normal (high for VIP). Escalated: high; urgent when angry and complex."""
    if decision.contained:
        return TicketPriority.HIGH if packet.tier is Tier.VIP else TicketPriority.NORMAL
    codes = {r.code for r in decision.reasons}
    if {"complaint.angry", "complaint.complex"} <= codes:
        return TicketPriority.URGENT
    return TicketPriority.HIGH


def complaint_ticket(
    packet: HandoffPacket, decision: ComplaintDecision, now: datetime, *, call_id: str | None = None
) -> Ticket:
    """The complaint ticket the bot files on either path, with what it learned and decided.

    Contained complaints record the remedy promised; escalated ones record why, and the
    transfer links to the ticket so the agent resolves it.
    """
    lang = "en" if packet.language == "en" else "zh"
    priority = complaint_priority(packet, decision)
    decided = [r.zh if lang == "zh" else r.en for r in decision.reasons]
    if decision.remedy is not None:
        decided.append(("已承诺：" if lang == "zh" else "Promised: ") + decision.remedy.text(lang))
    notes = [
        TicketNote(at=now, author="bot", kind="system", text=text)
        for text in (handoff_note(packet, lang), "\n".join(decided))
        if text
    ]
    return Ticket(
        type=TicketType.COMPLAINT,
        customer_id=packet.customer_id,
        subject=packet.intent or packet.summary or ("投诉" if lang == "zh" else "Complaint"),
        intent=packet.request_type,
        priority=priority,
        created_at=now,
        updated_at=now,
        sla_due=sla_due(TicketType.COMPLAINT, priority, now),
        notes=notes,
        language=lang,
        linked_call_ids=[call_id] if call_id else [],
        promise=decision.remedy.text(lang) if decision.remedy else None,
    )


def escalation_packet(packet: HandoffPacket, decision: ComplaintDecision, now: datetime) -> HandoffPacket:
    """The packet to transfer with, marked so routing treats it as a complaint.

    A complaint that is complex only by its complexity score gets a complex-complaint
    ledger entry, so routing sees a complaint (senior agents first, `complaints` skill
    preferred) whatever its request type; an angry one already routes senior-first on
    emotion.

    Raises:
        ValueError: the decision was to contain the complaint.
    """
    if decision.contained:
        raise ValueError("a contained complaint is not transferred")
    codes = {r.code for r in decision.reasons}
    if "complaint.complex" not in codes or TriggerRule.COMPLEX_COMPLAINT in packet.rules:
        return packet
    entry = TriggerEntry(
        rule=TriggerRule.COMPLEX_COMPLAINT,
        turn=max(0, len(packet.transcript) - 1),
        at=now,
        evidence=f"complexity {packet.complexity}",
    )
    return packet.model_copy(update={"ledger": [*packet.ledger, entry]})
