"""Fields the server owns: what a caller may not claim when it creates or replaces a record.

A caller writes as itself. Who flagged a bot line, who wrote a ticket note, whether a
flag is reviewed, when a transfer joined the queue: these come from the authenticated
user and the server's clock, never from the body, or any token could forge review state,
history or a place in the queue. Callers that import records (supervisors: `actor:any`,
`transfers:import`) are exempt.

Times a client does set (a ticket made on an offline desk and sent later) must lie
between `now - oldest` (how long idempotency records are kept: a desk must not replay a
write later than that) and `CLOCK_SKEW` ahead of the server's clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agentdesk.domain import tickets as lifecycle
from agentdesk.domain.models import BotFeedback, FeedbackStatus, Ticket, TicketStatus
from agentdesk.domain.transfers import Transfer
from agentdesk.server.db import ServerDb
from agentdesk.server.errors import ApiError
from agentdesk.server.permissions import Principal

CLOCK_SKEW = timedelta(minutes=5)
"""How far a client's clock may run ahead of the server's."""

MAX_WAIT_BEFORE_TRANSFER = timedelta(hours=2)
"""The earliest `packet.wait_started_at` a bot may send: longer than any bot conversation."""

NEW_TICKET_STATUSES = frozenset({TicketStatus.NEW} | lifecycle.TRANSITIONS[TicketStatus.NEW]) - {
    TicketStatus.CLOSED
}
"""Where a ticket created by an agent may start: `new`, or one step on from it (a call
resolves it on the spot), but not `closed`: closing goes through PATCH, which records who."""

TRANSFER_LIFECYCLE = (
    "status",
    "offered_to",
    "offered_at",
    "claimed_by",
    "claimed_at",
    "completed_at",
    "declined_by",
    "rationale",
    "ticket_id",
)
"""Transfer fields only the queue's own steps set (claim, offer, decline, complete, abandon)."""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def identities(principal: Principal) -> set[str]:
    """The names a caller writes as: its user name and the agent it works as."""
    return {n for n in (principal.name, principal.agent_id) if n}


