"""Read a customer's previous agents from the store, for the handoff packet's `affinity`.

Routing prefers the agent who served the customer before (`domain.routing_affinity`);
whoever queues a transfer and holds a store fills the packet in once, so every later
routing pass reads it from the packet rather than from the customer's history.
"""

from __future__ import annotations

from datetime import datetime

from agentdesk.domain.routing_affinity import CustomerAffinity, affinity_from_history
from agentdesk.domain.transfers import HandoffPacket
from agentdesk.store.base import NotFound, Store, TicketQuery

HISTORY_LIMIT = 50
"""Latest tickets and calls read per customer: far more than affinity ever looks at."""


def customer_affinity(store: Store, customer_id: str | None, now: datetime) -> CustomerAffinity | None:
    """The customer's previous agents as of `now`; None for an unknown or new customer."""
    if not customer_id:
        return None
    try:
        customer = store.get_customer(customer_id)
    except NotFound:
        return None
    tickets = store.list_tickets(TicketQuery(customer_id=customer_id, limit=HISTORY_LIMIT))
    calls = store.list_calls(customer_id=customer_id, limit=HISTORY_LIMIT)
    return affinity_from_history(customer, tickets, calls, now)


def with_affinity(store: Store, packet: HandoffPacket, now: datetime) -> HandoffPacket:
    """The packet with the customer's previous agents, unless it already names them."""
    if packet.affinity is not None:
        return packet
    affinity = customer_affinity(store, packet.customer_id, now)
    return packet if affinity is None else packet.model_copy(update={"affinity": affinity})
