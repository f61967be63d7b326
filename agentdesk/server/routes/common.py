"""What the route modules share: error responses for the OpenAPI document, query limits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import BaseModel

from agentdesk.server.bodies import FROM_PATH, id_problem
from agentdesk.server.errors import ApiError, ErrorBody

M = TypeVar("M", bound=BaseModel)

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


def replacement(kind: str, path_id: str, record: M, *, server_owned: Iterable[str] = ()) -> M:
    """What a PUT stores under `path_id`: the whole record, named by the path.

    A body without `id` (`Replacing[...]`) takes the path's; a body `id` must equal it.
    PUT replaces the record, so every field is sent (`null` where there is none), except
    `id` and the fields the store sets itself (`server_owned`); a missing one is refused
    rather than reset to its default.

    Raises:
        ValueError: the ids differ, or the path's is not a valid record id (422).
        ApiError: 422 naming every missing field.
    """
    if record.id == FROM_PATH:  # type: ignore[attr-defined]
        record = record.model_copy(update={"id": path_id})
    same_id(kind, path_id, record.id)  # type: ignore[attr-defined]
    skipped = {"id", *server_owned}
    if missing := [
        n for n in type(record).model_fields if n not in record.model_fields_set and n not in skipped
    ]:
        raise whole_record_required(kind, path_id, missing)
    return record
