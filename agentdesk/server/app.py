"""The ASGI app factory: the store behind a versioned HTTP API (`/api/v1`) with its OpenAPI document."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from agentdesk import __version__
from agentdesk.config import RoutingSettings
from agentdesk.server import errors
from agentdesk.server.db import ServerDb
from agentdesk.server.limits import MAX_BODY_BYTES, BodyLimit
from agentdesk.server.routes import ROUTERS
from agentdesk.server.schemas import Health
from agentdesk.server.slashes import TrailingSlash
from agentdesk.server.state import ServerState
from agentdesk.server.users import UserStore
from agentdesk.server.writes import prune
from agentdesk.store.base import Store

log = logging.getLogger("agentdesk.server")

PREFIX = "/api/v1"
PRUNE_EVERY_SECONDS = 3600.0

DESCRIPTION = """\
The AgentDesk team server: one store for many agent desks and the voice bot.

Every call needs `Authorization: Bearer <token>` (tokens come from `agentdesk users add`).
Each operation names the permission it needs and the roles that hold it. Writes accept an
`Idempotency-Key` header and are applied exactly once per key. Errors are JSON:
`{"error": "<code>", "message": "..."}`. Request bodies above 1 MiB are refused with 413;
unknown fields, malformed record ids and fields the server owns (review state, authors,
queue times) with 422.
Live changes: `GET /api/v1/events/stream` (SSE).
See docs/integration.md for a voice bot's walk-through.
"""


def create_app(
    store: Store,
    *,
    routing: RoutingSettings | None = None,
    idempotency_retention: timedelta = timedelta(hours=72),
    stream_poll_seconds: float = 1.0,
    max_body_bytes: int = MAX_BODY_BYTES,
    kb_threshold: float = 0.45,
) -> FastAPI:
    """The API over `store` (a `SqliteStore`; users and idempotency records live in its file).

    Args:
        store: the store to serve; the caller owns it and closes it after the app stops.
        routing: queue-rank settings for transfers a bot posts (defaults otherwise).
        idempotency_retention: how long write answers are kept for retries; a desk offline
            for longer than this could have a write applied twice.
        stream_poll_seconds: how often event streams look for writes by other processes.
        max_body_bytes: the largest request body; a larger one is refused with 413.
        kb_threshold: the bot's KB answer threshold, for `/kb/search` to say what it would answer.
    """
    db = ServerDb(store)
    state = ServerState(
        store=store,
        db=db,
        users=UserStore(db),
        routing=routing or RoutingSettings(),
        idempotency_retention=idempotency_retention,
        stream_poll_seconds=stream_poll_seconds,
        kb_threshold=kb_threshold,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async def prune_forever() -> None:
            while True:
                try:
                    removed = await run_in_threadpool(prune, state)
                    if removed:
                        log.info(
                            "forgot %d idempotency records older than %s", removed, idempotency_retention
                        )
                except Exception:  # a locked database now is no reason to stop pruning later
                    log.exception("pruning idempotency records failed")
                await asyncio.sleep(PRUNE_EVERY_SECONDS)

        task = asyncio.create_task(prune_forever())
        try:
            yield
        finally:
            task.cancel()

    app = FastAPI(
        title="AgentDesk API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.agentdesk = state
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(TrailingSlash)

    @app.get(f"{PREFIX}/health", response_model=Health, tags=["health"])
    async def health() -> Health:
        """Whether the server is up (no token needed; HEAD works too); desks probe it to come back online."""
        return Health(status="ok", version=__version__)

    # HEAD as well: uptime monitors often probe with it. Left out of the OpenAPI document,
    # which would otherwise list the operation twice.
    app.add_api_route(f"{PREFIX}/health", health, methods=["HEAD"], include_in_schema=False)

    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    return app
