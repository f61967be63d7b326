"""The tickets place through Pilot: search, filters, windowing, the editor and its refusals; snapshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Checkbox, Select, TextArea

from agentdesk.domain.models import Ticket, TicketStatus, TicketType
from agentdesk.domain.tickets import DISPOSITIONS, OPEN_STATUSES, TRANSITIONS, is_overdue
from agentdesk.store.base import TicketQuery
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.messages import TicketSaved
from agentdesk.tui.screens.tickets import TicketsScreen
from agentdesk.tui.widgets.ticket_editor_screen import TicketEditorScreen
from agentdesk.tui.widgets.ticket_form import TicketForm
from agentdesk.tui.widgets.ticket_table import PAGE_SIZE, TicketList
from agentdesk.tui.widgets.ticket_transcript import TranscriptScreen
from tests.tui.conftest import FROZEN_NOW, posted, settle, wait_for

SIZE = (120, 40)
OPEN = TicketQuery(statuses=OPEN_STATUSES)


async def open_tickets(pilot) -> TicketList:  # type: ignore[no-untyped-def]
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TicketsScreen)
    tickets = pilot.app.screen.query_one(TicketList)
    await wait_for(pilot, lambda: tickets.table.row_count > 0)  # the first window is loaded
    return tickets


def shown_ids(tickets: TicketList) -> list[str]:
    return [str(key.value) for key in tickets.table.rows]


async def open_editor(pilot, ticket_id: str) -> TicketEditorScreen:  # type: ignore[no-untyped-def]
    await open_tickets(pilot)
    pilot.app.screen.open_ticket(ticket_id)
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, TicketEditorScreen)
    assert editor.ticket is not None and editor.ticket.id == ticket_id
    return editor


async def test_the_list_opens_on_every_open_ticket_most_recent_first(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        assert shown_ids(tickets) == [t.id for t in seeded_store.list_tickets(OPEN)]
        assert tickets.total == seeded_store.count_tickets(OPEN) < seeded_store.count_tickets()
        assert tickets.table.has_focus


async def test_typing_a_two_character_chinese_word_searches_as_you_type(seeded_store, settings) -> None:
    expected = [t.id for t in seeded_store.list_tickets(TicketQuery(text="副卡", statuses=OPEN_STATUSES))]
    assert expected and len(expected) < seeded_store.count_tickets(OPEN)
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        await pilot.press("slash", "副", "卡")  # no Enter: the search runs when typing pauses
        await wait_for(pilot, lambda: shown_ids(tickets) == expected)
        assert "副卡" in seeded_store.get_ticket(expected[0]).subject + "".join(
            n.text for n in seeded_store.get_ticket(expected[0]).notes
        )


async def test_search_over_all_statuses_finds_english_and_chinese_history(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        app.screen.query_one("#tickets-status", Select).value = "all"
        await settle(pilot)
        assert tickets.total == seeded_store.count_tickets()
        for word in ("漫游", "refund"):
            await pilot.press("escape")  # back to the list, so "/" is a key and not text
            app.screen.query_one("#tickets-query").value = word
            await pilot.press("slash", "enter")
            await settle(pilot)
            expected = [t.id for t in seeded_store.list_tickets(TicketQuery(text=word))]
            assert len(expected) > 1
            assert shown_ids(tickets) == expected


@pytest.mark.parametrize("key", ["enter", "down"])
async def test_enter_or_down_in_the_search_box_moves_to_the_results(seeded_store, settings, key: str) -> None:
    expected = [t.id for t in seeded_store.list_tickets(TicketQuery(text="bill", statuses=OPEN_STATUSES))]
    assert expected
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        await pilot.press("slash", *"bill", key)
        await settle(pilot)
        assert tickets.table.has_focus and shown_ids(tickets) == expected
        await pilot.press("down")  # a list key now, not text in the search box
        assert tickets.table.absolute_row == 1


def _empty_text(tickets: TicketList) -> str:
    return str(tickets.query_one("#tickets-empty").render())


async def test_an_empty_result_while_typing_does_not_offer_keys_that_would_be_typed(
    seeded_store, settings
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        await pilot.press("slash", *"qqxz", "enter")
        await wait_for(pilot, lambda: tickets.total == 0)
        assert app.screen.focused is app.screen.query_one("#tickets-query")  # nothing to move to
        assert "Keep typing" in _empty_text(tickets) and "Press c" not in _empty_text(tickets)
        await pilot.press("escape")
        await settle(pilot)
        assert "Press c" in _empty_text(tickets)
        await pilot.press("c")
        await wait_for(pilot, lambda: tickets.total > 0)
        assert app.screen.query_one("#tickets-query").value == ""


async def test_a_half_typed_word_or_id_already_finds_tickets(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        app.screen.query_one("#tickets-status", Select).value = "all"
        await settle(pilot)
        await pilot.press("slash", *"refu")  # no Enter: the list follows the typing
        refund = [t.id for t in seeded_store.list_tickets(TicketQuery(text="refund"))]
        everything = seeded_store.count_tickets()
        await wait_for(pilot, lambda: tickets.total < everything)  # the search has answered
        assert set(shown_ids(tickets)) >= set(refund) and len(refund) > 1
        app.screen.query_one("#tickets-query").value = ""
        await pilot.press(*"TK-H01")
        await wait_for(pilot, lambda: len(shown_ids(tickets)) == 10)  # TK-H010 … TK-H019
        assert all(i.startswith("TK-H01") for i in shown_ids(tickets))


async def test_overdue_filter_keeps_only_open_tickets_past_their_sla(frozen_store, settings) -> None:
    fresh = frozen_store.create_ticket(Ticket(subject="Fresh question", created_at=FROZEN_NOW))
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        assert fresh.id in shown_ids(tickets)
        await pilot.press("o")
        await settle(pilot)
        ids = shown_ids(tickets)
        assert fresh.id not in ids
        assert ids and all(is_overdue(frozen_store.get_ticket(i), FROZEN_NOW) for i in ids)
        assert ids == [t.id for t in frozen_store.list_tickets(TicketQuery(overdue_at=FROZEN_NOW))]
        await pilot.press("o")  # again: the filter is off
        await settle(pilot)
        assert fresh.id in shown_ids(tickets)


async def test_mine_filter_keeps_my_tickets_and_clear_brings_all_back(seeded_store, settings) -> None:
    mine = [t.id for t in seeded_store.list_tickets(TicketQuery(statuses=OPEN_STATUSES, assignee_id="A01"))]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        everyone = shown_ids(tickets)
        await pilot.press("m")
        await settle(pilot)
        assert shown_ids(tickets) == mine and len(mine) < len(everyone)
        await pilot.press("c")
        await settle(pilot)
        assert shown_ids(tickets) == everyone


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_sla_and_updated_stay_on_screen_in_a_small_terminal(seeded_store, settings, lang, size) -> None:
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=size) as pilot:
        tickets = await open_tickets(pilot)
        table = tickets.table
        keys = [str(c.key.value) for c in table.ordered_columns]
        assert {"id", "status", "priority", "subject", "sla", "updated"} <= set(keys)
        inner = tickets.content_region.width
        assert sum(c.get_render_width(table) for c in table.ordered_columns) < inner  # nothing off-screen
        for name in ("#tickets-mine", "#tickets-overdue"):
            box = app.screen.query_one(name).region
            assert box.right <= size[0], name  # the filter bar's last checkboxes are not cut off


async def test_the_list_names_statuses_and_types_as_the_editor_and_filters_do(seeded_store, settings) -> None:
    waiting = next(t for t in seeded_store.list_tickets(OPEN) if t.status == TicketStatus.WAITING_CUSTOMER)
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        tickets = await open_tickets(pilot)
        row = tickets.table.get_row(waiting.id)
        keys = [str(c.key.value) for c in tickets.table.ordered_columns]
        status, kind = str(row[keys.index("status")]), str(row[keys.index("type")])
        filter_labels = [str(label) for label, _ in app.screen.query_one("#tickets-status", Select)._options]
        assert status == "waiting on customer" and status in filter_labels
        assert kind == str(
            app.screen.query_one("#tickets-type", Select)._options[1 + list(TicketType).index(waiting.type)][
                0
            ]
        )
        editor = await open_editor(pilot, waiting.id)
        assert status in str(editor.query_one("#tickets-edit-status", Select)._options[0][0])


async def test_enter_opens_the_editor_offering_only_legal_next_statuses(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        await pilot.press("down")
        chosen = tickets.current
        assert chosen is not None
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TicketEditorScreen) and editor.ticket_id == chosen.id
        assert editor.query_one("#tickets-edit-subject").value == chosen.subject
        status = editor.query_one("#tickets-edit-status", Select)
        offered = [value for _, value in status._options if value is not Select.BLANK]
        assert offered[0] == chosen.status
        assert set(offered[1:]) == TRANSITIONS[chosen.status]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)


async def test_a_move_made_illegal_by_another_desk_is_refused_with_a_message(seeded_store, settings) -> None:
    ticket = seeded_store.list_tickets(TicketQuery(statuses=frozenset({TicketStatus.NEW})))[0]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        editor.query_one("#tickets-edit-status", Select).value = TicketStatus.IN_PROGRESS
        editor.query_one("#tickets-edit-note", TextArea).text = "Starting on it."
        seeded_store.update_ticket(  # another desk, first
            ticket.id, status=TicketStatus.CLOSED, disposition="no_action_needed", actor="A02"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is editor
        form = editor.query_one(TicketForm)
        assert "closed" in form.message and "in progress" in form.message and form.has_error
        assert any("cannot move" in n.message for n in app._notifications)
        stored = seeded_store.get_ticket(ticket.id)
        assert stored.status == TicketStatus.CLOSED
        assert not any(n.author == settings.ui.agent_id for n in stored.notes), "nothing was written"
        # Reloaded: the form now offers the moves from `closed`, and the note draft survived.
        offered = [v for _, v in editor.query_one("#tickets-edit-status", Select)._options]
        assert offered == [TicketStatus.CLOSED, TicketStatus.REOPENED]
        assert editor.query_one("#tickets-edit-note", TextArea).text == "Starting on it."


async def test_a_legal_move_and_a_note_are_saved_with_the_agent_as_actor(seeded_store, settings) -> None:
    ticket = seeded_store.list_tickets(TicketQuery(statuses=frozenset({TicketStatus.NEW})))[0]
    messages: list[object] = []
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        editor = await open_editor(pilot, ticket.id)
        editor.query_one("#tickets-edit-status", Select).value = TicketStatus.IN_PROGRESS
        await pilot.press("ctrl+n")
        editor.query_one("#tickets-edit-note", TextArea).text = "已联系快递，明天回电。"
        await pilot.press("ctrl+t", "ctrl+s")
        await settle(pilot)
        [saved] = posted(messages, TicketSaved)
        stored = seeded_store.get_ticket(ticket.id)
        assert saved.ticket.id == ticket.id
        assert (stored.status, stored.assignee_id) == (TicketStatus.IN_PROGRESS, "A01")
        added = stored.notes[len(ticket.notes) :]
        assert [(n.kind, n.author) for n in added] == [("status", "A01"), ("status", "A01"), ("note", "A01")]
        assert added[-1].text == "已联系快递，明天回电。"
        events = seeded_store.events_since(0, entity_id=ticket.id)
        assert events[-1].actor == "A01" and events[-1].kind == "ticket.updated"
        # The editor shows the saved ticket: new history, note box empty, status offers moves from here.
        assert editor.query_one("#tickets-edit-note", TextArea).text == ""
        assert "saved" in editor.query_one(TicketForm).message
        assert "已联系快递" in _plain(editor.query_one("#tickets-history-body").content)


def _plain(renderable) -> str:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


async def test_saving_nothing_writes_nothing(seeded_store, settings) -> None:
    ticket = seeded_store.list_tickets(OPEN)[0]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        before = seeded_store.last_seq()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert seeded_store.last_seq() == before
        assert "Nothing changed" in editor.query_one(TicketForm).message


async def test_leaving_with_unsaved_edits_asks_first(seeded_store, settings) -> None:
    ticket = seeded_store.list_tickets(OPEN)[0]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        editor.query_one("#tickets-edit-note", TextArea).text = "half a thought"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is editor and "Esc again" in editor.query_one(TicketForm).message
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)


async def test_a_linked_call_opens_read_only_with_its_transcript(seeded_store, settings) -> None:
    ticket = seeded_store.get_ticket("TK-H016")
    [call_id] = ticket.linked_call_ids
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, ticket.id)
        await pilot.press("ctrl+o")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, TranscriptScreen) and viewer.call.id == call_id
        lines = viewer.query_one("#tickets-transcript-pane").lines
        assert [u.text for u in lines] == [u.text for u in seeded_store.list_utterances(call_id)]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketEditorScreen)


async def test_survey_result_is_shown_with_score_and_comment(seeded_store, settings) -> None:
    ticket = next(t for t in seeded_store.list_tickets(TicketQuery(limit=200)) if t.survey_id)
    survey = seeded_store.get_survey(ticket.survey_id)
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        text = _plain(editor.query_one("#tickets-survey").content)
        assert f"{survey.score}/5" in text and survey.comment[:8] in text


async def test_the_list_follows_changes_made_elsewhere(seeded_store, settings) -> None:
    ticket = seeded_store.list_tickets(OPEN)[-1]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        seeded_store.update_ticket(ticket.id, subject="Renamed on another desk", actor="A02")
        await wait_for(pilot, lambda: shown_ids(tickets)[:1] == [ticket.id])  # most recently updated first
        assert str(tickets.table.get_row(ticket.id)[5]).startswith("Renamed on another")


async def test_a_team_desk_says_the_server_is_unreachable_and_reads_again_when_it_is_back(tmp_path) -> None:
    from agentdesk.config import Settings, UISettings
    from agentdesk.server.runner import ServerThread
    from agentdesk.store.remote import RemoteStore
    from tests.server.conftest import start

    served = start(tmp_path)
    served.store.create_ticket(Ticket(id="TK-T1", subject="Roaming charge on the bill"))
    store = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db", retry_seconds=0.1)
    app = make_app(Settings(ui=UISettings(agent_id="A1")), store, lang="en")
    try:
        async with app.run_test(size=SIZE) as pilot:
            tickets = await open_tickets(pilot)
            assert shown_ids(tickets) == ["TK-T1"]
            served.thread.stop()
            await pilot.press("slash", *"bill", "enter")  # a search the cache cannot answer
            await wait_for(pilot, lambda: tickets.unreachable)
            text = str(tickets.query_one("#tickets-empty").render())
            assert "cannot be reached" in text and "Press c" not in text
            assert "unreachable" in str(tickets.border_subtitle)

            served.thread = ServerThread(served.app, port=served.thread.port).start()
            await wait_for(pilot, lambda: shown_ids(tickets) == ["TK-T1"], timeout=20)  # no key pressed
            assert not tickets.unreachable and tickets.border_subtitle == "1 of 1"
    finally:
        store.close()
        served.thread.stop()
        served.store.close()


@pytest.fixture
def big_store() -> SqliteStore:
    """5,000 open tickets with distinct update times, so the list order is total."""
    store = SqliteStore(":memory:", actor="A01")
    start = FROZEN_NOW - timedelta(days=30)
    store.bulk_load(
        [
            Ticket(
                subject=f"Bulk ticket {i:04}",
                created_at=start + timedelta(minutes=i),
                updated_at=start + timedelta(minutes=i),
            )
            for i in range(5000)
        ],
        actor="seed",
    )
    return store


async def test_a_5000_ticket_list_holds_one_window_and_pages_to_the_last_ticket(big_store, settings) -> None:
    total = big_store.count_tickets(OPEN)
    newest, oldest = (
        big_store.list_tickets(OPEN)[0],
        big_store.list_tickets(TicketQuery(offset=total - 1, limit=1))[0],
    )
    app = make_app(settings, big_store, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        tickets = await open_tickets(pilot)
        table = tickets.table
        assert total == 5000 and tickets.total == total
        assert table.row_count == PAGE_SIZE and tickets.current.id == newest.id

        table.move_cursor(row=table.row_count - 1)
        await pilot.press("down")  # off the end of the window: the next one loads around the cursor
        await settle(pilot)
        assert table.absolute_row == PAGE_SIZE and table.row_count <= PAGE_SIZE
        assert (
            tickets.current.subject
            == big_store.list_tickets(TicketQuery(offset=PAGE_SIZE, limit=1))[0].subject
        )

        for _ in range(3):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            assert table.row_count <= PAGE_SIZE
        assert table.absolute_row == 4 * PAGE_SIZE

        await pilot.press("end")
        await settle(pilot)
        assert tickets.current.id == oldest.id and table.absolute_row == total - 1
        assert table.row_count <= PAGE_SIZE
        assert tickets.border_subtitle == "5,000 of 5,000"

        await pilot.press("home")
        await settle(pilot)
        assert tickets.current.id == newest.id and table.row_count <= PAGE_SIZE


def test_every_tickets_binding_has_an_id_a_tooltip_and_both_translations() -> None:
    from agentdesk.tui.i18n import _catalog
    from agentdesk.tui.widgets.ticket_calls import CallTable
    from agentdesk.tui.widgets.ticket_table import TicketTable

    for owner in (TicketsScreen, TicketEditorScreen, TicketTable, CallTable, TranscriptScreen):
        for binding in owner.BINDINGS:
            assert binding.id and binding.tooltip, binding
            for lang in ("en", "zh"):
                assert f"binding.{binding.id}" in _catalog(lang), (lang, binding.id)
                assert f"binding.{binding.id}.tip" in _catalog(lang), (lang, binding.id)


async def test_help_lists_the_tickets_keys(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        tickets = await open_tickets(pilot)
        await wait_for(pilot, lambda: tickets.table.has_focus)
        await pilot.press("question_mark")
        await settle(pilot)
        text = _plain(app.screen.query_one("#help-body").query("Static")[1].content)
        for label in ("超时", "我的", "清除", "打开"):
            assert label in text


async def test_picking_assigned_on_a_ticket_nobody_holds_ticks_assign_to_me(seeded_store, settings) -> None:
    ticket = next(
        t for t in seeded_store.list_tickets(OPEN) if t.status == TicketStatus.NEW and not t.assignee_id
    )
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        editor.query_one("#tickets-edit-status", Select).value = TicketStatus.ASSIGNED
        await settle(pilot)
        assert editor.query_one("#tickets-edit-take", Checkbox).value
        assert "Assign to me is ticked" in editor.query_one(TicketForm).message
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = seeded_store.get_ticket(ticket.id)
        assert (stored.status, stored.assignee_id) == (TicketStatus.ASSIGNED, settings.ui.agent_id)


async def test_assigned_with_assign_to_me_unticked_is_refused_with_a_message(seeded_store, settings) -> None:
    ticket = next(
        t for t in seeded_store.list_tickets(OPEN) if t.status == TicketStatus.NEW and not t.assignee_id
    )
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        editor.query_one("#tickets-edit-status", Select).value = TicketStatus.ASSIGNED
        await settle(pilot)
        editor.query_one("#tickets-edit-take", Checkbox).value = False  # the agent unticks it again
        before = seeded_store.last_seq()
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = editor.query_one(TicketForm)
        assert form.has_error and "needs someone holding it" in form.message
        assert editor.focused is editor.query_one("#tickets-edit-take")
        assert seeded_store.last_seq() == before and seeded_store.get_ticket(ticket.id) == ticket


async def test_resolving_needs_a_wrap_up_code_picked_from_the_wrap_up_dialogs_labels(
    seeded_store, settings
) -> None:
    ticket = next(
        t
        for t in seeded_store.list_tickets(OPEN)
        if TicketStatus.RESOLVED in TRANSITIONS[t.status] and t.assignee_id
    )
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, ticket.id)
        editor.query_one("#tickets-edit-status", Select).value = TicketStatus.RESOLVED
        await settle(pilot)
        form = editor.query_one(TicketForm)
        assert "结案代码" in form.message and not form.has_error  # asked for before the save
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.has_error and "结案代码" in form.message
        assert seeded_store.get_ticket(ticket.id).status == ticket.status
        wrap_up = editor.query_one("#tickets-edit-disposition", Select)
        assert editor.focused is wrap_up
        labels = {str(label): value for label, value in wrap_up._options}
        assert set(labels.values()) >= set(DISPOSITIONS)
        assert "已同意退款" in labels and not any("_" in label for label in labels)
        wrap_up.value = "refund_approved"
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = seeded_store.get_ticket(ticket.id)
        assert (stored.status, stored.disposition) == (TicketStatus.RESOLVED, "refund_approved")


def test_the_wrap_up_dialog_and_the_ticket_editor_offer_one_list_of_codes() -> None:
    from agentdesk.tui.screens import wrap_up
    from agentdesk.tui.widgets import ticket_form

    assert wrap_up.DISPOSITIONS is DISPOSITIONS and ticket_form.DISPOSITIONS is DISPOSITIONS


# -- snapshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tickets_list_snapshot(snap_compare, frozen_store, settings, lang: str) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(
        make_app(settings, frozen_store, lang=lang), terminal_size=SIZE, run_before=run_before
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ticket_editor_snapshot(snap_compare, frozen_store, settings, lang: str) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f2")
        await settle(pilot)
        pilot.app.screen.open_ticket("TK-H016")
        await settle(pilot)

    assert snap_compare(
        make_app(settings, frozen_store, lang=lang), terminal_size=SIZE, run_before=run_before
    )
