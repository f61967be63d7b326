"""KPIs for supervisors: containment, transfer rate and accuracy, waits, FCR, CSAT, SLA (SPEC section 9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from agentdesk.domain.kpis import compute
from agentdesk.domain.models import utcnow
from agentdesk.domain.transfers import TransferStatus
from agentdesk.server.auth import require
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import errors
from agentdesk.server.schemas import KpiReportOut, KpiValue
from agentdesk.server.state import state_of
from agentdesk.server.writes import respond
from agentdesk.store.base import Store, TicketQuery, TransferQuery

router = APIRouter(tags=["kpis"])

T = TypeVar("T")
_PAGE = 1000


def _all(fetch: Callable[[int], list[T]]) -> list[T]:
    """Every record of a windowed listing, page by page."""
    out: list[T] = []
    while True:
        chunk = fetch(len(out))
        out.extend(chunk)
        if len(chunk) < _PAGE:
            return out


def _utc(at: datetime | None) -> datetime | None:
    """Times without a zone are taken as UTC, so they compare with stored times."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def _in(at: datetime, since: datetime | None, until: datetime | None) -> bool:
    at = _utc(at) or at
    return (since is None or at >= since) and (until is None or at < until)


def report(store: Store, since: datetime | None, until: datetime | None, now: datetime) -> KpiReportOut:
    """Every KPI over the records created in [since, until)."""
    every = frozenset(TransferStatus)
    calls = _all(lambda off: store.list_calls(limit=_PAGE, offset=off))
    transfers = _all(lambda off: store.list_transfers(TransferQuery(statuses=every, limit=_PAGE, offset=off)))
    tickets = _all(lambda off: store.list_tickets(TicketQuery(limit=_PAGE, offset=off)))
    result = compute(
        [c for c in calls if _in(c.started_at, since, until)],
        [t for t in transfers if _in(t.created_at, since, until)],
        [t for t in tickets if _in(t.created_at, since, until)],
        [s for s in store.list_surveys() if _in(s.created_at, since, until)],
        [f for f in store.list_feedback(limit=1_000_000) if _in(f.created_at, since, until)],
        now,
    )
    kpis = {name: KpiValue(**value) for name, value in asdict(result).items()}
    return KpiReportOut(at=now, since=since, until=until, kpis=kpis)


@router.get("/kpis", response_model=KpiReportOut, responses=errors(422))
async def get_kpis(
    request: Request,
    since: Annotated[
        datetime | None, Query(description="Only records created at or after this time.")
    ] = None,
    until: Annotated[datetime | None, Query(description="Only records created before this time.")] = None,
    who: Principal = Depends(require("kpis:read")),
) -> Response:
    """Every KPI with the count it was measured over (value null when there is nothing to measure)."""
    # The whole history is read and scored in Python: a worker thread keeps the server answering.
    result = await run_in_threadpool(report, state_of(request).store, _utc(since), _utc(until), utcnow())
    return respond(result, who)
