"""A transfer the bot posts carries the customer's previous agents, so routing can send them back."""

from __future__ import annotations

from agentdesk.domain.models import Ticket, TicketStatus

from .conftest import Served


def test_posted_transfer_names_the_agent_who_handled_the_customers_last_ticket(served: Served) -> None:
    served.store.create_ticket(
        Ticket(id="TK-9", customer_id="C1", subject="账单疑问", assignee_id="A2", status=TicketStatus.CLOSED)
    )
    with served.client("bot") as bot:
        made = bot.post("/transfers", json={"packet": {"customer_id": "C1", "tier": "vip"}})
    assert made.status_code == 201
    affinity = made.json()["packet"]["affinity"]
    assert affinity["agent_ids"] == ["A2"]
    assert (affinity["handled"], affinity["handled_kind"]) == (1, "ticket")
    assert served.store.get_transfer(made.json()["id"]).packet.affinity.agent_ids == ["A2"]
