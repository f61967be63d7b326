"""Customers: list and search, get, create or replace."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from agentdesk.domain.models import Customer
from agentdesk.server.auth import require
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import Limit, Offset, errors, same_id
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=list[Customer], responses=errors(422))
async def list_customers(
    request: Request,
    search: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("customers:read")),
) -> Response:
    """Customers by id; `search` matches name, id, account number or a contact."""
    found = state_of(request).store.list_customers(search=search, limit=limit, offset=offset)
    return respond(found, who)


@router.get("/customers/{customer_id}", response_model=Customer, responses=errors(404))
async def get_customer(
    request: Request, customer_id: str, who: Principal = Depends(require("customers:read"))
) -> Response:
    """One customer; phone, ID and card numbers are masked unless the role may see them."""
    return respond(state_of(request).store.get_customer(customer_id), who)


@router.put("/customers/{customer_id}", response_model=Customer, responses=errors(422))
async def put_customer(
    customer_id: str, customer: Customer, w: Write = Depends(writer("customers:write"))
) -> Response:
    """Create or replace a customer."""
    same_id("customer", customer_id, customer.id)
    return w.run(lambda actor: w.state.store.upsert_customer(customer, actor=actor))
