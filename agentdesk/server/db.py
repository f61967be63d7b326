"""The server's own tables (users, idempotency records, request audit) in the store's database.

They live in the same SQLite file as the store (migration `m002_team_server`) so that a
write, its idempotency record and its audit row commit in ONE transaction: a request
that committed is always found again when the client retries it, which is what makes
replays exactly-once.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Any

from agentdesk.store.base import Store
from agentdesk.store.sqlite import SqliteStore


class ServerDb:
    """Transactions and queries on the server tables, sharing the store's connection and lock.

    Args:
        store: the SQLite store the server serves. Its transaction is used because the
            idempotency guarantee needs the store write and the record to commit together;
            SQLite nests the store's own write inside as a savepoint.

    Raises:
        TypeError: the store is not a `SqliteStore` (the only backend with that transaction).
    """

    def __init__(self, store: Store) -> None:
        if not isinstance(store, SqliteStore):
            raise TypeError(f"the team server needs a SQLite store, not {type(store).__name__}")
        self.store = store

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction; store writes inside it commit or roll back with it."""
        return self.store._write()

    def rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """Read rows, with the store's error translation (locked, corrupt)."""
        return self.store._rows(sql, params)

    def one(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> tuple[Any, ...] | None:
        """Read one row or None."""
        found = self.rows(sql, params)
        return found[0] if found else None
