"""The business vocabulary of AgentDesk as pydantic models.

Everything here is pure data: no I/O, no clocks read implicitly except through
`utcnow()` defaults, which callers override in tests and replays.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agentdesk.domain.values import CallSeconds, Moment, StrictBool, Text

Language = Literal["zh", "en", "mixed"]
"""Language of a customer, utterance or article; `mixed` only for detected text."""


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A short random id such as `TK-3F9A0C2B1D` (collision odds ~1e-12 per pair)."""
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


class Model(BaseModel):
    """Base for every domain model: tolerant of unknown fields from newer stores."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)


class Tier(StrEnum):
    STANDARD = "standard"
    GOLD = "gold"
    VIP = "vip"


class AgentLevel(StrEnum):
    JUNIOR = "junior"
    SENIOR = "senior"
    GOLD = "gold"

    @property
    def rank(self) -> int:
        """0 for junior, 1 for senior, 2 for gold."""
        return list(AgentLevel).index(self)


class AgentStatus(StrEnum):
    AVAILABLE = "available"
    BUSY = "busy"
    AWAY = "away"
    OFFLINE = "offline"


class Speaker(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class EmotionLevel(IntEnum):
    CALM = 0
    MILD = 1
    UPSET = 2
    ANGRY = 3


class Contact(Model):
    """One way to reach a customer."""

    kind: Literal["phone", "email", "wechat"]
    value: str


class BillItem(Model):
    label: str
    amount: float


class Bill(Model):
    """One monthly bill, as the bot reads it out in a bill lookup."""

    month: str
    """`YYYY-MM`."""
    total: float
    items: list[BillItem] = Field(default_factory=list)
    due: str | None = None
    paid: bool = True


class Order(Model):
    """An order from the online shop, as the bot reads it out in an order-status lookup."""

    id: str
    placed: str
    items: list[str] = Field(default_factory=list)
    amount: float = 0.0
    status: Literal["processing", "shipped", "out_for_delivery", "delivered", "cancelled", "returned"]
    carrier: str | None = None
    tracking: str | None = None
    eta: str | None = None
    """Expected delivery date, `YYYY-MM-DD`."""


class Customer(Model):
    id: str
    name: str
    tier: Tier = Tier.STANDARD
    language: Language = "zh"
    contacts: list[Contact] = Field(default_factory=list)
    id_number: str | None = None
    """National ID or passport number: sensitive, masked in displays."""
    account_no: str | None = None
    card_last4: str | None = None
    plan: str | None = None
    since: str | None = None
    notes: str = ""
    currency: str = "CNY"
    balance: float | None = None
    """Prepaid balance or account credit, in `currency`."""
    bills: list[Bill] = Field(default_factory=list)
    """Recent bills, newest first."""
    orders: list[Order] = Field(default_factory=list)
    """Recent shop orders, newest first."""

    @property
    def phone(self) -> str | None:
        """The first phone contact, if any."""
        return next((c.value for c in self.contacts if c.kind == "phone"), None)

    @property
    def email(self) -> str | None:
        """The first email contact, if any."""
        return next((c.value for c in self.contacts if c.kind == "email"), None)


class Agent(Model):
    id: str
    name: str
    level: AgentLevel = AgentLevel.JUNIOR
    skills: list[str] = Field(default_factory=list)
    languages: list[Literal["zh", "en"]] = Field(default_factory=lambda: ["zh"])
    status: AgentStatus = AgentStatus.AVAILABLE
    capacity: int = Field(default=1, ge=0)
    active_calls: int = Field(default=0, ge=0)
    """Transfers the agent holds now; computed by the store, never written by clients."""

    @property
    def free_slots(self) -> int:
        """How many more calls the agent can take."""
        return max(0, self.capacity - self.active_calls)


class CallStatus(StrEnum):
    BOT = "bot"
    QUEUED = "queued"
    AGENT = "agent"
    ENDED = "ended"


class BotMode(StrEnum):
    NORMAL = "normal"
    COLLECT_ONLY = "collect_only"
    SEND_SURVEY = "send_survey"
    END_POLITELY = "end_politely"


class Utterance(Model):
    """One line of a call, from any speaker; partial lines are revisable."""

    id: str = Field(default_factory=lambda: new_id("U"))
    call_id: str = ""
    seq: int = 0
    """Position in the call, assigned by the store on append."""
    speaker: Speaker
    text: str
    start: CallSeconds | None = None
    """Seconds from the start of the call."""
    end: CallSeconds | None = None
    final: StrictBool = True
    language: Language | None = None
    emotion: EmotionLevel | None = None
    at: Moment = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Utterance:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end} s) lies before start ({self.start} s)")
        return self

    def require_text(self, field: str = "text") -> Utterance:
        """This line, when it says something: a line is never saved blank.

        The model itself allows empty text: a speech `Final` that found nothing after its
        partials is how the transcriber takes them back, and stores written before this
        rule may hold such lines. Only saving one is refused.

        Args:
            field: where the line's text is in the record being saved (for the error).

        Raises:
            BlankLine: the text is empty or only white space.
        """
        if not self.text.strip():
            raise BlankLine(self.id, call_id=self.call_id, field=field)
        return self


class BlankLine(ValueError):
    """A transcript line with no text was to be saved.

    Attributes:
        line_id: the line's id.
        call_id: the call the line belongs to ("" when not known).
        field: where the blank text is in the record being saved: `text` for a line
            itself, e.g. `packet.transcript.2.text` for a line of a transfer's packet.
    """

    def __init__(self, line_id: str, *, call_id: str = "", field: str = "text") -> None:
        super().__init__(
            f"transcript line {line_id} has no text; a line is never saved blank: take back a"
            " partial line that came to nothing instead"
        )
        self.line_id = line_id
        self.call_id = call_id
        self.field = field


class Call(Model):
    id: str = Field(default_factory=lambda: new_id("CALL"))
    customer_id: str | None = None
    language: Language = "zh"
    status: CallStatus = CallStatus.BOT
    bot_mode: BotMode = BotMode.NORMAL
    started_at: Moment = Field(default_factory=utcnow)
    ended_at: Moment | None = None
    agent_id: str | None = None
    outcome: Literal["contained", "transferred", "callback", "abandoned"] | None = None
    source: str = "api"
    """Where the call came from: `api`, `demo`, `sample:<id>`, `history`."""

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Call:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError(
                f"ended_at ({self.ended_at.isoformat()}) lies before started_at ({self.started_at.isoformat()})"
            )
        return self


class KBArticle(Model):
    id: str
    language: Literal["zh", "en"]
    category: str
    title: str
    questions: list[str] = Field(default_factory=list)
    answer: str
    tags: list[str] = Field(default_factory=list)
    procedure: bool = False
    """True when the article only explains; a human must carry out the procedure."""
    lookup: Literal["balance", "bill_lookup", "order_status"] | None = None
    """A lookup on the caller's own account that answers this article's question (查余额,
    "where's my order?"): the bot says its result before the article, so the caller hears
    their figure, not only where to find it."""
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class TicketType(StrEnum):
    CONSULTATION = "consultation"
    COMPLAINT = "complaint"
    CALLBACK = "callback"
    FOLLOW_UP = "follow-up"


class TicketStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


class TicketPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketNote(Model):
    """One append-only entry of a ticket's history."""

    at: Moment = Field(default_factory=utcnow)
    author: str
    text: str
    kind: Literal["note", "status", "system"] = "note"


