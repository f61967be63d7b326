"""What the agent typed into a call's ticket and has not saved yet, kept in a file until they do.

The desk writes the ticket editor's draft here as the agent types (a few times a second at
most), so quitting during a call, a dropped SSH session or a crash does not throw it away:
the desk that resumes the call puts the draft back in the editor. One file per store and
agent (`desk_files.desk_file`); inside it, one entry per held call (by transfer id) and,
within that, one draft per desk: two desks of the agent open at once (two terminals) never
overwrite each other's draft. The desk that resumes a call takes over every desk's draft of
it, merged (the newest, plus any note line, subject, type or priority only another desk
has). A desk's draft leaves the file when its call is wrapped up, or when its editor holds
nothing more than what was saved or pre-filled.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from agentdesk.domain.models import Ticket
from agentdesk.store.base import Store
from agentdesk.tui.desk_files import SharedDeskFile, desk_file


@dataclass(frozen=True)
class NotesDraft:
    """The ticket editor's fields as the agent left them."""

    subject: str
    type: str
    priority: str
    notes: str


OTHER_DESK = {
    "subject": "Subject on the other desk: {}",
    "type": "Type on the other desk: {}",
    "priority": "Priority on the other desk: {}",
}
"""The note line that keeps a field another desk set differently, by field."""

_LEADING_PUNCTUATION = " \t\n.,;:!?。，；：！？、"


def merged(
    drafts: list[NotesDraft], prefilled: NotesDraft | None = None, labels: Mapping[str, str] = OTHER_DESK
) -> NotesDraft | None:
    """One draft from several desks' drafts of a call, newest first: the newest one, with what
    only an older one holds added on a line of its own, so no desk's typing is lost.

    A subject, type or priority only an older desk changed from `prefilled` (what the editor
    starts from; its notes do not matter) is taken as it is; one both changed differently
    keeps the newest's, and the older one goes into the notes on a line of its own. Without
    `prefilled`, every field an older desk holds differently is such a line.
    """
    if not drafts:
        return None
    newest, *older = drafts
    notes = newest.notes
    for draft in older:
        extra = _beyond(draft.notes, newest.notes).strip().lstrip(_LEADING_PUNCTUATION)
        if extra and draft.notes.strip() not in notes:
            notes = _with_line(notes, extra)
    fields = {name: getattr(newest, name) for name in OTHER_DESK}
    for name, line in ((n, labels.get(n, OTHER_DESK[n])) for n in OTHER_DESK):
        start = getattr(prefilled, name) if prefilled is not None else None
        for draft in older:
            theirs = getattr(draft, name)
            if theirs in (fields[name], start):
                continue
            if fields[name] == start:  # the newest desk left it as it was: the typing is theirs
                fields[name] = theirs
            elif line.format(theirs) not in notes.splitlines():
                notes = _with_line(notes, line.format(theirs))
    return replace(newest, notes=notes, **fields)


def _with_line(notes: str, line: str) -> str:
    """`notes` with `line` after them, on a line of its own."""
    return f"{notes.rstrip()}\n{line}" if notes.strip() else line


def _beyond(text: str, base: str) -> str:
    """`text` past where it stops being the same as `base` (both desks typed after the same
    start), from a word's beginning when they part inside a word."""
    same = next(
        (i for i, (a, b) in enumerate(zip(text, base, strict=False)) if a != b), min(len(text), len(base))
    )
    if 0 < same < len(text) and _in_word(text[same - 1]) and _in_word(text[same]):
        same = max(text.rfind(" ", 0, same), text.rfind("\n", 0, same)) + 1
    return text[same:]


def _in_word(char: str) -> bool:
    """A letter or digit of a word written with spaces between words (Chinese has none)."""
    return char.isascii() and char.isalnum()


def fields_of(ticket: Ticket) -> NotesDraft:
    """The fields the editor shows for `ticket` before the agent types (no notes)."""
    return NotesDraft(ticket.subject, str(ticket.type), str(ticket.priority), "")


def _desks(calls: dict[str, Any], transfer_id: str) -> dict[str, Any]:
    """The call's drafts by desk, a copy; an older desk's file held one draft a call, no desk."""
    desks = calls.get(transfer_id)
    if not isinstance(desks, dict):
        return {}
    return {"": desks} if "notes" in desks else dict(desks)


class UnsavedNotesFile:
    """The unsaved ticket drafts of one agent's held calls, as a small JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = SharedDeskFile(path)

    def take(
        self, transfer_id: str, prefilled: Ticket | None = None, labels: Mapping[str, str] = OTHER_DESK
    ) -> NotesDraft | None:
        """The call's draft, every desk's merged, which from now on is this desk's own: the
        desk resuming the call puts it in its editor. `prefilled`: the ticket the editor
        starts from (see `merged`); `labels`: the note lines in the desk's language, as in
        `OTHER_DESK`. Blocking: call it from a worker thread."""
        start = None if prefilled is None else fields_of(prefilled)
        with self._file.change() as calls:
            draft = merged(self._drafts(calls, transfer_id), start, labels)
            calls.pop(transfer_id, None)
            if draft is not None:
                calls[transfer_id] = {self._file.desk: {**asdict(draft), "at": time.time()}}
            return draft

    def put(self, version: int, transfer_id: str, draft: NotesDraft | None) -> None:
        """Keep this desk's `draft` for the call (None: forget it) unless a newer `version` is
        on disk; other desks' drafts stay as they are.

        Blocking: call it from a worker thread.
        """
        desk = self._file.desk

        def keep(calls: dict[str, Any]) -> None:
            desks = _desks(calls, transfer_id)
            if draft is None:
                desks.pop(desk, None)
            else:
                desks[desk] = {**asdict(draft), "at": time.time()}
            if desks:
                calls[transfer_id] = desks
            else:
                calls.pop(transfer_id, None)

        self._file.write(version, keep)

    def _drafts(self, calls: dict[str, Any], transfer_id: str) -> list[NotesDraft]:
        """The call's drafts, newest first; an unreadable file is moved aside (none then)."""
        desks = _desks(calls, transfer_id)
        try:
            entries = sorted(desks.values(), key=lambda e: -float(e.get("at", 0)))
            return [NotesDraft(e["subject"], e["type"], e["priority"], e["notes"]) for e in entries]
        except (AttributeError, KeyError, TypeError, ValueError):
            # Not ours to lose: kept aside for a person to look at, and the desk starts clean.
            self._file.unreadable()
            calls.clear()
            return []


def unsaved_notes_file(store: Store, agent_id: str) -> UnsavedNotesFile | None:
    """Where the desk of `agent_id` keeps unsaved ticket drafts; None for a store in memory."""
    path = desk_file(store, agent_id, "unsaved-notes")
    return None if path is None else UnsavedNotesFile(path)
