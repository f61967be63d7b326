"""Agent affinity: send a returning customer back to the agent who knows them.

A customer's recent tickets and calls, most recent first, name the agents who served
them. `affinity_from_history` turns that history into a `CustomerAffinity`, which travels
in the handoff packet, so every routing pass (the supervisor's queue, the desk's card,
a replay) prefers the same agent without reading the customer's history again.

How strongly routing prefers a previous agent (see `routing.decide`):

- Always: among equally good matches (same level rule, skill and special skills) the
  previous agent wins, whatever their load, as long as they have a free slot.
- Strongly, for a VIP or a customer whose record names a preferred or dedicated adviser
  (`names_dedicated_adviser`): the previous agent wins among the agents of the best level
  free for the rule, ahead of one with the request's skill: knowing the customer matters
  more. A routine request admits every level, so there they win whenever free.
- Never: affinity does not make an agent eligible. Language, the level floor of the
  current stage, status (available or busy), a free slot and not having declined the
  transfer all still apply.

Bounded wait: with a strong preference, when the previous agent is at work and as good a
match but has no free slot, the transfer waits for them, but only until it has been
queued `affinity_wait_seconds` (default 30 s); after that, or at once when they are away
or offline, routing carries on as without affinity. 30 s is the time the desk gives any
agent to answer an offer, and half the first widening threshold (60 s), so waiting for an
adviser never holds a VIP past the point where routing would widen the pool anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import takewhile
from typing import Literal

from pydantic import Field

from agentdesk.domain.models import Call, Customer, Model, Ticket
from agentdesk.domain.values import Count

LOOKBACK_DAYS = 365
"""Contacts older than this no longer tie a customer to an agent."""
MAX_PREVIOUS_AGENTS = 3
"""Previous agents routing considers, most recent first."""

ContactKind = Literal["ticket", "call", "contact"]

_DEDICATED = re.compile(
    r"\b(?:dedicated|preferred|personal|named|usual|regular|own)\s+"
    r"(?:adviser|advisor|agent|account\s+manager|representative|rep)\b"
    r"|(?:专属|指定|固定|专职)(?:客服|顾问|坐席|座席|经理|专员)",
    re.IGNORECASE,
)


class CustomerAffinity(Model):
    """The agents a customer was served by recently, for routing them back to one of them."""

    agent_ids: list[str] = Field(default_factory=list)
    """Previous agents, most recent first, each once."""
    handled: Count = 0
    """How many of the customer's latest contacts in a row the first of `agent_ids` handled."""
    handled_kind: ContactKind = "ticket"
    """What those contacts were: all tickets, all calls, or a mix (`contact`)."""
    dedicated: bool = False
    """The customer's record names a preferred or dedicated adviser."""


def names_dedicated_adviser(notes: str) -> bool:
    """The customer's notes ask for a dedicated, preferred or personal adviser (English or Chinese)."""
    return bool(_DEDICATED.search(notes or ""))


def affinity_from_history(
    customer: Customer | None,
    tickets: Iterable[Ticket],
    calls: Iterable[Call],
    now: datetime,
    *,
    lookback_days: int = LOOKBACK_DAYS,
) -> CustomerAffinity | None:
    """The customer's previous agents from their tickets and calls; None when no agent served them.

    A ticket counts for its assignee, a call for the agent who took it; a call linked to a
    ticket counts once, as the ticket. Contacts the bot handled alone are skipped, as are
    contacts after `now` or older than `lookback_days`.

    Args:
        customer: the customer (their notes may ask for a dedicated adviser), or None.
        tickets: the customer's tickets, any order.
        calls: the customer's calls, any order.
        now: the time of the transfer.
        lookback_days: how far back a contact still counts.
    """
    tickets = list(tickets)
    linked = {call_id for t in tickets for call_id in t.linked_call_ids}
    since = now - timedelta(days=lookback_days)
    contacts: list[tuple[datetime, str, str, str]] = [
        (t.created_at, t.id, "ticket", t.assignee_id) for t in tickets if t.assignee_id
    ]
    contacts += [(c.started_at, c.id, "call", c.agent_id) for c in calls if c.agent_id and c.id not in linked]
    recent = sorted((c for c in contacts if since <= c[0] <= now), reverse=True)
    if not recent:
        return None
    agent_ids = list(dict.fromkeys(agent for *_, agent in recent))[:MAX_PREVIOUS_AGENTS]
    run = list(takewhile(lambda c: c[3] == agent_ids[0], recent))
    kinds = {c[2] for c in run}
    kind: ContactKind = kinds.pop() if len(kinds) == 1 else "contact"  # type: ignore[assignment]
    return CustomerAffinity(
        agent_ids=agent_ids,
        handled=len(run),
        handled_kind=kind,
        dedicated=names_dedicated_adviser(customer.notes) if customer else False,
    )
