"""`RemoteStore`: the Store contract over the team server's HTTP API, for desks in team mode.

Same contract as `SqliteStore` (the contract suite runs against both), plus:

- **Push**: `events_stream(since)` follows the server-sent event stream, resuming from the
  last sequence number after a drop. `events_since` still works for polling.
- **Offline writes**: every write goes to a durable outbox first (`agentdesk.store.outbox`)
  and is sent with an `Idempotency-Key`. When the server cannot be reached, writes that
  do not need the server's decision are kept and answered optimistically from what the
  desk knows (e.g. a ticket note), then replayed exactly once, in order, when it is back.
  Writes the server must arbitrate (claiming, offering, declining a transfer) are refused
  with `StoreUnavailable` while offline, so two agents can never both think they hold a call.
- **Reads while offline** come from a small last-known cache (the last answer to the same
  request, with queued writes laid over single records); anything never loaded raises
  `StoreUnavailable` with a message saying so.
- **Connection state**: `connection` (online / offline / replaying, waiting and failed
  writes) and, for UIs that poll the change feed, `connection.*` events from
  `events_since` whenever it changes.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel

from agentdesk import locations
from agentdesk.domain import tickets as lifecycle
from agentdesk.domain.feedback import review
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
    utcnow,
)
from agentdesk.domain.tickets import IllegalTransition
from agentdesk.domain.transfers import RoutingRationale, Transfer, TransferStatus, finishing_status
from agentdesk.store.base import (
    AlreadyClaimed,
    AlreadyExists,
    Conflict,
    KBHit,
    NotFound,
    Store,
    StoreError,
    StoreLocked,
    StoreUnavailable,
    TicketQuery,
    TransferQuery,
)
from agentdesk.store.outbox import FailedWrite, Outbox, OutboxEntry, Outcome, Replayer, body_json

API = "/api/v1"
Status = Literal["online", "offline", "replaying"]
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


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


def _error(response: httpx.Response) -> StoreError | ValueError:
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
    if status == 422 or status == 400:
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


def _q(value: str) -> str:
    """An id as one URL path segment."""
    return quote(value, safe="")


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def default_outbox_path() -> Path:
    """The outbox file in the user data directory (entries are kept per server URL inside)."""
    return locations.data_dir() / "outbox.db"


class RemoteStore(Store):
    """The team server as a Store.

    Args:
        server: the server URL, e.g. `http://10.0.0.5:8765`.
        token: a user token from `agentdesk users add`.
        outbox: the outbox file; None for `outbox.db` in the user data directory, False
            for no outbox (writes then fail with `StoreUnavailable` while offline).
        timeout: seconds to wait for an answer.
        connect_timeout: seconds to wait for a connection (short, so going offline is quick).
        retry_seconds: how often to look for the server while it is away.
        cache_size: how many GET answers to keep for offline reads (0: none).
        transport: an httpx transport (tests).
    """

    SUPPORTS_PUSH = True
    SUPPORTS_OFFLINE_WRITES = True

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
        self.server = server.rstrip("/")
        if not self.server.startswith(("http://", "https://")):
            raise StoreError(f"team server URL {server!r} must start with http:// or https://")
        self._http = httpx.Client(
            base_url=self.server + API,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "agentdesk-remote-store"},
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
        )
        self._cache = _Cache(cache_size)
        self._state_lock = threading.Lock()
        self._listeners: list[Callable[[ConnectionState], None]] = []
        self._notices: deque[AuditEvent] = deque(maxlen=100)
        self._outbox = None
        if outbox is not False:
            self._outbox = Outbox(outbox or default_outbox_path(), self.server)
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
            raise _error(response)
        data = response.json()
        self._cache.put(key, data)
        return data

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
        if status in (408, 425, 429) or status >= 500:
            return Outcome.RETRY, status, str(_error(response))
        return Outcome.REFUSED, status, str(_error(response))

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
        if outbox is not None:
            outbox.remove(entry_id)
        if response.status_code >= 400:
            raise _error(response)
        if self._state.status != "online":
            self._set("online")
        data = response.json()
        if cache_as:
            self._cache.put(cache_as + "?", data)
        return parse(data)

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
            self._cache.put(cache_as + "?", _dump(value))
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
            _dump(record),
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

    # -- customers and agents ------------------------------------------------------------
    def upsert_customer(self, customer: Customer, *, actor: str | None = None) -> Customer:
        path = f"/customers/{_q(customer.id)}"
        return self._save("PUT", path, customer, actor, f"save customer {customer.id}", path)

    def get_customer(self, customer_id: str) -> Customer:
        return self._read(Customer, f"/customers/{_q(customer_id)}", f"customer {customer_id}")

    def list_customers(
        self, *, search: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Customer]:
        params = {"limit": limit, "offset": offset, **({"search": search} if search else {})}
        return self._read_all(Customer, "/customers", "the customer list", params)

    def upsert_agent(self, agent: Agent, *, actor: str | None = None) -> Agent:
        path = f"/agents/{_q(agent.id)}"
        return self._save("PUT", path, agent, actor, f"save agent {agent.id}", path)

    def get_agent(self, agent_id: str) -> Agent:
        return self._read(Agent, f"/agents/{_q(agent_id)}", f"agent {agent_id}")

    def list_agents(self) -> list[Agent]:
        return self._read_all(Agent, "/agents", "the agent list")

    def set_agent_status(self, agent_id: str, status: AgentStatus, *, actor: str | None = None) -> Agent:
        path, label = f"/agents/{_q(agent_id)}", f"set agent {agent_id} {status}"

        def offline() -> Agent:
            return self._known(path, Agent, f"agent {agent_id}").model_copy(
                update={"status": AgentStatus(status)}
            )

        body = {"status": str(status)}
        return self._write(
            "PUT",
            f"{path}/status",
            body,
            Agent.model_validate,
            actor=actor,
            label=label,
            optimistic=offline,
            cache_as=path,
        )

    # -- calls and utterances ------------------------------------------------------------
    def upsert_call(self, call: Call, *, actor: str | None = None) -> Call:
        path = f"/calls/{_q(call.id)}"
        return self._save("PUT", path, call, actor, f"save call {call.id}", path)

    def get_call(self, call_id: str) -> Call:
        return self._read(Call, f"/calls/{_q(call_id)}", f"call {call_id}")

    def list_calls(self, *, customer_id: str | None = None, limit: int = 100, offset: int = 0) -> list[Call]:
        params = {"limit": limit, "offset": offset, **({"customer_id": customer_id} if customer_id else {})}
        return self._read_all(Call, "/calls", "the call list", params)

    def append_utterance(self, call_id: str, utterance: Utterance, *, actor: str | None = None) -> Utterance:
        # Offline, the line keeps seq 0 until the server gives it its place.
        line = utterance.model_copy(update={"call_id": call_id})
        path = f"/calls/{_q(call_id)}/utterances"
        return self._write(
            "POST", path, _dump(utterance), Utterance.model_validate, actor=actor,
            label=f"add a line to call {call_id}", optimistic=lambda: line,
        )  # fmt: skip

    def list_utterances(self, call_id: str, *, since_seq: int = 0) -> list[Utterance]:
        path = f"/calls/{_q(call_id)}/utterances"
        return self._read_all(Utterance, path, "this transcript", {"since_seq": since_seq})

    # -- transfers ---------------------------------------------------------------------
    def create_transfer(self, transfer: Transfer, *, actor: str | None = None) -> Transfer:
        path = f"/transfers/{_q(transfer.id)}"
        return self._save("POST", "/transfers", transfer, actor, f"queue transfer {transfer.id}", path)

    def get_transfer(self, transfer_id: str) -> Transfer:
        return self._read(Transfer, f"/transfers/{_q(transfer_id)}", f"transfer {transfer_id}")

    @staticmethod
    def _transfer_params(query: TransferQuery, limit: int) -> dict[str, Any]:
        # An empty status set means "any status" to SqliteStore; the API needs them named.
        params: dict[str, Any] = {"status": sorted(query.statuses or TransferStatus), "limit": limit}
        params["offset"] = query.offset
        params |= {
            k: v for k, v in (("claimed_by", query.claimed_by), ("customer_id", query.customer_id)) if v
        }
        return params

    def list_transfers(self, query: TransferQuery = TransferQuery()) -> list[Transfer]:
        page = self._get("/transfers", self._transfer_params(query, query.limit), what="the transfer queue")
        return [Transfer.model_validate(t) for t in page["items"]]

    def count_transfers(self, query: TransferQuery = TransferQuery()) -> int:
        return int(self._get("/transfers", self._transfer_params(query, 0), what="the queue size")["total"])

    def _step(self, transfer_id: str, step: str, body: dict[str, Any], actor: str | None,
              offline: Callable[[], Transfer] | None = None) -> Transfer:  # fmt: skip
        path = f"/transfers/{_q(transfer_id)}"
        return self._write(
            "POST", f"{path}/{step}", body, Transfer.model_validate, actor=actor,
            label=f"{step} transfer {transfer_id}", optimistic=offline, cache_as=path,
        )  # fmt: skip

    def claim_transfer(
        self,
        transfer_id: str,
        agent_id: str,
        *,
        rationale: RoutingRationale | None = None,
        actor: str | None = None,
    ) -> Transfer:
        body = {"agent_id": agent_id, "rationale": _dump(rationale) if rationale else None}
        # As in SqliteStore, the claiming agent is the actor unless one is named.
        return self._step(transfer_id, "claim", body, actor or agent_id)

    def offer_transfer(
        self, transfer_id: str, agent_id: str, rationale: RoutingRationale, *, actor: str | None = None
    ) -> Transfer:
        return self._step(transfer_id, "offer", {"agent_id": agent_id, "rationale": _dump(rationale)}, actor)

    def decline_transfer(self, transfer_id: str, agent_id: str, *, actor: str | None = None) -> Transfer:
        return self._step(transfer_id, "decline", {"agent_id": agent_id}, actor or agent_id)

    def finish_transfer(
        self,
        transfer_id: str,
        status: TransferStatus,
        *,
        ticket_id: str | None = None,
        actor: str | None = None,
    ) -> Transfer:
        status = finishing_status(status)

        def offline() -> Transfer:
            known = self._known(f"/transfers/{_q(transfer_id)}", Transfer, f"transfer {transfer_id}")
            update = {"status": status, "completed_at": utcnow(), "ticket_id": ticket_id or known.ticket_id}
            return known.model_copy(update=update)

        step = "complete" if status == TransferStatus.COMPLETED else "abandon"
        return self._step(transfer_id, step, {"ticket_id": ticket_id}, actor, offline)

    # -- tickets -----------------------------------------------------------------------
    def create_ticket(self, ticket: Ticket, *, actor: str | None = None) -> Ticket:
        ticket = lifecycle.with_sla(ticket)
        path = f"/tickets/{_q(ticket.id)}"
        return self._save("POST", "/tickets", ticket, actor, f"file ticket {ticket.id}", path)

    def get_ticket(self, ticket_id: str) -> Ticket:
        return self._read(Ticket, f"/tickets/{_q(ticket_id)}", f"ticket {ticket_id}")

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
        changes = {
            "status": status, "note": note, "assignee_id": assignee_id, "disposition": disposition,
            "priority": priority, "type": type, "subject": subject, "survey_id": survey_id,
            "link_call_id": link_call_id,
        }  # fmt: skip
        body = {k: str(v) for k, v in changes.items() if v is not None}
        path = f"/tickets/{_q(ticket_id)}"

        def offline() -> Ticket:
            known = self._known(path, Ticket, f"ticket {ticket_id}")
            # The same rules the server applies, so the optimistic answer matches the replayed one.
            return lifecycle.apply_update(known, actor or "me", at=utcnow(), **changes)  # type: ignore[arg-type]

        label = f"update ticket {ticket_id}"
        return self._write(
            "PATCH",
            path,
            body,
            Ticket.model_validate,
            actor=actor,
            label=label,
            optimistic=offline,
            cache_as=path,
        )

    @staticmethod
    def _ticket_params(q: TicketQuery, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit, "offset": q.offset}
        for name in ("text", "type", "priority", "customer_id", "assignee_id"):
            if (value := getattr(q, name)) is not None:
                params[name] = str(value)
        if q.statuses:
            params["status"] = sorted(q.statuses)
        if q.overdue_at is not None:
            params["overdue_at"] = q.overdue_at.isoformat()
        return params

    def list_tickets(self, query: TicketQuery = TicketQuery()) -> list[Ticket]:
        if query.statuses is not None and not query.statuses:
            return []
        page = self._get("/tickets", self._ticket_params(query, query.limit), what="the ticket list")
        return [Ticket.model_validate(t) for t in page["items"]]

    def count_tickets(self, query: TicketQuery = TicketQuery()) -> int:
        if query.statuses is not None and not query.statuses:
            return 0
        return int(self._get("/tickets", self._ticket_params(query, 0), what="the ticket count")["total"])

    # -- knowledge base ------------------------------------------------------------------
    def upsert_article(self, article: KBArticle, *, actor: str | None = None) -> KBArticle:
        path = f"/kb/articles/{_q(article.id)}"

        def offline() -> KBArticle:
            known = self._cache.get(path + "?")
            version = known["version"] + 1 if known else article.version
            return article.model_copy(update={"version": version, "updated_at": utcnow()})

        label = f"save article {article.id}"
        parse = KBArticle.model_validate
        return self._write(
            "PUT", path, _dump(article), parse, actor=actor, label=label, optimistic=offline, cache_as=path
        )

    def get_article(self, article_id: str) -> KBArticle:
        return self._read(KBArticle, f"/kb/articles/{_q(article_id)}", f"article {article_id}")

    def list_articles(self, *, language: str | None = None, category: str | None = None) -> list[KBArticle]:
        params = {k: v for k, v in (("language", language), ("category", category)) if v}
        return self._read_all(KBArticle, "/kb/articles", "the KB", params)

    def search_kb(self, text: str, *, language: str | None = None, limit: int = 5) -> list[KBHit]:
        params: dict[str, Any] = {
            "q": text,
            "limit": max(1, limit),
            **({"language": language} if language else {}),
        }
        hits = self._get("/kb/search", params, what="KB search")
        return [KBHit(KBArticle.model_validate(h["article"]), float(h["score"])) for h in hits]

    # -- surveys -----------------------------------------------------------------------
    def upsert_survey(self, survey: Survey, *, actor: str | None = None) -> Survey:
        path = f"/surveys/{_q(survey.id)}"
        return self._save("PUT", path, survey, actor, f"save survey {survey.id}", path)

    def get_survey(self, survey_id: str) -> Survey:
        return self._read(Survey, f"/surveys/{_q(survey_id)}", f"survey {survey_id}")

    def list_surveys(self, *, ticket_id: str | None = None, status: str | None = None) -> list[Survey]:
        params = {k: str(v) for k, v in (("ticket_id", ticket_id), ("status", status)) if v}
        return self._read_all(Survey, "/surveys", "the survey list", params)

    # -- bot feedback --------------------------------------------------------------------
    def create_feedback(self, feedback: BotFeedback, *, actor: str | None = None) -> BotFeedback:
        path, label = f"/feedback/{_q(feedback.id)}", f"flag bot line ({feedback.reason})"
        # As in SqliteStore, whoever flagged it is the actor unless one is named.
        return self._save("POST", "/feedback", feedback, actor or feedback.flagged_by, label, path)

    def get_feedback(self, feedback_id: str) -> BotFeedback:
        return self._read(BotFeedback, f"/feedback/{_q(feedback_id)}", f"feedback {feedback_id}")

    def list_feedback(self, *, status: str | None = None, limit: int = 100) -> list[BotFeedback]:
        params = {"limit": limit, **({"status": str(status)} if status else {})}
        return self._read_all(BotFeedback, "/feedback", "the review queue", params)

    def review_feedback(
        self, feedback_id: str, *, accepted: bool, reviewer: str, article: KBArticle | None = None,
        attribution: Literal["bot", "human"] | None = None, note: str = "", actor: str | None = None,
    ) -> BotFeedback:  # fmt: skip
        path = f"/feedback/{_q(feedback_id)}"
        body = {
            "accepted": accepted, "reviewer": reviewer, "article": _dump(article) if article else None,
            "attribution": attribution, "note": note,
        }  # fmt: skip

        def offline() -> BotFeedback:
            known = self._known(path, BotFeedback, f"feedback {feedback_id}")
            return review(known, reviewer, accept=accepted, now=utcnow(), attribution=attribution, note=note)

        return self._write(
            "POST", f"{path}/review", body, BotFeedback.model_validate, actor=actor or reviewer,
            label=f"review feedback {feedback_id}", optimistic=offline, cache_as=path,
        )  # fmt: skip

    # -- trainer results -----------------------------------------------------------------
    def save_training_result(self, result: TrainingResult, *, actor: str | None = None) -> TrainingResult:
        path, label = f"/training/results/{_q(result.id)}", f"save training result {result.id}"
        # As in SqliteStore, the trainee is the actor unless one is named.
        return self._save("PUT", path, result, actor or result.trainee, label, path)

    def list_training_results(self, *, trainee: str | None = None, limit: int = 100) -> list[TrainingResult]:
        params = {"limit": limit, **({"trainee": trainee} if trainee else {})}
        return self._read_all(TrainingResult, "/training/results", "trainer results", params)

    # -- change feed -------------------------------------------------------------------
    def events_since(
        self, seq: int = 0, *, limit: int = 1000, entity_id: str | None = None
    ) -> list[AuditEvent]:
        """Changes after `seq`; connection changes come first as `connection.*` events with seq = `seq`.

        Offline this returns only those connection events (no exception every poll).
        """
        notices: list[AuditEvent] = []
        if entity_id is None:
            while self._notices:
                notices.append(self._notices.popleft().model_copy(update={"seq": seq}))
        params: dict[str, Any] = {
            "since": seq,
            "limit": limit,
            **({"entity_id": entity_id} if entity_id else {}),
        }
        try:
            data = (
                self._get("/events", params, what="the change feed")
                if self._state.status != "offline"
                else []
            )
        except StoreUnavailable:
            data = []
        return notices + [AuditEvent.model_validate(e) for e in data]

    def last_seq(self) -> int:
        return int(self._get("/events/last", what="the change feed position")["seq"])

    def events_stream(
        self, since: int | None = None, *, stop: threading.Event | None = None
    ) -> Iterator[AuditEvent]:
        """Follow the server's event stream (SSE), reconnecting from the last event after a drop.

        Args:
            since: start after this sequence number; None starts at the newest change.
            stop: set it to end the iteration (checked between events and reconnects).
        """
        last = since
        stop = stop or threading.Event()
        while not stop.is_set():
            headers = {"Accept": "text/event-stream"}
            if last is not None:
                headers["Last-Event-ID"] = str(last)
            try:
                with self._http.stream(
                    "GET", "/events/stream", headers=headers, timeout=httpx.Timeout(10.0, read=60.0)
                ) as r:
                    if r.status_code >= 400:
                        r.read()
                        raise _error(r)
                    for event in _parse_sse(r.iter_lines()):
                        last = event.seq
                        yield event
                        if stop.is_set():
                            return
            except httpx.TransportError as exc:
                self._offline(exc)
                stop.wait(self._replayer.interval)

    def whoami(self) -> dict[str, Any]:
        """Who the token belongs to: `name`, `role`, `agent_id` (the agent a desk works as), `permissions`."""
        return dict(self._get("/me", what="who this token belongs to"))

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


def _parse_sse(lines: Iterator[str]) -> Iterator[AuditEvent]:
    """AuditEvents from the lines of an SSE stream (comments and retry hints skipped)."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield AuditEvent.model_validate_json("\n".join(data))
            data = []
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
