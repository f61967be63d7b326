"""Customers: list and search, get, create or replace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.domain.models import Customer
from agentdesk.server.auth import require
from agentdesk.server.bodies import Replacing
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import Limit, Offset, errors, replacement
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=list[Customer], responses=errors(422))
def list_customers(
    request: Request,
    search: str | None = None,
    exact_phone: Annotated[
        bool, Query(description="Match a phone number only as the whole number (always so for masked roles).")
    ] = False,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("customers:read")),
) -> Response:
    """Customers by id; `search` matches part of the name, id, account number or a contact.

    For roles that see phone numbers masked (all but supervisors) a phone number matches
    only as the whole number (spaces, dashes, dots, brackets and `+` ignored), never a part
    of one: a part would let the hidden digits be found one search at a time.
    """
    found = state_of(request).store.list_customers(
        search=search, limit=limit, offset=offset, exact_phone=exact_phone or not who.sees_sensitive
    )
    return respond(found, who)


@router.get("/customers/{customer_id}", response_model=Customer, responses=errors(404))
def get_customer(
    request: Request, customer_id: str, who: Principal = Depends(require("customers:read"))
) -> Response:
    """One customer; phone, ID and card numbers are masked unless the role may see them."""
    return respond(state_of(request).store.get_customer(customer_id), who)


@router.put("/customers/{customer_id}", response_model=Customer, responses=errors(422))
def put_customer(
    customer_id: str, customer: Replacing[Customer], w: Write = Depends(writer("customers:write"))
) -> Response:
    """Create or replace a customer.

    PUT replaces the whole customer: send every field (`null` where there is none), e.g.
    the customer as GET returns it with your changes; a missing field is refused with 422
    naming it. `id` may be left out (the path names the customer).
    """
    customer = replacement("customer", customer_id, customer)
    return w.run(lambda actor: w.state.store.upsert_customer(customer, actor=actor))
