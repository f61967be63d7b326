"""Lines heard at the desk that the store has not taken yet, kept in a file until it does.

The desk offers such a line to the store again every few seconds (`CallLines`); this file
keeps the lines when the desk closes first (quit, a dropped SSH session, a crash), and the
next desk of the same agent on the same store offers them again (saved in that agent's
name). One file per store and agent (`desk_files.desk_file`); inside it, each desk of the
agent keeps its own list, so two desks open at once never overwrite each other's lines.
A store kept in memory has none: its lines end with the process anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agentdesk.domain.models import Utterance
from agentdesk.store.base import Store
from agentdesk.tui.desk_files import SharedDeskFile, desk_file


class UnsavedLinesFile:
    """The waiting lines of one agent's desks on one store: each desk's list under its key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = SharedDeskFile(path)

    def read(self) -> list[Utterance]:
        """Every line the agent's desks left waiting, which this desk now keeps (a desk still
        open offers its own again too: the store takes a line once, by its id). None when the
        file is missing or unreadable. Blocking: call it from a worker thread."""
        with self._file.change() as desks:
            lines: dict[str, Utterance] = {}
            try:
                for rows in desks.values():
                    for row in rows:
                        line = Utterance.model_validate(row)
                        lines.setdefault(line.id, line)
            except (ValueError, TypeError, AttributeError, ValidationError):
                # Not ours to lose: kept aside for a person to look at, and the desk starts clean.
                self._file.unreadable()
                desks.clear()
                return []
            desks.clear()
            if lines:
                desks[self._file.desk] = [line.model_dump(mode="json") for line in lines.values()]
            return list(lines.values())

    def write(self, version: int, lines: list[Utterance]) -> None:
        """Keep this desk's `lines` (none: drop its list) unless a newer `version` is on disk
        already; other desks' lists stay as they are.

        Blocking: call it from a worker thread.
        """
        desk = self._file.desk

        def keep(desks: dict[str, Any]) -> None:
            if lines:
                desks[desk] = [line.model_dump(mode="json") for line in lines]
            else:
                desks.pop(desk, None)

        self._file.write(version, keep)


def unsaved_lines_file(store: Store, agent_id: str) -> UnsavedLinesFile | None:
    """Where the desk of `agent_id` keeps the lines `store` has not taken yet (see `desk_file`)."""
    path = desk_file(store, agent_id, "unsaved-lines")
    return None if path is None else UnsavedLinesFile(path)
