"""The records KPIs are measured over, read from any store.

The supervisor screen, its CSV export, the server's `GET /kpis` and `agentdesk report`
all read them here, so every figure a supervisor sees is measured over the same records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from agentdesk.domain import kpis
from agentdesk.domain.kpis import KpiReport
from agentdesk.domain.models import BotFeedback, Call, Survey, Ticket
from agentdesk.domain.transfers import Transfer, TransferStatus
from agentdesk.store.base import Store, TicketQuery, TransferQuery

__all__ = ["KpiInputs", "as_utc", "gather"]

T = TypeVar("T")
PAGE = 2000


def as_utc(at: datetime) -> datetime:
    """Times without a zone are taken as UTC, so they compare with zoned ones."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _within(at: datetime, since: datetime | None, until: datetime | None) -> bool:
    at = as_utc(at)
    return (since is None or at >= as_utc(since)) and (until is None or at < as_utc(until))


@dataclass(frozen=True)
class KpiInputs:
    """Every record the KPIs are measured over."""

    calls: list[Call]
    transfers: list[Transfer]
    tickets: list[Ticket]
    surveys: list[Survey]
    feedback: list[BotFeedback]

    def report(self, now: datetime) -> KpiReport:
        """`domain.kpis.compute` over these records."""
        return kpis.compute(self.calls, self.transfers, self.tickets, self.surveys, self.feedback, now)

    def between(self, since: datetime | None, until: datetime | None) -> KpiInputs:
        """The records created in [since, until): calls by start, the rest by creation."""
        if since is None and until is None:
            return self
        return KpiInputs(
            calls=[c for c in self.calls if _within(c.started_at, since, until)],
            transfers=[t for t in self.transfers if _within(t.created_at, since, until)],
            tickets=[t for t in self.tickets if _within(t.created_at, since, until)],
            surveys=[s for s in self.surveys if _within(s.created_at, since, until)],
            feedback=[f for f in self.feedback if _within(f.created_at, since, until)],
        )


def _paged(fetch: Callable[[int, int], Sequence[T]], key: Callable[[T], str]) -> list[T]:
    """Every record of a paged listing; ids seen twice (rows moving between pages) count once."""
    seen: dict[str, T] = {}
    offset = 0
    while True:
        page = fetch(PAGE, offset)
        for item in page:
            seen.setdefault(key(item), item)
        if len(page) < PAGE:
            return list(seen.values())
        offset += PAGE


def gather(store: Store) -> KpiInputs:
    """Read the KPI inputs from the store (blocking: call it from a worker thread).

    Raises:
        StoreError: the store cannot be read.
    """
    every = frozenset(TransferStatus)
    return KpiInputs(
        calls=_paged(lambda n, o: store.list_calls(limit=n, offset=o), lambda c: c.id),
        transfers=_paged(
            lambda n, o: store.list_transfers(TransferQuery(statuses=every, limit=n, offset=o)),
            lambda t: t.id,
        ),
        tickets=_paged(lambda n, o: store.list_tickets(TicketQuery(limit=n, offset=o)), lambda t: t.id),
        surveys=store.list_surveys(),
        # A limit far above any review backlog reads them all (RemoteStore asks in pages).
        feedback=store.list_feedback(limit=1_000_000),
    )
