"""Writes: one transaction per request holding the store write, its idempotency record and audit row.

A client sends `Idempotency-Key: <unique string>` with a write. The first time, the
server runs the write and stores the response under (user, key) in the same SQLite
transaction; when the same user sends the same key again (a retry after a lost
response, a desk replaying its outbox) the stored response comes back with
`Idempotent-Replayed: true` and nothing is written again. A key reused for a
different request is refused with 422. Refusals by the store (404, 409, 422) are
remembered too, so a retry gets the same answer; 5xx answers are not, so a retry can
succeed once the problem is gone.

Every write also leaves a row in `api_audit`: who was authenticated, which name went
into the change feed as actor, the route and the status.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel

from agentdesk.domain.models import utcnow
from agentdesk.server.auth import authenticate, bearer, forbidden
from agentdesk.server.errors import ApiError, describe, encode
from agentdesk.server.masking import mask
from agentdesk.server.permissions import PERMISSIONS, Principal
from agentdesk.server.state import ServerState, state_of
from agentdesk.store.base import StoreError
from agentdesk.store.sqlite_base import ts

log = logging.getLogger("agentdesk.server")

ACTOR_HEADER = "X-AgentDesk-Actor"
KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
JSON = "application/json"


_INT_LIMIT = 2**63


def _reject_constant(name: str) -> Any:
    raise ApiError(422, "invalid_request", f"the body holds {name}; numbers must be finite")


def _checked_int(text: str) -> int:
    value = int(text)
    if abs(value) >= _INT_LIMIT:
        raise ApiError(422, "invalid_request", f"the number {text[:30]} is too large (64-bit integers only)")
    return value


def canonical(body: bytes) -> bytes:
    """The body as the idempotency fingerprint sees it: JSON with spacing and key order ignored.

    A client retrying the same request may serialise it differently (`{"id": "C-1"}` and
    `{"id":"C-1"}`); that is still the same request. A body that is not JSON stays as sent.
    """
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return body
    return json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def check_body(body: bytes) -> None:
    """Refuse JSON that parses but cannot be stored: NaN/Infinity, huge integers, lone surrogates.

    Python's JSON reader accepts all three, and each would otherwise surface as a database
    or encoding error (a 500) deep inside the store. Malformed JSON is left to the normal
    request validation, which answers 422 with the position of the problem.
    """
    if not body:
        return
    try:
        parsed = json.loads(body, parse_constant=_reject_constant, parse_int=_checked_int)
    except (ValueError, RecursionError):
        return
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(422, "invalid_request", "the body holds text that is not valid Unicode") from None


def _json(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        return value.model_dump_json().encode()
    if isinstance(value, list):
        return b"[" + b",".join(_json(v) for v in value) + b"]"
    raise TypeError(f"cannot render {type(value).__name__}")


def dump(value: Any, principal: Principal) -> bytes:
    """A route result as JSON bytes, masked unless the caller may see sensitive numbers."""
    return _json(value if principal.sees_sensitive else mask(value))


def respond(value: Any, principal: Principal, status: int = 200) -> Response:
    """A read result as a JSON response (masked by role)."""
    return Response(dump(value, principal), status_code=status, media_type=JSON)


def respond_page(items: list[Any], total: int, limit: int, offset: int, principal: Principal) -> Response:
    """A window of a long list with its total, as `schemas.Page`."""
    head = b'{"items":' + dump(items, principal)
    tail = f',"total":{int(total)},"limit":{int(limit)},"offset":{int(offset)}}}'.encode()
    return Response(head + tail, media_type=JSON)


@dataclass
class Write:
    """One authorised write request, ready to run exactly once."""

    state: ServerState
    principal: Principal
    actor: str
    """The name recorded in the change feed: the caller, or whom it writes for (`actor:any`)."""
    key: str | None
    fingerprint: str
    method: str
    path: str

    def run(self, fn: Callable[[str], Any], status: int = 200, *, remember: bool = True) -> Response:
        """Run `fn(actor)` once per idempotency key and answer with its (masked) result.

        Args:
            fn: the store write, given the actor to record.
            status: the status of a successful answer.
            remember: keep the answer for retries with the same key (off for answers
                holding secrets, which must not be stored).
        """
        key = self.key if remember else None
        with self.state.db.transaction() as c:
            if key is not None:
                row = c.execute(
                    "SELECT fingerprint, status, body FROM api_idempotency WHERE principal = ? AND key = ?",
                    # The user and when it was created: a name revoked and given to someone else
                    # never replays the previous holder's answers.
                    (self.principal.owner, key),
                ).fetchone()
                if row is not None:
                    if row[0] != self.fingerprint:
                        raise ApiError(
                            422,
                            "idempotency_key_reused",
                            f"{KEY_HEADER} {self.key!r} was used for a different request; use a new key",
                        )
                    return Response(
                        row[2], status_code=row[1], media_type=JSON, headers={REPLAYED_HEADER: "true"}
                    )
            try:
                code, body = status, dump(fn(self.actor), self.principal)
            except (ApiError, StoreError, ValueError) as exc:
                error = describe(exc)
                if error.status >= 500:
                    raise  # not remembered: a retry may succeed once the store is free again
                code, body = error.status, encode(error)
            now = ts(utcnow())
            if key is not None:
                c.execute(
                    "INSERT INTO api_idempotency (principal, key, fingerprint, status, body, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (self.principal.owner, key, self.fingerprint, code, body, now),
                )
            feed_seq = c.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
            c.execute(
                "INSERT INTO api_audit (at, principal, role, actor, method, path, status, idempotency_key,"
                " feed_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    self.principal.name,
                    self.principal.role,
                    self.actor,
                    self.method,
                    self.path,
                    code,
                    self.key,
                    feed_seq,
                ),
            )
        if code < 300:
            self.state.signal.notify()
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        return Response(body, status_code=code, media_type=JSON, headers=headers)


def _decoded_actor(header: str) -> str:
    """The actor name a client percent-encoded (HTTP header values are ASCII).

    Raises:
        ApiError: 422 for bytes that are not UTF-8 or for control characters (a newline or
            NUL would forge lines in the audit log).
    """
    try:
        name = unquote(header, errors="strict")
    except UnicodeDecodeError:
        name = None
    if name is None or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        raise ApiError(
            422,
            "invalid_request",
            f"{ACTOR_HEADER} must be a name in percent-encoded UTF-8 without control characters",
            details=[{"loc": f"header.{ACTOR_HEADER}", "msg": "not a valid name", "type": "invalid_actor"}],
        )
    return name


def _actor(principal: Principal, header: str | None) -> str:
    requested = _decoded_actor(header) if header else None
    if not requested or requested in (principal.name, principal.agent_id):
        return requested or principal.name
    if not principal.can("actor:any"):
        raise ApiError(
            403,
            "forbidden",
            f"{principal.name} may not record writes as {requested!r} ({ACTOR_HEADER} needs actor:any)",
            permission="actor:any",
        )
    return requested


def writer(permission: str) -> Callable[..., Awaitable[Write]]:
    """The dependency of a write route: authorised caller, actor, idempotency key, fingerprint."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    async def dependency(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
    ) -> Write:
        principal = await authenticate(request, credentials)
        if not principal.can(permission):
            raise forbidden(principal, permission)
        key = request.headers.get(KEY_HEADER)
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            raise ApiError(
                422,
                "invalid_request",
                f"{KEY_HEADER} must be 1-{MAX_KEY_LENGTH} characters",
                loc=f"header.{KEY_HEADER}",
            )
        body = await request.body()
        check_body(body)
        digest = hashlib.sha256(
            b"\n".join(
                [
                    request.method.encode(),
                    str(request.url.path).encode(),
                    str(request.url.query).encode(),
                    canonical(body) if body else body,
                ]
            )
        ).hexdigest()
        return Write(
            state=state_of(request),
            principal=principal,
            actor=_actor(principal, request.headers.get(ACTOR_HEADER)),
            key=key,
            fingerprint=digest,
            method=request.method,
            path=request.url.path,
        )

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def prune(state: ServerState, now: datetime | None = None) -> int:
    """Forget idempotency records older than the retention window; returns how many."""
    cutoff = ts((now or utcnow()) - state.idempotency_retention)
    with state.db.transaction() as c:
        return c.execute("DELETE FROM api_idempotency WHERE created_at < ?", (cutoff,)).rowcount
