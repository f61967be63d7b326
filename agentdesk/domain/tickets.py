"""The ticket lifecycle: a state machine with an append-only history, and SLA due times."""

from __future__ import annotations

from datetime import datetime, timedelta

from agentdesk.domain.models import (
    Ticket,
    TicketNote,
    TicketPriority,
    TicketStatus,
    TicketType,
    utcnow,
)
from agentdesk.domain.transfers import Transfer

S = TicketStatus

TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.NEW: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.NEW, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.ASSIGNED, S.WAITING_CUSTOMER, S.RESOLVED}),
    S.WAITING_CUSTOMER: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED}),
}
"""Allowed moves. `closed` is reached through `resolved`, except for tickets that
never needed work (`new`, e.g. duplicates) or customers who never replied."""

OPEN_STATUSES = frozenset({S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.REOPENED})

DISPOSITIONS = (
    "resolved_first_contact",
    "info_given",
    "refund_approved",
    "refunded_partial",
    "escalated_specialist",
    "callback_booked",
    "complaint_logged",
    "no_action_needed",
    "customer_unreachable",
)
"""The wrap-up codes an agent picks from, in the wrap-up dialog and the ticket editor alike;
each has `disposition.<code>` in the UI catalogs. Stored tickets may hold other codes
(imported history); those are kept as they are."""

NEEDS_ASSIGNEE = frozenset({S.ASSIGNED})
"""Statuses that mean somebody holds the ticket."""
NEEDS_DISPOSITION = frozenset({S.RESOLVED, S.CLOSED})
"""Statuses that say how the case ended, so they need a wrap-up code."""

# Hours to resolve, by priority; complaints and callbacks are tighter (SPEC section 8).
SLA_HOURS: dict[TicketPriority, float] = {
    TicketPriority.URGENT: 4,
    TicketPriority.HIGH: 24,
    TicketPriority.NORMAL: 72,
    TicketPriority.LOW: 120,
}
SLA_FACTOR: dict[TicketType, float] = {
    TicketType.COMPLAINT: 0.5,
    TicketType.CALLBACK: 0.5,
    TicketType.CONSULTATION: 1.0,
    TicketType.FOLLOW_UP: 1.0,
}


class IllegalTransition(ValueError):
    """A status change the lifecycle does not allow."""

    def __init__(self, ticket_id: str, current: TicketStatus, target: TicketStatus) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        super().__init__(f"ticket {ticket_id} cannot go from {current} to {target} (allowed: {allowed})")
        self.current = current
        self.target = target


class IncompleteTicket(ValueError):
    """A status the ticket cannot take without a field: `assigned` needs an assignee,
    `resolved` and `closed` a wrap-up code."""

    def __init__(self, ticket_id: str, status: TicketStatus, missing: str) -> None:
        what = "an assignee" if missing == "assignee_id" else "a wrap-up code (disposition)"
        super().__init__(f"ticket {ticket_id} cannot be {status} without {what}")
        self.ticket_id = ticket_id
        self.status = TicketStatus(status)
        self.missing = missing
        """The field that is needed: `assignee_id` or `disposition`."""


def missing_for(status: TicketStatus, assignee_id: str | None, disposition: str | None) -> str | None:
    """The field a ticket in `status` needs and lacks (`assignee_id`, `disposition`), or None."""
    if status in NEEDS_ASSIGNEE and not assignee_id:
        return "assignee_id"
    if status in NEEDS_DISPOSITION and not (disposition or "").strip():
        return "disposition"
    return None


def check_complete(ticket: Ticket) -> None:
    """Refuse a ticket whose status needs a field it lacks.

    Raises:
        IncompleteTicket: e.g. `assigned` with nobody assigned, `resolved` with no wrap-up code.
    """
    missing = missing_for(ticket.status, ticket.assignee_id, ticket.disposition)
    if missing is not None:
        raise IncompleteTicket(ticket.id, ticket.status, missing)


def sla_due(ticket_type: TicketType, priority: TicketPriority, created_at: datetime) -> datetime:
    """When a ticket of this type and priority must be resolved."""
    return created_at + timedelta(hours=SLA_HOURS[priority] * SLA_FACTOR[ticket_type])


def with_sla(ticket: Ticket) -> Ticket:
    """The ticket with its SLA deadline set from type and priority, unless it already has one."""
    if ticket.sla_due is not None:
        return ticket
    return ticket.model_copy(update={"sla_due": sla_due(ticket.type, ticket.priority, ticket.created_at)})


def can_transition(current: TicketStatus, target: TicketStatus) -> bool:
    """Whether the lifecycle allows moving from `current` to `target`."""
    return target in TRANSITIONS[current]


