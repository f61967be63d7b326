"""KPIs for supervisors: containment, transfer rate and accuracy, waits, FCR, CSAT, SLA (SPEC section 9)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.domain.models import utcnow
from agentdesk.server.auth import require
from agentdesk.server.errors import ApiError
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import errors
from agentdesk.server.schemas import KpiReportOut, KpiValue
from agentdesk.server.state import state_of
from agentdesk.server.writes import respond
from agentdesk.store.base import Store
from agentdesk.store.kpi_inputs import as_utc, gather

router = APIRouter(tags=["kpis"])


def report(store: Store, since: datetime | None, until: datetime | None, now: datetime) -> KpiReportOut:
    """Every KPI over the records created in [since, until)."""
    result = gather(store).between(since, until).report(now)
    kpis = {name: KpiValue(**value) for name, value in asdict(result).items()}
    return KpiReportOut(at=now, since=since, until=until, kpis=kpis)


@router.get("/kpis", response_model=KpiReportOut, responses=errors(422))
def get_kpis(
    request: Request,
    since: Annotated[
        datetime | None, Query(description="Only records created at or after this time.")
    ] = None,
    until: Annotated[datetime | None, Query(description="Only records created before this time.")] = None,
    who: Principal = Depends(require("kpis:read")),
) -> Response:
    """Every KPI with the count it was measured over (value null when there is nothing to measure)."""
    since, until = (None if at is None else as_utc(at) for at in (since, until))
    if since is not None and until is not None and since > until:
        raise ApiError(
            422,
            "invalid_request",
            f"until ({until.isoformat()}) must not lie before since ({since.isoformat()})",
            details=[{"loc": "query.until", "msg": "must not lie before since", "type": "range"}],
        )
    result = report(state_of(request).store, since, until, utcnow())
    return respond(result, who)
