"""Off-hours requests become callback tickets; at opening routing hands them to agents."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agentdesk.config import RoutingSettings, WeeklyHours
from agentdesk.domain import tickets
from agentdesk.domain.hours import callback_ticket
from agentdesk.domain.models import (
    AgentLevel,
    AgentStatus,
    EmotionLevel,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
    Tier,
)
from agentdesk.domain.routing_callbacks import assign_callbacks

from .conftest import LANGS, make_agent, make_packet

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_EVENING = datetime(2026, 11, 20, 19, 30, tzinfo=SHANGHAI)
MONDAY_OPENING = FRIDAY_EVENING + timedelta(days=2, hours=13, minutes=30)
WEEKDAYS_ONLY = WeeklyHours(weekly={d: ["09:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")})


def test_off_hours_request_becomes_callback_ticket_due_at_the_promise() -> None:
    packet = make_packet(
        intent="账单多扣了50元", summary="客户称本月账单多扣50元", details={"order_id": "O-1"}
    )
    ticket = callback_ticket(packet, WEEKDAYS_ONLY, FRIDAY_EVENING, call_id="CALL-1")
    assert ticket.type is TicketType.CALLBACK
    assert ticket.status is TicketStatus.NEW
    assert ticket.assignee_id is None
    assert ticket.sla_due == MONDAY_OPENING + timedelta(hours=1)
    assert ticket.promise == "11月23日（周一）上午10:00前回电"
    assert (ticket.subject, ticket.intent, ticket.linked_call_ids) == (
        "账单多扣了50元",
        "billing",
        ["CALL-1"],
    )
    assert "客户称本月账单多扣50元" in ticket.notes[0].text
    assert "order_id=O-1" in ticket.notes[0].text


@LANGS
def test_callback_ticket_promises_in_the_customers_language(lang: str) -> None:
    ticket = callback_ticket(make_packet(language=lang), WEEKDAYS_ONLY, FRIDAY_EVENING)
    assert ticket.language == lang
    assert (
        ticket.promise
        == {"zh": "11月23日（周一）上午10:00前回电", "en": "Call back by 10:00 on Monday 23 November"}[lang]
    )


@pytest.mark.parametrize(
    ("tier", "emotion", "priority"),
    [
        (Tier.STANDARD, EmotionLevel.CALM, TicketPriority.NORMAL),
        (Tier.STANDARD, EmotionLevel.ANGRY, TicketPriority.HIGH),
        (Tier.GOLD, EmotionLevel.CALM, TicketPriority.HIGH),
        (Tier.VIP, EmotionLevel.CALM, TicketPriority.URGENT),
    ],
)
def test_callback_priority_follows_tier(tier: Tier, emotion: EmotionLevel, priority: TicketPriority) -> None:
    ticket = callback_ticket(make_packet(tier=tier, emotion=emotion), WEEKDAYS_ONLY, FRIDAY_EVENING)
    assert ticket.priority is priority


def overnight(n: int, **packet_fields: object) -> list[Ticket]:
    return [
        callback_ticket(make_packet(**packet_fields), WEEKDAYS_ONLY, FRIDAY_EVENING + timedelta(minutes=i))  # type: ignore[arg-type]
        for i in range(n)
    ]


def test_callbacks_are_assigned_at_opening_to_capable_agents(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", skills=("refunds",)), make_agent("A2", skills=("billing",))]
    [decision] = assign_callbacks(overnight(1), agents, MONDAY_OPENING, settings)
    assert decision.agent_id == "A2"


def test_callbacks_are_spread_evenly_across_agents(settings: RoutingSettings) -> None:
    agents = [make_agent("A1"), make_agent("A2"), make_agent("A3")]
    decisions = assign_callbacks(overnight(6), agents, MONDAY_OPENING, settings)
    assert sorted(d.agent_id for d in decisions) == ["A1", "A1", "A2", "A2", "A3", "A3"]


def test_callbacks_go_to_agents_on_duty_even_while_on_a_call(settings: RoutingSettings) -> None:
    agents = [
        make_agent("A1", status=AgentStatus.BUSY, capacity=1, active=1),
        make_agent("A2", status=AgentStatus.AWAY),
    ]
    assert [d.agent_id for d in assign_callbacks(overnight(1), agents, MONDAY_OPENING, settings)] == ["A1"]


def test_agent_at_the_callback_limit_gets_no_more(settings: RoutingSettings) -> None:
    held = [tickets.assign(t, "A1", "system", at=MONDAY_OPENING) for t in overnight(2)]
    decisions = assign_callbacks(
        [*held, *overnight(1)], [make_agent("A1")], MONDAY_OPENING, settings, per_agent=2
    )
    assert [d.queued for d in decisions] == [True]


def test_earliest_promise_is_assigned_first(settings: RoutingSettings) -> None:
    early, late = overnight(2)
    late = late.model_copy(update={"sla_due": early.sla_due + timedelta(hours=1)})
    decisions = assign_callbacks([late, early], [make_agent("A1")], MONDAY_OPENING, settings, per_agent=1)
    assert [(d.work_id, d.agent_id) for d in decisions] == [(early.id, "A1"), (late.id, None)]


def test_vip_callback_prefers_a_vip_skilled_gold_agent(settings: RoutingSettings) -> None:
    agents = [make_agent("A1"), make_agent("A2", AgentLevel.GOLD, skills=("billing", "vip"))]
    [decision] = assign_callbacks(overnight(1, tier=Tier.VIP), agents, MONDAY_OPENING, settings)
    assert decision.agent_id == "A2"


def test_assigned_callback_appears_in_the_agents_queue(settings: RoutingSettings) -> None:
    [ticket] = overnight(1)
    [decision] = assign_callbacks([ticket], [make_agent("A1")], MONDAY_OPENING, settings)
    assigned = tickets.assign(ticket, decision.agent_id or "", "routing", at=MONDAY_OPENING)
    assert (assigned.status, assigned.assignee_id) == (TicketStatus.ASSIGNED, "A1")
    assert assign_callbacks([assigned], [make_agent("A1")], MONDAY_OPENING, settings) == []
