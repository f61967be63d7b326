"""The change feed: poll it, follow it as server-sent events, or ask for the last sequence number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from agentdesk.domain.models import AuditEvent
from agentdesk.server import events as feed
from agentdesk.server.auth import bearer, require
from agentdesk.server.errors import ApiError
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import MAX_SEQ, errors
from agentdesk.server.schemas import Seq
from agentdesk.server.state import state_of
from agentdesk.server.writes import respond

router = APIRouter(tags=["events"])

Since = Annotated[int, Query(ge=0, le=MAX_SEQ, description="Only events after this sequence number.")]


@router.get("/events", response_model=list[AuditEvent], responses=errors(422))
def list_events(
    request: Request,
    since: Since = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    entity_id: str | None = None,
    who: Principal = Depends(require("events:read")),
) -> Response:
    """Changes after `since` in order: the audit trail (who, when, what) and the sync feed.

    Events of entities the role may not read are left out; texts are masked by role.
    """
    events = state_of(request).store.events_since(since, limit=limit, entity_id=entity_id)
    return respond(feed.visible(events, who), who)


@router.get("/events/last", response_model=Seq, responses=errors())
def last_event(request: Request, who: Principal = Depends(require("events:read"))) -> Response:
    """The sequence number of the newest change."""
    return respond(Seq(seq=state_of(request).store.last_seq()), who)


@router.get(
    "/events/stream",
    responses={**errors(422), 200: {"content": {"text/event-stream": {}}, "description": "SSE stream"}},
    response_class=StreamingResponse,
)
async def stream_events(
    request: Request,
    since: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ, description="Resume after this sequence number.")
    ] = None,
    last_event_id: Annotated[str | None, Header(description="Resume after this id (SSE reconnects).")] = None,
    who: Principal = Depends(require("events:read")),
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> StreamingResponse:
    """Server-sent events: every change after the resume point, then live, until the client leaves.

    Without `since` or `Last-Event-ID` the stream starts at the newest change. The stream
    ends as soon as its token is revoked.
    """
    state = state_of(request)
    if last_event_id is not None:
        text = last_event_id.strip()
        if not (text.isascii() and text.isdigit() and int(text) <= MAX_SEQ):
            raise ApiError(422, "invalid_request", "Last-Event-ID must be a change-feed sequence number")
        start = int(text)
    elif since is not None:
        start = since
    else:
        start = await run_in_threadpool(state.store.last_seq)
    return StreamingResponse(
        # `require` let the request in, so the credentials are there.
        feed.stream(state, who, start, credentials.credentials if credentials else ""),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
