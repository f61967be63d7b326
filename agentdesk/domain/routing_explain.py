"""Why one transfer goes, or went, to whom: the routing rationale an agent reads on the desk.

The supervisor's queue shows a whole routing pass (`routing.assign`); the desk shows one
transfer. Both use the same decisions, so the agent and the supervisor read the same
reasons. A transfer someone already holds is explained for its holder alone: the reasons
routing gives when that agent is matched to it (with the slot this call takes given back).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from agentdesk.domain.models import Agent, AgentStatus
from agentdesk.domain.routing import assign, decide
from agentdesk.domain.routing_matcher import AgentMatcher
from agentdesk.domain.routing_policy import RoutingRules
from agentdesk.domain.transfers import RoutingRationale, Transfer, TransferStatus


@dataclass(frozen=True, slots=True)
class Route:
    """Where one transfer goes and why."""

    agent_id: str | None
    """Who it is (or would be) routed to; None when nobody can take it now."""
    rationale: RoutingRationale
    held: bool = False
    """The transfer is already offered to or claimed by `agent_id`."""
    matched: bool = True
    """Routing itself picks `agent_id`; False when they took it although routing would not
    (e.g. a junior took a call kept for gold agents): the rationale then says what routing
    would do instead."""


def _holder(transfer: Transfer) -> str | None:
    if transfer.status is TransferStatus.CLAIMED:
        return transfer.claimed_by
    if transfer.status is TransferStatus.OFFERED:
        return transfer.offered_to
    return None


def route_of(
    transfer: Transfer,
    queue: Iterable[Transfer],
    agents: Sequence[Agent],
    now: datetime,
    settings: RoutingRules,
) -> Route | None:
    """Who `transfer` goes to and why, as the supervisor's routing pass decides it.

    Args:
        transfer: the transfer on the card, in any status.
        queue: the open transfers ahead of and around it (it may be among them).
        agents: every agent, with `active_calls` counting the transfers they hold.
        now: the decision time (timezone-aware).
        settings: routing settings.

    Returns:
        None for a finished transfer, or one whose holder is not among `agents`.
    """
    holder = _holder(transfer)
    if holder is not None:
        if transfer.status is TransferStatus.OFFERED and transfer.rationale is not None:
            return Route(holder, transfer.rationale, held=True)  # the reasons the offer carried
        agent = next((a for a in agents if a.id == holder), None)
        if agent is None:
            return None
        # The holder as they were when they took it: this call's slot free, at work.
        before = agent.model_copy(
            update={"active_calls": max(0, agent.active_calls - 1), "status": AgentStatus.AVAILABLE}
        )
        waiting = transfer.model_copy(update={"status": TransferStatus.WAITING, "declined_by": []})
        decision = decide(AgentMatcher([before]), waiting, None, now, settings)
        return Route(holder, decision.rationale, held=True, matched=decision.agent_id == holder)
    if not transfer.is_open:
        return None
    others = [t for t in queue if t.id != transfer.id]
    for decision in assign([*others, transfer], agents, now, settings):
        if decision.work_id == transfer.id:
            return Route(decision.agent_id, decision.rationale)
    return None  # an offer not yet expired elsewhere in the pass holds it
