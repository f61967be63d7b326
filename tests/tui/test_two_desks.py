"""Two desks of one agent open at once (two terminals, an SSH session left behind) share the
agent's files of unsaved work without overwriting each other: each desk keeps its own part,
and the desk that resumes a call gets every desk's unsaved notes for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from agentdesk.domain.models import Speaker, Utterance
from agentdesk.tui.app import make_app
from agentdesk.tui.unsaved_lines import UnsavedLinesFile
from agentdesk.tui.unsaved_notes import NotesDraft, UnsavedNotesFile, unsaved_notes_file
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from tests.tui.conftest import accept, wait_for
from tests.tui.test_keep_typed import DRAFT, HU_BIN, SIZE, file_store, notes_of, type_note

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

    draft = UnsavedNotesFile(tmp_path / "desk.db.unsaved-notes-a01.json").draft("TR-1")
    assert draft is not None
    assert {"left note 150", "right note 150"} <= set(draft.notes.splitlines())
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
        await wait_for(pilot, lambda: (d := other_desk.draft(HU_BIN)) is not None and DRAFT in d.notes)
        await pilot.press("q", "q")
        await pilot.pause(0.1)

    again = make_app(settings, file_store, lang="zh")
    again.live_transcription = None
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.screen.query_one(CallWorkspace).active is not None)
        assert DRAFT in notes_of(again), "this desk's own typing is back"
        assert OTHER in notes_of(again), "and so is what the other desk typed"


def test_a_resumed_call_takes_over_the_drafts_so_text_deleted_later_stays_deleted(tmp_path: Path) -> None:
    path = tmp_path / "desk.db.unsaved-notes-a01.json"
    earlier, resumed = UnsavedNotesFile(path), UnsavedNotesFile(path)
    earlier.put(1, "TR-1", NotesDraft("Roaming", "complaint", "high", "call back Friday"))
    assert resumed.take("TR-1") == NotesDraft("Roaming", "complaint", "high", "call back Friday")
    resumed.put(1, "TR-1", NotesDraft("Roaming", "complaint", "high", "called back; refund agreed"))
    again = UnsavedNotesFile(path).draft("TR-1")
    assert again is not None and again.notes == "called back; refund agreed"


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


def test_what_two_desks_added_to_the_same_notes_comes_back_once_each(tmp_path: Path) -> None:
    path = tmp_path / "desk.db.unsaved-notes-a01.json"
    summary = "客户说漫游费多扣了 1280 元。"
    left, right = UnsavedNotesFile(path), UnsavedNotesFile(path)
    left.put(1, "TR-1", NotesDraft("漫游费", "complaint", "high", f"{summary} 已核实账单"))
    right.put(1, "TR-1", NotesDraft("漫游费", "complaint", "high", f"{summary} 周五前回电"))
    draft = UnsavedNotesFile(path).take("TR-1")
    assert draft is not None
    assert draft.notes.splitlines() == [f"{summary} 周五前回电", "已核实账单"]
