"""Another program holds the database lock: the server keeps answering while writes wait, then refuse."""

from __future__ import annotations

import inspect
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi.routing import APIRoute

from agentdesk.domain.models import AgentStatus
from agentdesk.server.routes import ROUTERS
from agentdesk.store.remote import RemoteStore
from tests.server.conftest import Served, start

BUSY_MS = 3000
"""The server store's busy timeout in these tests: how long a write waits for the lock."""


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """`BEGIN EXCLUSIVE` from another connection, as another program holding the database would."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _call(served: Served, role: str | None, method: str, path: str, **kwargs: object) -> httpx.Response:
    with served.client(role) as client:
        return client.request(method, path, **kwargs)  # type: ignore[arg-type]


def test_health_and_reads_answer_at_once_while_a_write_waits_for_a_locked_database(tmp_path: Path) -> None:
    served = start(tmp_path, busy_timeout_ms=BUSY_MS)
    try:
        with exclusive_lock(served.store.path), ThreadPoolExecutor(4) as pool:
            write = pool.submit(_call, served, "bot", "POST", "/calls", json={"id": "CALL-LOCKED"})
            time.sleep(0.3)  # the write is waiting for the lock now
            health = pool.submit(_call, served, None, "GET", "/health")
            read = pool.submit(_call, served, "agent", "GET", "/calls/CALL-1")
            health_answer, read_answer = health.result(), read.result()
            assert not write.done(), "health and the read were answered while the write still waited"
            write_answer = write.result()
        assert health_answer.status_code == 200
        assert read_answer.status_code == 200
        assert (write_answer.status_code, write_answer.json()["error"]) == (503, "store_locked")
        with served.client("bot") as bot:  # the lock is gone: the same write goes through
            assert bot.post("/calls", json={"id": "CALL-LOCKED"}).status_code == 201
    finally:
        served.thread.stop()
        served.store.close()


def test_writes_waiting_for_a_locked_database_are_all_refused_as_locked(tmp_path: Path) -> None:
    served = start(tmp_path, busy_timeout_ms=BUSY_MS)
    writes = 4
    try:
        with exclusive_lock(served.store.path), ThreadPoolExecutor(writes) as pool:
            answers = list(
                pool.map(
                    lambda i: _call(served, "bot", "POST", "/calls", json={"id": f"CALL-{i}"}), range(writes)
                )
            )
        assert [(a.status_code, a.json()["error"]) for a in answers] == [(503, "store_locked")] * writes
    finally:
        served.thread.stop()
        served.store.close()


def test_only_the_event_stream_and_health_run_on_the_event_loop(served: Served) -> None:
    routes = [*served.app.routes, *(route for router in ROUTERS for route in router.routes)]
    on_loop = {
        route.path
        for route in routes
        if isinstance(route, APIRoute) and inspect.iscoroutinefunction(route.endpoint)
    }
    assert on_loop == {"/api/v1/health", "/events/stream"}


def test_a_status_switch_refused_as_locked_is_kept_and_sent_when_the_lock_is_gone(tmp_path: Path) -> None:
    served = start(tmp_path, busy_timeout_ms=BUSY_MS)
    desk = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db", retry_seconds=0.05)
    try:
        desk.get_agent("A1")
        with exclusive_lock(served.store.path):
            switched = desk.set_agent_status("A1", AgentStatus.BUSY, actor="A1")
            assert switched.status == AgentStatus.BUSY  # the desk shows the switch it asked for
            assert desk.connection.pending == 1
            assert desk.connection.status != "offline"  # the server answered; it is only busy
        deadline = time.monotonic() + 30
        while desk.connection.pending and time.monotonic() < deadline:
            time.sleep(0.05)
        assert desk.connection.pending == 0
        assert desk.failed_writes() == []
        assert served.store.get_agent("A1").status == AgentStatus.BUSY
        switches = [e for e in served.store.events_since(0, entity_id="A1") if e.kind == "agent.status"]
        assert [(e.actor, e.data["status"]) for e in switches] == [("A1", "busy")]  # applied once
    finally:
        desk.close()
        served.thread.stop()
        served.store.close()


def test_a_locked_answer_says_when_to_retry_and_never_names_the_servers_files(tmp_path: Path) -> None:
    served = start(tmp_path, busy_timeout_ms=BUSY_MS)
    try:
        with exclusive_lock(served.store.path):
            answer = _call(served, "bot", "POST", "/calls", json={"id": "CALL-LOCKED"})
        assert (answer.status_code, answer.json()["error"]) == (503, "store_locked")
        assert int(answer.headers["Retry-After"]) > 0
        assert str(tmp_path) not in answer.text and "--db" not in answer.text
    finally:
        served.thread.stop()
        served.store.close()
