"""Skills rank agents but never keep a free agent of the right level and language from a call.

The level a rule names first (gold for a VIP, senior for a complex complaint) holds before
skills; a routine request takes any level, so there the skill comes before "juniors first".
Whenever the pick is not of the level the rule names, the rationale says why.
"""

from __future__ import annotations

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import Agent, AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.routing import Assignment, assign
from agentdesk.domain.routing_reasons import compares_agents
from agentdesk.domain.transfers import Transfer, TriggerRule

from .conftest import LANGS, NOW, make_agent, make_transfer

J, S, G = AgentLevel.JUNIOR, AgentLevel.SENIOR, AgentLevel.GOLD


def demo_roster() -> list[Agent]:
    """The available part of the demo centre (assets/demo/agents.yaml) that the QA calls met."""
    return [
        make_agent("A01", G, skills=("billing", "complaints", "vip", "data_plans"), languages=("zh", "en"), capacity=2),
        make_agent("A02", S, skills=("complaints", "billing", "refunds"), capacity=2),
        make_agent("A03", G, skills=("vip", "complaints", "account_security", "billing"), languages=("en",), capacity=2),
        make_agent("A04", S, skills=("orders_delivery", "refunds", "complaints"), capacity=3),
        make_agent("A05", S, skills=("complaints", "billing", "data_plans", "orders_delivery"), languages=("en",), capacity=2),
        make_agent("A06", J, skills=("billing", "data_plans", "general"), capacity=3),
        make_agent("A07", J, skills=("orders_delivery", "refunds", "general"), languages=("en",), capacity=3),
        make_agent("A10", J, skills=("data_plans", "account_security", "billing", "general"), languages=("en", "zh"), capacity=2),
        make_agent("A12", J, skills=("orders_delivery", "refunds", "general"), capacity=3),
    ]  # fmt: skip


def one(transfer: Transfer, agents: list[Agent], settings: RoutingSettings) -> Assignment:
    [decision] = assign([transfer], agents, NOW, settings)
    return decision


def level_of(decision: Assignment, agents: list[Agent]) -> AgentLevel:
    return next(a.level for a in agents if a.id == decision.agent_id)


def test_vip_general_enquiry_goes_to_a_free_gold_agent_although_none_has_a_general_skill(
    settings: RoutingSettings,
) -> None:
    # QA7 D7 (en-79): a VIP the bot could not serve, request type "general", waited for nobody.
    agents = demo_roster()
    vip = make_transfer(
        waited=12, tier=Tier.VIP, language="en", request_type="general", rules=(TriggerRule.HIGH_VALUE,)
    )
    decision = one(vip, agents, settings)
    assert decision.agent_id in {"A01", "A03"}
    assert level_of(decision, agents) is G
    lines = decision.rationale.lines("en")
    assert "General enquiry: no special skill needed" in lines
    assert "Skill: VIP service" in lines


def test_vip_complex_request_goes_to_gold_without_the_skill_before_senior_with_it(
    settings: RoutingSettings,
) -> None:
    agents = [make_agent("A1", S, skills=("refunds",)), make_agent("A2", G, skills=("billing",))]
    decision = one(make_transfer(tier=Tier.VIP, complexity=3, request_type="refunds"), agents, settings)
    assert decision.agent_id == "A2"


def test_vip_waiting_past_the_first_threshold_goes_to_gold_before_a_vip_skilled_senior(
    settings: RoutingSettings,
) -> None:
    agents = [make_agent("A1", S, skills=("billing", "vip")), make_agent("A2", G, skills=("billing",))]
    decision = one(make_transfer(waited=61, tier=Tier.VIP, complexity=3), agents, settings)
    assert decision.agent_id == "A2"


def test_complex_complaint_goes_to_a_free_senior_before_a_gold_agent_with_the_skill(
    settings: RoutingSettings,
) -> None:
    # QA7 D9 (zh-79): a data-plans dispute; only the gold agent has data_plans, seniors are free.
    agents = demo_roster()
    complaint = make_transfer(
        request_type="data_plans", complexity=2, rules=(TriggerRule.COMPLEX_COMPLAINT, TriggerRule.NO_ANSWER)
    )
    decision = one(complaint, agents, settings)
    assert decision.agent_id in {"A02", "A04"}
    assert decision.rationale.lines("en")[0] == "Complex complaint: senior agents first"


@LANGS
def test_senior_taking_a_complaint_without_the_skill_says_no_free_senior_has_it(
    lang: str, settings: RoutingSettings
) -> None:
    agents = [make_agent("A1", S, skills=("complaints",)), make_agent("A2", G, skills=("data_plans",))]
    complaint = make_transfer(request_type="data_plans", rules=(TriggerRule.COMPLEX_COMPLAINT,))
    decision = one(complaint, agents, settings)
    assert decision.agent_id == "A1"
    expected = {
        "en": "No free senior agent has the data plans skill",
        "zh": "没有空闲的资深坐席具备流量套餐技能",
    }
    lines = decision.rationale.lines(lang)
    assert expected[lang] in lines
    assert not any(line in lines for line in ("Skill: data plans", "技能：流量套餐"))