def transition(
    ticket: Ticket,
    target: TicketStatus,
    actor: str,
    *,
    note: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Return a copy of `ticket` moved to `target`, with the move recorded in its history.

    Raises:
        IllegalTransition: the lifecycle does not allow the move.
    """
    if not can_transition(ticket.status, target):
        raise IllegalTransition(ticket.id, ticket.status, target)
    at = at or utcnow()
    text = f"{ticket.status} -> {target}" + (f": {note}" if note else "")
    return ticket.model_copy(
        update={
            "status": target,
            "updated_at": at,
            "notes": [*ticket.notes, TicketNote(at=at, author=actor, text=text, kind="status")],
        }
    )


def add_note(ticket: Ticket, author: str, text: str, *, at: datetime | None = None) -> Ticket:
    """Return a copy of `ticket` with a note appended; earlier notes never change."""
    text = text.strip()
    if not text:
        raise ValueError("a note needs some text")
    at = at or utcnow()
    return ticket.model_copy(
        update={"updated_at": at, "notes": [*ticket.notes, TicketNote(at=at, author=author, text=text)]}
    )


def assign(ticket: Ticket, agent_id: str, actor: str, *, at: datetime | None = None) -> Ticket:
    """Return a copy assigned to `agent_id`; a new or reopened ticket moves to `assigned`."""
    at = at or utcnow()
    updated = ticket.model_copy(update={"assignee_id": agent_id, "updated_at": at})
    if ticket.status in (S.NEW, S.REOPENED):
        updated = transition(updated, S.ASSIGNED, actor, note=f"to {agent_id}", at=at)
    return updated


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    """Open and past its SLA due time."""
    return ticket.status in OPEN_STATUSES and ticket.sla_due is not None and now > ticket.sla_due


_COMPLAINT_RULES = frozenset({"complex-complaint", "strong-emotion"})


def draft_from_transfer(transfer: Transfer, *, complaint: bool = False) -> Ticket:
    """The ticket an agent most likely files for a transfer; the desk pre-fills it for editing.

    A complaint when the bot saw one (`complaint`) or when an anger, dispute or repeated
    dissatisfaction rule fired; priority high for complaints and gold/VIP customers.
    """
    p = transfer.packet
    is_complaint = complaint or bool(_COMPLAINT_RULES & {str(r) for r in p.rules})
    high = is_complaint or p.tier != "standard"
    return Ticket(
        type=TicketType.COMPLAINT if is_complaint else TicketType.CONSULTATION,
        priority=TicketPriority.HIGH if high else TicketPriority.NORMAL,
        customer_id=p.customer_id,
        subject=p.intent or p.request_type,
        intent=p.request_type,
        linked_call_ids=[transfer.call_id] if transfer.call_id else [],
        language="en" if p.language == "en" else "zh",
    )


def apply_update(
    ticket: Ticket,
    who: str,
    *,
    at: datetime,
    status: TicketStatus | None = None,
    note: str | None = None,
    assignee_id: str | None = None,
    disposition: str | None = None,
    priority: TicketPriority | None = None,
    type: TicketType | None = None,
    subject: str | None = None,
    survey_id: str | None = None,
    link_call_id: str | None = None,
) -> Ticket:
    """One ticket change as every store applies it: assignment, status move, note, fields.

    Fields left as None stay as they are; the history records who moved the status. A
    change to status, assignee or wrap-up code must leave the ticket complete
    (`check_complete`); other edits (a note on an old ticket) never do.

    Raises:
        IllegalTransition: the lifecycle forbids the status change (nothing is applied).
        IncompleteTicket: the new status needs an assignee or a wrap-up code (nothing is applied).
    """
    t = ticket
    if assignee_id is not None and assignee_id != t.assignee_id:
        t = assign(t, assignee_id, who, at=at)
    if status is not None and TicketStatus(status) != t.status:
        t = transition(t, TicketStatus(status), who, at=at)
    if note:
        t = add_note(t, who, note, at=at)
    changes: dict[str, object] = {"updated_at": at}
    for name, value in (
        ("disposition", disposition),
        ("priority", priority),
        ("type", type),
        ("subject", subject),
        ("survey_id", survey_id),
    ):
        if value is not None:
            changes[name] = value
    if link_call_id and link_call_id not in t.linked_call_ids:
        changes["linked_call_ids"] = [*t.linked_call_ids, link_call_id]
    updated = t.model_validate({**t.model_dump(), **changes})
    moved = (updated.status, updated.assignee_id, updated.disposition) != (
        ticket.status,
        ticket.assignee_id,
        ticket.disposition,
    )
    if moved:
        check_complete(updated)
    return updated
