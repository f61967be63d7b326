"""Lines heard at the desk that the store has not taken yet, kept in a file until it does.

The desk offers such a line to the store again every few seconds (`CallLines`); this file
keeps the lines when the desk closes first (quit, a dropped SSH session, a crash), and the
next desk of the same agent on the same store offers them again (saved in that agent's
name). One file per store and agent beside the SQLite file; for a team server, one per
server and signed-in user (keyed like their outbox) in the user data directory. A store kept in memory has none: its lines end with the process anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from pathlib import Path

from pydantic import ValidationError

from agentdesk import locations
from agentdesk.domain.models import Utterance
from agentdesk.store.base import Store
from agentdesk.store.sqlite_base import MEMORY


class UnsavedLinesFile:
    """The waiting lines of one store, as a small JSON file written whole on every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._written = 0
        """Version of the newest list on disk: an older list written late never replaces it."""

    def read(self) -> list[Utterance]:
        """The lines a desk left waiting; none when the file is missing or unreadable."""
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return [Utterance.model_validate(row) for row in rows]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError, ValidationError):
            # Not ours to lose: kept aside for a person to look at, and the desk starts clean.
            aside = self.path.with_suffix(f".unreadable-{time.time_ns()}.json")  # never over an earlier one
            with contextlib.suppress(OSError):
                self.path.replace(aside)
            return []

    def write(self, version: int, lines: list[Utterance]) -> None:
        """Keep `lines` (none: remove the file) unless a newer `version` is on disk already.

        Blocking: call it from a worker thread. The file is replaced in one step, so a desk
        that dies mid-write leaves the previous list, never half of one.
        """
        with self._lock:
            if version <= self._written:
                return
            self._written = version
            if not lines:
                self.path.unlink(missing_ok=True)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            part = self.path.with_suffix(f".{os.getpid()}.part")  # two desks never share one
            rows = [line.model_dump(mode="json") for line in lines]
            part.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(part, self.path)


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


def unsaved_lines_file(store: Store, agent_id: str) -> UnsavedLinesFile | None:
    """Where the desk of `agent_id` keeps the lines `store` has not taken yet (see `desk_file`)."""
    path = desk_file(store, agent_id, "unsaved-lines")
    return None if path is None else UnsavedLinesFile(path)
