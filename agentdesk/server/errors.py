"""Errors as HTTP: every failure becomes a status code and a JSON body that says what is wrong.

Body shape: `{"error": "<code>", "message": "<for people>", ...details}`. The codes are
stable (clients such as `RemoteStore` turn them back into store exceptions); the
messages may improve. Bad input is always a 4xx, never a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from agentdesk.domain.models import BlankLine
from agentdesk.domain.tickets import IllegalTransition, IncompleteTicket
from agentdesk.store.base import (
    AlreadyClaimed,
    AlreadyExists,
    Conflict,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)

log = logging.getLogger("agentdesk.server")


class ErrorBody(BaseModel):
    """What every error response carries (plus code-specific fields)."""

    error: str
    """Stable machine-readable code, e.g. `not_found`, `already_claimed`, `forbidden`."""
    message: str
    """What went wrong, written for a person."""


class ApiError(Exception):
    """An error a route raises on purpose, with its status, code and extra fields."""

    def __init__(self, status: int, code: str, message: str, /, **fields: Any) -> None:
        super().__init__(message)
        if code == "invalid_request" and "details" not in fields:
            # Every invalid_request has the same shape: a list of problems, each with where.
            where = fields.pop("loc", "body")
            fields["details"] = [{"loc": where, "msg": message, "type": "value_error"}]
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.fields}


def _validation_details(errors: list[Any]) -> tuple[str, list[dict[str, Any]]]:
    details = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        details.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    summary = "; ".join(f"{d['loc']}: {d['msg']}" if d["loc"] else d["msg"] for d in details[:5])
    return summary or "the request is not valid", details


def _blank_line(exc: BlankLine) -> ApiError:
    """A transcript line with no text: 422 naming where it is, and how to do without it."""
    if exc.field == "text" and exc.call_id:  # a line of a call: a partial that came to nothing
        fix = f" (DELETE /calls/{exc.call_id}/utterances/{exc.line_id})"
    else:  # a line inside another record (a handoff packet): it has nothing to add
        fix = " (leave the line out)"
    return ApiError(
        422,
        "invalid_request",
        f"{exc.field}: {exc}{fix}",
        details=[{"loc": f"body.{exc.field}", "msg": "A transcript line needs text", "type": "blank_line"}],
    )


def describe(exc: BaseException) -> ApiError:
    """The HTTP form of an exception raised by the store, the domain or a route."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", str(exc), entity=exc.entity, entity_id=exc.entity_id)
    if isinstance(exc, AlreadyClaimed):
        return ApiError(
            409,
            "already_claimed",
            str(exc),
            transfer_id=exc.transfer_id,
            holder=exc.holder,
            # AlreadyClaimed keeps the status only in its message: "transfer X is already S[ by H]".
            status=str(exc).removeprefix(f"transfer {exc.transfer_id} is already ").split(" by ", 1)[0],
        )
    if isinstance(exc, AlreadyExists):
        return ApiError(409, "already_exists", str(exc))
    if isinstance(exc, Conflict):
        return ApiError(409, "conflict", str(exc))
    if isinstance(exc, IllegalTransition):
        # IllegalTransition keeps the ticket id only in its message: "ticket X cannot go from ...".
        ticket_id = str(exc).removeprefix("ticket ").split(" cannot go from ", 1)[0]
        return ApiError(
            422,
            "illegal_transition",
            str(exc),
            ticket_id=ticket_id,
            current=str(exc.current),
            target=str(exc.target),
        )
    if isinstance(exc, IncompleteTicket):
        return ApiError(
            422,
            "incomplete_ticket",
            str(exc),
            ticket_id=exc.ticket_id,
            status=str(exc.status),
            missing=exc.missing,
        )
    if isinstance(exc, BlankLine):
        return _blank_line(exc)
    if isinstance(exc, ValidationError):
        summary, details = _validation_details(exc.errors(include_url=False, include_context=False))
        return ApiError(422, "invalid_request", summary, details=details)
    if isinstance(exc, ValueError):
        return ApiError(422, "invalid_request", str(exc))
    # Store messages name the server's files: they go to its log (see `install`), not to clients.
    if isinstance(exc, StoreLocked):
        return ApiError(503, "store_locked", "the database is busy (locked by another program); retry soon")
    if isinstance(exc, StoreUnavailable):
        return ApiError(503, "store_unavailable", "the database cannot be reached; retry soon")
    if isinstance(exc, StoreCorrupt):
        return ApiError(500, "store_corrupt", str(exc))
    if isinstance(exc, StoreError):
        return ApiError(500, "store_error", str(exc))
    return ApiError(500, "internal_error", "the server failed; the error is in its log")


def render(error: ApiError) -> JSONResponse:
    """An error as a JSON response."""
    return JSONResponse(error.body(), status_code=error.status, headers=headers_for(error.status))


RETRY_AFTER_SECONDS = 2
"""What a 503 asks clients to wait before retrying."""


def headers_for(status: int) -> dict[str, str] | None:
    """The headers an error status carries: how to authenticate (401), when to retry (503)."""
    if status == 401:
        return {"WWW-Authenticate": "Bearer"}
    if status == 503:
        return {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return None


def encode(error: ApiError) -> bytes:
    """An error body as bytes (stored with idempotency records)."""
    return json.dumps(error.body(), ensure_ascii=False, default=str, separators=(",", ":")).encode()


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at the request's path (for a 405's `Allow` header)."""
    routes: list[BaseRoute] = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into a JSON error."""

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        error = describe(exc)
        if isinstance(exc, StoreLocked | StoreUnavailable):
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        elif error.status >= 500:
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return render(error)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        summary, details = _validation_details(list(exc.errors()))
        return render(ApiError(422, "invalid_request", summary, details=details))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            # The body could not be parsed at all (e.g. JSON nested too deep for the parser):
            # the same answer as any other malformed JSON.
            return render(
                ApiError(
                    422,
                    "invalid_request",
                    "the body cannot be read as JSON (malformed, or nested too deep)",
                    details=[{"loc": "body", "msg": "JSON cannot be read", "type": "json_invalid"}],
                )
            )
        codes = {404: "no_such_route", 405: "method_not_allowed"}
        message = str(exc.detail) if exc.detail else "request refused"
        if exc.status_code == 404:
            message = f"no route {request.method} {request.url.path}; see /api/v1/openapi.json"
        response = render(ApiError(exc.status_code, codes.get(exc.status_code, "http_error"), message))
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    for kind in (ApiError, StoreError, ValueError):
        app.add_exception_handler(kind, on_error)
    app.add_exception_handler(Exception, on_error)
