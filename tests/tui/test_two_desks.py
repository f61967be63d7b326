"""Two desks of one agent open at once (two terminals, an SSH session left behind) share the
agent's files of unsaved work without overwriting each other: each desk keeps its own part,
and the desk that resumes a call gets every desk's unsaved notes for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from textual.widgets import Input, Select

from agentdesk.domain.models import Speaker, Ticket, TicketPriority, TicketType, Utterance
from agentdesk.tui.app import make_app
from agentdesk.tui.unsaved_lines import UnsavedLinesFile
from agentdesk.tui.unsaved_notes import NotesDraft, UnsavedNotesFile, unsaved_notes_file
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from tests.tui.conftest import accept, wait_for
from tests.tui.test_keep_typed import DRAFT, HU_BIN, SIZE, file_store, kept_notes, notes_of, type_note

__all__ = ["file_store"]  # the fixture, shared with the tests of one desk

OTHER = "OTHER-TERMINAL 已答应周五前回电"
"""What the agent typed into the same call on their other desk."""

WRITER = """
import sys, time
from pathlib import Path
from agentdesk.domain.models import Speaker, Utterance
from agentdesk.tui.unsaved_lines import UnsavedLinesFile
from agentdesk.tui.unsaved_notes import NotesDraft, UnsavedNotesFile

folder, name, times = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
notes = UnsavedNotesFile(folder / "desk.db.unsaved-notes-a01.json")
lines = UnsavedLinesFile(folder / "desk.db.unsaved-lines-a01.json")
while not (folder / "go").exists():  # both desks start writing together
    time.sleep(0.01)
for i in range(1, times + 1):
    notes.put(i, "TR-1", NotesDraft("Roaming", "complaint", "high", f"{name} note {i}"))
    said = [Utterance(id=f"{name}-{n}", call_id="C1", speaker=Speaker.CUSTOMER, text=f"{name} line {n}") for n in range(1, i + 1)]
    lines.write(i, said)
