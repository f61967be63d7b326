"""The change feed over HTTP: filtered by role, masked by role, polled or pushed as server-sent events.

The stream (`GET /api/v1/events/stream`) sends one SSE message per store event:

    id: <seq>
    event: <kind>            e.g. transfer.claimed
    data: <AuditEvent JSON>

A client resumes after a dropped connection from `Last-Event-ID` (sent automatically
by browsers' EventSource) or `?since=`; nothing between is lost because the feed is the
store's durable `events` table. Idle streams get a `: keep-alive` comment line. A stream
ends (after a `: token revoked` comment) once its token is revoked.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool

from agentdesk.domain.models import AuditEvent
from agentdesk.server.auth import check_token
from agentdesk.server.masking import mask_event
from agentdesk.server.permissions import ENTITY_PERMISSION, Principal
from agentdesk.server.state import ServerState

BATCH = 500


def visible(events: list[AuditEvent], principal: Principal) -> list[AuditEvent]:
    """The events the caller's role may see, masked unless it may see sensitive numbers."""
    shown = [e for e in events if principal.can(ENTITY_PERMISSION.get(e.entity, "users:manage"))]
    return shown if principal.sees_sensitive else [mask_event(e) for e in shown]


def sse(event: AuditEvent) -> bytes:
    """One event as an SSE message."""
    data = json.dumps(event.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.seq}\nevent: {event.kind}\ndata: {data}\n\n".encode()


async def stream(state: ServerState, principal: Principal, since: int, token: str) -> AsyncIterator[bytes]:
    """Events after `since`, then every new one as it is written, until the client leaves.

    The token is checked again after reading every batch, before sending it (at least once
    per `stream_poll_seconds`): once it is revoked the stream ends, so a revoked user receives
    nothing more on a stream opened before.
    """
    seq = since
    yield b"retry: 1000\n\n"
    idle = 0.0
    while True:
        changed = state.signal.current()
        events = await run_in_threadpool(state.store.events_since, seq, limit=BATCH)
        # Checked after the read: every event read was written before a token still valid
        # now, so nothing written after a revocation slips out on a slow read.
        if await check_token(state, token) is None:
            yield b": token revoked\n\n"
            return
        if events:
            seq = events[-1].seq
            idle = 0.0
            for event in visible(events, principal):
                yield sse(event)
            if len(events) == BATCH:
                continue
        if idle >= state.keepalive_seconds:
            idle = 0.0
            yield b": keep-alive\n\n"
        try:
            await asyncio.wait_for(changed.wait(), timeout=state.stream_poll_seconds)
        except TimeoutError:
            idle += state.stream_poll_seconds
