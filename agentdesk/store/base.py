"""The Store contract: every backend (SQLite file, SQLite in memory, remote server) implements it.

Writes are single transactions and each one appends to the change feed, which is
also the audit trail (who, when, what). Optional capabilities are class flags,
never `NotImplementedError` at run time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agentdesk.domain.models import (
    Agent,
    AgentStatus,
    AuditEvent,
    BotFeedback,
    Call,
    Customer,
    KBArticle,
    Survey,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
    TrainingResult,
    Utterance,
)
from agentdesk.domain.transfers import RoutingRationale, Transfer, TransferStatus


class StoreError(Exception):
    """Anything the store cannot do; the message is written for the person at the desk."""


class StoreLocked(StoreError):
    """Another program holds a write lock on the database for longer than the busy timeout."""


class StoreCorrupt(StoreError):
    """The database file is not a database, or is damaged."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (a remote server is down); writes may be queued."""


class NotFound(StoreError):
    """No record with that id."""

    def __init__(self, entity: str, entity_id: str) -> None:
        super().__init__(f"no {entity} with id {entity_id!r}")
        self.entity = entity
        self.entity_id = entity_id


class AlreadyExists(StoreError):
    """A record with that id exists already."""


class Conflict(StoreError):
    """The record changed state in a way that forbids the request (e.g. already claimed)."""


class AlreadyClaimed(Conflict):
    """Another agent holds the transfer."""

    def __init__(self, transfer_id: str, holder: str | None, status: str) -> None:
        who = f" by {holder}" if holder else ""
        super().__init__(f"transfer {transfer_id} is already {status}{who}")
        self.transfer_id = transfer_id
        self.holder = holder


OPEN_TRANSFER = frozenset({TransferStatus.WAITING, TransferStatus.OFFERED})


@dataclass(frozen=True)
class TicketQuery:
    """Filters for listing tickets; text search works in Chinese and English."""

    text: str | None = None
    statuses: frozenset[TicketStatus] | None = None
    type: TicketType | None = None
    priority: TicketPriority | None = None
    customer_id: str | None = None
    assignee_id: str | None = None
    overdue_at: datetime | None = None
    """When set, only open tickets whose SLA due time is before this moment."""
    limit: int = 100
    offset: int = 0
    search_masked: bool = False
    """Search `text` in the tickets as they read with phone, ID and card numbers masked (for
    whoever sees them masked), so digits hidden from the reader never make a ticket match."""


@dataclass(frozen=True)
class TransferQuery:
    """Filters for listing transfers, ordered by queue rank (highest first)."""

    statuses: frozenset[TransferStatus] = field(default=OPEN_TRANSFER)
    claimed_by: str | None = None
    customer_id: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class KBHit:
    """A KB article found by a plain text search, with its rank score (higher is better)."""

    article: KBArticle
    score: float


