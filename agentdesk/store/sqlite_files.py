"""A SQLite database as files on disk: whether another program has it open, and deleting it.

Deleting a database that a running server or desk has open does not stop that program: it
keeps writing to the deleted file, and everything it writes from then on is lost. So a
database is only deleted when no other process has it open.

How that is known: an AgentDesk database is in WAL mode, and every connection to a WAL
database holds a shared POSIX lock on one byte of the `-shm` file (SQLite's "dead man
switch", byte 128) for as long as it is open, idle or not. An exclusive lock on that byte
is refused while any other process holds it; a process that died released it with its
other locks. The exclusive lock is kept while the files are deleted, so nobody can open the
database in between. Where POSIX locks do not exist (Windows), the system refuses to delete
a file another program has open, which is reported the same way.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from agentdesk.store.base import StoreError, StoreLocked

try:  # POSIX only; on Windows deleting an open file fails instead.
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms CI runs
    fcntl = None  # type: ignore[assignment]

SHM_DMS_BYTE = 128
"""The byte of the `-shm` file every open connection holds a shared lock on (SQLite's unix VFS:
after the eight WAL lock bytes at 120)."""

SUFFIXES = ("", "-wal", "-shm")
"""The database file and its write-ahead log and shared-memory index."""


def _in_use(path: Path) -> StoreLocked:
    return StoreLocked(
        f"the database {path} is open in another program (a running server or desk?); stop it first"
    )


@contextlib.contextmanager
def _nobody_else(path: Path) -> Iterator[None]:
    """Hold the database closed to other processes for the duration, or refuse at once.

    Raises:
        StoreLocked: another process has the database open.
        StoreError: the `-shm` file cannot be opened to check.
    """
    shm = Path(f"{path}-shm")
    if fcntl is None or not shm.exists():
        yield  # no -shm file: no connection has the database open
        return
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError as exc:
        raise StoreError(f"cannot check whether {path} is in use ({shm}: {exc.strerror})") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_BYTE, os.SEEK_SET)
        except OSError:
            raise _in_use(path) from None
        yield
    finally:
        os.close(fd)  # also releases the lock


def check_not_in_use(path: str | Path) -> None:
    """Refuse when another process has the database at `path` open.

    Call it before this process opens the database itself: POSIX locks belong to a process,
    so this process's own connections are not seen, and checking would drop their locks.

    Raises:
        StoreLocked: another process has it open.
        StoreError: the check itself failed (e.g. no permission on the `-shm` file).
    """
    with _nobody_else(Path(path)):
        pass


def delete_database(path: str | Path) -> None:
    """Delete the database at `path` with its `-wal` and `-shm` files, unless another process has it open.

    The same caveat as `check_not_in_use`: this process must not have it open.

    Raises:
        StoreLocked: another process has it open; nothing was deleted.
        StoreError: a file could not be deleted.
    """
    path = Path(path)
    with _nobody_else(path):
        for suffix in SUFFIXES:
            file = Path(f"{path}{suffix}")
            try:
                file.unlink(missing_ok=True)
            except PermissionError:
                if os.name == "nt":
                    raise _in_use(path) from None
                raise StoreError(f"cannot delete {file}: permission denied") from None
            except OSError as exc:
                raise StoreError(f"cannot delete {file}: {exc.strerror}") from None
