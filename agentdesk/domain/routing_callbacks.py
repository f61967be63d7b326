"""At opening, hand the overnight callback tickets to agents with the same routing rules.

A callback ticket keeps what routing needs: the request type in `intent`, the customer's
language, and a priority set from the tier by `hours.callback_ticket` (urgent = VIP,
high = gold or angry). Tickets are served earliest promise first. Callbacks are queued work,
not live calls, so an agent's concurrent-call capacity does not apply; instead each agent
holds at most `per_agent` open callbacks, balanced by how many they already hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from agentdesk.domain.models import Agent, Ticket, TicketPriority, TicketStatus, TicketType, Tier
from agentdesk.domain.routing import Assignment, decide
from agentdesk.domain.routing_matcher import AgentMatcher
from agentdesk.domain.routing_policy import RoutingRules
from agentdesk.domain.tickets import OPEN_STATUSES
from agentdesk.domain.transfers import HandoffPacket, Transfer

CALLBACKS_PER_AGENT = 8
"""Promises fall within an hour of opening and a callback takes about 7 minutes."""

_PRIORITY_TIER = {TicketPriority.URGENT: Tier.VIP, TicketPriority.HIGH: Tier.GOLD}
_PRIORITY_ORDER = {p: i for i, p in enumerate(reversed(TicketPriority))}


def _unassigned(ticket: Ticket) -> bool:
    return (
        ticket.type is TicketType.CALLBACK
        and ticket.status in (TicketStatus.NEW, TicketStatus.REOPENED)
        and ticket.assignee_id is None
    )


def callback_transfer(ticket: Ticket) -> Transfer:
    """The callback seen as a queued transfer, so the routing matcher can place it."""
    packet = HandoffPacket(
        customer_id=ticket.customer_id,
        tier=_PRIORITY_TIER.get(ticket.priority, Tier.STANDARD),
        language=ticket.language,
        intent=ticket.subject,
        request_type=ticket.intent or "general",
        wait_started_at=ticket.created_at,
    )
    return Transfer(id=ticket.id, packet=packet, created_at=ticket.created_at)


def assign_callbacks(
    tickets: Iterable[Ticket],
    agents: Sequence[Agent],
    now: datetime,
    settings: RoutingRules,
    *,
    per_agent: int = CALLBACKS_PER_AGENT,
) -> list[Assignment]:
    """Assign unassigned callback tickets to agents on duty, earliest promise first.

    Tickets queued overnight have waited past every widening threshold, so any capable
    agent may take them; the preferred level still wins when free. Each result's
    `work_id` is a ticket id; apply it with `tickets.assign`.

    Args:
        tickets: tickets in any state; open callbacks already assigned count towards
            their agent's `per_agent` limit, the unassigned new or reopened ones are routed.
        agents: all agents; only available or busy ones receive callbacks.
        now: the decision time.
        settings: routing settings.
        per_agent: most open callbacks one agent may hold.
    """
    tickets = list(tickets)
    held = Counter(
        t.assignee_id
        for t in tickets
        if t.type is TicketType.CALLBACK and t.status in OPEN_STATUSES and t.assignee_id is not None
    )
    waiting = sorted(
        (t for t in tickets if _unassigned(t)),
        key=lambda t: (t.sla_due or now, _PRIORITY_ORDER[t.priority], t.created_at, t.id),
    )
    matcher = AgentMatcher(agents, held, capacity=per_agent)
    return [decide(matcher, callback_transfer(t), None, now, settings) for t in waiting]
