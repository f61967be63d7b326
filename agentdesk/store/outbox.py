"""The durable outbox of a remote desk: writes wait here while the team server is away.

Every write of a `RemoteStore` is written here BEFORE it is sent (so a desk that crashes
mid-request still has it), removed when the server has answered, and replayed in order
by `Replayer` when the server comes back. Each entry carries the idempotency key it was
first sent with, and every replay sends the same key, so the server applies each write
exactly once however many times it is sent.

An entry the server refuses (404, 409, 422, 401, 403) cannot succeed by sending it again;
it is moved to the `failed` table with the server's message, where the desk shows it. The
agent may dismiss it, or send it once more as a new request (`retry`: a new key, since the
server remembers its refusal under the old one).

Entries belong to one server and one signed-in user (`owner`, from `owner_key`): a desk
sends only its own user's entries, with its own token. Two people at desks under one OS
account never replay each other's changes, which the server would refuse (403) or, worse,
record under the wrong name. Each user's entries also live in a file of their own
(`outbox_file`), so one user's desk never locks another's outbox.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from agentdesk.store.base import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, server TEXT NOT NULL, key TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL, actor TEXT, label TEXT NOT NULL,
    created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending',
    owner TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS failed (
    id INTEGER PRIMARY KEY, server TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, body TEXT NOT NULL, actor TEXT, label TEXT NOT NULL, created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL, status INTEGER NOT NULL, error TEXT NOT NULL, failed_at TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT ''
);
"""
_INDEX = "CREATE INDEX IF NOT EXISTS outbox_owner ON outbox (server, owner, state, id)"


def server_url(server: str) -> str:
    """A server URL as entries and files are keyed by: `http://h:1/` and `http://h:1` are one server."""
    return server.rstrip("/")


def owner_key(server: str, token: str) -> str:
    """Whose entries these are: a digest of the server URL and the user's token.

    The token, not the user's name, because a desk that starts offline cannot ask the
    server who it is, and the token is what every replay is sent with. Only the digest
    is kept, never the token.
    """
    return hashlib.sha256(f"{server_url(server)}\n{token}".encode()).hexdigest()[:16]


def outbox_file(folder: Path, server: str, token: str) -> Path:
    """The outbox file of one user on one server, in `folder`."""
    return folder / f"outbox-{owner_key(server, token)}.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One write waiting for the server."""

    key: str
    """The Idempotency-Key it is sent with, every time."""
    method: str
    path: str
    body: str
    """The JSON body, exactly as first sent (the server checks retries against it)."""
    actor: str | None
    label: str
    """What the write does, for people: `claim transfer TR-1`."""
    id: int = 0
    created_at: str = ""
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class FailedWrite:
    """A write the server refused on replay; it will not be sent again."""

    entry: OutboxEntry
    status: int
    error: str
    failed_at: str


_COLUMNS = "key, method, path, body, actor, label, id, created_at, attempts"


