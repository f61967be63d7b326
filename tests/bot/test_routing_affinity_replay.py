"""Replayed calls from returning VIPs reach the adviser who served them, with the reason spelled out.

The demo data: Ms Rossi (C035, VIP, "dedicated adviser preferred") had her last two tickets
handled by Emily Carter (A03, gold, English). 王芳 (A01, gold, zh and en) is as free and sorts
first by id, so without affinity she would get the call.
"""

from __future__ import annotations

from datetime import UTC, datetime

from agentdesk.calls.replay import Replayer
from agentdesk.config import Settings
from agentdesk.domain.models import AgentStatus, Ticket, TicketStatus
from agentdesk.domain.scripts import CallScript
from agentdesk.nlp.kb import KBIndex
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore


def script(**fields: object) -> CallScript:
    return CallScript.model_validate(
        {
            "expected": {"outcome": "transferred", "agent_level": "gold", "ticket_type": "consultation"},
            **fields,
        }
    )


LISBON = script(
    id="affinity-en-lisbon-office",
    title="VIP opening an office abroad, put through to her dedicated adviser",
    language="en",
    customer="C035",
    at="2026-11-24T14:05:00+00:00",
    turns=[
        {"speaker": "bot", "text": "Good afternoon Ms Rossi, Lumen Connect here. What can I do for you?"},
        {
            "speaker": "customer",
            "text": "We're opening an office in Lisbon, so I need four new lines on the company account "
            "and Portugal roaming on every line.",
        },
        {"speaker": "bot", "text": "Of course, I'm connecting you to your dedicated adviser now."},
        {"speaker": "agent", "text": "Hello Ms Rossi, Emily here. Let's get the Lisbon lines sorted."},
    ],
)

SHENZHEN = script(
    id="affinity-zh-branch-lines",
    title="集团VIP客户给分公司加开号码，转给上次服务他的专属坐席",
    language="zh",
    customer="C009",
    at="2026-11-24T10:05:00+08:00",
    turns=[
        {"speaker": "bot", "text": "周先生您好，明讯通信，请问有什么可以帮您？"},
        {
            "speaker": "customer",
            "text": "我们深圳分公司要新开五个号码，挂在集团账户下面，还要统一开国际漫游。",
        },
        {"speaker": "bot", "text": "好的，马上为您转接专属客服。"},
        {"speaker": "agent", "text": "周总您好，我是周敏，分公司的号码我来帮您办。"},
    ],
)


def test_vip_asking_for_her_dedicated_adviser_reaches_the_agent_of_her_last_two_tickets(
    replayer: Replayer,
) -> None:
    result = replayer.run(LISBON)
    assert result.mismatches() == []
    assert result.agent is not None and result.agent.id == "A03"
    rationale = result.assignment.rationale
    assert "Handled this customer's last 2 tickets" in rationale.lines("en")
    assert "处理过该客户最近的2张工单" in rationale.lines("zh")
    assert "Customer's record asks for a dedicated adviser" in rationale.lines("en")


def test_replayed_transfer_carries_the_customers_previous_agents(replayer: Replayer) -> None:
    packet = replayer.run(LISBON).packet
    assert packet is not None and packet.affinity is not None
    assert packet.affinity.agent_ids[0] == "A03" and packet.affinity.dedicated


def test_zh_vip_goes_back_to_the_gold_adviser_who_served_him_last(demo_kb: KBIndex) -> None:
    # 周敏 (A09, gold) back at her desk, and she handled 周杰's (C009) latest ticket
    store = SqliteStore(":memory:", actor="test")
    seed_store(store)
    store.set_agent_status("A09", AgentStatus.AVAILABLE)
    store.create_ticket(
        Ticket(
            id="TK-AFF1",
            customer_id="C009",
            subject="集团账户增开号码",
            intent="data_plans",
            status=TicketStatus.CLOSED,
            assignee_id="A09",
            created_at=datetime(2026, 11, 18, 2, 0, tzinfo=UTC),
            updated_at=datetime(2026, 11, 18, 2, 30, tzinfo=UTC),
            language="zh",
        )
    )
    result = Replayer(store, Settings(), kb=demo_kb).run(SHENZHEN)
    assert result.mismatches() == []
    assert result.agent is not None and result.agent.id == "A09"
    assert "处理过该客户最近的1张工单" in result.assignment.rationale.lines("zh")
