"""The connection under `RemoteStore`: HTTP to the team server, the outbox, offline reads, state.

`RemoteClient` sends reads and writes, keeps the last-known answers for offline
reads, queues writes in the durable outbox while the server is away and replays
them, and reports the connection state to listeners. It knows nothing of
customers, tickets or transfers: `agentdesk.store.remote` builds the Store
contract on it.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel

from agentdesk import locations
from agentdesk.domain.models import AuditEvent, TicketStatus, utcnow
from agentdesk.domain.tickets import IllegalTransition, IncompleteTicket
from agentdesk.store.base import (
    AlreadyClaimed,
    AlreadyExists,
    Conflict,
    NotFound,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from agentdesk.store.outbox import (
    FailedWrite,
    Outbox,
    OutboxEntry,
    Outcome,
    Replayer,
    body_json,
    outbox_file,
    owner_key,
    server_url,
)
from agentdesk.store.outbox_legacy import take_legacy_changes

__all__ = [
    "API",
    "ConnectionState",
    "InvalidRequest",
    "NotAllowed",
    "NotAuthenticated",
    "RemoteClient",
    "default_outbox_path",
    "dump",
    "error_for",
    "segment",
]

API = "/api/v1"
Status = Literal["online", "offline", "replaying", "refused"]
"""`refused`: the server answers but no longer accepts the token (revoked, or the users were reset)."""
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

BUSY = frozenset({408, 425, 429, 502, 503, 504})
"""Answers meaning "not now": the write was not applied and is worth sending again later."""


class NotAuthenticated(StoreError):
    """The server refused the token (missing, unknown or revoked)."""


class NotAllowed(StoreError):
    """The user's role may not do this."""


class InvalidRequest(StoreError, ValueError):
    """The server found the request malformed (a ValueError, like the same mistake on SQLite)."""


@dataclass(frozen=True, slots=True)
class ConnectionState:
    """How the desk stands with the team server, for status lines."""

    status: Status
    pending: int
    """Writes waiting in the outbox."""
    failed: int
    """Writes the server refused on replay (see `RemoteStore.failed_writes`)."""
    server: str
    last_error: str | None
    changed_at: datetime
    version: int
    """Goes up by one on every change, so a poller can tell something happened."""

    @property
    def offline(self) -> bool:
        """The server cannot be reached: reads come from the cache, writes wait in the outbox."""
        return self.status == "offline"


class _Cache:
    """The last answers to GET requests, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            return None

    def put(self, key: str, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def error_for(response: httpx.Response) -> StoreError | ValueError:
    """The store exception for an error answer of the server."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code, message = (
        body.get("error"),
        str(body.get("message") or response.text[:300] or response.reason_phrase),
    )
    status = response.status_code
    if code == "not_found":
        return NotFound(str(body.get("entity")), str(body.get("entity_id")))
    if code == "already_claimed":
        exc = AlreadyClaimed(str(body.get("transfer_id")), body.get("holder"), str(body.get("status")))
        return exc
    if code == "already_exists":
        return AlreadyExists(message)
    if status == 409:
        return Conflict(message)
    if code == "illegal_transition":
        return IllegalTransition(
            str(body.get("ticket_id")), TicketStatus(body["current"]), TicketStatus(body["target"])
        )
    if code == "incomplete_ticket":
        return IncompleteTicket(
            str(body.get("ticket_id")), TicketStatus(body["status"]), str(body.get("missing"))
        )
    if status in (400, 413, 422):
        return InvalidRequest(message)
    if status == 401:
        return NotAuthenticated(f"the team server refused the token: {message}")
    if status == 403:
        return NotAllowed(message)
    if code == "store_locked":
        return StoreLocked(message)
    if status in (502, 503, 504):
        return StoreUnavailable(f"the team server is unavailable ({status}): {message}")
    return StoreError(f"the team server failed ({status}): {message}")


def segment(value: str) -> str:
    """An id as one URL path segment."""
    return quote(value, safe="")