class Outbox:
    """The outbox file: a small SQLite database, safe to share between threads.

    Args:
        path: the file (created with its folder when missing).
        server: the server URL the entries are for; one file can hold several servers' entries.
        owner: whose entries these are (`owner_key`); a file shared by several users keeps
            each one's entries apart.

    Raises:
        StoreError: the file cannot be created or is not an outbox.
    """

    def __init__(self, path: str | Path, server: str, owner: str = "") -> None:
        self.path = Path(path)
        self.server = server
        self.owner = owner
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            self._conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a commit survives the desk process crashing; only a power
            # cut of the desk's machine in the last moments can lose it. FULL would fsync
            # twice per write (tens of ms on some disks) for every click at the desk.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(_SCHEMA)
            for table in ("outbox", "failed"):  # a file from before entries had owners
                columns = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
                if "owner" not in columns:
                    self._conn.execute(f"ALTER TABLE {table} ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
            self._conn.execute(_INDEX)
            # Entries left in flight by a desk that stopped mid-request go back in line.
            self._conn.execute(
                "UPDATE outbox SET state = 'pending' WHERE server = ? AND owner = ? AND state = 'inflight'",
                (server, owner),
            )
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot use the outbox file {self.path}: {exc}") from None

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise StoreError(f"outbox {self.path}: {exc}") from None

    def add(self, entry: OutboxEntry, *, inflight: bool = False) -> int:
        """Keep `entry` (durably, before it is sent); returns its id, which orders replays."""
        cur = self._run(
            "INSERT INTO outbox (server, owner, key, method, path, body, actor, label, created_at, state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.server,
                self.owner,
                entry.key,
                entry.method,
                entry.path,
                entry.body,
                entry.actor,
                entry.label,
                _now(),
                "inflight" if inflight else "pending",
            ),
        )
        return int(cur.lastrowid or 0)

    def release(self, entry_id: int) -> None:
        """An in-flight entry got no answer: it waits for replay."""
        self._run("UPDATE outbox SET state = 'pending', attempts = attempts + 1 WHERE id = ?", (entry_id,))

    def attempted(self, entry_id: int) -> None:
        """Count a replay that got no answer."""
        self._run("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", (entry_id,))

    def remove(self, entry_id: int) -> None:
        """The server answered: the entry is done."""
        self._run("DELETE FROM outbox WHERE id = ?", (entry_id,))

    def pending(self, limit: int = 100) -> list[OutboxEntry]:
        """The oldest entries waiting for replay, in the order they were written."""
        rows = self._run(
            f"SELECT {_COLUMNS} FROM outbox WHERE server = ? AND owner = ? AND state = 'pending'"
            " ORDER BY id LIMIT ?",
            (self.server, self.owner, limit),
        ).fetchall()
        return [OutboxEntry(*row) for row in rows]

    def count(self) -> int:
        """Entries waiting for replay (in-flight ones not counted)."""
        row = self._run(
            "SELECT COUNT(*) FROM outbox WHERE server = ? AND owner = ? AND state = 'pending'",
            (self.server, self.owner),
        ).fetchone()
        return int(row[0])

    def fail(self, entry: OutboxEntry, status: int, error: str) -> None:
        """Move an entry the server refused to `failed`."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute(
                    "INSERT INTO failed (id, server, owner, key, method, path, body, actor, label, created_at,"
                    " attempts, status, error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.id,
                        self.server,
                        self.owner,
                        entry.key,
                        entry.method,
                        entry.path,
                        entry.body,
                        entry.actor,
                        entry.label,
                        entry.created_at,
                        entry.attempts,
                        status,
                        error,
                        _now(),
                    ),
                )
                self._conn.execute("DELETE FROM outbox WHERE id = ?", (entry.id,))
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StoreError(f"outbox {self.path}: {exc}") from None

    def failures(self) -> list[FailedWrite]:
        """Writes the server refused on replay, oldest first."""
        rows = self._run(
            f"SELECT {_COLUMNS}, status, error, failed_at FROM failed WHERE server = ? AND owner = ?"
            " ORDER BY id",
            (self.server, self.owner),
        ).fetchall()
        return [FailedWrite(OutboxEntry(*r[:9]), r[9], r[10], r[11]) for r in rows]

    def failed_count(self) -> int:
        """How many writes the server refused on replay."""
        row = self._run(
            "SELECT COUNT(*) FROM failed WHERE server = ? AND owner = ?", (self.server, self.owner)
        ).fetchone()
        return int(row[0])

    def dismiss(self, entry_id: int) -> bool:
        """Forget a refused write (the agent has read it); False when it is not this user's."""
        cur = self._run(
            "DELETE FROM failed WHERE id = ? AND server = ? AND owner = ?",
            (entry_id, self.server, self.owner),
        )
        return cur.rowcount > 0

    def retry(self, entry_id: int) -> bool:
        """Send a refused write again, as a new request at the end of the line.

        It gets a new idempotency key: the server remembers its refusal under the old one.
        Returns False when the entry is not this user's refused write.
        """
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                row = self._conn.execute(
                    "SELECT method, path, body, actor, label FROM failed WHERE id = ? AND server = ? AND owner = ?",
                    (entry_id, self.server, self.owner),
                ).fetchone()
                if row is not None:
                    self._conn.execute(
                        "INSERT INTO outbox (server, owner, key, method, path, body, actor, label, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (self.server, self.owner, uuid.uuid4().hex, *row, _now()),
                    )
                    self._conn.execute("DELETE FROM failed WHERE id = ?", (entry_id,))
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StoreError(f"outbox {self.path}: {exc}") from None
        return row is not None

    def set_aside(self, writes: list[FailedWrite]) -> int:
        """Keep `writes` as this user's refused ones, never sent unless the user resends them.

        Each gets an id from the same sequence as queued entries (a refused entry keeps its
        id), so it can never clash with one refused later. A write whose key is here already
        is skipped: setting the same writes aside twice keeps them once. Returns how many
        were added.
        """
        added = 0
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                for w in writes:
                    e = w.entry
                    if self._conn.execute("SELECT 1 FROM failed WHERE key = ?", (e.key,)).fetchone():
                        continue
                    # The id comes from the outbox's sequence; the row is gone before the commit.
                    cur = self._conn.execute(
                        "INSERT INTO outbox (server, owner, key, method, path, body, actor, label, created_at,"
                        " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'aside')",
                        (
                            self.server,
                            self.owner,
                            uuid.uuid4().hex,
                            e.method,
                            e.path,
                            e.body,
                            e.actor,
                            e.label,
                            e.created_at,
                        ),
                    )
                    entry_id = int(cur.lastrowid or 0)
                    self._conn.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))
                    self._conn.execute(
                        "INSERT INTO failed (id, server, owner, key, method, path, body, actor, label, created_at,"
                        " attempts, status, error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            entry_id,
                            self.server,
                            self.owner,
                            e.key,
                            e.method,
                            e.path,
                            e.body,
                            e.actor,
                            e.label,
                            e.created_at,
                            e.attempts,
                            w.status,
                            w.error,
                            w.failed_at or _now(),
                        ),
                    )
                    added += 1
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StoreError(f"outbox {self.path}: {exc}") from None
        return added

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class Outcome(Enum):
    """What happened to one replayed entry."""

    DONE = "done"
    """The server applied it (now or the first time): remove it."""
    REFUSED = "refused"
    """The server will never apply it: move it to `failed`."""
    RETRY = "retry"
    """No answer, or the server is busy (5xx, 429): keep it and stop this round."""


