"""Agent matching: level rules, skills, language, status, load, capacity and the widening pool."""

from __future__ import annotations

from datetime import timedelta

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import Agent, AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.routing import Assignment, assign
from agentdesk.domain.transfers import Transfer, TransferStatus, TriggerRule

from .conftest import NOW, make_agent, make_transfer

J, S, G = AgentLevel.JUNIOR, AgentLevel.SENIOR, AgentLevel.GOLD


def one(transfer: Transfer, agents: list[Agent], settings: RoutingSettings) -> Assignment:
    [decision] = assign([transfer], agents, NOW, settings)
    return decision


def codes(decision: Assignment) -> list[str]:
    return [r.code for r in decision.rationale.reasons]


def test_vip_complex_request_goes_to_gold_agent_first(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J), make_agent("A2", S), make_agent("A3", G)]
    decision = one(make_transfer(tier=Tier.VIP, complexity=3), agents, settings)
    assert decision.agent_id == "A3"
    assert "rule.vip-complex" in codes(decision)


def test_angry_vip_complaint_goes_to_gold_agent(settings: RoutingSettings) -> None:
    agents = [make_agent(a, lvl, skills=("complaints",)) for a, lvl in (("A1", J), ("A2", S), ("A3", G))]
    transfer = make_transfer(
        tier=Tier.VIP, request_type="complaint_policy", emotion=EmotionLevel.ANGRY, complexity=1
    )
    assert one(transfer, agents, settings).agent_id == "A3"


def test_high_value_order_goes_to_gold_agent_first(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", S), make_agent("A2", G)]
    transfer = make_transfer(rules=(TriggerRule.HIGH_VALUE,), complexity=2)
    assert one(transfer, agents, settings).agent_id == "A2"


def test_angry_customer_goes_to_senior_before_junior(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J), make_agent("A2", S), make_agent("A3", G)]
    decision = one(make_transfer(emotion=EmotionLevel.ANGRY), agents, settings)
    assert decision.agent_id == "A2"
    assert "rule.angry" in codes(decision)


def test_emotion_that_rose_two_levels_goes_to_senior_like_anger(settings: RoutingSettings) -> None:
    # strong-emotion also fires on a rise of two levels (SPEC 2): the caller may be "upset" at posting
    agents = [make_agent("A1", J), make_agent("A2", S)]
    transfer = make_transfer(emotion=EmotionLevel.UPSET, rules=(TriggerRule.STRONG_EMOTION,))
    decision = one(transfer, agents, settings)
    assert decision.agent_id == "A2"
    assert "rule.angry" in codes(decision)


def test_vip_the_bot_could_not_serve_goes_to_gold_and_says_so(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J), make_agent("A2", G)]
    decision = one(make_transfer(tier=Tier.VIP, rules=(TriggerRule.HIGH_VALUE,)), agents, settings)
    assert decision.agent_id == "A2"
    assert "rule.vip" in codes(decision)
    assert "order" not in " ".join(r.en for r in decision.rationale.reasons)


def test_angry_customer_goes_to_gold_when_no_senior_is_free(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J), make_agent("A2", S, status=AgentStatus.AWAY), make_agent("A3", G)]
    assert one(make_transfer(emotion=EmotionLevel.ANGRY), agents, settings).agent_id == "A3"


def test_complex_complaint_goes_to_senior_agent_first(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J, skills=("complaints",)), make_agent("A2", S, skills=("complaints",))]
    transfer = make_transfer(request_type="complaint_policy", rules=(TriggerRule.COMPLEX_COMPLAINT,))
    decision = one(transfer, agents, settings)
    assert decision.agent_id == "A2"
    assert "rule.complex-complaint" in codes(decision)


def test_routine_request_goes_to_junior_keeping_experts_free(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G), make_agent("A2", S), make_agent("A3", J)]
    assert one(make_transfer(), agents, settings).agent_id == "A3"