class Ticket(Model):
    id: str = Field(default_factory=lambda: new_id("TK"))
    type: TicketType = TicketType.CONSULTATION
    status: TicketStatus = TicketStatus.NEW
    customer_id: str | None = None
    subject: Text
    intent: str = ""
    priority: TicketPriority = TicketPriority.NORMAL
    assignee_id: str | None = None
    created_at: Moment = Field(default_factory=utcnow)
    updated_at: Moment = Field(default_factory=utcnow)
    sla_due: Moment | None = None
    notes: list[TicketNote] = Field(default_factory=list)
    disposition: str | None = None
    linked_call_ids: list[str] = Field(default_factory=list)
    survey_id: str | None = None
    promise: str | None = None
    """What the customer was promised, e.g. a callback before 10:00 next business day."""
    language: Literal["zh", "en"] = "zh"


class SurveyStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"


class Survey(Model):
    id: str = Field(default_factory=lambda: new_id("SV"))
    ticket_id: str | None = None
    customer_id: str | None = None
    call_id: str | None = None
    status: SurveyStatus = SurveyStatus.PENDING
    score: int | None = Field(default=None, ge=1, le=5)
    comment: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    answered_at: datetime | None = None


class FeedbackReason(StrEnum):
    MISHEARD = "misheard"
    WRONG_ANSWER = "wrong_answer"
    WRONG_TRANSFER = "wrong_transfer"
    UNNEEDED_TRANSFER = "unneeded_transfer"
    OTHER = "other"


class FeedbackStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class BotFeedback(Model):
    """An agent's flag on a specific bot utterance, reviewed by a trainer or KB editor."""

    id: str = Field(default_factory=lambda: new_id("FB"))
    call_id: str
    utterance_id: str | None = None
    utterance_text: str = ""
    reason: FeedbackReason
    correct_article_id: str | None = None
    correct_text: str = ""
    note: str = ""
    flagged_by: str
    attribution: Literal["bot", "human"] = "bot"
    status: FeedbackStatus = FeedbackStatus.OPEN
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(Model):
    """One change in the store: the change feed and the audit trail are the same record."""

    seq: int
    at: datetime
    actor: str
    kind: str
    """`<entity>.<verb>`, e.g. `ticket.created`, `transfer.claimed`."""
    entity_id: str
    data: dict[str, object] = Field(default_factory=dict)

    @property
    def entity(self) -> str:
        """The entity part of `kind`."""
        return self.kind.split(".", 1)[0]


class TrainingDecision(Model):
    """One decision point of a trainer session: what the trainee chose against what was expected."""

    point: str
    """What was decided: `outcome`, `agent_level`, `ticket_type`, `hand_back`, or `turn:<n>`."""
    turn: int | None = None
    """The script turn the decision was taken at, when it belongs to one."""
    chosen: str
    expected: str
    correct: bool


class TrainingResult(Model):
    """A trainee's run through one sample call, scored against its expected outcome."""

    id: str = Field(default_factory=lambda: new_id("TRN"))
    trainee: str
    """Agent id of the trainee."""
    script_id: str
    language: Literal["zh", "en"] = "zh"
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    decisions: list[TrainingDecision] = Field(default_factory=list)

    @property
    def score(self) -> float:
        """Share of decisions that were right (0.0 with none)."""
        return sum(d.correct for d in self.decisions) / len(self.decisions) if self.decisions else 0.0
