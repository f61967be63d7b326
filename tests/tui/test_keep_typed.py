"""What the agent typed during a call is kept: unsaved ticket notes outlast a quit or a crash,
and the wrap-up dialog gives back what was typed into it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, TextArea

from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.wrap_up import WrapUpModal
from agentdesk.tui.unsaved_notes import UnsavedNotesFile, unsaved_notes_file
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from tests.tui.conftest import accept, notified, on_a_call, settle, wait_for

SIZE = (120, 40)
HU_BIN = "TR-D003"
DRAFT = "UNSAVED-DRAFT-7 客户说下午三点后方便"


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A seeded database file, as `agentdesk --db X` uses."""
    store = SqliteStore(tmp_path / "desk.db", actor="A01")
    seed_store(store)
    yield store
    store.close()


def notes_of(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#ticket-notes", TextArea).text


def kept_notes(kept: UnsavedNotesFile, transfer_id: str) -> list[str]:
    """The notes each desk keeps for the call in the file, read as they are (nothing taken)."""
    if not kept.path.exists():
        return []
    calls = json.loads(kept.path.read_text(encoding="utf-8"))
    return [desk["notes"] for desk in calls.get(transfer_id, {}).values()]


async def type_note(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """`t` to the ticket notes, type after what is there, Esc back to the call keys."""
    await pilot.press("t")
    await pilot.press(*text)
    await pilot.press("escape")
    await settle(pilot)


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "Unsaved ticket notes stay"), ("zh", "未保存的工单备注会随通话保留")]
)
async def test_ticket_notes_typed_before_quitting_mid_call_are_back_when_the_call_resumes(
    file_store, settings, lang: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    first = make_app(settings, file_store, lang=lang)
    first.live_transcription = None
    async with first.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        await type_note(pilot, DRAFT)
        await pilot.press("q")
        await settle(pilot)
        assert notified(first, says), "the quit warning says the notes are kept"
        await pilot.press("q")
        await pilot.pause(0.1)
    assert first.return_code == 0

    again = make_app(settings, file_store, lang=lang)
    again.live_transcription = None
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.screen.query_one(CallWorkspace).active is not None)
        assert notes_of(again).endswith(DRAFT)
        assert notified(again, again.t("keep_typed.notes_back"))


async def test_ticket_notes_reach_their_file_while_the_agent_is_still_typing(file_store, settings) -> None:  # type: ignore[no-untyped-def]
    # A crash or a dropped SSH session gives the desk no chance to write on the way out.
    kept = unsaved_notes_file(file_store, settings.ui.agent_id)
    async with on_a_call(file_store, settings, HU_BIN, lang="zh", size=SIZE) as (_, pilot):
        await type_note(pilot, DRAFT)
        # Written while the desk still runs (it may first hold what was typed so far).
        await wait_for(pilot, lambda: any(n.endswith(DRAFT) for n in kept_notes(kept, HU_BIN)))
        [desk] = json.loads(kept.path.read_text(encoding="utf-8"))[HU_BIN].values()  # this desk's own
        assert DRAFT in desk["notes"]


async def test_a_subject_change_left_unsaved_is_back_too(file_store, settings) -> None:  # type: ignore[no-untyped-def]
    first = make_app(settings, file_store, lang="en")
    first.live_transcription = None
    async with first.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        subject = first.screen.query_one("#ticket-subject", Input)
        subject.focus()
        await pilot.press("end", *" (callback after 3pm)", "escape")
        await pilot.press("q", "q")
        await pilot.pause(0.1)
        typed = subject.value

    again = make_app(settings, file_store, lang="en")
    again.live_transcription = None
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.screen.query_one(CallWorkspace).active is not None)
        assert again.screen.query_one("#ticket-subject", Input).value == typed
        assert typed.endswith("(callback after 3pm)")


async def test_saved_and_wrapped_up_notes_leave_nothing_behind_to_restore(file_store, settings) -> None:  # type: ignore[no-untyped-def]
    kept = unsaved_notes_file(file_store, settings.ui.agent_id)
    async with on_a_call(file_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        await type_note(pilot, " call back after 3pm")
        await wait_for(pilot, lambda: kept_notes(kept, HU_BIN) != [])
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one(CallWorkspace).active is None)
        await wait_for(pilot, lambda: kept_notes(kept, HU_BIN) == [])
    assert not kept.path.exists()


