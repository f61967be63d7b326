"""Keys on the desk while typing in the ticket: `t` goes to the end of the notes, Esc gives
the call keys back instead of typing them into the notes."""

from __future__ import annotations

from textual.widgets import TextArea

from agentdesk.tui.app import make_app
from agentdesk.tui.screens.hand_back import HandBackModal
from tests.tui.conftest import accept, settle

SIZE = (120, 40)


async def test_t_puts_the_cursor_after_the_last_line_of_the_notes(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, "TR-D001")
        notes = app.screen.query_one("#ticket-notes", TextArea)
        summary = notes.text
        assert summary, "the handoff summary pre-fills the notes"
        await pilot.press("t")
        assert app.focused is notes and notes.cursor_location == notes.document.end
        await pilot.press("o", "k")
        assert notes.text == summary + "ok"


async def test_escape_in_the_ticket_notes_gives_the_call_keys_back(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, "TR-D001")
        notes = app.screen.query_one("#ticket-notes", TextArea)
        await pilot.press("t")
        assert "escape" in app.screen.active_bindings  # the footer says how to leave
        before = notes.text
        await pilot.press("escape")
        assert app.focused is app.screen.query_one("#inbox-table")
        assert "escape" not in app.screen.active_bindings
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, HandBackModal)  # a call key again, not a letter in the notes
        assert notes.text == before


async def test_escape_from_the_ticket_subject_also_leaves_the_editor(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, "TR-D001")
        app.screen.query_one("#ticket-subject").focus()
        await pilot.press("escape")
        assert app.focused is app.screen.query_one("#inbox-table")


async def test_inserted_suggestions_leave_the_cursor_at_the_end_of_the_notes(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.widgets.assist_panel import AssistPanel
    from tests.tui.conftest import wait_for

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, "TR-D001")
        await wait_for(pilot, lambda: app.screen.query_one(AssistPanel).assist is not None)
        await pilot.press("0")
        notes = app.screen.query_one("#ticket-notes", TextArea)
        assert notes.cursor_location == notes.document.end
