"""Each signed-in user's offline changes wait in their own outbox and go out with their own token.

Two people at desks under one OS account (a shared workstation, a training room) used to
share one outbox: each desk replayed the other's changes with its own token, so the server
refused them (the agent's note lost) or applied them and the other desk reported them
refused. Against a real server on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentdesk.domain.models import Ticket, TicketStatus
from agentdesk.store.remote import RemoteStore
from agentdesk.store.remote_client import default_outbox_path
from tests.server.conftest import Served, restart_server, start, stop_server, wait_until


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    s = start(tmp_path)
    s.tokens["agent2"] = s.app.state.agentdesk.users.add("A2", "agent")[1]
    try:
        yield s
    finally:
        s.thread.stop()
        s.store.close()


def _desk(served: Served, role: str, outbox: Path | None) -> RemoteStore:
    return RemoteStore(served.url, served.tokens[role], outbox=outbox, retry_seconds=0.05)


def _drained(*desks: RemoteStore) -> Callable[[], bool]:
    return lambda: all(d.connection.pending == 0 and d.connection.status == "online" for d in desks)


def test_two_agents_sharing_one_outbox_file_each_replay_only_their_own_changes(
    served: Served, tmp_path: Path
) -> None:
    shared = tmp_path / "outbox.db"
    a1, a2 = _desk(served, "agent", shared), _desk(served, "agent2", shared)
    try:
        ticket = a1.create_ticket(Ticket(id="TK-1", subject="roaming charge"), actor="A1")
        stop_server(served)
        a1.update_ticket(ticket.id, note="OFFLINE-TEST-1 typed by A1", actor="A1")
        a2.create_ticket(Ticket(id="TK-A2", subject="filed by A2 offline"), actor="A2")
        assert (a1.connection.pending, a2.connection.pending) == (1, 1)
        restart_server(served)
        wait_until(_drained(a1, a2))
        refused = a1.failed_writes() + a2.failed_writes()
        failed_counts = (a1.connection.failed, a2.connection.failed)
    finally:
        a1.close()
        a2.close()
    assert refused == [] and failed_counts == (0, 0)
    [note] = served.store.get_ticket("TK-1").notes
    assert (note.text, note.author) == ("OFFLINE-TEST-1 typed by A1", "A1")
    assert served.store.get_ticket("TK-A2").subject == "filed by A2 offline"


def test_each_user_on_each_server_has_an_outbox_file_of_their_own(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    t1, t2 = served.tokens["agent"], served.tokens["agent2"]
    assert default_outbox_path(served.url, t1) != default_outbox_path(served.url, t2)
    assert default_outbox_path(served.url, t1) != default_outbox_path("http://10.0.0.5:8765", t1)
    assert t1 not in str(default_outbox_path(served.url, t1))  # the token is not written down
    a1, a2 = _desk(served, "agent", None), _desk(served, "agent2", None)
    try:
        served.store.create_ticket(Ticket(id="TK-1", subject="roaming charge"))
        a1.get_ticket("TK-1")
        stop_server(served)
        a1.update_ticket("TK-1", note="kept in A1's own file", actor="A1")
    finally:
        a1.close()
        a2.close()
    files = sorted((tmp_path / "data" / "agentdesk").glob("outbox-*.db"))
    assert files == sorted({default_outbox_path(served.url, t1), default_outbox_path(served.url, t2)})
    again = _desk(served, "agent", None)  # A1 opens the desk again: the note is still waiting
    try:
        assert again.connection.pending == 1
        restart_server(served)
        wait_until(_drained(again))
    finally:
        again.close()
    assert [n.text for n in served.store.get_ticket("TK-1").notes] == ["kept in A1's own file"]


OFFLINE_NOTE = "OFFLINE-TEST-1 customer prefers a call after 3 pm"


def refuse_a_status_change(served: Served, desk: RemoteStore) -> None:
    """A1 starts work on TK-1 offline while a supervisor closes it: the server refuses the change."""
    served.store.create_ticket(Ticket(id="TK-1", subject="roaming charge"))
    desk.get_ticket("TK-1")
    stop_server(served)
    desk.update_ticket("TK-1", status=TicketStatus.IN_PROGRESS, note=OFFLINE_NOTE, actor="A1")
    served.store.update_ticket("TK-1", status=TicketStatus.CLOSED, disposition="duplicate", actor="boss")
    restart_server(served)
    wait_until(lambda: desk.connection.failed == 1 and desk.connection.status == "online")


def test_a_refused_change_can_be_sent_again_once_it_can_succeed(served: Served, tmp_path: Path) -> None:
    desk = _desk(served, "agent", tmp_path / "outbox.db")
    try:
        refuse_a_status_change(served, desk)
        [failed] = desk.failed_writes()
        assert (failed.entry.label, failed.status) == ("update ticket TK-1", 422)
        served.store.update_ticket("TK-1", status=TicketStatus.REOPENED, actor="boss")
        desk.retry_failed(failed.entry.id)
        wait_until(
            lambda: _drained(desk)() and served.store.get_ticket("TK-1").status == TicketStatus.IN_PROGRESS
        )
        left = desk.failed_writes()
    finally:
        desk.close()
    assert left == [] and desk.connection.failed == 0
    assert OFFLINE_NOTE in [n.text for n in served.store.get_ticket("TK-1").notes]


def test_a_dismissed_refusal_leaves_the_list_and_the_count(served: Served, tmp_path: Path) -> None:
    desk = _desk(served, "agent", tmp_path / "outbox.db")
    other = _desk(served, "agent2", tmp_path / "outbox.db")
    try:
        refuse_a_status_change(served, desk)
        [failed] = desk.failed_writes()
        other.dismiss_failed(failed.entry.id)  # not A2's to dismiss
        assert desk.failed_writes() == [failed]
        desk.dismiss_failed(failed.entry.id)
        left, count = desk.failed_writes(), desk.connection.failed
    finally:
        desk.close()
        other.close()
    assert left == [] and count == 0
    assert served.store.get_ticket("TK-1").status == TicketStatus.CLOSED
