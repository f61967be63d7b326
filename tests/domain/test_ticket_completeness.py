"""What a ticket's status demands: `assigned` needs someone holding it, `resolved` and `closed` a wrap-up code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agentdesk.domain.models import Ticket, TicketStatus
from agentdesk.domain.tickets import IncompleteTicket, apply_update, missing_for

S = TicketStatus
AT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_assigned_status_needs_an_assignee() -> None:
    ticket = Ticket(id="TK-1", subject="roaming charge")
    with pytest.raises(IncompleteTicket, match="assignee") as refused:
        apply_update(ticket, "A01", at=AT, status=S.ASSIGNED)
    assert refused.value.missing == "assignee_id"
    assert apply_update(ticket, "A01", at=AT, status=S.ASSIGNED, assignee_id="A01").assignee_id == "A01"


@pytest.mark.parametrize("target", [S.RESOLVED, S.CLOSED])
def test_resolved_and_closed_need_a_wrap_up_code(target: TicketStatus) -> None:
    ticket = Ticket(id="TK-1", subject="roaming charge")
    for blank in (None, "", "  "):
        with pytest.raises(IncompleteTicket, match="wrap-up code"):
            apply_update(ticket, "A01", at=AT, status=target, disposition=blank)
    done = apply_update(ticket, "A01", at=AT, status=target, disposition="refund_approved")
    assert (done.status, done.disposition) == (target, "refund_approved")


def test_clearing_the_wrap_up_code_of_a_resolved_ticket_is_refused() -> None:
    resolved = Ticket(id="TK-1", subject="x", status=S.RESOLVED, disposition="info_given")
    with pytest.raises(IncompleteTicket):
        apply_update(resolved, "A01", at=AT, disposition="")


def test_a_note_or_a_new_priority_on_an_incomplete_old_ticket_is_still_taken() -> None:
    old = Ticket(id="TK-1", subject="imported", status=S.RESOLVED)
    assert (
        apply_update(old, "A01", at=AT, note="customer called back").notes[-1].text == "customer called back"
    )


@pytest.mark.parametrize(
    ("status", "assignee", "disposition", "missing"),
    [
        (S.NEW, None, None, None),
        (S.IN_PROGRESS, None, None, None),
        (S.ASSIGNED, None, "info_given", "assignee_id"),
        (S.ASSIGNED, "A01", None, None),
        (S.RESOLVED, "A01", None, "disposition"),
        (S.CLOSED, None, "no_action_needed", None),
        (S.REOPENED, None, None, None),
    ],
)
def test_missing_for_names_the_field_a_status_needs(
    status: TicketStatus, assignee: str | None, disposition: str | None, missing: str | None
) -> None:
    assert missing_for(status, assignee, disposition) == missing
