"""What the agent typed into a call's ticket and has not saved yet, kept in a file until they do.

The desk writes the ticket editor's draft here as the agent types (a few times a second at
most), so quitting during a call, a dropped SSH session or a crash does not throw it away:
the desk that resumes the call puts the draft back in the editor. One file per store and
agent, keyed like the unsaved transcript lines (`unsaved_lines.desk_file`); inside it, one
draft per held call (by transfer id). A call's draft leaves the file when the call is
wrapped up, or when the editor holds nothing more than what was saved or pre-filled.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from agentdesk.store.base import Store
from agentdesk.tui.unsaved_lines import desk_file


@dataclass(frozen=True)
class NotesDraft:
    """The ticket editor's fields as the agent left them."""

    subject: str
    type: str
    priority: str
    notes: str


class UnsavedNotesFile:
    """The unsaved ticket drafts of one agent's held calls, as a small JSON file written whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._written = 0
        """Version of the newest change on disk: an older change written late never replaces it."""

    def read(self) -> dict[str, NotesDraft]:
        """The drafts by transfer id; none when the file is missing or unreadable."""
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): NotesDraft(**v) for k, v in rows.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError):
            # Not ours to lose: kept aside for a person to look at, and the desk starts clean.
            aside = self.path.with_suffix(f".unreadable-{time.time_ns()}.json")
            with contextlib.suppress(OSError):
                self.path.replace(aside)
            return {}

    def draft(self, transfer_id: str) -> NotesDraft | None:
        """The draft kept for one call, if any. Blocking: call it from a worker thread."""
        return self.read().get(transfer_id)

    def put(self, version: int, transfer_id: str, draft: NotesDraft | None) -> None:
        """Keep `draft` for the call (None: forget it) unless a newer `version` is on disk.

        Blocking: call it from a worker thread. The file is replaced in one step, so a desk
        that dies mid-write leaves the previous drafts, never half of them.
        """
        with self._lock:
            if version <= self._written:
                return
            self._written = version
            drafts = self.read()
            if draft is None:
                if drafts.pop(transfer_id, None) is None:
                    return
            else:
                drafts[transfer_id] = draft
            if not drafts:
                self.path.unlink(missing_ok=True)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            part = self.path.with_suffix(f".{os.getpid()}.part")  # two desks never share one
            rows = {k: asdict(v) for k, v in drafts.items()}
            part.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(part, self.path)


def unsaved_notes_file(store: Store, agent_id: str) -> UnsavedNotesFile | None:
    """Where the desk of `agent_id` keeps unsaved ticket drafts; None for a store in memory."""
    path = desk_file(store, agent_id, "unsaved-notes")
    return None if path is None else UnsavedNotesFile(path)
