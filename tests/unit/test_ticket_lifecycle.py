"""The ticket state machine: legal moves recorded in an append-only history, illegal ones refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.domain.models import Ticket, TicketPriority, TicketStatus, TicketType
from agentdesk.domain.tickets import (
    TRANSITIONS,
    IllegalTransition,
    add_note,
    assign,
    can_transition,
    is_overdue,
    sla_due,
    transition,
    with_sla,
)

S = TicketStatus
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _walk(*statuses: TicketStatus) -> Ticket:
    ticket = Ticket(subject="roaming charge", created_at=T0)
    for status in statuses:
        ticket = transition(ticket, status, "A01", at=T0)
    return ticket


def test_full_life_of_a_complaint_is_recorded_in_order() -> None:
    t = _walk(S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.IN_PROGRESS, S.RESOLVED, S.CLOSED)
    assert t.status == S.CLOSED
    assert [n.text for n in t.notes] == [
        "new -> assigned",
        "assigned -> in_progress",
        "in_progress -> waiting_customer",
        "waiting_customer -> in_progress",
        "in_progress -> resolved",
        "resolved -> closed",
    ]
    assert all(n.kind == "status" and n.author == "A01" for n in t.notes)


def test_closed_ticket_can_be_reopened_and_worked_again() -> None:
    t = _walk(S.RESOLVED, S.CLOSED, S.REOPENED, S.IN_PROGRESS, S.RESOLVED)
    assert t.status == S.RESOLVED


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), S.WAITING_CUSTOMER),
        ((S.IN_PROGRESS,), S.CLOSED),
        ((S.RESOLVED, S.CLOSED), S.IN_PROGRESS),
        ((S.RESOLVED,), S.NEW),
        ((S.ASSIGNED,), S.REOPENED),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(
    path: tuple[TicketStatus, ...], illegal: TicketStatus
) -> None:
    t = _walk(*path)
    with pytest.raises(IllegalTransition, match="allowed"):
        transition(t, illegal, "A01")
    assert t.status == (path[-1] if path else S.NEW)


def test_every_status_can_reach_closed() -> None:
    for start in S:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert S.CLOSED in seen, start


def test_notes_append_and_earlier_notes_never_change() -> None:
    t = add_note(_walk(S.IN_PROGRESS), "A01", "called the customer", at=T0)
    t2 = add_note(t, "A02", "refund approved", at=T0)
    assert t2.notes[:-1] == t.notes
    assert [n.author for n in t2.notes] == ["A01", "A01", "A02"]
    with pytest.raises(ValueError):
        add_note(t2, "A01", "   ")


def test_assigning_a_new_ticket_moves_it_to_assigned() -> None:
    t = assign(Ticket(subject="x"), "A03", "A01")
    assert (t.status, t.assignee_id) == (S.ASSIGNED, "A03")
    again = assign(transition(t, S.IN_PROGRESS, "A03"), "A04", "A01")
    assert (again.status, again.assignee_id) == (S.IN_PROGRESS, "A04")


@pytest.mark.parametrize(
    ("kind", "priority", "hours"),
    [
        (TicketType.COMPLAINT, TicketPriority.URGENT, 2),
        (TicketType.CONSULTATION, TicketPriority.NORMAL, 72),
        (TicketType.CALLBACK, TicketPriority.HIGH, 12),
        (TicketType.FOLLOW_UP, TicketPriority.LOW, 120),
    ],
)
def test_sla_due_depends_on_type_and_priority(
    kind: TicketType, priority: TicketPriority, hours: float
) -> None:
    assert sla_due(kind, priority, T0) == T0 + timedelta(hours=hours)


def test_only_open_tickets_past_due_are_overdue() -> None:
    t = Ticket(subject="x", sla_due=T0)
    assert is_overdue(t, T0 + timedelta(minutes=1))
    assert not is_overdue(t, T0 - timedelta(minutes=1))
    assert not is_overdue(_walk(S.RESOLVED).model_copy(update={"sla_due": T0}), T0 + timedelta(days=1))
    assert can_transition(S.WAITING_CUSTOMER, S.CLOSED)


def test_ticket_without_a_deadline_gets_one_from_type_and_priority() -> None:
    ticket = with_sla(Ticket(subject="roaming charge", created_at=T0))
    assert ticket.sla_due == sla_due(ticket.type, ticket.priority, T0)


def test_ticket_with_a_deadline_keeps_it() -> None:
    promised = T0 + timedelta(hours=3)
    assert with_sla(Ticket(subject="callback", created_at=T0, sla_due=promised)).sla_due == promised