Sender = Callable[[OutboxEntry], tuple[Outcome, int, str]]
"""Sends one entry; returns the outcome, the HTTP status (0 without an answer) and a message."""


class Replayer:
    """The background thread that sends waiting entries, in order, whenever the server answers.

    Args:
        outbox: the entries to replay.
        send: sends one entry (with its key) and classifies the answer.
        probe: True when the server answers at all (a cheap health check).
        on_round: told ("replaying" | "online" | "offline", message) as a round starts and ends.
        on_refused: told about each entry moved to `failed`.
        interval: seconds between attempts while the server is away.
    """

    def __init__(
        self,
        outbox: Outbox | None,
        send: Sender,
        probe: Callable[[], bool],
        on_round: Callable[[str, str | None], None],
        on_refused: Callable[[OutboxEntry, int, str], None],
        interval: float = 1.0,
    ) -> None:
        self.outbox = outbox
        self.send = send
        self.probe = probe
        self.on_round = on_round
        self.on_refused = on_refused
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def kick(self) -> None:
        """Try now (the server may be back, or there is something new to send)."""
        with self._start_lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="agentdesk-outbox", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread (entries stay in the outbox for next time)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.round()
            except StoreError as exc:  # the outbox file itself failed: say so, try again later
                self.on_round("offline", str(exc))

    def round(self) -> bool:
        """One attempt: probe, then send everything waiting. Returns True when all was sent."""
        if not self.probe():
            self.on_round("offline", None)
            return False
        if self.outbox is None or self.outbox.count() == 0:
            self.on_round("online", None)
            return True
        self.on_round("replaying", None)
        while not self._stop.is_set():
            batch = self.outbox.pending(100)
            if not batch:
                self.on_round("online", None)
                return True
            for entry in batch:
                outcome, status, message = self.send(entry)
                if outcome is Outcome.DONE:
                    self.outbox.remove(entry.id)
                elif outcome is Outcome.REFUSED:
                    self.outbox.fail(entry, status, message)
                    self.on_refused(entry, status, message)
                else:
                    self.outbox.attempted(entry.id)
                    # A server that answered "busy" (503 store_locked) is there but cannot
                    # write yet: the desk stays connected and the entry waits for the next round.
                    self.on_round("replaying" if status else "offline", message)
                    return False
        return False


def body_json(value: object) -> str:
    """A request body as the compact JSON the outbox keeps and sends."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