"""


def test_two_desks_writing_at_once_keep_both_desks_notes_and_lines(tmp_path: Path) -> None:
    desks = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, "150"])
        for name in ("left", "right")
    ]
    (tmp_path / "go").touch()
    assert [desk.wait() for desk in desks] == [0, 0]

    kept = UnsavedNotesFile(tmp_path / "desk.db.unsaved-notes-a01.json")
    assert sorted(kept_notes(kept, "TR-1")) == ["left note 150", "right note 150"]
    waiting = {u.id for u in UnsavedLinesFile(tmp_path / "desk.db.unsaved-lines-a01.json").read()}
    assert waiting == {f"{name}-{n}" for name in ("left", "right") for n in range(1, 151)}


def test_lines_a_second_desk_keeps_waiting_do_not_replace_the_first_desks(tmp_path: Path) -> None:
    path = tmp_path / "desk.db.unsaved-lines-a01.json"
    first, second = UnsavedLinesFile(path), UnsavedLinesFile(path)
    first.write(1, [Utterance(id="L1", call_id="C1", speaker=Speaker.CUSTOMER, text="the parcel never came")])
    second.write(1, [Utterance(id="L2", call_id="C2", speaker=Speaker.CUSTOMER, text="我要退款")])
    second.write(2, [])  # the second desk's lines are saved: only its own list leaves the file
    assert [u.id for u in UnsavedLinesFile(path).read()] == ["L1"]


async def test_notes_typed_into_one_call_on_two_desks_both_come_back_when_it_resumes(
    file_store, settings
) -> None:  # type: ignore[no-untyped-def]
    other_desk = unsaved_notes_file(file_store, settings.ui.agent_id)
    first = make_app(settings, file_store, lang="zh")
    first.live_transcription = None
    async with first.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        # Meanwhile the agent's desk in another terminal holds the same call and keeps a draft.
        other_desk.put(1, HU_BIN, NotesDraft("漫游费", "complaint", "high", OTHER))
        await type_note(pilot, DRAFT)
        await wait_for(pilot, lambda: any(DRAFT in n for n in kept_notes(other_desk, HU_BIN)))
        await pilot.press("q", "q")
        await pilot.pause(0.1)

    again = make_app(settings, file_store, lang="zh")
    again.live_transcription = None
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.screen.query_one(CallWorkspace).active is not None)
        assert DRAFT in notes_of(again), "this desk's own typing is back"
        assert OTHER in notes_of(again), "and so is what the other desk typed"
        # Only the other desk changed the pre-filled subject, type and priority: its fields are back.
        assert again.screen.query_one("#ticket-subject", Input).value == "漫游费"
        assert again.screen.query_one("#ticket-type", Select).value == "complaint"
        assert "Subject on the other desk" not in notes_of(again)


def test_a_resumed_call_takes_over_the_drafts_so_text_deleted_later_stays_deleted(tmp_path: Path) -> None:
    path = tmp_path / "desk.db.unsaved-notes-a01.json"
    earlier, resumed = UnsavedNotesFile(path), UnsavedNotesFile(path)
    earlier.put(1, "TR-1", NotesDraft("Roaming", "complaint", "high", "call back Friday"))
    assert resumed.take("TR-1") == NotesDraft("Roaming", "complaint", "high", "call back Friday")
    resumed.put(1, "TR-1", NotesDraft("Roaming", "complaint", "high", "called back; refund agreed"))
    assert kept_notes(resumed, "TR-1") == ["called back; refund agreed"], "one draft left, the resumed desk's"


def test_drafts_and_lines_an_earlier_version_of_the_desk_left_still_come_back(tmp_path: Path) -> None:
    notes = tmp_path / "desk.db.unsaved-notes-a01.json"
    notes.write_text(
        '{"TR-1": {"subject": "Roaming", "type": "complaint", "priority": "high", "notes": "call back Friday"}}',
        encoding="utf-8",
    )
    assert UnsavedNotesFile(notes).take("TR-1") == NotesDraft(
        "Roaming", "complaint", "high", "call back Friday"
    )
    lines = tmp_path / "desk.db.unsaved-lines-a01.json"
    lines.write_text(
        '[{"id": "L1", "call_id": "C1", "speaker": "customer", "text": "我要退款"}]', encoding="utf-8"
    )
    assert [u.text for u in UnsavedLinesFile(lines).read()] == ["我要退款"]


def taken_after_two_desks(
    tmp_path: Path, older: NotesDraft, newer: NotesDraft, *args: Any, **kw: Any
) -> NotesDraft | None:
    """Two desks of one agent keep drafts of TR-1, the older first; a third resumes the call."""
    path = tmp_path / "desk.db.unsaved-notes-a01.json"
    UnsavedNotesFile(path).put(1, "TR-1", older)
    UnsavedNotesFile(path).put(1, "TR-1", newer)
    return UnsavedNotesFile(path).take("TR-1", *args, **kw)


def test_what_two_desks_added_to_the_same_notes_comes_back_once_each(tmp_path: Path) -> None:
    summary = "客户说漫游费多扣了 1280 元。"
    draft = taken_after_two_desks(
        tmp_path,
        NotesDraft("漫游费", "complaint", "high", f"{summary} 已核实账单"),
        NotesDraft("漫游费", "complaint", "high", f"{summary} 周五前回电"),
    )
    assert draft is not None
    assert draft.notes.splitlines() == [f"{summary} 周五前回电", "已核实账单"]


def test_a_subject_typed_only_on_the_older_desk_comes_back_in_the_notes(tmp_path: Path) -> None:
    draft = taken_after_two_desks(
        tmp_path,
        NotesDraft("Refund for double charge", "complaint", "high", "Charged twice"),
        NotesDraft("Call with Wang", "inquiry", "normal", "Charged twice. Promised callback"),
    )
    assert draft is not None
    assert draft.subject == "Call with Wang", "the newest desk's subject stays in the subject field"
    assert "Subject on the other desk: Refund for double charge" in draft.notes.splitlines()
    assert draft.notes.startswith("Charged twice. Promised callback")


def test_a_subject_only_the_older_desk_changed_is_the_subject_that_comes_back(tmp_path: Path) -> None:
    prefilled = Ticket(subject="Call with Wang", type=TicketType.CONSULTATION, priority=TicketPriority.NORMAL)
    start = (prefilled.subject, str(prefilled.type), str(prefilled.priority))
    draft = taken_after_two_desks(
        tmp_path,
        NotesDraft("Refund for double charge", "complaint", start[2], "Charged twice"),
        NotesDraft(*start, "Charged twice. Promised callback"),
        prefilled,
    )
    assert draft == NotesDraft(
        "Refund for double charge", "complaint", start[2], "Charged twice. Promised callback"
    ), "what the older desk typed takes the place of the untouched pre-filled fields, no extra lines"


def test_a_word_both_desks_typed_in_full_is_not_repeated_in_the_merged_notes(tmp_path: Path) -> None:
    draft = taken_after_two_desks(
        tmp_path,
        NotesDraft("Refund", "complaint", "high", "Customer wants refund. Also check billing"),
        NotesDraft("Refund", "complaint", "high", "Customer wants refund"),
    )
    assert draft is not None
    assert draft.notes.splitlines() == ["Customer wants refund", "Also check billing"]


def test_a_word_the_desks_finished_differently_comes_back_whole(tmp_path: Path) -> None:
    draft = taken_after_two_desks(
        tmp_path,
        NotesDraft("Refund", "complaint", "high", "Customer wants refunds for both months"),
        NotesDraft("Refund", "complaint", "high", "Customer wants refund today"),
    )
    assert draft is not None
    assert draft.notes.splitlines() == ["Customer wants refund today", "refunds for both months"]


def test_a_chinese_desk_keeps_the_other_desks_subject_in_a_chinese_line(tmp_path: Path) -> None:
    from agentdesk.tui.i18n import Catalog

    t = Catalog("zh")
    labels = {f: t(f"desk11.other_desk.{f}", value="{}") for f in ("subject", "type", "priority")}
    draft = taken_after_two_desks(
        tmp_path,
        NotesDraft("重复扣费退款", "complaint", "high", "扣了两次"),
        NotesDraft("王先生来电", "inquiry", "normal", "扣了两次，答应回电"),
        labels=labels,
    )
    assert draft is not None
    assert "另一终端填写的主题：重复扣费退款" in draft.notes.splitlines()
    assert not any("other desk" in line for line in draft.notes.splitlines())
