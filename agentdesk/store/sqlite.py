"""`SqliteStore`: the embedded store, a single SQLite file (or memory) on sqlite-utils."""

from __future__ import annotations

from collections.abc import Iterable

from agentdesk.store.base import Store
from agentdesk.store.sqlite_tickets import SqliteTickets
from agentdesk.store.sqlite_training import SqliteTraining


class SqliteStore(SqliteTickets, SqliteTraining, Store):
    """The embedded default store.

    Args:
        path: database file, or ":memory:"; the folder is created when missing.
        actor: who writes, recorded in the change feed when a call names nobody.
        busy_timeout_ms: how long a write waits for the database in all: for another
            program's lock and for this program's earlier writes. Reads of a file never wait for writes.

    Raises:
        StoreCorrupt: the file is not an AgentDesk database or is damaged.
        StoreLocked: another program holds the write lock past the timeout.
        StoreError: the path cannot be used.
    """

    SUPPORTS_PUSH = False

    def bulk_load(self, records: Iterable[object], *, actor: str | None = None) -> int:
        """Write many records in one transaction (seeding, benches): all or nothing."""
        with self._write():
            return super().bulk_load(records, actor=actor)
