"""Who served a customer before, read from their tickets and calls, and whether they want one adviser."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentdesk.domain.models import Call, Customer, Ticket, Tier
from agentdesk.domain.routing_affinity import affinity_from_history, names_dedicated_adviser

from .conftest import NOW


def customer(notes: str = "") -> Customer:
    return Customer(id="C035", name="Isabella Rossi", tier=Tier.VIP, language="en", notes=notes)


def ticket(ticket_id: str, agent: str | None, days_ago: float, *calls: str) -> Ticket:
    return Ticket(
        id=ticket_id,
        customer_id="C035",
        subject="Company lines",
        assignee_id=agent,
        created_at=NOW - timedelta(days=days_ago),
        updated_at=NOW - timedelta(days=days_ago),
        linked_call_ids=list(calls),
    )


def call(call_id: str, agent: str | None, days_ago: float) -> Call:
    return Call(id=call_id, customer_id="C035", agent_id=agent, started_at=NOW - timedelta(days=days_ago))


def test_agent_of_the_last_two_tickets_comes_first() -> None:
    tickets = [ticket("TK-1", "A03", 60, "CALL-1"), ticket("TK-2", "A03", 20), ticket("TK-0", "A01", 90)]
    affinity = affinity_from_history(customer(), tickets, [call("CALL-1", "A03", 60)], NOW)
    assert affinity is not None
    assert affinity.agent_ids == ["A03", "A01"]
    assert (affinity.handled, affinity.handled_kind) == (2, "ticket")


def test_a_call_filed_as_a_ticket_counts_once() -> None:
    affinity = affinity_from_history(
        customer(), [ticket("TK-1", "A03", 5, "CALL-1")], [call("CALL-1", "A03", 5)], NOW
    )
    assert affinity is not None and affinity.handled == 1


def test_calls_and_tickets_together_count_as_contacts() -> None:
    affinity = affinity_from_history(customer(), [ticket("TK-1", "A05", 5)], [call("CALL-9", "A05", 2)], NOW)
    assert affinity is not None
    assert (affinity.handled, affinity.handled_kind) == (2, "contact")


def test_the_most_recent_agent_comes_first_even_after_a_long_run_with_another() -> None:
    tickets = [ticket("TK-1", "A01", 30), ticket("TK-2", "A01", 20), ticket("TK-3", "A07", 1)]
    affinity = affinity_from_history(customer(), tickets, [], NOW)
    assert affinity is not None
    assert affinity.agent_ids == ["A07", "A01"] and affinity.handled == 1


def test_contacts_the_bot_handled_alone_are_skipped() -> None:
    affinity = affinity_from_history(customer(), [ticket("TK-1", "A03", 9)], [call("CALL-2", None, 1)], NOW)
    assert affinity is not None and affinity.agent_ids == ["A03"]


def test_a_customer_nobody_served_recently_has_no_affinity() -> None:
    assert (
        affinity_from_history(customer(), [ticket("TK-1", "A03", 400)], [call("CALL-1", None, 3)], NOW)
        is None
    )
    assert affinity_from_history(None, [], [], NOW) is None


def test_contacts_after_the_transfer_do_not_count() -> None:
    assert affinity_from_history(customer(), [ticket("TK-1", "A03", -1)], [], NOW) is None


def test_notes_asking_for_a_dedicated_adviser_mark_the_affinity_dedicated() -> None:
    tickets = [ticket("TK-1", "A03", 9)]
    assert affinity_from_history(
        customer("Company director; dedicated adviser preferred"), tickets, [], NOW
    ).dedicated
    assert not affinity_from_history(customer("Prefers email"), tickets, [], NOW).dedicated


@pytest.mark.parametrize(
    "notes",
    [
        "Company director; dedicated adviser preferred",
        "Has a personal account manager",
        "集团客户联系人，需专属坐席",
        "请转指定客服",
    ],
)
def test_notes_that_name_a_dedicated_adviser(notes: str) -> None:
    assert names_dedicated_adviser(notes)


@pytest.mark.parametrize(
    "notes", ["Prefers email", "Frequent business travel; prefers email", "老年客户，说话慢", ""]
)
def test_notes_that_do_not_name_a_dedicated_adviser(notes: str) -> None:
    assert not names_dedicated_adviser(notes)
