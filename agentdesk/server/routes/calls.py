"""Calls and their live transcripts: a bot streams utterances, partial lines replaced by id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.domain.models import Call, Utterance
from agentdesk.server.auth import require
from agentdesk.server.bodies import Replacing, Strict
from agentdesk.server.errors import ApiError
from agentdesk.server.limits import MAX_UTTERANCE_CHARS
from agentdesk.server.masking import mask
from agentdesk.server.owned import check_line_writer
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import MAX_SEQ, Limit, Offset, errors, replacement
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer
from agentdesk.store.base import AlreadyExists, NotFound

router = APIRouter(tags=["calls"])


@router.get("/calls", response_model=list[Call], responses=errors(422))
def list_calls(
    request: Request,
    customer_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("calls:read")),
) -> Response:
    """Calls, newest first, optionally of one customer."""
    return respond(
        state_of(request).store.list_calls(customer_id=customer_id, limit=limit, offset=offset), who
    )


@router.post("/calls", response_model=Call, status_code=201, responses=errors(409, 422))
def create_call(call: Strict[Call], w: Write = Depends(writer("calls:write"))) -> Response:
    """Start a call (the server picks an id when the body has none).

    An id that exists already is refused with 409 `already_exists`; change a call with
    `PUT /calls/{call_id}`.
    """
    store = w.state.store

    def create(actor: str) -> Call:
        # Inside the request's write transaction, so no other request can create it in between.
        try:
            store.get_call(call.id)
        except NotFound:
            return store.upsert_call(call, actor=actor)
        raise AlreadyExists(f"call {call.id} exists already; change it with PUT /calls/{call.id}")

    return w.run(create, status=201)


@router.get("/calls/{call_id}", response_model=Call, responses=errors(404))
def get_call(request: Request, call_id: str, who: Principal = Depends(require("calls:read"))) -> Response:
    """One call."""
    return respond(state_of(request).store.get_call(call_id), who)


@router.put("/calls/{call_id}", response_model=Call, responses=errors(422))
def put_call(call_id: str, call: Replacing[Call], w: Write = Depends(writer("calls:write"))) -> Response:
    """Create or replace a call (status, bot mode, end time, outcome).

    PUT replaces the whole call, so the body holds every field (`null` where there is no
    value), e.g. the call as `GET /calls/{call_id}` returns it with the changes made;
    a missing field is refused with 422 naming it, never reset to a default. `id` may be
    left out: the path says which call it is.
    """
    call = replacement("call", call_id, call)
    return w.run(lambda actor: w.state.store.upsert_call(call, actor=actor))


MASK_CONTEXT_LINES = 8
"""Lines before a poll's window read with it, so a number begun there is masked as a whole."""


@router.get("/calls/{call_id}/utterances", response_model=list[Utterance], responses=errors(404, 422))
def list_utterances(
    request: Request,
    call_id: str,
    since_seq: Annotated[int, Query(ge=0, le=MAX_SEQ, description="Only lines after this position.")] = 0,
    who: Principal = Depends(require("calls:read")),
) -> Response:
    """The transcript of a call in order (texts masked unless the role may see numbers); 404 for no call.

    Masked lines after `since_seq` are masked with the lines before them, so the second half
    of a number read out over two lines goes out masked however the transcript is polled.
    """
    store = state_of(request).store
    lines = store.list_utterances(call_id, since_seq=since_seq)
    if since_seq and lines and not who.sees_sensitive:
        earlier = store.list_utterances(call_id, since_seq=max(0, since_seq - MASK_CONTEXT_LINES))
        lines = [u for u in mask(earlier) if u.seq > since_seq]
    return respond(lines, who)


def _too_long(utterance: Utterance) -> ApiError | None:
    """The 422 for a line longer than a transcript line may be, or None."""
    if len(utterance.text) <= MAX_UTTERANCE_CHARS:
        return None
    return ApiError(
        422,
        "invalid_request",
        f"text: a transcript line holds at most {MAX_UTTERANCE_CHARS} characters, not {len(utterance.text)}",
        details=[
            {
                "loc": "body.text",
                "msg": f"String should have at most {MAX_UTTERANCE_CHARS} characters",
                "type": "string_too_long",
            }
        ],
    )


@router.post("/calls/{call_id}/utterances", response_model=Utterance, responses=errors(404, 422))
def append_utterance(
    call_id: str, utterance: Strict[Utterance], w: Write = Depends(writer("calls:write"))
) -> Response:
    """Append a line to the call, or replace the call's line with the same `id` (a partial made final).

    Line ids are per call: the same `id` in another call is another line. New lines get the
    next `seq`; a replaced line keeps its `seq`. Only the user who wrote a line (or a
    supervisor) may replace it; others get 403. A line holds 1-5000 characters and more
    than white space: a partial whose final text came to nothing is taken back with
    `DELETE /calls/{call_id}/utterances/{utterance_id}`, never replaced by an empty line.
    """
    if (problem := _too_long(utterance)) is not None:
        raise problem
    # Refused before the write: nothing is remembered under the request's idempotency key.
    utterance = utterance.model_copy(update={"call_id": call_id}).require_text()

    def append(actor: str) -> Utterance:
        # Inside the write transaction, so the line cannot be written by someone else in between.
        check_line_writer(w.state.db, w.principal, call_id, utterance.id)
        return w.state.store.append_utterance(call_id, utterance, actor=actor)

    return w.run(append)


@router.delete(
    "/calls/{call_id}/utterances/{utterance_id}", response_model=Utterance, responses=errors(404, 409)
)
def retract_utterance(call_id: str, utterance_id: str, w: Write = Depends(writer("calls:write"))) -> Response:
    """Take back a partial line whose final text came to nothing; answers the line as it was.

    The change feed says `utterance.retracted` (`data`: the line's `id` and `seq`); the
    line's `seq` is never given to another line. Final lines stay (409 `conflict`): they
    are the call's record. Only the user who wrote the line (or a supervisor) may take it
    back; others get 403. 404 for no such call or line.
    """

    def retract(actor: str) -> Utterance:
        check_line_writer(w.state.db, w.principal, call_id, utterance_id)
        return w.state.store.retract_utterance(call_id, utterance_id, actor=actor)

    return w.run(retract)