def dump(model: BaseModel) -> dict[str, Any]:
    """A record as the JSON the server reads."""
    return model.model_dump(mode="json")


def default_outbox_path(server: str, token: str) -> Path:
    """The outbox file of this user on this server, in the user data directory."""
    return outbox_file(locations.data_dir(), server, token)


class RemoteClient:
    """The connection to a team server: HTTP, the outbox, offline reads and the connection state.

    `RemoteStore` adds the Store contract's record methods on top.

    Args:
        server: the server URL, e.g. `http://10.0.0.5:8765`.
        token: a user token from `agentdesk users add`.
        outbox: the outbox file; None for this user's file in the user data directory, False
            for no outbox (writes then fail with `StoreUnavailable` while offline).
        timeout: seconds to wait for an answer.
        connect_timeout: seconds to wait for a connection (short, so going offline is quick).
        retry_seconds: how often to look for the server while it is away.
        cache_size: how many GET answers to keep for offline reads (0: none).
        transport: an httpx transport (tests).
    """

    def __init__(
        self,
        server: str,
        token: str,
        *,
        outbox: str | Path | Literal[False] | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        retry_seconds: float = 1.0,
        cache_size: int = 512,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.server = server_url(server)
        if not self.server.startswith(("http://", "https://")):
            raise StoreError(f"team server URL {server!r} must start with http:// or https://")
        self._http = httpx.Client(
            base_url=self.server + API,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "agentdesk-remote-store"},
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
        )
        self.owner = owner_key(self.server, token)
        """Whose desk this is on this server (`owner_key`): the key of its outbox and other files."""
        self._cache = _Cache(cache_size)
        self._state_lock = threading.Lock()
        self._listeners: list[Callable[[ConnectionState], None]] = []
        self._notices: deque[AuditEvent] = deque(maxlen=100)
        self._outbox = None
        if outbox is not False:
            path = outbox or default_outbox_path(self.server, token)
            self._outbox = Outbox(path, self.server, owner=self.owner)
            take_legacy_changes(self._outbox)  # left in the shared file of older desks: set aside
        self._state = ConnectionState(
            status="online",
            pending=self._outbox.count() if self._outbox else 0,
            failed=self._outbox.failed_count() if self._outbox else 0,
            server=self.server,
            last_error=None,
            changed_at=utcnow(),
            version=0,
        )
        self._replayer = Replayer(
            self._outbox, self._replay, self._probe, self._round, self._refused, interval=retry_seconds
        )
        if self._state.pending:
            self._replayer.kick()

    # -- connection state --------------------------------------------------------------
    @property
    def connection(self) -> ConnectionState:
        """How the desk stands with the server now."""
        return self._state

    def add_listener(self, callback: Callable[[ConnectionState], None]) -> None:
        """Call `callback(state)` on every connection change (from whichever thread saw it)."""
        self._listeners.append(callback)

    def failed_writes(self) -> list[FailedWrite]:
        """Writes the server refused when they were replayed (they are not retried)."""
        return self._outbox.failures() if self._outbox else []

    def dismiss_failed(self, entry_id: int) -> None:
        """Forget a refused write the agent has seen."""
        if self._outbox is not None and self._outbox.dismiss(entry_id):
            self._set()

    def retry_failed(self, entry_id: int) -> None:
        """Send a refused write once more (as a new request) when the server is reachable."""
        if self._outbox is not None and self._outbox.retry(entry_id):
            self._set()
            self._replayer.kick()

    def _set(
        self, status: Status | None = None, error: str | None = None, *, notice: str | None = None
    ) -> None:
        with self._state_lock:
            old = self._state
            pending = self._outbox.count() if self._outbox else 0
            failed = self._outbox.failed_count() if self._outbox else 0
            status = status or old.status
            if (status, pending, failed) == (old.status, old.pending, old.failed) and notice is None:
                return
            self._state = new = replace(
                old,
                status=status,
                pending=pending,
                failed=failed,
                last_error=error if status == "offline" else None,
                changed_at=utcnow(),
                version=old.version + 1,
            )
            if status != old.status or notice:
                kind = notice or f"connection.{status}"
                data = {"status": status, "pending": pending, "failed": failed, "error": new.last_error}
                self._notices.append(
                    AuditEvent(
                        seq=0,
                        at=new.changed_at,
                        actor="remote-store",
                        kind=kind,
                        entity_id="connection",
                        data=data,
                    )
                )
        for callback in list(self._listeners):
            callback(new)

    def _offline(self, exc: Exception) -> None:
        self._set("offline", f"{type(exc).__name__}: {exc}")
        self._replayer.kick()

    def _round(self, status: str, message: str | None) -> None:
        self._set(status, message)  # type: ignore[arg-type]

    def _refused(self, entry: OutboxEntry, status: int, message: str) -> None:
        self._set(notice="connection.write_failed")

    def _probe(self) -> bool:
        try:
            return self._http.get("/health", timeout=3.0).status_code == 200
        except httpx.HTTPError:
            return False

    def _unavailable(self, what: str) -> StoreUnavailable:
        s = self._state
        waiting = (
            f"; {s.pending} change(s) wait in the outbox and will be sent when it is back"
            if s.pending
            else ""
        )
        return StoreUnavailable(
            f"the team server {self.server} cannot be reached ({s.last_error or 'no answer'}); "
            f"{what} is not available offline{waiting}"
        )

    # -- HTTP --------------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, Any] | None = None, *, what: str = "this view") -> Any:
        key = path + "?" + urlencode(sorted((params or {}).items()), doseq=True)
        if self._state.status == "offline":
            cached = self._cache.get(key)
            if cached is not None:
                return cached
            raise self._unavailable(what)
        try:
            response = self._http.get(path, params=params)
        except httpx.TransportError as exc:
            self._offline(exc)
            cached = self._cache.get(key)
            if cached is not None:
                return cached
            raise self._unavailable(what) from None
        if response.status_code >= 400:
            self._note_refusal(response)
            raise error_for(response)
        if self._state.status == "refused":
            self._set("online")
        data = response.json()
        self._cache.put(key, data)
        return data

    def _note_refusal(self, response: httpx.Response) -> None:
        """Show a token the server stopped accepting in the status line, not just in a log."""
        if response.status_code == 401 and self._state.status != "refused":
            self._set("refused")

    def _send(self, entry: OutboxEntry) -> httpx.Response:
        headers = {"Idempotency-Key": entry.key, "Content-Type": "application/json"}
        if entry.actor:
            # Header values must be ASCII; the server decodes the percent-escapes.
            headers["X-AgentDesk-Actor"] = quote(entry.actor, safe="")
        return self._http.request(entry.method, entry.path, content=entry.body.encode(), headers=headers)

    def _replay(self, entry: OutboxEntry) -> tuple[Outcome, int, str]:
        try:
            response = self._send(entry)
        except httpx.TransportError as exc:
            return Outcome.RETRY, 0, f"{type(exc).__name__}: {exc}"
        status = response.status_code
        if status < 300:
            return Outcome.DONE, status, ""
        if status in BUSY or status >= 500:
            return Outcome.RETRY, status, str(error_for(response))
        return Outcome.REFUSED, status, str(error_for(response))

    def _write(
        self,
        method: str,
        path: str,
        body: Any,
        parse: Callable[[Any], T],
        *,
        actor: str | None,
        label: str,
        optimistic: Callable[[], T] | None = None,
        cache_as: str | None = None,
    ) -> T:
        """Send one write exactly once, or keep it in the outbox when the server is away.

        Args:
            parse: turns the server's JSON answer into the result.
            optimistic: the result to give while offline; None for writes only the server
                can decide (they raise `StoreUnavailable` offline).
            cache_as: the GET path whose cached record the result replaces.
        """
        entry = OutboxEntry(
            key=uuid.uuid4().hex, method=method, path=path, body=body_json(body), actor=actor, label=label
        )
        outbox = self._outbox
        if outbox is not None and (self._state.status == "offline" or outbox.count()):
            return self._queue(entry, optimistic, cache_as)
        entry_id = outbox.add(entry, inflight=True) if outbox is not None else 0
        try:
            response = self._send(entry)
        except httpx.TransportError as exc:
            self._offline(exc)
            # No connection means the request never left: a write only the server can decide
            # is dropped. Anything later may have been applied, so it stays to be confirmed.
            never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            if outbox is None or (never_sent and optimistic is None):
                if outbox is not None:
                    outbox.remove(entry_id)
                raise self._unavailable(label) from None
            outbox.release(entry_id)
            self._set()
            kept = StoreUnavailable(
                f"{label}: sent to {self.server}, but no answer came ({exc}); it is kept and will be "
                "confirmed when the server is back"
            )
            if optimistic is None:
                raise kept from None
            try:
                return self._optimistic(optimistic, cache_as)
            except (StoreError, ValueError):
                raise kept from None
        if outbox is not None and optimistic is not None and response.status_code in BUSY:
            # The server answered but could not write now (its database locked, a proxy with no
            # upstream): nothing was applied or remembered, so the write waits like an offline one.
            return self._keep(entry_id, response, optimistic, cache_as)
        if outbox is not None:
            outbox.remove(entry_id)
        if response.status_code >= 400:
            self._note_refusal(response)
            raise error_for(response)
        if self._state.status != "online":
            self._set("online")
        data = response.json()
        if cache_as:
            self._cache.put(cache_as + "?", data)
        return parse(data)

    def _keep(
        self, entry_id: int, response: httpx.Response, optimistic: Callable[[], T], cache_as: str | None
    ) -> T:
        """Keep a write the server was too busy to apply; the replayer retries it with its key."""
        assert self._outbox is not None
        try:
            value = self._optimistic(optimistic, cache_as)
        except (StoreError, ValueError):
            self._outbox.remove(entry_id)
            raise error_for(response) from None
        self._outbox.release(entry_id)
        self._set("replaying", str(error_for(response)))
        self._replayer.kick()
        return value

    def _queue(self, entry: OutboxEntry, optimistic: Callable[[], T] | None, cache_as: str | None) -> T:
        if optimistic is None:
            raise self._unavailable(entry.label)
        value = self._optimistic(optimistic, cache_as)
        assert self._outbox is not None
        self._outbox.add(entry)
        self._set()
        self._replayer.kick()
        return value

    def _optimistic(self, optimistic: Callable[[], T], cache_as: str | None) -> T:
        value = optimistic()
        if cache_as and isinstance(value, BaseModel):
            self._cache.put(cache_as + "?", dump(value))
        return value

    # -- helpers for the record methods ----------------------------------------------------
    def _read(self, model: type[M], path: str, what: str, params: dict[str, Any] | None = None) -> M:
        return model.model_validate(self._get(path, params, what=what))

    def _read_all(
        self, model: type[M], path: str, what: str, params: dict[str, Any] | None = None
    ) -> list[M]:
        return [model.model_validate(x) for x in self._get(path, params, what=what)]

    def _save(self, method: str, path: str, record: M, actor: str | None, label: str, cache_as: str) -> M:
        """A write whose answer while offline is the record as sent."""
        parse = type(record).model_validate
        return self._write(
            method,
            path,
            dump(record),
            parse,
            actor=actor,
            label=label,
            optimistic=lambda: record,
            cache_as=cache_as,
        )

    def _known(self, path: str, model: type[M], what: str) -> M:
        """The last known state of a record, for an offline answer built on it."""
        data = self._cache.get(path + "?")
        if data is None:
            raise self._unavailable(f"{what} (never loaded)")
        return model.model_validate(data)

    # -- lifecycle ---------------------------------------------------------------------
    def describe(self) -> str:
        s = self._state
        extra = f", {s.pending} waiting" if s.pending else ""
        return f"team server {self.server} ({s.status}{extra})"

    def close(self) -> None:
        self._replayer.stop()
        self._http.close()
        if self._outbox is not None:
            self._outbox.close()
