"""Changes left in the shared outbox file of desks from before each user had their own.

Those desks kept every user's offline changes in one `outbox.db` in the data directory;
now each user has `outbox-<digest>.db` and nothing reads the old file. Its changes cannot
simply be replayed: the file does not say whose they were, and a desk sends with its own
token. So the first team desk to open its outbox on that server takes them (all of them,
once, for that server) and sets them aside as refused changes with the reason below; the
user reads each one in the refused-changes dialog and sends it again or dismisses it.
They are removed from the old file in the same step, so no other desk takes them again.
"""

from __future__ import annotations

import sqlite3

from agentdesk.store.base import StoreError
from agentdesk.store.outbox import FailedWrite, Outbox, OutboxEntry, server_url

LEGACY_NAME = "outbox.db"
"""The shared outbox file of desks from before each user had their own."""
QUEUED_BEFORE = "queued before outboxes were per user: check and resend"
"""The reason shown for a change that was still waiting in the shared file."""
REFUSED_BEFORE = "refused before outboxes were per user"
"""The start of the reason shown for a change the server had already refused."""

_ENTRY = "key, method, path, body, actor, label, id, created_at, attempts"


def take_legacy_changes(outbox: Outbox) -> int:
    """Move the changes for `outbox`'s server out of the old shared file beside it.

    They become refused changes of `outbox`'s user. Returns how many were moved (0 when
    there is no old file or nothing in it for this server). An old file that cannot be read
    is left as it is, to be tried again next time: its changes are never lost.
    """
    legacy = outbox.path.parent / LEGACY_NAME
    if legacy.resolve() == outbox.path.resolve() or not legacy.is_file():
        return 0
    try:
        conn = sqlite3.connect(
            f"{legacy.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=10
        )
    except sqlite3.Error:
        return 0
    try:
        return _move(conn, outbox)
    except (sqlite3.Error, StoreError):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return 0
    finally:
        conn.close()


def _move(conn: sqlite3.Connection, outbox: Outbox) -> int:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"outbox", "failed"} <= tables:
        return 0
    # Held until the old rows are deleted: a second desk starting now waits, then finds none.
    conn.execute("BEGIN IMMEDIATE")
    server = server_url(outbox.server)
    waiting = conn.execute(
        f"SELECT {_ENTRY} FROM outbox WHERE rtrim(server, '/') = ? ORDER BY id", (server,)
    ).fetchall()
    refused = conn.execute(
        f"SELECT {_ENTRY}, status, error, failed_at FROM failed WHERE rtrim(server, '/') = ? ORDER BY id",
        (server,),
    ).fetchall()
    if not waiting and not refused:
        conn.execute("ROLLBACK")
        return 0
    writes = [
        FailedWrite(OutboxEntry(*r[:9]), r[9], f"{REFUSED_BEFORE}; the server said: {r[10]}", r[11])
        for r in refused
    ]
    writes += [FailedWrite(OutboxEntry(*r), 0, QUEUED_BEFORE, "") for r in waiting]
    writes.sort(key=lambda w: w.entry.created_at)  # listed in the order they were made
    outbox.set_aside(writes)  # committed first: a desk stopped before the delete keeps them once
    conn.execute("DELETE FROM outbox WHERE rtrim(server, '/') = ?", (server,))
    conn.execute("DELETE FROM failed WHERE rtrim(server, '/') = ?", (server,))
    conn.execute("COMMIT")
    return len(writes)