async def test_a_store_in_memory_keeps_no_notes_file(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    assert unsaved_notes_file(seeded_store, settings.ui.agent_id) is None


# -- the wrap-up dialog --------------------------------------------------------------------------
async def test_escape_from_wrap_up_keeps_the_notes_subject_and_code_for_the_next_w(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        await pilot.press("w")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, WrapUpModal)
        modal.query_one("#wrap-disposition", Select).value = "escalated_specialist"
        modal.query_one("#wrap-resolved", Checkbox).value = False
        modal.query_one("#wrap-subject", Input).value = "Roaming charge dispute"
        notes = modal.query_one("#wrap-notes", TextArea)
        notes.focus()
        notes.move_cursor(notes.document.end)
        await pilot.press(*" WRAP-NOTE-9 客户要求书面答复")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, WrapUpModal), "Esc goes back to the call"
        assert app.screen.query_one(CallWorkspace).active is not None, "and saves nothing"
        assert notified(app, app.t("keep_typed.wrapup_kept"))
        assert notes_of(app).endswith("WRAP-NOTE-9 客户要求书面答复"), "the notes wait in the ticket"

        await pilot.press("w")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, WrapUpModal)
        assert again.query_one("#wrap-notes", TextArea).text.endswith("WRAP-NOTE-9 客户要求书面答复")
        assert again.query_one("#wrap-subject", Input).value == "Roaming charge dispute"
        assert again.query_one("#wrap-disposition", Select).value == "escalated_specialist"
        assert again.query_one("#wrap-resolved", Checkbox).value is False


async def test_tab_into_the_wrap_up_subject_adds_to_it_instead_of_replacing_it(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        await pilot.press("w")
        await settle(pilot)
        subject = app.screen.query_one("#wrap-subject", Input)
        before = subject.value
        assert before
        while app.focused is not subject:
            await pilot.press("tab")
        await pilot.press(*" (2nd call)")
        assert subject.value == before + " (2nd call)"


async def test_tab_into_the_desk_ticket_subject_adds_to_it_too(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        subject = app.screen.query_one("#ticket-subject", Input)
        before = subject.value
        app.screen.query_one("#ticket-priority").focus()
        await pilot.press("tab")
        assert app.focused is subject
        await pilot.press(*" x")
        assert subject.value == before + " x"


# -- the bot's summary and what was saved -------------------------------------------------------
async def test_the_bot_summary_goes_into_the_ticket_once_even_after_the_desk_reopens(
    file_store, settings
) -> None:  # type: ignore[no-untyped-def]
    summary = file_store.get_transfer(HU_BIN).packet.summary
    assert summary
    first = make_app(settings, file_store, lang="en")
    first.live_transcription = None
    async with first.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        assert notes_of(first).startswith(summary)  # offered once, to save with the agent's words
        await type_note(pilot, " Call back after 3pm.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        ticket_id = first.screen.query_one(CallWorkspace).active.ticket_id
        await pilot.press("q", "q")
        await pilot.pause(0.1)

    again = make_app(settings, file_store, lang="en")
    again.live_transcription = None
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: again.screen.query_one(CallWorkspace).active is not None)
        assert summary not in notes_of(again), "the ticket holds the summary already"
        await type_note(pilot, "Customer agreed.")
        await pilot.press("ctrl+s")
        await settle(pilot)
    notes = [n.text for n in file_store.get_ticket(ticket_id).notes if n.kind == "note"]
    assert sum(summary in n for n in notes) == 1
    assert notes[-1] == "Customer agreed."


@pytest.mark.parametrize(("lang", "says"), [("en", "Saved: "), ("zh", "已保存：")])
async def test_after_saving_the_editor_shows_the_note_that_went_into_the_ticket(
    seeded_store, settings, lang: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang=lang, size=SIZE) as (app, pilot):
        app.screen.query_one("#ticket-notes", TextArea).text = ""
        await type_note(pilot, "SAVED-NOTE-3 refund promised")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notes_of(app) == "", "the saved note left the box for the ticket's history"
        shown = str(app.screen.query_one("#ticket-saved-note").render())
        assert says in shown and "SAVED-NOTE-3 refund promised" in shown

        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpModal)
        assert "SAVED-NOTE-3 refund promised" in str(app.screen.query_one("#wrap-saved").render())


async def test_accepting_a_fresh_call_does_not_ask_the_store_for_a_bot_mode_it_cannot_have(
    seeded_store, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # On a team server every store read is a round trip; only a resumed call can have a mode set.
    asked: list[str] = []
    get_call = seeded_store.get_call
    monkeypatch.setattr(seeded_store, "get_call", lambda call_id: asked.append(call_id) or get_call(call_id))
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, _):
        call = app.screen.query_one(CallWorkspace).active
        assert call is not None and str(call.bot_mode) == "normal"
        assert call.call_id not in asked
