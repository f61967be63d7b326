"""Fields the server owns: review state, authorship, history, transcript writers and queue times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from agentdesk.domain import tickets
from agentdesk.domain.models import Ticket, TicketNote, TicketStatus, utcnow
from agentdesk.server.owned import CLOCK_SKEW, MAX_WAIT_BEFORE_TRANSFER
from tests.server.conftest import Served

FLAG = {"call_id": "CALL-1", "reason": "wrong_answer", "flagged_by": "A1"}


def _iso(delta: timedelta = timedelta()) -> str:
    return (utcnow() + delta).isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _refused_fields(answer: Any) -> set[str]:
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    return {d["loc"].removeprefix("body.") for d in answer.json()["details"]}


# -- feedback -------------------------------------------------------------------------------------
def test_an_agent_cannot_create_a_flag_that_is_already_reviewed(served: Served) -> None:
    forged = {**FLAG, "id": "FB-1", "status": "accepted", "reviewed_by": "boss", "reviewed_at": _iso()}
    with served.client("agent") as agent:
        answer = agent.post("/feedback", json=forged)
        queue = agent.get("/feedback", params={"status": "open"}).json()
    assert _refused_fields(answer) == {"status", "reviewed_by", "reviewed_at"}
    assert queue == []


def test_an_agent_flags_only_in_their_own_name(served: Served) -> None:
    with served.client("agent") as agent:
        forged = agent.post("/feedback", json={**FLAG, "flagged_by": "A2"})
        own = agent.post("/feedback", json=FLAG)
    assert _refused_fields(forged) == {"flagged_by"}
    assert own.status_code == 201 and own.json()["flagged_by"] == "A1"
    assert own.json()["status"] == "open"


def test_a_trainer_flags_as_themselves_and_a_supervisor_may_import_reviewed_flags(served: Served) -> None:
    with served.client("trainer") as trainer:
        own = trainer.post("/feedback", json={**FLAG, "flagged_by": "coach"})
    imported = {
        **FLAG,
        "flagged_by": "A2",
        "status": "rejected",
        "reviewed_by": "coach",
        "reviewed_at": _iso(),
    }
    with served.client("supervisor") as boss:
        answer = boss.post("/feedback", json=imported)
    assert own.status_code == 201
    assert answer.status_code == 201 and answer.json()["status"] == "rejected"


# -- tickets --------------------------------------------------------------------------------------
def test_an_agent_cannot_create_a_ticket_already_closed(served: Served) -> None:
    with served.client("agent") as agent:
        answer = agent.post("/tickets", json={"id": "TK-1", "subject": "x", "status": "closed"})
        missing = agent.get("/tickets/TK-1")
    assert _refused_fields(answer) == {"status"}
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "assigned"}, "assignee_id"),
        ({"status": "resolved", "assignee_id": "A1"}, "disposition"),
    ],
)
def test_a_new_ticket_assigned_to_nobody_or_resolved_without_a_wrap_up_code_is_refused(
    served: Served, body: dict[str, str], field: str
) -> None:
    with served.client("agent") as agent:
        answer = agent.post("/tickets", json={"id": "TK-1", "subject": "x", **body})
    assert _refused_fields(answer) == {field}


def test_ticket_notes_in_someone_elses_name_or_dated_before_the_ticket_are_refused(served: Served) -> None:
    forged = {
        "id": "TK-1",
        "subject": "x",
        "notes": [
            {"text": "forged note", "author": "A2", "at": _iso()},
            {"text": "back-dated", "author": "A1", "at": "2020-01-01T00:00:00Z"},
        ],
    }
    with served.client("agent") as agent:
        answer = agent.post("/tickets", json=forged)
    assert _refused_fields(answer) == {"notes.0.author", "notes.1.at"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "2020-01-01T00:00:00Z"),
        ("created_at", "2099-01-01T00:00:00"),
        ("updated_at", "2099-01-01T00:00:00Z"),
    ],
)
def test_ticket_times_far_in_the_past_or_ahead_of_the_server_are_refused(
    served: Served, field: str, value: str
) -> None:
    with served.client("agent") as agent:
        answer = agent.post("/tickets", json={"id": "TK-1", "subject": "x", field: value})
    assert _refused_fields(answer) == {field}


def test_a_ticket_a_desk_resolves_on_a_call_and_sends_later_is_accepted(served: Served) -> None:
    at = utcnow() - timedelta(hours=3)  # saved on a desk that was offline for three hours
    ticket = Ticket(
        id="TK-1",
        subject="refund",
        assignee_id="A1",
        disposition="refund_approved",
        created_at=at,
        updated_at=at,
    )
    ticket = ticket.model_copy(update={"notes": [TicketNote(at=at, author="A1", text="refund approved")]})
    ticket = tickets.transition(ticket, TicketStatus.RESOLVED, "A1", at=at)
    with served.client("agent") as agent:
        answer = agent.post(
            "/tickets", content=ticket.model_dump_json(), headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "resolved"
    assert [n["author"] for n in answer.json()["notes"]] == ["A1", "A1"]


def test_a_supervisor_may_import_a_closed_ticket_with_its_history(served: Served) -> None:
    history = {
        "id": "TK-OLD",
        "subject": "imported",
        "status": "closed",
        "created_at": "2020-01-01T00:00:00Z",
        "notes": [{"text": "from the old system", "author": "A2", "at": "2020-01-02T00:00:00Z"}],
    }
    with served.client("supervisor") as boss:
        answer = boss.post("/tickets", json=history)
    assert answer.status_code == 201, answer.text


# -- transcript lines -----------------------------------------------------------------------------
def test_an_agent_cannot_rewrite_a_line_the_bot_wrote(served: Served) -> None:
    path = "/calls/CALL-1/utterances"
    with served.client("bot") as bot:
        bot.post(path, json={"id": "U-1", "speaker": "bot", "text": "您好，请问有什么可以帮您？"})
        bot.post(path, json={"id": "U-2", "speaker": "customer", "text": "我想", "final": False})
    with served.client("agent") as agent:
        final = agent.post(path, json={"id": "U-1", "speaker": "customer", "text": "我很满意，不需要人工"})
        partial = agent.post(path, json={"id": "U-2", "speaker": "customer", "text": "投诉撤销"})
        own = agent.post(path, json={"id": "U-3", "speaker": "agent", "text": "您好"})
        own_again = agent.post(path, json={"id": "U-3", "speaker": "agent", "text": "您好，我是小李"})
    for refused in (final, partial):
        assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
        assert "voicebot" in refused.json()["message"]
    assert (own.status_code, own_again.status_code) == (200, 200)
    lines = {u.id: u for u in served.store.list_utterances("CALL-1")}
    assert (lines["U-1"].speaker, lines["U-1"].text) == ("bot", "您好，请问有什么可以帮您？")
    assert lines["U-2"].text == "我想" and lines["U-3"].text == "您好，我是小李"


def test_the_bot_finalises_its_own_lines_and_a_supervisor_may_correct_any(served: Served) -> None:
    path = "/calls/CALL-1/utterances"
    with served.client("bot") as bot:
        bot.post(path, json={"id": "U-1", "speaker": "customer", "text": "我想", "final": False})
        final = bot.post(path, json={"id": "U-1", "speaker": "customer", "text": "我想查账单", "emotion": 1})
    with served.client("supervisor") as boss:
        corrected = boss.post(path, json={"id": "U-1", "speaker": "customer", "text": "我想查话费账单"})
    assert (final.status_code, corrected.status_code) == (200, 200)
    assert served.store.list_utterances("CALL-1")[0].text == "我想查话费账单"


# -- the queue ------------------------------------------------------------------------------------
def test_a_bot_cannot_jump_the_queue_with_an_old_created_at(served: Served) -> None:
    with served.client("bot") as bot:
        first = bot.post("/transfers", json={"id": "TR-FIRST", "packet": {"tier": "gold"}}).json()
        jumper = bot.post(
            "/transfers",
            json={"id": "TR-JUMP", "packet": {"tier": "gold"}, "created_at": "2000-01-01T00:00:00Z"},
        ).json()
        queue = [t["id"] for t in bot.get("/transfers").json()["items"]]
    assert abs((utcnow() - _parse(jumper["created_at"])).total_seconds()) < 60
    assert jumper["queue_rank"] <= first["queue_rank"]
    assert queue == ["TR-FIRST", "TR-JUMP"]


@pytest.mark.parametrize(
    "wait_started_at",
    ["2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", None],
    ids=["long-ago", "future", "just-too-old"],
)
def test_a_wait_start_long_ago_or_in_the_future_is_refused(
    served: Served, wait_started_at: str | None
) -> None:
    value = wait_started_at or _iso(-MAX_WAIT_BEFORE_TRANSFER - timedelta(minutes=1))
    with served.client("bot") as bot:
        answer = bot.post("/transfers", json={"packet": {"wait_started_at": value}})
    assert _refused_fields(answer) == {"packet.wait_started_at"}


def test_a_recent_wait_start_is_kept(served: Served) -> None:
    started = _iso(-timedelta(minutes=3))
    with served.client("bot") as bot:
        answer = bot.post("/transfers", json={"packet": {"wait_started_at": started}})
        slightly_ahead = bot.post("/transfers", json={"packet": {"wait_started_at": _iso(CLOCK_SKEW / 2)}})
    assert answer.status_code == 201 and _parse(answer.json()["packet"]["wait_started_at"]) == _parse(started)
    assert slightly_ahead.status_code == 201


def test_a_supervisor_import_keeps_its_created_at(served: Served) -> None:
    with served.client("supervisor") as boss:
        answer = boss.post("/transfers", json={"packet": {}, "created_at": "2026-01-01T00:00:00Z"})
    assert answer.status_code == 201 and answer.json()["created_at"].startswith("2026-01-01")