def test_vip_transfer_waits_for_gold_agent_before_pool_widens(settings: RoutingSettings) -> None:
    decision = one(make_transfer(waited=10, tier=Tier.VIP, complexity=3), [make_agent("A1", S)], settings)
    assert decision.queued
    assert codes(decision)[-1] == "queue.waiting-for-level"


def test_waiting_time_widens_pool_to_senior_agents(settings: RoutingSettings) -> None:
    decision = one(make_transfer(waited=61, tier=Tier.VIP, complexity=3), [make_agent("A1", S)], settings)
    assert decision.agent_id == "A1"
    assert decision.rationale.stage == 1
    assert "stage.widened" in codes(decision)


def test_gold_transfer_reaches_juniors_only_after_the_last_threshold(settings: RoutingSettings) -> None:
    juniors = [make_agent("A1", J)]
    assert one(make_transfer(waited=150, tier=Tier.VIP, complexity=3), juniors, settings).queued
    assert one(make_transfer(waited=181, tier=Tier.VIP, complexity=3), juniors, settings).agent_id == "A1"


def test_waiting_time_widens_pool_to_junior_agents(settings: RoutingSettings) -> None:
    juniors = [make_agent("A1", J)]
    assert one(make_transfer(waited=30, emotion=EmotionLevel.ANGRY), juniors, settings).queued
    decision = one(make_transfer(waited=61, emotion=EmotionLevel.ANGRY), juniors, settings)
    assert decision.agent_id == "A1"
    assert "stage.widened" in codes(decision)


def test_widening_follows_configured_thresholds() -> None:
    settings = RoutingSettings(widen_after_seconds=[300])
    juniors = [make_agent("A1", J)]
    assert one(make_transfer(waited=200, emotion=EmotionLevel.ANGRY), juniors, settings).queued
    assert one(make_transfer(waited=301, emotion=EmotionLevel.ANGRY), juniors, settings).agent_id == "A1"


