"""A desk on RemoteStore keeps working while the server is away and loses nothing when it returns."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from agentdesk.domain.models import AuditEvent, Ticket
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.store.base import StoreUnavailable
from agentdesk.store.remote import ConnectionState, RemoteStore
from tests.server.conftest import Served, restart_server, stop_server, wait_until


def _desk(served: Served, tmp_path: Path, role: str = "agent", **options: object) -> RemoteStore:
    return RemoteStore(
        served.url,
        served.tokens[role],
        outbox=tmp_path / f"outbox-{role}.db",
        retry_seconds=0.05,
        **options,  # type: ignore[arg-type]
    )


def _drained(desk: RemoteStore) -> Callable[[], bool]:
    return lambda: desk.connection.pending == 0 and desk.connection.status == "online"


def test_writes_while_the_server_is_away_are_replayed_exactly_once_in_order(
    served: Served, tmp_path: Path
) -> None:
    desk = _desk(served, tmp_path)
    try:
        ticket = desk.create_ticket(Ticket(subject="roaming charge"))
        stop_server(served)
        one = desk.update_ticket(ticket.id, note="one", actor="A1")
        desk.update_ticket(ticket.id, note="two", actor="A1")
        desk.create_ticket(Ticket(id="TK-OFF", subject="filed offline"), actor="A1")
        assert (desk.connection.status, desk.connection.pending) == ("offline", 3)
        assert [n.text for n in one.notes] == ["one"]
        assert [n.text for n in desk.get_ticket(ticket.id).notes] == ["one", "two"]  # queued writes show
        restart_server(served)
        wait_until(_drained(desk))
    finally:
        desk.close()
    assert [n.text for n in served.store.get_ticket(ticket.id).notes] == ["one", "two"]
    assert served.store.get_ticket("TK-OFF").subject == "filed offline"
    kinds = [e.kind for e in served.store.events_since(0, entity_id=ticket.id)]
    assert kinds == ["ticket.created", "ticket.updated", "ticket.updated"]


def test_claiming_needs_the_server_and_is_not_queued(served: Served, tmp_path: Path) -> None:
    served.store.create_transfer(Transfer(id="TR-1", packet=HandoffPacket()))
    desk = _desk(served, tmp_path)
    try:
        desk.get_transfer("TR-1")
        stop_server(served)
        with pytest.raises(StoreUnavailable, match="not available offline"):
            desk.claim_transfer("TR-1", "A1")
        assert desk.connection.pending == 0
    finally:
        desk.close()
    assert served.store.get_transfer("TR-1").status == "waiting"


def test_offline_reads_come_from_the_last_answer_or_say_why_not(served: Served, tmp_path: Path) -> None:
    desk = _desk(served, tmp_path)
    try:
        known = desk.get_customer("C1")
        stop_server(served)
        assert desk.get_customer("C1") == known
        with pytest.raises(
            StoreUnavailable, match=r"cannot be reached.*customer C2 is not available offline"
        ):
            desk.get_customer("C2")
        assert desk.events_since(0)[0].kind == "connection.offline"  # no exception while offline
    finally:
        desk.close()


def test_connection_changes_reach_listeners_and_the_change_feed(served: Served, tmp_path: Path) -> None:
    desk = _desk(served, tmp_path)
    seen: list[ConnectionState] = []
    desk.add_listener(seen.append)
    try:
        desk.get_agent("A1")
        stop_server(served)
        desk.set_agent_status("A1", "away")
        restart_server(served)
        wait_until(_drained(desk))
        notices = [e for e in desk.events_since(served.store.last_seq()) if e.entity_id == "connection"]
    finally:
        desk.close()
    statuses = [s.status for s in seen]
    assert statuses[0] == "offline" and statuses[-1] == "online" and "replaying" in statuses
    assert [s.version for s in seen] == sorted({s.version for s in seen})
    assert [n.kind for n in notices] == ["connection.offline", "connection.replaying", "connection.online"]
    assert served.store.get_agent("A1").status == "away"


class _LosingTransport(httpx.HTTPTransport):
    """Delivers the next write to the server, then loses its answer (as when a link drops)."""

    def __init__(self) -> None:
        super().__init__()
        self.lose_next_write = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if self.lose_next_write and request.method != "GET":
            self.lose_next_write = False
            response.read()
            raise httpx.ReadError("connection reset after the server answered")
        return response


def test_a_write_whose_answer_was_lost_is_applied_once(served: Served, tmp_path: Path) -> None:
    transport = _LosingTransport()
    desk = _desk(served, tmp_path, transport=transport)
    try:
        ticket = desk.create_ticket(Ticket(subject="x"))
        desk.get_ticket(ticket.id)
        transport.lose_next_write = True
        desk.update_ticket(ticket.id, note="only once", actor="A1")
        wait_until(_drained(desk))
    finally:
        desk.close()
    assert [n.text for n in served.store.get_ticket(ticket.id).notes] == ["only once"]
    replays = served.store._rows(
        "SELECT COUNT(*) FROM api_audit WHERE idempotency_key IS NOT NULL AND method = 'PATCH'"
    )
    assert replays == [(1,)]  # the replay was answered from the stored response, not run again


def test_the_outbox_survives_a_desk_restart(served: Served, tmp_path: Path) -> None:
    desk = _desk(served, tmp_path)
    ticket = desk.create_ticket(Ticket(subject="x"))
    desk.get_ticket(ticket.id)
    stop_server(served)
    desk.update_ticket(ticket.id, note="written before the desk closed", actor="A1")
    desk.close()
    restart_server(served)
    again = _desk(served, tmp_path)
    try:
        wait_until(_drained(again))
    finally:
        again.close()
    assert [n.text for n in served.store.get_ticket(ticket.id).notes] == ["written before the desk closed"]


def test_a_replayed_write_the_server_refuses_is_set_aside(served: Served, tmp_path: Path) -> None:
    desk = _desk(served, tmp_path)
    try:
        desk.get_agent("A1")
        stop_server(served)
        desk.create_ticket(Ticket(id="TK-DUP", subject="mine"))
        desk.create_ticket(Ticket(id="TK-NEXT", subject="after"))
        served.store.create_ticket(Ticket(id="TK-DUP", subject="someone else's"))
        restart_server(served)
        wait_until(_drained(desk))
        failed = desk.failed_writes()
        notices = [e.kind for e in desk.events_since(0) if e.entity_id == "connection"]
    finally:
        desk.close()
    assert [(f.entry.label, f.status) for f in failed] == [("file ticket TK-DUP", 409)]
    assert desk.connection.failed == 1 and "connection.write_failed" in notices
    assert served.store.get_ticket("TK-NEXT").subject == "after"  # the queue moved on


def test_events_stream_follows_changes_and_comes_back_after_the_server_does(
    served: Served, tmp_path: Path
) -> None:
    desk = _desk(served, tmp_path, role="supervisor")
    got: list[AuditEvent] = []
    stop = threading.Event()

    since = served.store.last_seq()  # before TK-1, whenever the follower gets going

    def follow() -> None:
        for event in desk.events_stream(since=since, stop=stop):
            got.append(event)
            if len(got) == 2:
                return

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        served.store.create_ticket(Ticket(id="TK-1", subject="before the restart"))
        wait_until(lambda: len(got) == 1)
        stop_server(served)
        restart_server(served)
        served.store.create_ticket(Ticket(id="TK-2", subject="after the restart"))
        wait_until(lambda: len(got) == 2)
    finally:
        stop.set()
        follower.join(10)
        desk.close()
    assert [e.entity_id for e in got] == ["TK-1", "TK-2"]


def test_a_token_revoked_while_the_desk_runs_shows_as_refused(served: Served, tmp_path: Path) -> None:
    from agentdesk.store.base import StoreError

    desk = _desk(served, tmp_path)
    try:
        assert desk.whoami()["role"] == "agent" and desk.connection.status == "online"
        with served.client("supervisor") as boss:
            assert boss.delete(f"/users/{desk.whoami()['name']}").status_code == 200
        with pytest.raises(StoreError):
            desk.events_since(0)
        assert desk.connection.status == "refused"
    finally:
        desk.close()
