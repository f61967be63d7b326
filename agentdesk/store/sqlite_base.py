"""The SQLite connection, transactions, error translation and change feed shared by every table.

A file store keeps two connections, opened with `check_same_thread=False` so Textual
thread workers and the server's worker threads can share them, each guarded by a lock:

- the write connection: every write runs in `BEGIN IMMEDIATE`, which also serialises
  writers in *other* processes on the same file, so read-check-write sequences (claiming
  a transfer) are atomic. Reads made inside a write use it too, so they see the write.
- the read connection: every other read. In WAL mode readers never wait for a writer, so
  a write waiting for another program's lock holds up neither reads nor its callers'
  other requests.

A write waits at most `busy_timeout_ms` in all, for the other writes of this process and
for other programs together; then it fails with `StoreLocked`. An in-memory store has one
connection (a second one would be another, empty database).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from agentdesk.domain.models import AuditEvent, utcnow
from agentdesk.store import migrations
from agentdesk.store.base import StoreCorrupt, StoreError, StoreLocked

MEMORY = ":memory:"


def ts(value: datetime | None) -> str | None:
    """A datetime as a sortable UTC ISO string for index columns."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class SqliteBase:
    """Connection handling for `SqliteStore`; the table mixins build on it."""

    def __init__(
        self, path: str | Path = MEMORY, *, actor: str = "local", busy_timeout_ms: int = 5000
    ) -> None:
        self.path = str(path)
        self.actor = actor
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        """Guards the write connection; held for a whole write transaction."""
        self._writer: int | None = None
        """The thread inside a write transaction, if any."""
        self._conn = self._connect()
        self._db = Database(self._conn)
        self._migrate()
        if self.path == MEMORY:
            self._read_conn, self._read_lock = self._conn, self._lock
        else:
            try:
                self._read_conn, self._read_lock = self._connect(), threading.RLock()
            except StoreError:
                self._conn.close()
                raise

    # -- connection -----------------------------------------------------------------
    def describe(self) -> str:
        return "SQLite in memory" if self.path == MEMORY else f"SQLite {self.path}"

    def _connect(self) -> sqlite3.Connection:
        if self.path != MEMORY:
            file = Path(self.path)
            if file.is_dir():
                raise StoreError(f"{file} is a directory; --db needs a database file path")
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {file}: {exc.strerror}") from None
        try:
            conn = sqlite3.connect(
                self.path,
                check_same_thread=False,
                isolation_level=None,
                timeout=self.busy_timeout_ms / 1000,
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            # Reading the header is what reveals a file that is not a database.
            conn.execute("PRAGMA schema_version").fetchone()
            if self.path != MEMORY:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise self._translate(exc) from None
        return conn

    def _migrate(self) -> None:
        # Looked at without a write lock first: a database already up to date opens while
        # another program holds its write lock (WAL lets readers in), so read-only commands work.
        try:
            with self._lock:
                pending = migrations.migrations.pending(self._db)
        except sqlite3.Error as exc:
            raise self._translate(exc) from None
        if pending:
            with self._write():
                migrations.migrations.apply(self._db)

    def schema_version(self) -> int:
        """How many migrations this database has applied."""
        with self._lock:
            return migrations.schema_version(self._db)

    def close(self) -> None:
        with self._lock, self._read_lock:
            if self._read_conn is not self._conn:
                self._read_conn.close()
            self._conn.close()

    def _translate(self, exc: sqlite3.Error) -> StoreError:
        """Turn a sqlite3 error into a message a person can act on."""
        text = str(exc)
        where = "the in-memory database" if self.path == MEMORY else self.path
        if "locked" in text or "busy" in text:
            return self._locked()
        if any(s in text for s in ("not a database", "malformed", "encrypted", "disk image")):
            return StoreCorrupt(
                f"{where} is not an AgentDesk database or is damaged ({text}); move it aside, "
                "or run `agentdesk seed --reset` to start a fresh one"
            )
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in text:
            return StoreError(f"cannot open the database {where}: check the path and its permissions")
        return StoreError(f"database error on {where}: {text}")

    def _locked(self) -> StoreLocked:
        where = "the in-memory database" if self.path == MEMORY else self.path
        seconds = self.busy_timeout_ms / 1000
        return StoreLocked(
            f"the database {where} is locked by another program (waited {seconds:g} s); "
            "close the other program, or point --db at another file"
        )

    # -- transactions ---------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, rolled back entirely on any error.

        Nested calls (a write method using another) become savepoints of the
        outer transaction, so the whole operation still commits once.

        Raises:
            StoreLocked: the database stayed locked for `busy_timeout_ms`, by another program
                or by writes of this one queued before this one.
        """
        if self._writer == threading.get_ident():
            with self._lock:
                yield from self._savepoint()
            return
        timeout = self.busy_timeout_ms / 1000
        deadline = time.monotonic() + timeout
        # Bounded, so writes queued behind one that waits for another program's lock give
        # up together with it instead of one timeout after another.
        if not self._lock.acquire(timeout=timeout):
            raise self._locked()
        try:
            self._writer = threading.get_ident()
            try:
                left_ms = max(0, int((deadline - time.monotonic()) * 1000))
                self._conn.execute(f"PRAGMA busy_timeout = {left_ms}")
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._translate(exc) from None
            try:
                yield self._conn
            except sqlite3.Error as exc:
                self._rollback()
                raise self._translate(exc) from None
            except BaseException:
                self._rollback()
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise self._translate(exc) from None
        finally:
            self._writer = None
            self._lock.release()

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("SAVEPOINT nested")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK TO nested")
            self._conn.execute("RELEASE nested")
            raise
        self._conn.execute("RELEASE nested")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _rows(
        self, sql: str, params: tuple[Any, ...] | list[Any] | dict[str, Any] = ()
    ) -> list[tuple[Any, ...]]:
        """Read rows: inside this thread's write transaction from it, else from the read connection."""
        if self._writer == threading.get_ident():
            conn, lock = self._conn, self._lock
        else:
            conn, lock = self._read_conn, self._read_lock
        with lock:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._translate(exc) from None

    def _one(
        self, sql: str, params: tuple[Any, ...] | list[Any] | dict[str, Any] = ()
    ) -> tuple[Any, ...] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # -- change feed ----------------------------------------------------------------
    def _emit(
        self, conn: sqlite3.Connection, kind: str, entity_id: str, actor: str | None, data: dict[str, Any]
    ) -> None:
        """Append to the change feed inside the caller's transaction."""
        conn.execute(
            "INSERT INTO events (at, actor, kind, entity_id, data) VALUES (?, ?, ?, ?, ?)",
            (
                ts(utcnow()),
                actor or self.actor,
                kind,
                entity_id,
                json.dumps(data, ensure_ascii=False, default=str),
            ),
        )

    def events_since(
        self, seq: int = 0, *, limit: int = 1000, entity_id: str | None = None
    ) -> list[AuditEvent]:
        sql = "SELECT seq, at, actor, kind, entity_id, data FROM events WHERE seq > ?"
        params: list[Any] = [seq]
        if entity_id:
            sql += " AND entity_id = ?"
            params.append(entity_id)
        sql += " ORDER BY seq LIMIT ?"
        params.append(limit)
        return [
            AuditEvent(seq=r[0], at=r[1], actor=r[2], kind=r[3], entity_id=r[4], data=json.loads(r[5]))
            for r in self._rows(sql, params)
        ]

    def last_seq(self) -> int:
        row = self._one("SELECT COALESCE(MAX(seq), 0) FROM events")
        return int(row[0]) if row else 0
