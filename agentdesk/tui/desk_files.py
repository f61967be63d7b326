"""Small JSON files a desk keeps beside its store for work the store does not hold yet
(unsaved transcript lines, unsaved ticket drafts): where they live, and how several desks of
one agent (two terminals, an SSH session left behind) change one file without losing each
other's part.

Each change reads the file, changes the caller's part and writes the whole file again,
holding a lock on a `.lock` file beside it, so two desks never interleave their reads and
writes. The file is replaced in one step (a temporary file renamed over it), so a desk
that dies mid-write leaves the previous content, never half of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from agentdesk import locations
from agentdesk.store.base import Store
from agentdesk.store.sqlite_base import MEMORY

try:  # POSIX; elsewhere the desks of one agent on one machine are not kept apart
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def desk_file(store: Store, agent_id: str, kind: str) -> Path | None:
    """Where the desk of `agent_id` keeps its `kind` of unsaved work for `store`; None for a
    store in memory (its work ends with the process anyway).

    Beside the SQLite file, one per agent. On a team server the file is the signed-in
    user's, keyed like their outbox (`owner`: server and token), not by the agent the desk
    works as: a supervisor's desk that started offline and fell back to the configured
    agent never reads or saves that agent's work.
    """
    path = getattr(store, "path", None)
    if path is not None:
        if str(path) == MEMORY:
            return None
        agent = hashlib.sha256(agent_id.encode()).hexdigest()[:12]
        db = Path(path)
        return db.with_name(f"{db.name}.{kind}-{agent}.json")
    owner = getattr(store, "owner", None)  # a team server's `RemoteStore`
    if not owner:
        return None
    return locations.data_dir() / f"{kind}-{owner}.json"


def write_atomically(path: Path, data: object) -> None:
    """Write `data` as JSON to `path` in one step: a crash leaves the old file or the new one.

    The temporary file is this thread's own, so two desks (or two workers) never share one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    part.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(part, path)


class SharedDeskFile:
    """One JSON object on disk that the desks of one agent change in turn.

    Every instance is one desk (`desk`, unique per instance): its part of the file is its
    own, and it takes over another desk's part only on purpose (see the users of `change`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.desk = uuid.uuid4().hex[:12]
        """This desk's key in the file, unique per desk (process and instance)."""
        self._threads = threading.RLock()
        self._written = 0
        """Version of the newest change this desk wrote: an older one finishing late is dropped."""

    @contextlib.contextmanager
    def change(self) -> Iterator[dict[str, Any]]:
        """The file's object to read and change in place; written back (or, empty, removed)
        when the block ends without an error. No other desk reads or writes it meanwhile.

        Blocking: call it from a worker thread. A file that cannot be read is moved aside for a
        person to look at (never over an earlier one) and the block starts from nothing.
        """
        with self._threads, self._locked():
            data = self._read()
            before = json.dumps(data, sort_keys=True)
            yield data
            if json.dumps(data, sort_keys=True) == before:
                return
            if data:
                write_atomically(self.path, data)
            else:
                self.path.unlink(missing_ok=True)

    def write(self, version: int, change: Callable[[dict[str, Any]], None]) -> None:
        """`change` the file (see `change`) unless this desk wrote a newer `version` already:
        a worker that started earlier and finished later never undoes a newer change."""
        with self._threads:
            if version <= self._written:
                return
            self._written = version
            with self.change() as data:
                change(data)

    def unreadable(self) -> None:
        """Move the file aside: its content cannot be used (call it inside `change`)."""
        aside = self.path.with_name(f"{self.path.stem}.unreadable-{time.time_ns()}.json")
        with contextlib.suppress(OSError):
            self.path.replace(aside)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            self.unreadable()
            return {}
        if isinstance(data, list):  # an older desk's unsaved lines: one list, no desk key
            return {"": data}
        if not isinstance(data, dict):
            self.unreadable()
            return {}
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f"{self.path.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
