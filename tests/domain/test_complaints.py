"""The complaint flow: calm and simple is contained with a standard remedy, the rest escalates."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from agentdesk.config import RoutingSettings
from agentdesk.domain.complaints import (
    REMEDIES,
    ComplaintPath,
    classify_complaint,
    complaint_ticket,
    escalation_packet,
    remedy_for,
)
from agentdesk.domain.models import AgentLevel, EmotionLevel, TicketPriority, TicketType, Tier
from agentdesk.domain.routing import assign
from agentdesk.domain.transfers import TriggerRule

from .conftest import LANGS, NOW, make_agent, make_packet, make_transfer

HAN = re.compile(r"[\u4e00-\u9fff]")


@LANGS
def test_calm_simple_complaint_is_contained_with_the_standard_remedy(lang: str) -> None:
    decision = classify_complaint(
        make_packet(language=lang, request_type="billing", emotion=EmotionLevel.MILD)
    )
    assert decision.path is ComplaintPath.CONTAIN
    assert decision.remedy is REMEDIES["billing"]
    expected = {"zh": "3个工作日内退回", "en": "within 3 working days"}[lang]
    assert expected in decision.remedy.text(lang)


def test_angry_complaint_is_escalated() -> None:
    decision = classify_complaint(make_packet(emotion=EmotionLevel.ANGRY))
    assert decision.path is ComplaintPath.ESCALATE
    assert decision.remedy is None
    assert [r.code for r in decision.reasons] == ["complaint.angry", "complaint.escalate"]


@pytest.mark.parametrize(
    "packet_fields",
    [{"complexity": 2}, {"complexity": 0, "rules": (TriggerRule.COMPLEX_COMPLAINT,)}],
    ids=["scored-complex", "dispute-trigger"],
)
def test_complex_complaint_is_escalated(packet_fields: dict[str, object]) -> None:
    assert classify_complaint(make_packet(**packet_fields)).path is ComplaintPath.ESCALATE


def test_anger_threshold_follows_the_bot_setting() -> None:
    upset = make_packet(emotion=EmotionLevel.UPSET)
    assert classify_complaint(upset).contained
    assert not classify_complaint(upset, angry_at=EmotionLevel.UPSET).contained


def test_unknown_request_type_gets_the_general_remedy() -> None:
    assert remedy_for("network_faults") is REMEDIES["general"]
    assert remedy_for("complaint_policy") is REMEDIES["general"]


def test_every_remedy_reads_in_both_languages() -> None:
    for remedy in REMEDIES.values():
        assert HAN.search(remedy.zh) and remedy.en and not HAN.search(remedy.en)


@LANGS
def test_contained_complaint_ticket_records_the_promised_remedy(lang: str) -> None:
    packet = make_packet(
        language=lang, request_type="refunds", intent="refund late", summary="Refund 200 not received"
    )
    decision = classify_complaint(packet)
    ticket = complaint_ticket(packet, decision, NOW, call_id="CALL-9")
    assert ticket.type is TicketType.COMPLAINT
    assert ticket.priority is TicketPriority.NORMAL
    assert ticket.promise == REMEDIES["refunds"].text(lang)
    assert ticket.sla_due == NOW + timedelta(hours=36)  # normal priority, complaints at half the SLA
    assert REMEDIES["refunds"].text(lang) in ticket.notes[-1].text
    assert "Refund 200 not received" in ticket.notes[0].text
    assert ticket.linked_call_ids == ["CALL-9"]


@pytest.mark.parametrize(
    ("fields", "priority"),
    [
        ({"emotion": EmotionLevel.ANGRY}, TicketPriority.HIGH),
        ({"complexity": 3}, TicketPriority.HIGH),
        ({"emotion": EmotionLevel.ANGRY, "complexity": 3}, TicketPriority.URGENT),
        ({"tier": Tier.VIP}, TicketPriority.HIGH),
    ],
)
def test_complaint_ticket_priority(fields: dict[str, object], priority: TicketPriority) -> None:
    packet = make_packet(**fields)
    assert complaint_ticket(packet, classify_complaint(packet), NOW).priority is priority


def test_escalated_complex_complaint_goes_to_a_senior_agent_first(settings: RoutingSettings) -> None:
    packet = make_packet(request_type="billing", complexity=2)
    decision = classify_complaint(packet)
    escalated = escalation_packet(packet, decision, NOW)
    assert TriggerRule.COMPLEX_COMPLAINT in escalated.rules
    agents = [
        make_agent("A1", AgentLevel.JUNIOR),
        make_agent("A2", AgentLevel.SENIOR, skills=("billing", "complaints")),
    ]
    [routed] = assign([make_transfer(packet=escalated)], agents, NOW, settings)
    assert routed.agent_id == "A2"
    assert "rule.complex-complaint" in [r.code for r in routed.rationale.reasons]


def test_escalation_keeps_an_existing_dispute_trigger_once() -> None:
    packet = make_packet(rules=(TriggerRule.COMPLEX_COMPLAINT,))
    assert escalation_packet(packet, classify_complaint(packet), NOW) is packet


def test_contained_complaint_is_not_transferred() -> None:
    packet = make_packet()
    with pytest.raises(ValueError, match="not transferred"):
        escalation_packet(packet, classify_complaint(packet), NOW)
