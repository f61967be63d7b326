"""Invariants of a routing pass over random queues and rosters."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import Agent, AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.routing import assign
from agentdesk.domain.routing_policy import LEVEL_RANK, level_preference, plan_route, required_skill
from agentdesk.domain.routing_priority import waited_seconds
from agentdesk.domain.transfers import Transfer

from .conftest import NOW, make_agent, make_transfer

SKILLS = ["billing", "refunds", "complaints", "vip"]
REQUESTS = ["billing", "refunds", "complaint_policy", "general"]

agents_st = st.lists(
    st.builds(
        lambda level, skills, langs, status, cap, active: (
            level,
            skills,
            langs,
            status,
            cap,
            min(active, cap),
        ),
        st.sampled_from(list(AgentLevel)),
        st.sets(st.sampled_from(SKILLS), min_size=1),
        st.sampled_from([("zh",), ("en",), ("zh", "en")]),
        st.sampled_from(list(AgentStatus)),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    max_size=12,
)
transfers_st = st.lists(
    st.tuples(
        st.sampled_from(list(Tier)),
        st.sampled_from(list(EmotionLevel)),
        st.integers(0, 3),
        st.sampled_from(["zh", "en", "mixed"]),
        st.sampled_from(REQUESTS),
        st.floats(0, 400),
        st.lists(st.integers(0, 11), max_size=2),
    ),
    max_size=25,
)


def build(agent_specs, transfer_specs) -> tuple[list[Agent], list[Transfer]]:  # type: ignore[no-untyped-def]
    agents = [
        make_agent(
            f"A{i}",
            level,
            skills=tuple(sorted(skills)),
            languages=langs,
            status=status,
            capacity=cap,
            active=act,
        )
        for i, (level, skills, langs, status, cap, act) in enumerate(agent_specs)
    ]
    transfers = []
    for i, (tier, emotion, complexity, lang, request, waited, declined) in enumerate(transfer_specs):
        t = make_transfer(
            f"TR-{i}",
            waited=waited,
            tier=tier,
            emotion=emotion,
            complexity=complexity,
            language=lang,
            request_type=request,
        )
        transfers.append(t.model_copy(update={"declined_by": [f"A{d}" for d in declined]}))
    return agents, transfers


@settings(max_examples=150, deadline=None)
@given(agents_st, transfers_st)
def test_a_pass_respects_language_status_capacity_declines_and_levels(agent_specs, transfer_specs) -> None:  # type: ignore[no-untyped-def]
    rules = RoutingSettings()
    agents, transfers = build(agent_specs, transfer_specs)
    by_id = {a.id: a for a in agents}
    decisions = assign(transfers, agents, NOW, rules)
    assert sorted(d.work_id for d in decisions) == sorted(t.id for t in transfers)
    load = Counter(d.agent_id for d in decisions if d.agent_id)
    for agent_id, count in load.items():
        assert count <= by_id[agent_id].free_slots
        assert by_id[agent_id].status in (AgentStatus.AVAILABLE, AgentStatus.BUSY)
    transfers_by_id = {t.id: t for t in transfers}
    for d in decisions:
        if d.agent_id is None:
            continue
        transfer, agent = transfers_by_id[d.work_id], by_id[d.agent_id]
        plan = plan_route(transfer.packet, waited_seconds(transfer, NOW), rules.widen_after_seconds)
        assert set(plan.need.languages) & set(agent.languages)
        assert agent.id not in transfer.declined_by
        assert LEVEL_RANK[agent.level] >= plan.need.min_rank


@settings(max_examples=100, deadline=None)
@given(agents_st, transfers_st)
def test_a_queued_transfer_had_no_free_agent_left_that_it_could_take(agent_specs, transfer_specs) -> None:  # type: ignore[no-untyped-def]
    rules = RoutingSettings()
    agents, transfers = build(agent_specs, transfer_specs)
    decisions = assign(transfers, agents, NOW, rules)
    left = Counter(
        {a.id: a.free_slots for a in agents if a.status in (AgentStatus.AVAILABLE, AgentStatus.BUSY)}
    )
    left.subtract(Counter(d.agent_id for d in decisions if d.agent_id))
    transfers_by_id = {t.id: t for t in transfers}
    for d in decisions:
        if d.agent_id is not None:
            continue
        transfer = transfers_by_id[d.work_id]
        plan = plan_route(transfer.packet, waited_seconds(transfer, NOW), rules.widen_after_seconds)
        for agent in agents:
            could = (
                left[agent.id] > 0
                and set(plan.need.languages) & set(agent.languages)
                and agent.id not in transfer.declined_by
                and LEVEL_RANK[agent.level] >= plan.need.min_rank
            )
            assert not could, (d.rationale.lines("en"), agent)


def has_skill(agent: Agent, transfer: Transfer) -> bool:
    skill = required_skill(transfer.request_type)
    return skill == "general" or skill in agent.skills


@settings(max_examples=150, deadline=None)
@given(agents_st, transfers_st)
def test_no_agent_left_free_ranks_before_the_one_chosen(agent_specs, transfer_specs) -> None:  # type: ignore[no-untyped-def]
    """The level a rule names first holds before skills; a routine request ranks skill first.

    Free slots only shrink during a pass, so an agent still free at the end was free at
    every decision: none of them may beat an agent chosen before.
    """
    rules = RoutingSettings()
    agents, transfers = build(agent_specs, transfer_specs)
    by_id = {a.id: a for a in agents}
    decisions = assign(transfers, agents, NOW, rules)
    left = Counter(
        {a.id: a.free_slots for a in agents if a.status in (AgentStatus.AVAILABLE, AgentStatus.BUSY)}
    )
    left.subtract(Counter(d.agent_id for d in decisions if d.agent_id))
    transfers_by_id = {t.id: t for t in transfers}
    for d in decisions:
        if d.agent_id is None:
            continue
        transfer, chosen = transfers_by_id[d.work_id], by_id[d.agent_id]
        plan = plan_route(transfer.packet, waited_seconds(transfer, NOW), rules.widen_after_seconds)
        target = plan.need.target_rank
        for other in agents:
            if not (
                left[other.id] > 0
                and set(plan.need.languages) & set(other.languages)
                and other.id not in transfer.declined_by
                and LEVEL_RANK[other.level] >= plan.need.min_rank
            ):
                continue
            levels = (
                level_preference(LEVEL_RANK[other.level], target),
                level_preference(LEVEL_RANK[chosen.level], target),
            )
            skilled_instead = has_skill(other, transfer) and not has_skill(chosen, transfer)
            if target > 0:
                assert levels[0] >= levels[1], (d.rationale.lines("en"), other)
                assert not (levels[0] == levels[1] and skilled_instead), (d.rationale.lines("en"), other)
            else:
                assert not skilled_instead, (d.rationale.lines("en"), other)
