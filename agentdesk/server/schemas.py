"""Request and response bodies of the API that are not domain models themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from agentdesk.domain.models import AgentStatus, KBArticle, TicketPriority, TicketStatus, TicketType
from agentdesk.domain.transfers import RoutingRationale
from agentdesk.domain.values import Text
from agentdesk.server.bodies import Strict

T = TypeVar("T")


class Body(BaseModel):
    """A request body: unknown fields are errors, so typos do not pass silently.

    Domain records inside one are `Strict[...]` for the same reason (domain models on their
    own ignore unknown fields).
    """

    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    """One window of a long list, with the total so clients can page."""

    items: list[T]
    total: int
    """How many match the filters in all."""
    limit: int
    offset: int


class StatusChange(Body):
    status: AgentStatus


class ClaimRequest(Body):
    agent_id: str = Field(min_length=1)
    """Who takes the transfer; an agent may only claim for themselves."""
    rationale: Strict[RoutingRationale] | None = None


class OfferRequest(Body):
    agent_id: str = Field(min_length=1)
    rationale: Strict[RoutingRationale]


class DeclineRequest(Body):
    agent_id: str = Field(min_length=1)


class FinishRequest(Body):
    ticket_id: str | None = None
    """The ticket the agent filed for the call, if any."""


class TicketPatch(Body):
    """Changes to a ticket, applied in one step (fields left out stay as they are)."""

    status: TicketStatus | None = None
    """Moves through the lifecycle; an illegal move is refused with 422 and nothing changes."""
    note: str | None = None
    """Appended to the history (never edits earlier notes)."""
    assignee_id: str | None = None
    disposition: str | None = None
    priority: TicketPriority | None = None
    type: TicketType | None = None
    subject: Text | None = None
    """A new subject; never empty."""
    survey_id: str | None = None
    link_call_id: str | None = None


class ReviewRequest(Body):
    accepted: bool
    reviewer: str | None = None
    """Who reviewed; defaults to the caller."""
    article: Strict[KBArticle] | None = None
    """The corrected article, saved with an accepted review in the same step."""
    attribution: Literal["bot", "human"] | None = None
    """Re-attribute the failure to the bot or a human; unchanged when absent."""
    note: str = ""
    """The reviewer's remark, appended to the flag's note."""


class KBHitOut(BaseModel):
    """One article the bot's own KB index finds for the text, best first."""

    article: KBArticle
    score: float
    """The index's raw rank score (language-weighted BM25); only comparable within one query."""
    confidence: float
    """Calibrated probability in [0, 1] that the article answers the text, as the bot reads it."""
    above_threshold: bool
    """The confidence reaches the bot's answer threshold (`bot.kb_threshold`)."""
    bot_answers: bool
    """The bot would reply with this article (the top hit, when it reaches the threshold)."""


class Seq(BaseModel):
    seq: int
    """The last change-feed sequence number."""


class KpiValue(BaseModel):
    value: float | None
    n: int


class KpiReportOut(BaseModel):
    at: datetime
    since: datetime | None
    until: datetime | None
    kpis: dict[str, KpiValue]


class UserOut(BaseModel):
    name: str
    role: str
    agent_id: str | None
    created_at: datetime
    revoked_at: datetime | None


class UserCreate(Body):
    name: str = Field(min_length=1, max_length=64)
    role: str
    agent_id: str | None = None


class UserCreated(BaseModel):
    user: UserOut
    token: str
    """Shown once; the server keeps only its hash."""


class Me(BaseModel):
    name: str
    role: str
    agent_id: str | None
    permissions: list[str]


class Health(BaseModel):
    status: str
    version: str
