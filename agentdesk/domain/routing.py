"""Routing: rank waiting transfers and offer each to the best free agent, with a rationale.

One pass (`assign`) takes every open transfer and every agent, ranks the transfers by
priority (see `routing_priority`) and, best first, offers each to the best agent that has
a free slot (see `routing_policy` for who may take what, `routing_matcher` for how the best
agent is found). Each decision carries a bilingual `RoutingRationale`; a transfer nobody can
take stays queued with a rationale saying why. A rationale's `score` is the transfer's
priority at the decision, its `stage` how far the agent pool had widened. The store runs a
pass whenever the queue or an agent changes and on a timer, so offers that time out move on.

Offers: an offer holds one of the agent's slots until it is accepted (the store claims it
atomically), declined (`decline`) or left unanswered past `offer_timeout_seconds`, after
which the next pass offers the transfer to the next best agent. Declining or letting an
offer time out puts the agent in `declined_by`, and they are not offered that transfer
again; a supervisor can still hand it to them directly.

Affinity: when the packet names the customer's previous agents (`routing_affinity`), the
first of them who may take the transfer and is as good a match as affinity allows gets it
ahead of the plain pick; a VIP or a customer asking for a dedicated adviser may wait a
short, configured time (`affinity_wait_seconds`) for a busy one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from agentdesk.domain import routing_reasons as say
from agentdesk.domain.models import Agent, Tier
from agentdesk.domain.routing_affinity import CustomerAffinity
from agentdesk.domain.routing_matcher import AgentMatcher
from agentdesk.domain.routing_policy import (
    COMPLAINTS_SKILL,
    GENERAL_SKILL,
    LEVEL_RANK,
    LEVELS,
    VIP_SKILL,
    WANTS_COMPLAINTS,
    WANTS_VIP,
    Need,
    RoutePlan,
    RoutingRules,
    min_level_rank,
    plan_route,
)
from agentdesk.domain.routing_priority import (
    base_priority,
    priority_at,
    queue_rank,
    waited_seconds,
)
from agentdesk.domain.transfers import RationaleReason, RoutingRationale, Transfer, TransferStatus

__all__ = [
    "Assignment",
    "apply_assignment",
    "assign",
    "base_priority",
    "decide",
    "decline",
    "offer_expired",
    "priority_at",
    "queue_rank",
]

_SPECIALS = ((VIP_SKILL, WANTS_VIP), (COMPLAINTS_SKILL, WANTS_COMPLAINTS))


@dataclass(frozen=True, slots=True)
class Assignment:
    """One routing decision: offer `work_id` to `agent_id`, or keep it queued (agent None)."""

    work_id: str
    """The transfer id (or callback ticket id, see `routing_callbacks`)."""
    agent_id: str | None
    rationale: RoutingRationale
    """Why this agent, or why still queued (then `rationale.agent_id` is empty)."""
    timed_out: str | None = None
    """The agent whose earlier offer expired in this pass; the store adds them to `declined_by`."""

    @property
    def queued(self) -> bool:
        """Nobody could take it this pass."""
        return self.agent_id is None


def offer_expired(transfer: Transfer, now: datetime, settings: RoutingRules) -> bool:
    """An offer left unanswered for `offer_timeout_seconds` or more."""
    return (
        transfer.status is TransferStatus.OFFERED
        and transfer.offered_at is not None
        and now - transfer.offered_at >= timedelta(seconds=settings.offer_timeout_seconds)
    )


def assign(
    transfers: Iterable[Transfer],
    agents: Sequence[Agent],
    now: datetime,
    settings: RoutingRules,
) -> list[Assignment]:
    """Rank open transfers and offer them greedily to the best agents with free slots.

    Waiting transfers, and offered ones whose offer expired, get a decision each, in queue
    order (highest priority first), so a queued decision's position is its place in the
    queue. Unexpired offers get none: they keep their agent's slot. Claimed and finished
    transfers are ignored. Pure: returns decisions; `apply_assignment` turns one into the
    updated transfer.

    Args:
        transfers: transfers in any status.
        agents: all agents, with `active_calls` counting transfers they hold.
        now: the decision time (timezone-aware).
        settings: routing settings (aging, widening thresholds, offer timeout).
    """
    held: Counter[str] = Counter()
    pending: list[tuple[float, datetime, str, Transfer, str | None]] = []
    for t in transfers:
        if t.status is TransferStatus.WAITING:
            timed_out = None
        elif t.status is TransferStatus.OFFERED and offer_expired(t, now, settings):
            timed_out = t.offered_to
        else:
            if t.status is TransferStatus.OFFERED and t.offered_to:
                held[t.offered_to] += 1
            continue
        pending.append((-queue_rank(t.packet, t.created_at, settings), t.created_at, t.id, t, timed_out))
    pending.sort(key=lambda p: p[:3])
    matcher = AgentMatcher(agents, held)
    return [decide(matcher, t, timed_out, now, settings) for *_, t, timed_out in pending]


def decide(
    matcher: AgentMatcher, transfer: Transfer, timed_out: str | None, now: datetime, settings: RoutingRules
) -> Assignment:
    """Offer one transfer to the best free agent in `matcher`, taking the slot, or keep it queued.

    Callers decide in queue order; `timed_out` names an agent whose offer just expired.
    """
    plan = plan_route(transfer.packet, waited_seconds(transfer, now), settings.widen_after_seconds)
    skipped = set(transfer.declined_by)
    if timed_out:
        skipped.add(timed_out)
    excluded = {matcher.index[a] for a in skipped if a in matcher.index}
    best = matcher.pick(plan.need, excluded)
    chosen, waiting_for = best, None
    affinity = transfer.packet.affinity
    if best is not None and affinity is not None and affinity.agent_ids:
        previous, free = _previous_agent(matcher, affinity, transfer.tier, plan, best, excluded, settings)
        if previous is not None:
            chosen, waiting_for = (previous, None) if free else (None, previous)
    reasons = [say.for_escalation(plan.profile.escalation)]
    if plan.stage and plan.need.min_rank < plan.need.target_rank:
        reasons.append(say.widened(int(plan.waited_seconds), plan.need.min_rank))
    if timed_out:
        name = matcher.agents[matcher.index[timed_out]].name if timed_out in matcher.index else timed_out
        reasons.append(say.timed_out(name, settings.offer_timeout_seconds))
    if waiting_for is not None:
        left = math.ceil(settings.affinity_wait_seconds - plan.waited_seconds)
        reasons.append(say.waiting_for_adviser(matcher.agents[waiting_for].name, left))
        agent_id = None
    elif chosen is None:
        reasons.append(_queue_reason(matcher, plan, excluded, len(settings.widen_after_seconds)))
        agent_id = None
    else:
        kept = affinity if affinity is not None and matcher.agents[chosen].id in affinity.agent_ids else None
        reasons.extend(_match_reasons(matcher, chosen, plan, excluded, len(transfer.declined_by), kept, best))
        matcher.take(chosen)
        agent_id = matcher.agents[chosen].id
    rationale = RoutingRationale(
        agent_id=agent_id,
        score=round(priority_at(transfer, now, settings), 2),
        stage=plan.stage,
        reasons=reasons,
        decided_at=now,
    )
    return Assignment(transfer.id, agent_id, rationale, timed_out)


def _previous_agent(
    matcher: AgentMatcher,
    affinity: CustomerAffinity,
    tier: Tier,
    plan: RoutePlan,
    best: int,
    excluded: set[int],
    settings: RoutingRules,
) -> tuple[int | None, bool]:
    """The customer's previous agent to prefer over `best`, and whether they have a free slot.

    A VIP, or a customer whose record asks for a dedicated adviser, may wait for a busy
    previous agent until queued `affinity_wait_seconds`; anyone else never waits.
    """
    strong = affinity.dedicated or tier is Tier.VIP
    may_wait = strong and plan.waited_seconds < settings.affinity_wait_seconds
    ids, need = affinity.agent_ids, plan.need
    # a previous agent free now before waiting for a busy one
    i = matcher.previous_agent(need, ids, best, strong=strong, excluded=excluded, include_full=False)
    if i is None and may_wait:
        i = matcher.previous_agent(need, ids, best, strong=strong, excluded=excluded, include_full=True)
    return i, i is not None and matcher.has_free_slot(i)


def _match_reasons(
    matcher: AgentMatcher,
    i: int,
    plan: RoutePlan,
    excluded: set[int],
    declined: int,
    affinity: CustomerAffinity | None = None,
    best: int | None = None,
) -> list[RationaleReason]:
    """Why agent `i` got the transfer; `affinity` when they are one of the customer's previous
    agents, `best` the agent routing would have picked without affinity."""
    agent = matcher.agents[i]
    need = plan.need
    spoken = tuple(lang for lang in need.languages if lang in agent.languages)
    skills = matcher.skills[i]
    # Affinity chose someone a plain match ranks lower: reasons comparing agents would not hold.
    preferred = best is not None and best != i and matcher.quality(i, need) != matcher.quality(best, need)
    reasons = [say.speaks(spoken)]
    if affinity is not None:
        first = agent.id == affinity.agent_ids[0]
        reasons.append(
            say.previous_agent(affinity.handled, affinity.handled_kind) if first else say.served_before()
        )
        if affinity.dedicated:
            reasons.append(say.dedicated_adviser())
    if need.skill == GENERAL_SKILL:
        reasons.append(say.no_skill_needed())
    elif need.skill in skills:
        reasons.append(say.skill(need.skill))
    elif preferred:
        reasons.append(say.adviser_before_skill(need.skill))
    else:
        # Skills rank within the level the rule puts first; a routine request has one pool.
        reasons.append(say.skill_missing(need.skill, agent.level if need.target_rank else None))
    reasons += [say.skill(s) for s, bit in _SPECIALS if need.wants & bit and s in skills and s != need.skill]
    if LEVEL_RANK[agent.level] != need.target_rank and not preferred:
        reasons.extend(_why_not_target_level(matcher, i, need, excluded))
    reasons.append(say.level(agent.level))
    if best is not None and best != i:
        reasons.append(say.has_free_slot(matcher.active[i], matcher.capacity[i]))
    else:
        reasons.append(say.least_loaded(matcher.active[i], matcher.capacity[i]))
    if declined:
        reasons.append(say.skipped_declined(declined))
    return reasons


def _why_not_target_level(
    matcher: AgentMatcher, i: int, need: Need, excluded: set[int]
) -> list[RationaleReason]:
    """Why the agent is not of the level the rule names first, so the pick never contradicts it."""
    target = LEVELS[need.target_rank]
    rival = matcher.pick_at_level(need, need.target_rank, excluded)
    if rival is None:
        # Someone of that level who declined is covered by the skipped-declined reason.
        return [say.level_not_free(target)] if matcher.pick_at_level(need, need.target_rank) is None else []
    # Only a routine request ranks skills before levels: the rival lacks what this agent has.
    if (
        need.skill != GENERAL_SKILL
        and need.skill in matcher.skills[i]
        and need.skill not in matcher.skills[rival]
    ):
        return [say.level_lacks_skill(target, need.skill)]
    for special, bit in _SPECIALS:
        if need.wants & bit and special in matcher.skills[i] and special not in matcher.skills[rival]:
            return [say.level_lacks_skill(target, special)]
    return []


def _queue_reason(matcher: AgentMatcher, plan: RoutePlan, excluded: set[int], stages: int) -> RationaleReason:
    """Why nobody took the transfer, most fundamental cause first."""
    need = plan.need
    capable = matcher.capable(need)
    if capable == 0:
        return say.no_capable_agent(need.languages)
    if excluded and matcher.pick(need) is not None:
        return say.all_declined()
    widens = need.min_rank > 0 and plan.widens_in is not None
    if widens and matcher.pick(replace(need, min_rank=0), excluded) is not None:
        wider = min_level_rank(plan.profile.target, plan.stage + 1, stages)
        return say.waiting_for_level(need.min_rank, wider, math.ceil(plan.widens_in))
    return say.all_busy(capable)


def apply_assignment(transfer: Transfer, assignment: Assignment, now: datetime) -> Transfer:
    """The transfer after a decision: offered to the agent, or back to waiting with its reason."""
    declined = list(transfer.declined_by)
    if assignment.timed_out and assignment.timed_out not in declined:
        declined.append(assignment.timed_out)
    offered = assignment.agent_id is not None
    return transfer.model_copy(
        update={
            "status": TransferStatus.OFFERED if offered else TransferStatus.WAITING,
            "offered_to": assignment.agent_id,
            "offered_at": now if offered else None,
            "declined_by": declined,
            "rationale": assignment.rationale,
        }
    )


def decline(transfer: Transfer, agent_id: str) -> Transfer:
    """The transfer after `agent_id` declined its offer: waiting again, never re-offered to them.

    Raises:
        ValueError: the transfer is not currently offered to `agent_id`.
    """
    if transfer.status is not TransferStatus.OFFERED or transfer.offered_to != agent_id:
        raise ValueError(f"transfer {transfer.id} is not offered to {agent_id}")
    return transfer.model_copy(
        update={
            "status": TransferStatus.WAITING,
            "offered_to": None,
            "offered_at": None,
            "declined_by": [*transfer.declined_by, agent_id],
        }
    )
