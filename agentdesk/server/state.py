"""What every request of one server shares: the store, the server tables, users, the change signal."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import Request

from agentdesk.config import RoutingSettings
from agentdesk.server.db import ServerDb
from agentdesk.server.permissions import Principal
from agentdesk.server.users import UserStore
from agentdesk.store.base import Store


class ChangeSignal:
    """Wakes event streams when a write commits, so live updates need no tight polling.

    Writes run in worker threads and the streams on the event loop; `notify` is safe from
    any thread. Writes by other processes on the same file are not signalled, so streams
    also poll on a timer.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._lock = threading.Lock()

    def current(self) -> asyncio.Event:
        """The event the next change will set; take it BEFORE reading, then wait on it."""
        with self._lock:
            loop = asyncio.get_running_loop()
            if self._event is None or self._loop is not loop:
                self._loop, self._event = loop, asyncio.Event()
            return self._event

    def notify(self) -> None:
        """Tell every waiting stream that something changed."""
        with self._lock:
            loop, event = self._loop, self._event
            self._event = None
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)


CACHE_SECONDS = 2.0
"""How long a token stays trusted without a database look-up. Revocation through the
API clears the cache at once; `agentdesk users revoke` from another process takes effect
within this time."""


class TokenCache:
    """token hash -> (principal, expiry), so busy clients do not cost a look-up per request."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Principal, float]] = {}
        self.generation = 0
        """Goes up on every `clear`; a look-up that started before a clear must not be cached."""

    def get(self, digest: str) -> Principal | None:
        entry = self._entries.get(digest)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, digest: str, principal: Principal, *, generation: int | None = None) -> None:
        """Remember a look-up; ignored when the cache was cleared since `generation` was read.

        A database look-up that ran before a revocation would otherwise put the revoked
        token back into the cache for another `CACHE_SECONDS`.
        """
        if generation is not None and generation != self.generation:
            return
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[digest] = (principal, time.monotonic() + CACHE_SECONDS)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


@dataclass
class ServerState:
    """The shared parts of a running server (in `app.state.agentdesk`)."""

    store: Store
    db: ServerDb
    users: UserStore
    routing: RoutingSettings = field(default_factory=RoutingSettings)
    """Queue-rank settings for transfers a bot posts."""
    idempotency_retention: timedelta = timedelta(hours=72)
    """How long a write's response is kept for clients retrying with the same Idempotency-Key."""
    signal: ChangeSignal = field(default_factory=ChangeSignal)
    tokens: TokenCache = field(default_factory=TokenCache)
    stream_poll_seconds: float = 1.0
    """How often event streams look for changes written by other processes."""
    keepalive_seconds: float = 15.0
    """Comment lines on idle event streams, so proxies and clients know the stream is alive."""
    kb_threshold: float = 0.45
    """The bot's answer threshold (`bot.kb_threshold`): `/kb/search` says which hits reach it."""


def state_of(request: Request) -> ServerState:
    """The server state of the app handling `request`."""
    return request.app.state.agentdesk
