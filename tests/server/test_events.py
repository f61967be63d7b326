"""The change feed over HTTP: polling, the SSE stream (resumable, live), filtered by role."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from agentdesk.domain.models import Ticket
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.server.state import CACHE_SECONDS
from tests.server.conftest import Served


def _messages(response: httpx.Response) -> Iterator[dict[str, str]]:
    """SSE messages as dicts of their fields (comments and retry hints skipped)."""
    fields: dict[str, str] = {}
    for line in response.iter_lines():
        if line == "":
            if "data" in fields:
                yield fields
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.lstrip(" ")


def _take(client: httpx.Client, n: int, **kwargs: object) -> list[dict[str, str]]:
    with client.stream("GET", "/events/stream", **kwargs) as response:  # type: ignore[arg-type]
        assert response.headers["content-type"].startswith("text/event-stream")
        out = []
        for message in _messages(response):
            out.append(message)
            if len(out) == n:
                return out
    raise AssertionError("the stream ended early")


def test_stream_replays_from_since_then_resumes_from_last_event_id(served: Served) -> None:
    start = served.store.last_seq()
    for i in range(3):
        served.store.create_ticket(Ticket(id=f"TK-{i}", subject=f"t{i}"))
    with served.client("supervisor") as c:
        first = _take(c, 3, params={"since": start})
        resumed = _take(c, 2, headers={"Last-Event-ID": first[0]["id"]})
    assert [m["event"] for m in first] == ["ticket.created"] * 3
    assert [json.loads(m["data"])["entity_id"] for m in first] == ["TK-0", "TK-1", "TK-2"]
    assert [int(m["id"]) for m in first] == [start + 1, start + 2, start + 3]
    assert [m["id"] for m in resumed] == [first[1]["id"], first[2]["id"]]


def test_stream_pushes_a_change_written_after_it_opened(served: Served) -> None:
    def write_later() -> None:
        opened.wait(5)
        served.store.create_transfer(Transfer(id="TR-LIVE", packet=HandoffPacket()))

    opened = threading.Event()
    writer = threading.Thread(target=write_later)
    writer.start()
    try:
        with served.client("agent") as c, c.stream("GET", "/events/stream") as response:
            opened.set()
            message = next(_messages(response))
    finally:
        opened.set()
        writer.join()
    assert (message["event"], json.loads(message["data"])["entity_id"]) == ("transfer.created", "TR-LIVE")


def test_a_bot_never_sees_ticket_events(served: Served) -> None:
    start = served.store.last_seq()
    served.store.create_ticket(Ticket(id="TK-SECRET", subject="x"))
    served.store.create_transfer(Transfer(id="TR-1", packet=HandoffPacket()))
    with served.client("bot") as bot:
        polled = bot.get("/events", params={"since": start}).json()
        streamed = _take(bot, 1, params={"since": start})
    assert [e["kind"] for e in polled] == ["transfer.created"]
    assert streamed[0]["event"] == "transfer.created"


def test_a_bad_resume_point_is_refused(served: Served) -> None:
    with served.client("supervisor") as c:
        response = c.get("/events/stream", headers={"Last-Event-ID": "yesterday"})
    assert response.status_code == 422


def test_last_event_tells_the_newest_sequence_number(served: Served) -> None:
    served.store.create_ticket(Ticket(subject="x"))
    with served.client("agent") as c:
        assert c.get("/events/last").json() == {"seq": served.store.last_seq()}


@pytest.mark.parametrize("revoked_by", ["api", "cli"])
def test_an_open_stream_ends_when_its_token_is_revoked_and_receives_nothing_after(
    served: Served, revoked_by: str
) -> None:
    users = served.app.state.agentdesk.users
    _, token = users.add("streamer", "agent", agent_id="A2")
    start = served.store.last_seq()
    served.store.create_ticket(Ticket(id="TK-BEFORE", subject="before"))
    # A read timeout far below the 15 s keep-alive: a stream left open fails the test.
    with (
        served.client(token=token) as c,
        c.stream("GET", "/events/stream", params={"since": start}, timeout=httpx.Timeout(8.0)) as response,
    ):
        messages = _messages(response)
        assert json.loads(next(messages)["data"])["entity_id"] == "TK-BEFORE"
        if revoked_by == "api":
            with served.client("supervisor") as boss:
                assert boss.delete("/users/streamer").status_code == 200
        else:
            # `agentdesk users revoke` changes the file from another process, so no cache is
            # cleared: the guide promises the token is refused within CACHE_SECONDS.
            users.revoke("streamer")
            time.sleep(CACHE_SECONDS)
        served.store.create_ticket(Ticket(id="TK-AFTER", subject="secret after revoke"))
        rest = list(messages)  # returns only when the server ends the stream
    assert rest == []


def test_a_change_written_after_a_revocation_during_a_slow_read_is_never_sent(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = served.app.state.agentdesk.users
    _, token = users.add("streamer", "agent", agent_id="A2")
    start = served.store.last_seq()
    served.store.create_ticket(Ticket(id="TK-BEFORE", subject="before"))
    read = served.store.events_since
    reads = 0

    def slow_read(seq, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        if reads == 2:  # the stream's next read: the token goes, then a change lands, mid-read
            with served.client("supervisor") as boss:
                assert boss.delete("/users/streamer").status_code == 200
            served.store.create_ticket(Ticket(id="TK-AFTER", subject="secret after revoke"))
        return read(seq, **kwargs)

    monkeypatch.setattr(served.store, "events_since", slow_read)
    with (
        served.client(token=token) as c,
        c.stream("GET", "/events/stream", params={"since": start}, timeout=httpx.Timeout(8.0)) as response,
    ):
        messages = _messages(response)
        assert json.loads(next(messages)["data"])["entity_id"] == "TK-BEFORE"
        rest = list(messages)
    assert rest == []
