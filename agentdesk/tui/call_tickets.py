"""The one ticket a call works on: found when the call starts, saved during it, finalised at wrap-up.

A call works on the customer's open ticket for the case when the handoff card shows one;
otherwise on the ticket its first save creates. Later saves and the wrap-up update that
ticket, so a call never leaves duplicates behind. Every function here blocks on the
store: call them from worker threads only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agentdesk.domain import surveys, tickets
from agentdesk.domain.models import Ticket, TicketNote, TicketStatus
from agentdesk.domain.transfers import HandoffPacket, Transfer, TransferStatus
from agentdesk.store.base import AlreadyExists, Conflict, NotFound, Store, TicketQuery

CASE_DETAILS = ("open_ticket", "related_ticket")
"""Collected details that name the customer's ticket for this case (the card shows them)."""


@dataclass(frozen=True)
class CallTicket:
    """The ticket a call starts on, if any."""

    ticket: Ticket
    is_case: bool
    """The customer's open ticket the handoff card shows, rather than one saved on this call."""


def case_ticket_ids(packet: HandoffPacket) -> list[str]:
    """Ticket ids the handoff card shows for this case (its collected details), in card order."""
    return [packet.details[k].strip() for k in CASE_DETAILS if packet.details.get(k, "").strip()]


def find_call_ticket(store: Store, transfer: Transfer) -> CallTicket | None:
    """The ticket the call should work on: the customer's open ticket for the case, else an
    open ticket already linked to the call (saved before the desk was closed), else None."""
    customer_id = transfer.customer_id
    if customer_id is None:
        return None
    for ticket_id in case_ticket_ids(transfer.packet):
        ticket = _stored(store, ticket_id)
        if (
            ticket is not None
            and ticket.customer_id == customer_id
            and ticket.status in tickets.OPEN_STATUSES
        ):
            return CallTicket(ticket, is_case=True)
    if transfer.call_id:
        query = TicketQuery(customer_id=customer_id, statuses=tickets.OPEN_STATUSES, limit=50)
        for ticket in store.list_tickets(query):
            if transfer.call_id in ticket.linked_call_ids:
                return CallTicket(ticket, is_case=False)
    return None


def _stored(store: Store, ticket_id: str) -> Ticket | None:
    try:
        return store.get_ticket(ticket_id)
    except NotFound:
        return None


def _new_ticket(ticket: Ticket, note: str, status: TicketStatus, *, agent_id: str, at: datetime) -> Ticket:
    """A ticket the agent opens on a call: theirs, clocked from now, moved on from `new`."""
    fresh = ticket.model_copy(
        update={
            "status": TicketStatus.NEW,
            "assignee_id": agent_id,
            "created_at": at,
            "updated_at": at,
            "sla_due": tickets.sla_due(ticket.type, ticket.priority, at),
        }
    )
    if note:
        fresh = fresh.model_copy(
            update={"notes": [*fresh.notes, TicketNote(at=at, author=agent_id, text=note)]}
        )
    return tickets.transition(fresh, status, agent_id, at=at)


def _linked(ticket: Ticket, call_id: str | None) -> Ticket:
    if call_id is None or call_id in ticket.linked_call_ids:
        return ticket
    return ticket.model_copy(update={"linked_call_ids": [*ticket.linked_call_ids, call_id]})


def _create_or_update(
    store: Store, fresh: Ticket, stored: bool, update: Callable[[Ticket | None], Ticket], *, agent_id: str
) -> Ticket:
    """Create `fresh` unless the call's ticket is `stored` already. When the create finds it in
    the store (a save on its way meanwhile, or an earlier try whose answer was lost: the desk
    gives a ticket its id once), `update` gets the stored ticket, so it adds nothing twice."""
    if not stored:
        try:
            return store.create_ticket(fresh, actor=agent_id)
        except AlreadyExists:
            return update(store.get_ticket(fresh.id))
    return update(None)


def _new_note(note: str, stored: Ticket | None, agent_id: str) -> str | None:
    """`note` to append, or None: it is empty, or it is the ticket's last note (status changes
    aside) by this agent already: the same save again, after a write whose answer was lost."""
    if not note:
        return None
    notes = [n for n in stored.notes if n.kind == "note"] if stored is not None else []
    if notes and notes[-1].text == note and notes[-1].author == agent_id:
        return None
    return note