def test_agent_with_the_requested_skill_is_offered_before_one_without(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", skills=("refunds",)), make_agent("A2", skills=("billing",))]
    assert one(make_transfer(request_type="billing"), agents, settings).agent_id == "A2"


def test_request_nobody_has_the_skill_for_still_goes_to_a_free_agent(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", skills=("refunds",)), make_agent("A2", skills=("billing",))]
    assert one(make_transfer(request_type="data_plans"), agents, settings).agent_id == "A1"


def test_complaint_categories_prefer_the_complaints_skill(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", skills=("billing",)), make_agent("A2", skills=("complaints",))]
    assert one(make_transfer(request_type="complaint_policy"), agents, settings).agent_id == "A2"


def test_agent_must_speak_the_customer_language(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", languages=("zh",)), make_agent("A2", languages=("en",))]
    assert one(make_transfer(language="en"), agents, settings).agent_id == "A2"
    assert one(make_transfer(language="zh"), agents, settings).agent_id == "A1"


def test_mixed_language_customer_may_go_to_either_language(settings: RoutingSettings) -> None:
    assert (
        one(make_transfer(language="mixed"), [make_agent("A1", languages=("en",))], settings).agent_id == "A1"
    )


def test_away_and_offline_agents_are_not_offered(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", status=AgentStatus.AWAY), make_agent("A2", status=AgentStatus.OFFLINE)]
    decision = one(make_transfer(), agents, settings)
    assert decision.queued
    assert codes(decision)[-1] == "queue.all-busy"


def test_busy_agent_with_a_free_slot_is_offered(settings: RoutingSettings) -> None:
    agent = make_agent("A1", status=AgentStatus.BUSY, capacity=2, active=1)
    assert one(make_transfer(), [agent], settings).agent_id == "A1"


def test_agent_at_capacity_is_not_offered(settings: RoutingSettings) -> None:
    agent = make_agent("A1", status=AgentStatus.BUSY, capacity=2, active=2)
    assert one(make_transfer(), [agent], settings).queued


def test_least_loaded_agent_wins_among_equal_matches(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", capacity=3, active=2), make_agent("A2", capacity=3, active=1)]
    decision = one(make_transfer(), agents, settings)
    assert decision.agent_id == "A2"
    assert decision.rationale.lines("en")[-1] == "Least loaded: 1 of 3 calls"


def test_vip_skill_is_preferred_for_a_vip_customer(settings: RoutingSettings) -> None:
    agents = [
        make_agent("A1", skills=("billing",)),
        make_agent("A2", skills=("billing", "vip"), capacity=2, active=1),
    ]
    decision = one(make_transfer(tier=Tier.VIP), agents, settings)
    assert decision.agent_id == "A2"
    assert "match.skill.vip" in codes(decision)


def test_complaints_skill_is_preferred_for_a_complaint(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", S), make_agent("A2", S, skills=("billing", "complaints"))]
    transfer = make_transfer(rules=(TriggerRule.COMPLEX_COMPLAINT,))
    assert one(transfer, agents, settings).agent_id == "A2"


def test_batch_never_exceeds_an_agents_capacity(settings: RoutingSettings) -> None:
    transfers = [make_transfer(f"TR-{i}", waited=i) for i in range(5)]
    decisions = assign(transfers, [make_agent("A1", capacity=2)], NOW, settings)
    assert sum(1 for d in decisions if d.agent_id == "A1") == 2
    assert sum(1 for d in decisions if d.queued) == 3


def test_highest_priority_transfer_gets_the_last_free_agent(settings: RoutingSettings) -> None:
    calm = make_transfer("TR-calm", waited=30)
    angry_vip = make_transfer("TR-vip", waited=5, tier=Tier.VIP, emotion=EmotionLevel.ANGRY)
    decisions = {d.work_id: d for d in assign([calm, angry_vip], [make_agent("A1", G)], NOW, settings)}
    assert decisions["TR-vip"].agent_id == "A1"
    assert decisions["TR-calm"].queued


def test_decisions_come_in_queue_order(settings: RoutingSettings) -> None:
    transfers = [
        make_transfer("TR-low", waited=10),
        make_transfer("TR-high", waited=10, tier=Tier.VIP),
        make_transfer("TR-mid", waited=10, emotion=EmotionLevel.UPSET),
    ]
    assert [d.work_id for d in assign(transfers, [], NOW, settings)] == ["TR-high", "TR-mid", "TR-low"]


def test_no_capable_agent_keeps_transfer_queued_with_reason(settings: RoutingSettings) -> None:
    decision = one(make_transfer(language="en"), [make_agent("A1", languages=("zh",))], settings)
    assert decision.queued
    assert decision.rationale.agent_id is None
    assert codes(decision)[-1] == "queue.no-capable-agent"


def test_no_agents_at_all_keeps_every_transfer_queued(settings: RoutingSettings) -> None:
    decisions = assign([make_transfer("TR-1"), make_transfer("TR-2")], [], NOW, settings)
    assert [d.queued for d in decisions] == [True, True]


def test_unexpired_offer_keeps_its_agents_slot(settings: RoutingSettings) -> None:
    offered = make_transfer("TR-offered", waited=20).model_copy(
        update={
            "status": TransferStatus.OFFERED,
            "offered_to": "A1",
            "offered_at": NOW - timedelta(seconds=5),
        }
    )
    decisions = assign([offered, make_transfer("TR-new")], [make_agent("A1")], NOW, settings)
    assert [(d.work_id, d.agent_id) for d in decisions] == [("TR-new", None)]


def test_claimed_and_finished_transfers_get_no_decision(settings: RoutingSettings) -> None:
    transfers = [
        make_transfer(f"TR-{s}").model_copy(update={"status": s})
        for s in (TransferStatus.CLAIMED, TransferStatus.COMPLETED, TransferStatus.ABANDONED)
    ]
    assert assign(transfers, [make_agent("A1")], NOW, settings) == []
