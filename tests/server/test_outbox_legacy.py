"""Changes left in the shared `outbox.db` of desks from before each user had their own outbox.

After the upgrade nothing read that file, so its waiting changes silently vanished. Now
the first desk to open its outbox on that server sets them aside as refused changes the
user can resend or dismiss: never replayed unseen with another user's token, and taken
once. Real files, against a real server on 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.domain.models import Ticket
from agentdesk.store.outbox import FailedWrite, Outbox, OutboxEntry, body_json
from agentdesk.store.outbox_legacy import QUEUED_BEFORE, REFUSED_BEFORE
from agentdesk.store.remote import RemoteStore
from tests.server.conftest import Served, start, wait_until

OLD_SCHEMA = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, server TEXT NOT NULL, key TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL, actor TEXT, label TEXT NOT NULL,
    created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX outbox_server ON outbox (server, state, id);
CREATE TABLE failed (
    id INTEGER PRIMARY KEY, server TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, body TEXT NOT NULL, actor TEXT, label TEXT NOT NULL, created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL, status INTEGER NOT NULL, error TEXT NOT NULL, failed_at TEXT NOT NULL
);
"""
"""The shared outbox file as the desks before per-user outboxes wrote it (no owners)."""

OLD_NOTE = "OFFLINE-TEST-1 written before the upgrade"
OTHER_SERVER = "http://10.0.0.5:8765"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    s = start(tmp_path)
    s.tokens["agent2"] = s.app.state.agentdesk.users.add("A2", "agent")[1]
    s.store.create_ticket(Ticket(id="TK-1", subject="roaming charge"))
    try:
        yield s
    finally:
        s.thread.stop()
        s.store.close()


def _legacy(tmp_path: Path) -> Path:
    return tmp_path / "data" / "agentdesk" / "outbox.db"


def _old_desk_left_changes(path: Path, server: str) -> None:
    """What an old desk left: a note still waiting, one the server refused, one for another server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    patch = ("PATCH", "/tickets/TK-1", body_json({"note": OLD_NOTE}), "A1", "update ticket TK-1")
    conn.execute(
        "INSERT INTO outbox (server, key, method, path, body, actor, label, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (server, "k-waiting", *patch, "2026-11-20T09:00:00+00:00"),
    )
    conn.execute(
        "INSERT INTO outbox (server, key, method, path, body, actor, label, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (OTHER_SERVER, "k-elsewhere", *patch, "2026-11-20T09:01:00+00:00"),
    )
    conn.execute(
        "INSERT INTO failed VALUES (7, ?, 'k-refused', ?, ?, ?, ?, ?, ?, 1, 422, 'ticket is closed', ?)",
        (server + "/", *patch, "2026-11-19T09:00:00+00:00", "2026-11-19T09:05:00+00:00"),
    )
    conn.commit()
    conn.close()


def _left_in(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT key FROM outbox UNION ALL SELECT key FROM failed")]
    finally:
        conn.close()


def _desk(served: Served, role: str) -> RemoteStore:
    return RemoteStore(served.url, served.tokens[role], retry_seconds=0.05)  # the outbox in the data dir


def test_changes_left_in_the_shared_outbox_file_are_set_aside_for_the_first_desk_to_check(
    served: Served, tmp_path: Path
) -> None:
    _old_desk_left_changes(_legacy(tmp_path), served.url)
    desk = _desk(served, "agent")
    try:
        writes = desk.failed_writes()
        counts = (desk.connection.pending, desk.connection.failed)
    finally:
        desk.close()
    assert counts == (0, 2)
    assert [(w.entry.label, w.status) for w in writes] == [
        ("update ticket TK-1", 422),
        ("update ticket TK-1", 0),
    ]
    assert writes[0].error == f"{REFUSED_BEFORE}; the server said: ticket is closed"
    assert writes[1].error == QUEUED_BEFORE
    assert served.store.get_ticket("TK-1").notes == []  # never replayed unseen
    assert _left_in(_legacy(tmp_path)) == ["k-elsewhere"]  # another server's changes stay for its desk


def test_changes_from_the_shared_file_are_taken_once_by_one_user(served: Served, tmp_path: Path) -> None:
    _old_desk_left_changes(_legacy(tmp_path), served.url)
    first = _desk(served, "agent")
    first.close()
    other, again = _desk(served, "agent2"), _desk(served, "agent")
    try:
        theirs, mine = other.failed_writes(), again.failed_writes()
    finally:
        other.close()
        again.close()
    assert theirs == [] and len(mine) == 2


def test_a_change_from_the_shared_file_resent_by_the_user_reaches_the_server_in_their_name(
    served: Served, tmp_path: Path
) -> None:
    _old_desk_left_changes(_legacy(tmp_path), served.url)
    desk = _desk(served, "agent")
    try:
        waiting = next(w for w in desk.failed_writes() if w.status == 0)
        desk.retry_failed(waiting.entry.id)
        wait_until(lambda: desk.connection.pending == 0 and desk.connection.status == "online")
        left = desk.failed_writes()
    finally:
        desk.close()
    assert len(left) == 1
    [note] = served.store.get_ticket("TK-1").notes
    assert (note.text, note.author) == (OLD_NOTE, "A1")


def test_a_change_set_aside_and_one_refused_later_are_both_kept(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox-mine.db", "http://127.0.0.1:1", owner="mine")
    try:
        old = OutboxEntry("k-old", "PATCH", "/tickets/TK-1", "{}", "A1", "update ticket TK-1", created_at="x")
        outbox.set_aside([FailedWrite(old, 0, QUEUED_BEFORE, "")])
        outbox.add(OutboxEntry("k-new", "POST", "/tickets", "{}", "A1", "create ticket TK-2"))
        [new] = outbox.pending()
        outbox.fail(new, 422, "ticket exists")
        kept = [(w.entry.key, w.error) for w in outbox.failures()]
    finally:
        outbox.close()
    assert kept == [("k-old", QUEUED_BEFORE), ("k-new", "ticket exists")]
