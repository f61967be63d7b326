"""Transfers: a bot posts one with its handoff packet; agents claim, decline, complete it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.calls.affinity import with_affinity
from agentdesk.domain.models import utcnow
from agentdesk.domain.routing import queue_rank
from agentdesk.domain.transfers import Transfer, TransferStatus
from agentdesk.server.auth import forbidden, require
from agentdesk.server.bodies import Strict
from agentdesk.server.errors import ApiError
from agentdesk.server.owned import new_transfer
from agentdesk.server.permissions import Principal
from agentdesk.server.refs import must_exist
from agentdesk.server.routes.common import Limit, Offset, errors
from agentdesk.server.schemas import ClaimRequest, DeclineRequest, FinishRequest, OfferRequest, Page
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, respond_page, writer
from agentdesk.store.base import OPEN_TRANSFER, TransferQuery

router = APIRouter(tags=["transfers"])


@router.get("/transfers", response_model=Page[Transfer], responses=errors(422))
def list_transfers(
    request: Request,
    status: Annotated[list[TransferStatus] | None, Query(description="Default: waiting and offered.")] = None,
    claimed_by: str | None = None,
    customer_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("transfers:read")),
) -> Response:
    """The queue, highest queue rank first, with the total for paging."""
    query = TransferQuery(
        statuses=frozenset(status) if status else OPEN_TRANSFER,
        claimed_by=claimed_by,
        customer_id=customer_id,
        limit=limit,
        offset=offset,
    )
    store = state_of(request).store
    items = store.list_transfers(query) if limit else []
    return respond_page(items, store.count_transfers(query), limit, offset, who)


@router.post("/transfers", response_model=Transfer, status_code=201, responses=errors(409, 422))
def create_transfer(transfer: Strict[Transfer], w: Write = Depends(writer("transfers:create"))) -> Response:
    """Queue a transfer from the bot with its handoff packet.

    The server ranks it in the queue from the packet (tier, complexity, emotion) and the
    time it was created, which is the server's clock: a `created_at` or `queue_rank` in the
    body is ignored. `packet.wait_started_at`, when given, must lie within the last two
    hours. `call_id` and `packet.customer_id`, when given, must name a call and a customer
    that exist (422 otherwise). A `packet.transcript` line without text is refused with 422
    naming it (`blank_line`). Without a `packet.affinity` the server fills in the customer's
    previous agents from their tickets and calls, for routing. Only imports
    (`transfers:import`, supervisors) may create a transfer in another state than
    `waiting`, with their own `created_at` or with their own `queue_rank`.
    """
    for n, line in enumerate(transfer.packet.transcript):  # never stored blank, as a call's lines
        line.require_text(field=f"packet.transcript.{n}.text")
    importer = w.principal.can("transfers:import")
    transfer = new_transfer(transfer, w.principal, utcnow())
    if not (importer and "queue_rank" in transfer.model_fields_set):
        rank = queue_rank(transfer.packet, transfer.created_at, w.state.routing)
        transfer = transfer.model_copy(update={"queue_rank": rank})

    def create(actor: str) -> Transfer:
        must_exist(w.state.store, "call", "call_id", transfer.call_id)
        must_exist(w.state.store, "customer", "packet.customer_id", transfer.packet.customer_id)
        packet = with_affinity(w.state.store, transfer.packet, transfer.created_at)
        return w.state.store.create_transfer(transfer.model_copy(update={"packet": packet}), actor=actor)

    return w.run(create, status=201)


@router.get("/transfers/{transfer_id}", response_model=Transfer, responses=errors(404))
def get_transfer(
    request: Request, transfer_id: str, who: Principal = Depends(require("transfers:read"))
) -> Response:
    """One transfer with its handoff packet (masked unless the role may see numbers)."""
    return respond(state_of(request).store.get_transfer(transfer_id), who)


def _as_agent(w: Write, agent_id: str, verb: str) -> None:
    if not w.principal.may_act_for_agent(agent_id):
        raise ApiError(
            403,
            "forbidden",
            f"{w.principal.name} may only {verb} as agent {w.principal.agent_id}, not {agent_id}",
            permission="agents:any",
        )


@router.post("/transfers/{transfer_id}/claim", response_model=Transfer, responses=errors(404, 409, 422))
def claim_transfer(
    transfer_id: str, body: ClaimRequest, w: Write = Depends(writer("transfers:claim"))
) -> Response:
    """Take a waiting or offered transfer; exactly one claimant ever wins, the others get 409."""
    _as_agent(w, body.agent_id, "claim")
    store = w.state.store
    return w.run(
        lambda actor: store.claim_transfer(transfer_id, body.agent_id, rationale=body.rationale, actor=actor)
    )


@router.post("/transfers/{transfer_id}/offer", response_model=Transfer, responses=errors(404, 409, 422))
def offer_transfer(
    transfer_id: str, body: OfferRequest, w: Write = Depends(writer("transfers:offer"))
) -> Response:
    """Offer an open transfer to an agent, with the routing rationale they will read."""
    store = w.state.store
    return w.run(lambda actor: store.offer_transfer(transfer_id, body.agent_id, body.rationale, actor=actor))


@router.post("/transfers/{transfer_id}/decline", response_model=Transfer, responses=errors(404, 409, 422))
def decline_transfer(
    transfer_id: str, body: DeclineRequest, w: Write = Depends(writer("transfers:claim"))
) -> Response:
    """Put an offered or claimed transfer back in the queue; it is not offered to that agent again."""
    _as_agent(w, body.agent_id, "decline")
    return w.run(lambda actor: w.state.store.decline_transfer(transfer_id, body.agent_id, actor=actor))


@router.post("/transfers/{transfer_id}/complete", response_model=Transfer, responses=errors(404, 409, 422))
def complete_transfer(
    transfer_id: str, body: FinishRequest, w: Write = Depends(writer("transfers:claim"))
) -> Response:
    """Mark a claimed transfer done (agents: only one they hold)."""
    store = w.state.store

    def complete(actor: str) -> Transfer:
        held_by = store.get_transfer(transfer_id).claimed_by
        if held_by:
            _as_agent(w, held_by, "complete transfers")
        return store.finish_transfer(
            transfer_id, TransferStatus.COMPLETED, ticket_id=body.ticket_id, actor=actor
        )

    return w.run(complete)


@router.post("/transfers/{transfer_id}/abandon", response_model=Transfer, responses=errors(404, 409, 422))
def abandon_transfer(
    transfer_id: str, body: FinishRequest, w: Write = Depends(writer("transfers:abandon"))
) -> Response:
    """Mark a transfer abandoned: the customer left before or while an agent had it.

    Who may: while it waits or is offered (the customer hung up before pickup), whoever may
    queue transfers (the bot, supervisors); once claimed, only the agent holding it or a
    supervisor. Linking a ticket (`ticket_id`) needs `tickets:write`.
    """
    store = w.state.store
    if body.ticket_id is not None and not w.principal.can("tickets:write"):
        raise forbidden(w.principal, "tickets:write")

    def abandon(actor: str) -> Transfer:
        # Checked inside the write transaction, so the holder cannot change in between.
        t = store.get_transfer(transfer_id)
        if t.status == TransferStatus.CLAIMED and t.claimed_by:
            if not w.principal.may_act_for_agent(t.claimed_by):
                raise ApiError(
                    403,
                    "forbidden",
                    f"{w.principal.name} may not abandon {transfer_id}: agent {t.claimed_by} holds it,"
                    " and only they or a supervisor may (needs agents:any)",
                    permission="agents:any",
                )
        elif t.status in OPEN_TRANSFER and not w.principal.can("transfers:create"):
            raise ApiError(
                403,
                "forbidden",
                f"{w.principal.name} may only abandon a transfer they hold; {transfer_id} is {t.status}"
                " (abandoning a transfer nobody has picked up needs transfers:create)",
                permission="transfers:create",
            )
        return store.finish_transfer(
            transfer_id, TransferStatus.ABANDONED, ticket_id=body.ticket_id, actor=actor
        )

    return w.run(abandon)
