"""Agent affinity: a returning customer goes back to the agent who served them, within the rules."""

from __future__ import annotations

import pytest

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import Agent, AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.routing import Assignment, assign
from agentdesk.domain.routing_affinity import CustomerAffinity
from agentdesk.domain.routing_reasons import compares_agents
from agentdesk.domain.transfers import Transfer, TriggerRule

from .conftest import LANGS, NOW, make_agent, make_transfer

J, S, G = AgentLevel.JUNIOR, AgentLevel.SENIOR, AgentLevel.GOLD


def returning(
    *agent_ids: str,
    transfer_id: str = "TR-1",
    handled: int = 2,
    dedicated: bool = False,
    waited: float = 0,
    **packet: object,
) -> Transfer:
    affinity = CustomerAffinity(agent_ids=list(agent_ids), handled=handled, dedicated=dedicated)
    return make_transfer(transfer_id, waited=waited, affinity=affinity, **packet)


def one(transfer: Transfer, agents: list[Agent], settings: RoutingSettings) -> Assignment:
    [decision] = assign([transfer], agents, NOW, settings)
    return decision


def codes(decision: Assignment) -> list[str]:
    return [r.code for r in decision.rationale.reasons]


def test_previous_agent_wins_among_equally_good_agents(settings: RoutingSettings) -> None:
    # same level and skills; the previous agent is busier and sorts later by id, yet wins
    agents = [make_agent("A1", J), make_agent("A2", J, capacity=2, active=1)]
    decision = one(returning("A2"), agents, settings)
    assert decision.agent_id == "A2"
    assert "match.affinity" in codes(decision)
    assert "match.load.free" in codes(decision)


def test_without_history_the_least_loaded_agent_still_wins(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J), make_agent("A2", J, capacity=2, active=1)]
    decision = one(make_transfer(), agents, settings)
    assert decision.agent_id == "A1"
    assert "match.affinity" not in codes(decision)


def test_previous_agent_does_not_jump_the_senior_first_rule(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J), make_agent("A2", S)]
    decision = one(returning("A1", emotion=EmotionLevel.ANGRY), agents, settings)
    assert decision.agent_id == "A2"


def test_vip_adviser_does_not_jump_the_gold_first_rule(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", S, skills=("billing", "vip")), make_agent("A2", G)]
    transfer = returning("A1", dedicated=True, tier=Tier.VIP, complexity=3)
    assert one(transfer, agents, settings).agent_id == "A2"


def test_previous_agent_who_does_not_speak_the_language_is_not_chosen(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G, languages=("zh",)), make_agent("A2", G, languages=("en",))]
    transfer = returning("A1", dedicated=True, tier=Tier.VIP, language="en", complexity=3)
    assert one(transfer, agents, settings).agent_id == "A2"


def test_ordinary_customer_goes_to_a_skilled_agent_before_their_previous_one(
    settings: RoutingSettings,
) -> None:
    agents = [make_agent("A1", J, skills=("refunds",)), make_agent("A2", J, skills=("billing",))]
    assert one(returning("A1"), agents, settings).agent_id == "A2"


def test_dedicated_adviser_comes_before_the_request_skill(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G, skills=("vip",)), make_agent("A2", G, skills=("billing", "vip"))]
    decision = one(returning("A1", dedicated=True, tier=Tier.VIP, complexity=3), agents, settings)
    assert decision.agent_id == "A1"
    assert "match.affinity.dedicated" in codes(decision)
    assert "match.affinity.over-skill.billing" in codes(decision)
    assert not any(c.startswith("match.skill-missing") for c in codes(decision))
    # it speaks of other agents, so a rationale rebuilt for the holder alone leaves it out
    assert [r.code for r in decision.rationale.reasons if compares_agents(r)] == [
        "match.affinity.over-skill.billing"
    ]


def test_vip_waits_briefly_for_their_busy_adviser(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G, status=AgentStatus.BUSY, active=1), make_agent("A2", G)]
    decision = one(returning("A1", tier=Tier.VIP, complexity=3, waited=10), agents, settings)
    assert decision.queued
    assert codes(decision)[-1] == "queue.waiting-for-adviser"
    assert "20 s" in decision.rationale.reasons[-1].en
    assert "20秒" in decision.rationale.reasons[-1].zh


def test_vip_stops_waiting_for_a_busy_adviser_after_the_bound(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G, status=AgentStatus.BUSY, active=1), make_agent("A2", G)]
    waited = settings.affinity_wait_seconds
    decision = one(returning("A1", tier=Tier.VIP, complexity=3, waited=waited), agents, settings)
    assert decision.agent_id == "A2"
    assert "match.affinity" not in codes(decision)