@dataclass
class Problems:
    """The refused fields of one body, answered together as one 422 `invalid_request`."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, loc: str, msg: str) -> None:
        self.items.append((loc, msg))

    def when(self, loc: str, value: datetime, earliest: datetime, latest: datetime) -> bool:
        """Refuse a client-set time outside [earliest, latest]; whether it was within."""
        at = _utc(value)
        if at < earliest:
            self.add(loc, f"{at.isoformat()} is too far in the past (earliest {earliest.isoformat()})")
        elif at > latest:
            self.add(loc, f"{at.isoformat()} is ahead of the server's clock")
        return earliest <= at <= latest

    def raise_any(self) -> None:
        """Answer 422 with every problem in `details`, as body validation does.

        Raises:
            ApiError: when there is any problem.
        """
        if not self.items:
            return
        raise ApiError(
            422,
            "invalid_request",
            "; ".join(f"{loc}: {msg}" for loc, msg in self.items[:5]),
            details=[{"loc": f"body.{loc}", "msg": msg, "type": "server_owned"} for loc, msg in self.items],
        )


def check_new_ticket(ticket: Ticket, principal: Principal, now: datetime, oldest: timedelta) -> None:
    """Refuse a new ticket that skips the lifecycle or holds history in someone else's name.

    Raises:
        ApiError: 422 naming each refused field.
    """
    if principal.can("actor:any"):
        return
    problems = Problems()
    if ticket.status not in NEW_TICKET_STATUSES:
        allowed = ", ".join(sorted(NEW_TICKET_STATUSES))
        problems.add(
            "status",
            f"a new ticket starts as one of {allowed}, not {ticket.status}; move it on with PATCH"
            " /tickets/{id}, which records who did",
        )
    elif missing := lifecycle.missing_for(ticket.status, ticket.assignee_id, ticket.disposition):
        problems.add(missing, f"a {ticket.status} ticket needs {missing} set")
    latest = now + CLOCK_SKEW
    # A note or change cannot predate the ticket (give or take the client's clock).
    if problems.when("created_at", ticket.created_at, now - oldest, latest):
        earliest = _utc(ticket.created_at) - CLOCK_SKEW
    else:
        earliest = now - oldest
    problems.when("updated_at", ticket.updated_at, earliest, latest)
    me = identities(principal)
    for i, note in enumerate(ticket.notes):
        if note.author not in me:
            problems.add(
                f"notes.{i}.author", f"notes are written as yourself ({principal.name}), not {note.author!r}"
            )
        problems.when(f"notes.{i}.at", note.at, earliest, latest)
    problems.raise_any()


def check_new_feedback(feedback: BotFeedback, principal: Principal, now: datetime, oldest: timedelta) -> None:
    """Refuse a flag raised in someone else's name or created already reviewed.

    Raises:
        ApiError: 422 naming each refused field.
    """
    if principal.can("actor:any"):
        return
    problems = Problems()
    if feedback.flagged_by not in identities(principal):
        problems.add("flagged_by", f"you flag as yourself ({principal.name}), not {feedback.flagged_by!r}")
    reviewed = {
        "status": feedback.status != FeedbackStatus.OPEN,
        "reviewed_by": feedback.reviewed_by is not None,
        "reviewed_at": feedback.reviewed_at is not None,
    }
    for name in (n for n, set_ in reviewed.items() if set_):
        problems.add(name, "a new flag starts open and unreviewed; review it with POST /feedback/{id}/review")
    problems.when("created_at", feedback.created_at, now - oldest, now + CLOCK_SKEW)
    problems.raise_any()


def new_transfer(transfer: Transfer, principal: Principal, now: datetime) -> Transfer:
    """The transfer as the queue takes it: waiting, queued now, unless the caller imports.

    A bot's `created_at` (which ranks the transfer) is replaced by the server's clock, and
    `packet.wait_started_at` must be recent: otherwise an old time would jump the queue or
    raise long-wait alerts at once. Lifecycle fields are refused.

    Raises:
        ApiError: 422 naming each refused field.
    """
    if principal.can("transfers:import"):
        return transfer
    problems = Problems()
    blank = Transfer(packet=transfer.packet)
    for name in TRANSFER_LIFECYCLE:
        if getattr(transfer, name) != getattr(blank, name):
            problems.add(name, "a new transfer starts waiting; only imports set this (transfers:import)")
    if "wait_started_at" in transfer.packet.model_fields_set:
        problems.when(
            "packet.wait_started_at",
            transfer.packet.wait_started_at,
            now - MAX_WAIT_BEFORE_TRANSFER,
            now + CLOCK_SKEW,
        )
    problems.raise_any()
    return transfer.model_copy(update={"created_at": now})


def check_line_writer(db: ServerDb, principal: Principal, call_id: str, line_id: str) -> None:
    """Refuse replacing or taking back a transcript line that someone else wrote (supervisors may).

    The writer is the actor of the line's first `utterance.saved` event since it was last
    taken back (a line id posted again after that is a new line). Call it inside the write's
    transaction, so the line cannot appear in between.

    Raises:
        ApiError: 403 naming the writer.
    """
    if principal.can("actor:any"):
        return
    if db.one("SELECT 1 FROM utterances WHERE call_id = ? AND id = ?", (call_id, line_id)) is None:
        return  # a new line, or one that is not there to take back (the store says so)
    first = db.one(
        "SELECT actor FROM events WHERE entity_id = ?1 AND kind = 'utterance.saved'"
        " AND json_extract(data, '$.id') = ?2 AND seq > COALESCE((SELECT MAX(seq) FROM events"
        " WHERE entity_id = ?1 AND kind = 'utterance.retracted' AND json_extract(data, '$.id') = ?2), 0)"
        " ORDER BY seq LIMIT 1",
        (call_id, line_id),
    )
    writer = str(first[0]) if first else None
    if writer in identities(principal):
        return
    raise ApiError(
        403,
        "forbidden",
        f"line {line_id} of call {call_id} was written by {writer or 'someone else'}; only its writer or"
        " a supervisor may replace it or take it back (send a new line with a new id)",
        permission="actor:any",
    )
