"""A desk on RemoteStore reads lists longer than the server's largest page (supervisor reports)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from agentdesk.domain.models import BotFeedback, Call, FeedbackReason, Ticket, utcnow
from agentdesk.store import kpi_inputs
from agentdesk.store.base import TicketQuery
from agentdesk.store.remote import MAX_PAGE, RemoteStore
from tests.server.conftest import Served

MORE = MAX_PAGE + 25


def test_a_team_report_reads_every_record_when_there_are_more_than_one_page(
    served: Served, tmp_path: Path
) -> None:
    base = utcnow()
    served.store.bulk_load(
        [Call(id=f"CALL-P{i:04d}", started_at=base - timedelta(minutes=i)) for i in range(MORE)]
        + [Ticket(id=f"TK-P{i:04d}", subject=f"t{i}") for i in range(MORE)]
        + [
            BotFeedback(id=f"FB-P{i:04d}", call_id="CALL-1", reason=FeedbackReason.MISHEARD, flagged_by="A1")
            for i in range(MORE)
        ]
    )
    with RemoteStore(served.url, served.tokens["supervisor"], outbox=tmp_path / "outbox.db") as desk:
        inputs = kpi_inputs.gather(desk)  # what `agentdesk report` reads in team mode
        calls = desk.list_calls(limit=2 * MAX_PAGE)
        window = desk.list_tickets(TicketQuery(limit=MAX_PAGE + 10, offset=10))
    assert len({c.id for c in inputs.calls}) == MORE + 1  # and the seeded CALL-1
    assert len(inputs.tickets) == MORE and len(inputs.feedback) == MORE
    assert [c.id for c in calls] == [c.id for c in served.store.list_calls(limit=2 * MAX_PAGE)]
    assert [t.id for t in window] == [
        t.id for t in served.store.list_tickets(TicketQuery(limit=MAX_PAGE + 10, offset=10))
    ]
