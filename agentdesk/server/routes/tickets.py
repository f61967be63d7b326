"""Tickets: create, get, change (PATCH = one `Store.update_ticket` step), list, filter and search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.domain.models import Ticket, TicketPriority, TicketStatus, TicketType, utcnow
from agentdesk.nlp.terms import match_expression
from agentdesk.server.auth import require
from agentdesk.server.bodies import Strict
from agentdesk.server.errors import ApiError
from agentdesk.server.owned import check_new_ticket
from agentdesk.server.permissions import Principal
from agentdesk.server.refs import must_exist
from agentdesk.server.routes.common import Limit, Offset, errors
from agentdesk.server.schemas import Page, TicketPatch
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, respond_page, writer
from agentdesk.store.base import TicketQuery

router = APIRouter(tags=["tickets"])


@router.get("/tickets", response_model=Page[Ticket], responses=errors(422))
def list_tickets(
    request: Request,
    text: Annotated[str | None, Query(description="Full-text search, Chinese or English.")] = None,
    status: Annotated[list[TicketStatus] | None, Query()] = None,
    type: TicketType | None = None,
    priority: TicketPriority | None = None,
    customer_id: str | None = None,
    assignee_id: str | None = None,
    overdue_at: Annotated[
        datetime | None, Query(description="Only open tickets whose SLA is due before this time.")
    ] = None,
    search_masked: Annotated[
        bool, Query(description="Search the text as it reads masked (always so for masked roles).")
    ] = False,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("tickets:read")),
) -> Response:
    """Tickets, best match first when searching, else most recently updated first.

    For roles that see numbers masked (all but supervisors) `text` is searched in the
    tickets as those roles read them: digits that are masked for them never match. A
    `text` with no word to search for (only spaces, punctuation or emoji) is refused with
    422 rather than taken as no filter; leave `text` out to list every ticket.
    """
    if text is not None and match_expression(text, prefix=True) is None:
        raise ApiError(
            422,
            "invalid_request",
            f"text: nothing to search for in {text[:40]!r}: give a word in Chinese or English,"
            " or leave text out to list every ticket",
            loc="query.text",
        )
    query = TicketQuery(
        text=text,
        statuses=frozenset(status) if status else None,
        type=type,
        priority=priority,
        customer_id=customer_id,
        assignee_id=assignee_id,
        overdue_at=overdue_at,
        limit=limit,
        offset=offset,
        search_masked=search_masked or not who.sees_sensitive,
    )
    store = state_of(request).store
    items = store.list_tickets(query) if limit else []
    return respond_page(items, store.count_tickets(query), limit, offset, who)


@router.post("/tickets", response_model=Ticket, status_code=201, responses=errors(409, 422))
def create_ticket(ticket: Strict[Ticket], w: Write = Depends(writer("tickets:write"))) -> Response:
    """File a ticket; the SLA due time follows from its type and priority unless given.

    A new ticket starts `new`, `assigned`, `in_progress` or `resolved` (never `closed`), its
    notes are written as the caller, and no time in it is ahead of the server's clock or
    older than the ticket; only imports (`actor:any`) may do otherwise.
    """
    check_new_ticket(ticket, w.principal, utcnow(), w.state.idempotency_retention)
    return w.run(lambda actor: w.state.store.create_ticket(ticket, actor=actor), status=201)


@router.get("/tickets/{ticket_id}", response_model=Ticket, responses=errors(404))
def get_ticket(
    request: Request, ticket_id: str, who: Principal = Depends(require("tickets:read"))
) -> Response:
    """One ticket with its whole history."""
    return respond(state_of(request).store.get_ticket(ticket_id), who)


@router.patch("/tickets/{ticket_id}", response_model=Ticket, responses=errors(404, 422))
def patch_ticket(ticket_id: str, patch: TicketPatch, w: Write = Depends(writer("tickets:write"))) -> Response:
    """Change a ticket in one step: assign, move status, append a note, set fields.

    An illegal status move (e.g. new -> waiting_customer) is refused with 422
    `illegal_transition` and nothing is written. `assignee_id` must name an agent and
    `link_call_id` a call that exist; `subject` may not be empty (422).
    """
    changes = patch.model_dump(exclude_none=True)

    def update(actor: str) -> Ticket:
        store = w.state.store
        store.get_ticket(ticket_id)  # an unknown ticket is a 404 before its fields are looked at
        must_exist(store, "agent", "assignee_id", patch.assignee_id)
        must_exist(store, "call", "link_call_id", patch.link_call_id)
        return store.update_ticket(ticket_id, **changes, actor=actor)

    return w.run(update)
