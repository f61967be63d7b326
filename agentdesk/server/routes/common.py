"""What the route modules share: error responses for the OpenAPI document, query limits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from agentdesk.server.bodies import id_problem
from agentdesk.server.errors import ApiError, ErrorBody

MAX_SEQ = 2**62
"""Bigger numbers cannot be change-feed positions (SQLite integers are 64-bit)."""

Limit = Annotated[int, Query(ge=0, le=1000, description="Window size (0 returns only the total).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]

_ERRORS = {
    401: "No token, or a token that is unknown or revoked.",
    403: "The caller's role lacks the permission this operation needs.",
    404: "No record with that id.",
    409: "The record is in a state that forbids the request (already claimed, exists, reviewed).",
    422: "The request is malformed (unknown fields, bad ids, fields the server owns), or the ticket"
    " lifecycle forbids the change.",
    503: "The database is locked by another program; retry.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the given error statuses (401 and 403 always)."""
    return {code: {"model": ErrorBody, "description": _ERRORS[code]} for code in sorted({401, 403, *codes})}


def same_id(kind: str, path_id: str, body_id: str) -> None:
    """Refuse a body whose id differs from the id in the path.

    Raises:
        ValueError: the ids differ, or the path's is not a valid record id (answered with 422).
    """
    if (problem := id_problem(path_id)) is not None:
        raise ValueError(f"the {kind} id in the path: {problem}")
    if path_id != body_id:
        raise ValueError(
            f"the {kind} id in the body ({body_id!r}) differs from the one in the path ({path_id!r})"
        )


def whole_record_required(kind: str, record_id: str, missing: list[str]) -> ApiError:
    """The 422 for a PUT that leaves fields out: PUT replaces the record, it never resets a field."""
    return ApiError(
        422,
        "invalid_request",
        f"PUT replaces the whole {kind}: send every field (null where there is none), e.g. as"
        f" GET returns {kind} {record_id} with your changes; missing: {', '.join(missing)}",
        details=[
            {
                "loc": f"body.{name}",
                "msg": f"Field required (PUT replaces the whole {kind})",
                "type": "missing",
            }
            for name in missing
        ],
    )