def test_angry_customer_goes_to_senior_even_when_only_a_gold_agent_has_the_skill(
    settings: RoutingSettings,
) -> None:
    agents = [make_agent("A1", S, skills=("refunds",)), make_agent("A2", G, skills=("billing",))]
    assert one(make_transfer(emotion=EmotionLevel.ANGRY), agents, settings).agent_id == "A1"


def test_skills_rank_agents_within_the_level_the_rule_puts_first(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", S, skills=("refunds",)), make_agent("A2", S, skills=("billing",))]
    assert one(make_transfer(emotion=EmotionLevel.ANGRY), agents, settings).agent_id == "A2"


def test_routine_request_goes_to_an_agent_with_the_skill_before_a_junior_without(
    settings: RoutingSettings,
) -> None:
    agents = [make_agent("A1", J, skills=("general",)), make_agent("A2", S, skills=("complaints",))]
    assert one(make_transfer(request_type="complaint_policy"), agents, settings).agent_id == "A2"


@LANGS
def test_routine_request_taken_by_a_senior_says_no_free_junior_has_the_skill(
    lang: str, settings: RoutingSettings
) -> None:
    # QA7 D10 (zh-75): "Routine request: any level, juniors first", then a senior was picked unexplained.
    agents = demo_roster()
    decision = one(make_transfer(request_type="complaint_policy"), agents, settings)
    assert level_of(decision, agents) is S
    expected = {
        "en": ["Routine request: any level, juniors first", "No free junior agent has the complaints skill"],
        "zh": ["常规诉求：各级坐席均可，优先初级坐席", "没有空闲的初级坐席具备投诉处理技能"],
    }
    lines = decision.rationale.lines(lang)
    assert lines[0] == expected[lang][0]
    assert expected[lang][1] in lines


@LANGS
def test_routine_request_taken_by_a_senior_says_no_junior_is_free(
    lang: str, settings: RoutingSettings
) -> None:
    agents = [make_agent("A1", J, status=AgentStatus.BUSY, active=1), make_agent("A2", S)]
    decision = one(make_transfer(), agents, settings)
    assert decision.agent_id == "A2"
    assert {"en": "No junior agent is free", "zh": "没有空闲的初级坐席"}[lang] in decision.rationale.lines(
        lang
    )


def test_routine_request_taken_by_a_junior_gives_no_level_excuse(settings: RoutingSettings) -> None:
    decision = one(make_transfer(), [make_agent("A1", J), make_agent("A2", S)], settings)
    assert decision.agent_id == "A1"
    assert not [r for r in decision.rationale.reasons if r.code.startswith("match.level-")]


def test_senior_taking_an_angry_call_when_no_senior_is_free_says_so(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", S, status=AgentStatus.AWAY), make_agent("A2", G)]
    decision = one(make_transfer(emotion=EmotionLevel.ANGRY), agents, settings)
    assert decision.agent_id == "A2"
    assert "No senior agent is free" in decision.rationale.lines("en")


@LANGS
def test_free_agent_without_the_skill_takes_the_call_and_says_nobody_free_has_it(
    lang: str, settings: RoutingSettings
) -> None:
    agents = [
        make_agent("A1", skills=("refunds",)),
        make_agent("A2", skills=("billing",), status=AgentStatus.BUSY, active=1),
    ]
    decision = one(make_transfer(request_type="billing"), agents, settings)
    assert decision.agent_id == "A1"
    expected = {"en": "No free agent has the billing skill", "zh": "没有空闲坐席具备账单技能"}
    assert expected[lang] in decision.rationale.lines(lang)


@LANGS
def test_customer_whose_language_no_agent_speaks_stays_queued_saying_so(
    lang: str, settings: RoutingSettings
) -> None:
    decision = one(make_transfer(language="en"), [make_agent("A1", languages=("zh",))], settings)
    assert decision.queued
    assert (
        decision.rationale.lines(lang)[-1]
        == {"en": "No agent speaks English", "zh": "没有会说英语的坐席"}[lang]
    )


def test_reasons_about_other_agents_can_be_told_from_reasons_about_the_pick(
    settings: RoutingSettings,
) -> None:
    agents = [
        make_agent("A1", J, status=AgentStatus.BUSY, active=1),
        make_agent("A2", S, skills=("refunds",)),
    ]
    decision = one(make_transfer(), agents, settings)
    comparing = [r.en for r in decision.rationale.reasons if compares_agents(r)]
    assert comparing == ["No free agent has the billing skill", "No junior agent is free"]