def save_during_call(
    store: Store,
    ticket: Ticket,
    note: str,
    *,
    stored: bool,
    call_id: str | None,
    agent_id: str,
    at: datetime,
) -> Ticket:
    """Create the call's ticket on the first save; update it (fields, note appended) after that.

    `stored`: the desk knows the ticket is in the store (the customer's open ticket, or a
    save of this call came back). Deciding without a read keeps saves working offline.
    """
    fresh = _linked(_new_ticket(ticket, note, TicketStatus.IN_PROGRESS, agent_id=agent_id, at=at), call_id)
    return _create_or_update(
        store,
        fresh,
        stored,
        lambda found: store.update_ticket(
            ticket.id,
            subject=ticket.subject,
            type=ticket.type,
            priority=ticket.priority,
            note=_new_note(note, found, agent_id),
            link_call_id=call_id,
            actor=agent_id,
        ),
        agent_id=agent_id,
    )


def wrap_up_call(
    store: Store,
    ticket: Ticket,
    note: str,
    *,
    resolved: bool,
    stored: bool,
    call_id: str | None,
    agent_id: str,
    at: datetime,
    case_ticket_id: str | None = None,
    retry: bool = False,
) -> Ticket:
    """Finalise the call's ticket: status through the lifecycle, note, disposition and, for a
    resolved complaint, the satisfaction survey the bot sends right away.

    `ticket` (the wrap-up dialog's) is updated when it is `stored` already (saved during the
    call, or the customer's open ticket) and created otherwise. An open ticket the card
    showed is linked to the call either way, so the case keeps every contact.

    `retry`: an earlier wrap-up of this call failed, perhaps after its write went through;
    the stored ticket is read first so its note and survey are not added twice.
    """
    target = TicketStatus.RESOLVED if resolved else TicketStatus.IN_PROGRESS
    survey = None
    if resolved and ticket.type == "complaint":
        # Built before the write so the ticket and its survey id are saved together.
        survey = surveys.send(
            surveys.request_survey(ticket.model_copy(update={"status": target}), at, call_id=call_id), at
        )
    fresh = _linked(_new_ticket(ticket, note, target, agent_id=agent_id, at=at), call_id)
    if survey is not None:
        fresh = fresh.model_copy(update={"survey_id": survey.id})

    def update(found: Ticket | None) -> Ticket:
        nonlocal survey
        if retry and found is None:
            found = store.get_ticket(ticket.id)
        if survey is not None and found is not None and _survey_of_call(store, found.survey_id, call_id):
            survey = survey.model_copy(update={"id": found.survey_id})  # the customer gets one survey
        return store.update_ticket(
            ticket.id,
            # Whoever wraps up the customer's latest contact owns what follows from it.
            assignee_id=agent_id,
            status=target,
            note=_new_note(note, found, agent_id),
            disposition=ticket.disposition,
            subject=ticket.subject,
            type=ticket.type,
            priority=ticket.priority,
            survey_id=survey.id if survey else None,
            link_call_id=call_id,
            actor=agent_id,
        )

    saved = _create_or_update(store, fresh, stored, update, agent_id=agent_id)
    if survey is not None:
        store.upsert_survey(survey, actor=agent_id)
    if case_ticket_id and call_id and case_ticket_id != saved.id:
        store.update_ticket(case_ticket_id, link_call_id=call_id, actor=agent_id)
    return saved


def _survey_of_call(store: Store, survey_id: str | None, call_id: str | None) -> bool:
    """The ticket's survey was sent for this call (a retried wrap-up's own), not for an earlier
    call of a reopened case, whose answer a new survey must not replace."""
    if not survey_id or not call_id:
        return False
    try:
        return store.get_survey(survey_id).call_id == call_id
    except NotFound:
        return False


def finish_call(store: Store, transfer_id: str, ticket_id: str, *, agent_id: str) -> Transfer:
    """Complete the call's transfer with its ticket. A completion that went through although
    its answer was lost (a retried wrap-up) counts as done, not as a conflict."""
    try:
        return store.finish_transfer(
            transfer_id, TransferStatus.COMPLETED, ticket_id=ticket_id, actor=agent_id
        )
    except Conflict:
        done = store.get_transfer(transfer_id)
        if done.status == TransferStatus.COMPLETED and done.ticket_id == ticket_id:
            return done
        raise