class Store(ABC):
    """Persistence for AgentDesk. Every method is safe to call from worker threads."""

    SUPPORTS_PUSH: bool = False
    """Whether the backend pushes change events (team server) or must be polled."""
    SUPPORTS_OFFLINE_WRITES: bool = False
    """Whether writes survive the backend being unreachable (remote outbox)."""

    # customers
    @abstractmethod
    def upsert_customer(self, customer: Customer, *, actor: str | None = None) -> Customer: ...
    @abstractmethod
    def get_customer(self, customer_id: str) -> Customer: ...
    @abstractmethod
    def list_customers(
        self, *, search: str | None = None, limit: int = 100, offset: int = 0, exact_phone: bool = False
    ) -> list[Customer]:
        """Customers by id; `search` matches part of the id, name, account number or a contact.

        With `exact_phone` (for whoever sees phone numbers masked) a phone number matches only
        as the whole number, spaces, dashes, dots, brackets and `+` ignored: never a part of
        one, which would let a masked number be recovered digit by digit.
        """

    # agents
    @abstractmethod
    def upsert_agent(self, agent: Agent, *, actor: str | None = None) -> Agent: ...
    @abstractmethod
    def get_agent(self, agent_id: str) -> Agent: ...
    @abstractmethod
    def list_agents(self) -> list[Agent]: ...
    @abstractmethod
    def set_agent_status(self, agent_id: str, status: AgentStatus, *, actor: str | None = None) -> Agent: ...

    # calls and utterances
    @abstractmethod
    def upsert_call(self, call: Call, *, actor: str | None = None) -> Call: ...
    @abstractmethod
    def get_call(self, call_id: str) -> Call: ...
    @abstractmethod
    def list_calls(
        self, *, customer_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Call]: ...
    @abstractmethod
    def append_utterance(self, call_id: str, utterance: Utterance, *, actor: str | None = None) -> Utterance:
        """Add a line to a call, or replace the call's line with the same id (a partial made final).

        Line ids are scoped to their call: the same id in another call is another line, and
        saving it never changes or removes anything outside `call_id`. The store assigns `seq`
        to new lines and keeps it when a line is replaced; a `seq` is never given out twice
        in a call, even after its line was taken back.

        Raises:
            NotFound: there is no such call.
            BlankLine: (a ValueError) the text is empty or only white space; nothing is
                written. A partial line that came to nothing is taken back with
                `retract_utterance`.
        """

    @abstractmethod
    def retract_utterance(self, call_id: str, utterance_id: str, *, actor: str | None = None) -> Utterance:
        """Take back a partial line of the call (its final text came to nothing); returns it.

        The change feed says `utterance.retracted` with the line's id and seq. Final lines
        are the call's record and stay: replace their text with `append_utterance`.

        Raises:
            NotFound: no such call, or no line with that id in it.
            Conflict: the line is final.
        """

    @abstractmethod
    def list_utterances(self, call_id: str, *, since_seq: int = 0) -> list[Utterance]:
        """The call's lines after `since_seq`, in order.

        Raises:
            NotFound: there is no such call (a call with no lines yet gives []).
        """

    # transfers
    @abstractmethod
    def create_transfer(self, transfer: Transfer, *, actor: str | None = None) -> Transfer: ...
    @abstractmethod
    def get_transfer(self, transfer_id: str) -> Transfer: ...
    @abstractmethod
    def list_transfers(self, query: TransferQuery = TransferQuery()) -> list[Transfer]: ...
    @abstractmethod
    def count_transfers(self, query: TransferQuery = TransferQuery()) -> int: ...
    @abstractmethod
    def claim_transfer(
        self,
        transfer_id: str,
        agent_id: str,
        *,
        rationale: RoutingRationale | None = None,
        actor: str | None = None,
    ) -> Transfer:
        """Give the transfer to `agent_id` if it is still open; exactly one claimant ever wins.

        Raises:
            AlreadyClaimed: someone holds it, or it is finished.
            NotFound: no such transfer.
        """

    @abstractmethod
    def offer_transfer(
        self, transfer_id: str, agent_id: str, rationale: RoutingRationale, *, actor: str | None = None
    ) -> Transfer: ...
    @abstractmethod
    def decline_transfer(self, transfer_id: str, agent_id: str, *, actor: str | None = None) -> Transfer:
        """Put an offered or claimed transfer back in the queue; the agent is not offered it again."""

    @abstractmethod
    def finish_transfer(
        self,
        transfer_id: str,
        status: TransferStatus,
        *,
        ticket_id: str | None = None,
        actor: str | None = None,
    ) -> Transfer:
        """Mark a transfer completed (the agent is done) or abandoned (the customer left)."""

    # tickets
    @abstractmethod
    def create_ticket(self, ticket: Ticket, *, actor: str | None = None) -> Ticket: ...
    @abstractmethod
    def get_ticket(self, ticket_id: str) -> Ticket: ...
    @abstractmethod
    def update_ticket(
        self,
        ticket_id: str,
        *,
        status: TicketStatus | None = None,
        note: str | None = None,
        assignee_id: str | None = None,
        disposition: str | None = None,
        priority: TicketPriority | None = None,
        type: TicketType | None = None,
        subject: str | None = None,
        survey_id: str | None = None,
        link_call_id: str | None = None,
        actor: str | None = None,
    ) -> Ticket:
        """Change a ticket in one transaction: status through the lifecycle, a note appended, fields set.

        Raises:
            IllegalTransition: the lifecycle forbids the status change (nothing is written).
        """

    @abstractmethod
    def list_tickets(self, query: TicketQuery = TicketQuery()) -> list[Ticket]: ...
    @abstractmethod
    def count_tickets(self, query: TicketQuery = TicketQuery()) -> int: ...

    # knowledge base
    @abstractmethod
    def upsert_article(self, article: KBArticle, *, actor: str | None = None) -> KBArticle:
        """Insert or replace an article; a replaced article's version goes up by one."""

    @abstractmethod
    def get_article(self, article_id: str) -> KBArticle: ...
    @abstractmethod
    def list_articles(
        self, *, language: str | None = None, category: str | None = None
    ) -> list[KBArticle]: ...
    @abstractmethod
    def search_kb(self, text: str, *, language: str | None = None, limit: int = 5) -> list[KBHit]: ...

    # surveys
    @abstractmethod
    def upsert_survey(self, survey: Survey, *, actor: str | None = None) -> Survey: ...
    @abstractmethod
    def get_survey(self, survey_id: str) -> Survey: ...
    @abstractmethod
    def list_surveys(self, *, ticket_id: str | None = None, status: str | None = None) -> list[Survey]: ...

    # bot feedback
    @abstractmethod
    def create_feedback(self, feedback: BotFeedback, *, actor: str | None = None) -> BotFeedback: ...
    @abstractmethod
    def get_feedback(self, feedback_id: str) -> BotFeedback: ...
    @abstractmethod
    def list_feedback(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[BotFeedback]:
        """Flags, newest first, optionally in one status."""

    @abstractmethod
    def review_feedback(
        self,
        feedback_id: str,
        *,
        accepted: bool,
        reviewer: str,
        article: KBArticle | None = None,
        attribution: Literal["bot", "human"] | None = None,
        note: str = "",
        actor: str | None = None,
    ) -> BotFeedback:
        """Accept or reject a flag in one transaction; an accepted fix's article is saved with it.

        `attribution` re-attributes the failure to the bot or a human (unchanged when None);
        `note` is appended to the flag's note (see `domain.feedback.review`).
        """

    # trainer results
    @abstractmethod
    def save_training_result(self, result: TrainingResult, *, actor: str | None = None) -> TrainingResult:
        """Insert or replace one trainee's scored run through a sample call."""

    @abstractmethod
    def list_training_results(
        self, *, trainee: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[TrainingResult]:
        """Training results, newest first, optionally of one trainee."""

    # change feed and audit trail
    @abstractmethod
    def events_since(
        self, seq: int = 0, *, limit: int = 1000, entity_id: str | None = None
    ) -> list[AuditEvent]: ...
    @abstractmethod
    def last_seq(self) -> int: ...

    # lifecycle
    def describe(self) -> str:
        """Where the data lives, for status lines and error messages."""
        return type(self).__name__

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release connections; the store is unusable afterwards."""

    def is_empty(self) -> bool:
        """True when the store holds no agents and no articles (first run)."""
        return not self.list_agents() and not self.list_articles()

    def bulk_load(self, records: Iterable[object], *, actor: str | None = None) -> int:
        """Write many records of any supported type; used by seeding. Returns the count."""
        writers = {
            Customer: self.upsert_customer,
            Agent: self.upsert_agent,
            Call: self.upsert_call,
            KBArticle: self.upsert_article,
            Survey: self.upsert_survey,
            Ticket: self.create_ticket,
            Transfer: self.create_transfer,
            BotFeedback: self.create_feedback,
            TrainingResult: self.save_training_result,
        }
        count = 0
        for record in records:
            if isinstance(record, Utterance):
                self.append_utterance(record.call_id, record, actor=actor)
            else:
                writers[type(record)](record, actor=actor)  # type: ignore[operator]
            count += 1
        return count

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
