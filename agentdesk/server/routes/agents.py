"""Agents: list with their load, get, create or replace, switch status."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from agentdesk.domain.models import Agent
from agentdesk.server.auth import require
from agentdesk.server.bodies import Replacing
from agentdesk.server.errors import ApiError
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import errors, replacement
from agentdesk.server.schemas import StatusChange
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["agents"])


@router.get("/agents", response_model=list[Agent], responses=errors())
def list_agents(request: Request, who: Principal = Depends(require("agents:read"))) -> Response:
    """Every agent, with `active_calls` counted from the transfers they hold."""
    return respond(state_of(request).store.list_agents(), who)


@router.get("/agents/{agent_id}", response_model=Agent, responses=errors(404))
def get_agent(request: Request, agent_id: str, who: Principal = Depends(require("agents:read"))) -> Response:
    """One agent."""
    return respond(state_of(request).store.get_agent(agent_id), who)


@router.put("/agents/{agent_id}", response_model=Agent, responses=errors(422))
def put_agent(agent_id: str, agent: Replacing[Agent], w: Write = Depends(writer("agents:write"))) -> Response:
    """Create or replace an agent (skills, level, capacity); `active_calls` is ignored.

    PUT replaces the whole agent: send every field but `active_calls` (the store counts
    it); a missing field is refused with 422 naming it. `id` may be left out (the path
    names the agent).
    """
    agent = replacement("agent", agent_id, agent, server_owned={"active_calls"})
    return w.run(lambda actor: w.state.store.upsert_agent(agent, actor=actor))


@router.put("/agents/{agent_id}/status", response_model=Agent, responses=errors(404, 422))
def set_status(agent_id: str, change: StatusChange, w: Write = Depends(writer("agents:status"))) -> Response:
    """Switch an agent to available, busy, away or offline (agents: only themselves)."""
    if not w.principal.may_act_for_agent(agent_id):
        raise ApiError(
            403,
            "forbidden",
            f"{w.principal.name} may only switch the status of agent {w.principal.agent_id}",
            permission="agents:any",
        )
    return w.run(lambda actor: w.state.store.set_agent_status(agent_id, change.status, actor=actor))