def test_a_zero_wait_setting_never_holds_a_vip_for_their_adviser() -> None:
    settings = RoutingSettings(affinity_wait_seconds=0)
    agents = [make_agent("A1", G, status=AgentStatus.BUSY, active=1), make_agent("A2", G)]
    assert one(returning("A1", tier=Tier.VIP, complexity=3), agents, settings).agent_id == "A2"


def test_nobody_waits_for_an_adviser_who_is_away(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G, status=AgentStatus.AWAY), make_agent("A2", G)]
    transfer = returning("A1", dedicated=True, tier=Tier.VIP, complexity=3)
    assert one(transfer, agents, settings).agent_id == "A2"


def test_ordinary_customer_never_waits_for_a_busy_previous_agent(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", J, status=AgentStatus.BUSY, active=1), make_agent("A2", J)]
    assert one(returning("A1"), agents, settings).agent_id == "A2"


def test_vip_does_not_wait_for_an_adviser_of_a_lower_level_than_a_free_one(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", S, status=AgentStatus.BUSY, active=1), make_agent("A2", G)]
    assert one(returning("A1", tier=Tier.VIP, complexity=3), agents, settings).agent_id == "A2"


def test_next_previous_agent_serves_when_the_latest_one_is_away(settings: RoutingSettings) -> None:
    agents = [
        make_agent("A1", J, status=AgentStatus.OFFLINE),
        make_agent("A2", J),
        make_agent("A3", J, capacity=2, active=1),
    ]
    decision = one(returning("A1", "A3"), agents, settings)
    assert decision.agent_id == "A3"
    assert "match.affinity" in codes(decision)


def test_previous_agent_who_declined_is_not_offered_again(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", G), make_agent("A2", G)]
    transfer = returning("A1", dedicated=True, tier=Tier.VIP, complexity=3)
    transfer.declined_by = ["A1"]
    assert one(transfer, agents, settings).agent_id == "A2"


def test_affinity_never_lets_a_transfer_take_a_full_agent(settings: RoutingSettings) -> None:
    # two transfers from customers of A1, who has one slot: the second goes elsewhere
    agents = [make_agent("A1", J), make_agent("A2", J)]
    first = returning("A1", waited=60)
    second = returning("A1", transfer_id="TR-2", waited=30)
    decisions = {d.work_id: d.agent_id for d in assign([first, second], agents, NOW, settings)}
    assert decisions == {first.id: "A1", second.id: "A2"}


@LANGS
def test_rationale_says_the_agent_handled_the_last_two_tickets(settings: RoutingSettings, lang: str) -> None:
    agents = [make_agent("A1", G, languages=("zh", "en")), make_agent("A3", G, languages=("zh", "en"))]
    transfer = returning("A3", dedicated=True, tier=Tier.VIP, language=lang, rules=(TriggerRule.HIGH_VALUE,))
    decision = one(transfer, agents, settings)
    assert decision.agent_id == "A3"
    lines = decision.rationale.lines(lang)
    expected = "处理过该客户最近的2张工单" if lang == "zh" else "Handled this customer's last 2 tickets"
    assert expected in lines


@pytest.mark.parametrize(
    ("kind", "handled", "en", "zh"),
    [
        ("ticket", 1, "Handled this customer's last ticket", "处理过该客户最近的1张工单"),
        ("call", 3, "Handled this customer's last 3 calls", "接听过该客户最近的3通电话"),
        ("contact", 2, "Handled this customer's last 2 contacts", "处理过该客户最近的2次联系"),
    ],
)
def test_rationale_names_what_the_agent_handled(
    settings: RoutingSettings, kind: str, handled: int, en: str, zh: str
) -> None:
    affinity = CustomerAffinity(agent_ids=["A1"], handled=handled, handled_kind=kind)
    decision = one(make_transfer(affinity=affinity), [make_agent("A1", J)], settings)
    assert en in decision.rationale.lines("en")
    assert zh in decision.rationale.lines("zh")


def test_a_vip_goes_to_another_previous_adviser_who_is_free_rather_than_wait(
    settings: RoutingSettings,
) -> None:
    agents = [
        make_agent("A1", G, status=AgentStatus.BUSY, active=1),
        make_agent("A2", G),
        make_agent("A3", G),
    ]
    decision = one(returning("A1", "A3", tier=Tier.VIP, complexity=3, waited=10), agents, settings)
    assert not decision.queued and decision.agent_id == "A3"
