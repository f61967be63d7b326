"""Transfers from bot to human: the trigger ledger, the handoff packet, the routing rationale."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from agentdesk.domain.models import (
    EmotionLevel,
    Language,
    Model,
    Tier,
    Utterance,
    new_id,
    utcnow,
)
from agentdesk.domain.routing_affinity import CustomerAffinity
from agentdesk.domain.values import Amount, Count, Moment


class TriggerRule(StrEnum):
    """The fixed reasons the bot hands a call to a human (SPEC section 2)."""

    ASKED_FOR_HUMAN = "asked-for-human"
    NO_ANSWER = "no-answer"
    REPEATED_DISSATISFACTION = "repeated-dissatisfaction"
    STRONG_EMOTION = "strong-emotion"
    COMPLEX_COMPLAINT = "complex-complaint"
    HIGH_VALUE = "high-value"


class TriggerEntry(Model):
    """One rule that fired, with what made it fire."""

    rule: TriggerRule
    turn: Count
    """Index of the utterance in the call that fired the rule."""
    at: datetime | None = None
    evidence: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class HandoffPacket(Model):
    """Everything the bot learned, so the customer never repeats themselves (SPEC section 3)."""

    customer_id: str | None = None
    customer_name: str = ""
    tier: Tier = Tier.STANDARD
    language: Language = "zh"
    intent: str = ""
    """The contact reason in the customer's words, short."""
    request_type: str = "general"
    """A KB category slug (billing, data_plans, ...), used to match agent skills."""
    summary: str = ""
    key_sentences: list[str] = Field(default_factory=list)
    transcript: list[Utterance] = Field(default_factory=list)
    emotion_level: EmotionLevel = EmotionLevel.CALM
    emotion_trend: list[EmotionLevel] = Field(default_factory=list)
    bot_answers: list[str] = Field(default_factory=list)
    """What the bot already answered or tried (KB article ids or short texts)."""
    details: dict[str, str] = Field(default_factory=dict)
    """Collected details (order id, phone, amount), masked where sensitive."""
    ledger: list[TriggerEntry] = Field(default_factory=list)
    complexity: int = Field(default=0, ge=0, le=3)
    order_value: Amount | None = None
    prior_ticket_ids: list[str] = Field(default_factory=list)
    prior_contacts: Count = 0
    affinity: CustomerAffinity | None = None
    """The customer's previous agents, so routing can send them back (see `routing_affinity`)."""
    wait_started_at: Moment = Field(default_factory=utcnow)

    @property
    def rules(self) -> list[TriggerRule]:
        """The distinct rules in the ledger, in firing order."""
        seen: list[TriggerRule] = []
        for entry in self.ledger:
            if entry.rule not in seen:
                seen.append(entry.rule)
        return seen


class RationaleReason(Model):
    """One readable reason behind a routing decision, in both UI languages.

    Frozen: routing shares one reason object between many rationales.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str
    en: str
    zh: str


class RoutingRationale(Model):
    """Why a transfer went to an agent."""

    agent_id: str | None = None
    """The agent offered the transfer; None while it stays queued."""
    score: float = 0.0
    stage: int = 0
    """How far the agent pool had widened: 0 preferred level only, higher is wider."""
    reasons: list[RationaleReason] = Field(default_factory=list)
    decided_at: datetime = Field(default_factory=utcnow)

    def lines(self, lang: str) -> list[str]:
        """The reasons as text in `lang` (`zh` or anything else for English)."""
        return [r.zh if lang == "zh" else r.en for r in self.reasons]


class TransferStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


def finishing_status(status: TransferStatus | str) -> TransferStatus:
    """The status a transfer ends in: completed (the agent is done) or abandoned (the customer left)."""
    status = TransferStatus(status)
    if status not in (TransferStatus.COMPLETED, TransferStatus.ABANDONED):
        raise ValueError("a transfer finishes as completed or abandoned")
    return status


class Transfer(Model):
    id: str = Field(default_factory=lambda: new_id("TR"))
    call_id: str | None = None
    status: TransferStatus = TransferStatus.WAITING
    packet: HandoffPacket
    created_at: Moment = Field(default_factory=utcnow)
    queue_rank: float = 0.0
    """Time-invariant sort key: higher is served first (see domain.routing.queue_rank)."""
    offered_to: str | None = None
    offered_at: datetime | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    completed_at: datetime | None = None
    declined_by: list[str] = Field(default_factory=list)
    rationale: RoutingRationale | None = None
    ticket_id: str | None = None

    @property
    def customer_id(self) -> str | None:
        return self.packet.customer_id

    @property
    def tier(self) -> Tier:
        return self.packet.tier

    @property
    def emotion_level(self) -> EmotionLevel:
        return self.packet.emotion_level

    @property
    def request_type(self) -> str:
        return self.packet.request_type

    @property
    def is_open(self) -> bool:
        """Still waiting for, or offered to, an agent."""
        return self.status in (TransferStatus.WAITING, TransferStatus.OFFERED)
