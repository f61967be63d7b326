"""Working a call at the desk: accept, live text, hand back to the bot, flag, wrap up, status."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Select, TextArea

from agentdesk.calls.demo import DemoTraffic
from agentdesk.calls.library import find_script, load_script
from agentdesk.config import Settings
from agentdesk.domain.models import AgentStatus, FeedbackStatus, Speaker, SurveyStatus, TicketStatus
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TransferQuery
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.flag_bot import FlagBotModal
from agentdesk.tui.screens.hand_back import HandBackModal
from agentdesk.tui.screens.wrap_up import WrapUpModal
from agentdesk.tui.widgets.assist_panel import AssistPanel
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.tui.conftest import accept, settle, wait_for

SIZE = (120, 40)


async def _accept_first(pilot) -> str:  # type: ignore[no-untyped-def]
    await settle(pilot)
    transfer = pilot.app.screen.selected
    await pilot.press("a")
    await settle(pilot)
    assert pilot.app.screen.query_one(CallWorkspace).active is not None
    return transfer.id


async def test_accepting_starts_the_call_with_the_takeover_script(
    seeded_store: SqliteStore, settings: Settings
) -> None:
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await _accept_first(pilot)
        workspace = app.screen.query_one(CallWorkspace)
        assert workspace.has_class("-on-call")
        panel = app.screen.query_one(AssistPanel)
        await wait_for(pilot, lambda: panel.assist is not None)
        assert "我是王芳" in panel.assist.takeover  # A01 greets by name, in the call's language
        assert app.screen.check_action("hand_back", ()) is True


async def test_hand_back_runs_the_task_and_the_answer_lands_in_the_transcript(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        transfer_id = await _accept_first(pilot)
        call_id = seeded_store.get_transfer(transfer_id).call_id
        await pilot.press("b")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, HandBackModal)
        options = modal.query_one(OptionList)
        options.highlighted = 0  # bill lookup
        await pilot.press("enter")
        await settle(pilot)
        last = app.screen.query_one(TranscriptPane).lines[-1]
        assert last.speaker == Speaker.BOT and "账单" in last.text  # the customer (C003) is Chinese
        assert seeded_store.list_utterances(call_id)[-1].text == last.text


async def test_switching_the_bot_mode_for_the_call_is_saved(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        transfer_id = await _accept_first(pilot)
        await pilot.press("b")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index("mode:collect_only")
        await pilot.press("enter")
        await settle(pilot)
        assert (
            seeded_store.get_call(seeded_store.get_transfer(transfer_id).call_id).bot_mode == "collect_only"
        )


async def test_flagging_a_bot_line_puts_it_in_the_review_queue(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        transfer_id = await _accept_first(pilot)
        seeded = {f.id for f in seeded_store.list_feedback()}
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FlagBotModal)
        await pilot.click("#flag-save")
        await settle(pilot)
        [flag] = [f for f in seeded_store.list_feedback(status=FeedbackStatus.OPEN) if f.id not in seeded]
        assert flag.call_id == seeded_store.get_transfer(transfer_id).call_id
        assert flag.flagged_by == settings.ui.agent_id and flag.utterance_text


async def test_wrap_up_saves_a_resolved_ticket_completes_the_transfer_and_sends_a_survey(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        transfer_id = "TR-D003"  # 胡斌: a first contact (no open ticket, no recent call)
        await accept(pilot, transfer_id)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpModal)
        app.screen.query_one("#wrap-notes", TextArea).text = "Refunded the roaming overcharge."
        app.screen.query_one("#wrap-type", Select).value = "complaint"  # complaints get the survey
        await pilot.press("ctrl+s")
        await settle(pilot)
        transfer = seeded_store.get_transfer(transfer_id)
        assert transfer.status == TransferStatus.COMPLETED and transfer.ticket_id
        ticket = seeded_store.get_ticket(transfer.ticket_id)
        assert ticket.status == TicketStatus.RESOLVED and ticket.disposition == "resolved_first_contact"
        assert ticket.type == "complaint" and ticket.assignee_id == settings.ui.agent_id
        assert "Refunded the roaming overcharge." in [n.text for n in ticket.notes]
        survey = seeded_store.get_survey(ticket.survey_id)
        assert survey.status == SurveyStatus.SENT
        assert app.screen.query_one(CallWorkspace).active is None


async def test_status_switch_cycles_and_is_saved(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert seeded_store.get_agent(settings.ui.agent_id).status == AgentStatus.BUSY
        assert "busy" in app.sub_title


async def test_number_key_inserts_a_suggestion_into_the_ticket_notes(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _accept_first(pilot)
        await wait_for(pilot, lambda: app.screen.query_one(AssistPanel).assist is not None)
        app.screen.query_one("#inbox-table").focus()
        notes = app.screen.query_one("#ticket-notes", TextArea)
        before = notes.text
        await pilot.press("0")
        assert notes.text != before
        assert app.screen.query_one(AssistPanel).assist.action.text in notes.text


async def test_accepting_a_second_call_is_refused_while_on_one(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        first = await _accept_first(pilot)
        await pilot.press("down", "a")
        await settle(pilot)
        mine = [
            t.id
            for t in seeded_store.list_transfers(TransferQuery(statuses=frozenset({TransferStatus.CLAIMED})))
        ]
        assert mine == [first]


@pytest.mark.parametrize(("lang", "says"), [("en", "No transfer is waiting"), ("zh", "当前没有等待中的转接")])
async def test_accepting_with_an_empty_inbox_says_nothing_is_waiting(settings, lang: str, says: str) -> None:  # type: ignore[no-untyped-def]
    store = SqliteStore(":memory:", actor="A01")
    seed_store(store, waiting=False)
    app = make_app(settings, store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one(CallWorkspace).active is None
        assert any(says in n.message for n in app._notifications)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_demo_call_plays_its_recording_through_live_transcription(
    lang: str, seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    script = load_script(find_script("zh-05" if lang == "zh" else "en-05"))
    demo = DemoTraffic(seeded_store, settings, [script], sleep=lambda _: False)
    played = demo.play(script)
    assert played is not None and played.transfer_id
    app = make_app(settings, seeded_store, lang=lang)
    app.live_transcription = "scripted"
    app.live_speed = 20.0
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#inbox-table")
        table.move_cursor(row=table.get_row_index(played.transfer_id))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        agent_line = next(t.text for t in script.turns if t.speaker == Speaker.AGENT)
        call_id = seeded_store.get_transfer(played.transfer_id).call_id

        def shown_and_stored() -> bool:
            # The pane shows a final line at once; its save to the store follows in a worker.
            shown = [u.text for u in app.screen.query_one(TranscriptPane).lines if u.final]
            stored = [u.text for u in seeded_store.list_utterances(call_id)]
            return agent_line in shown and agent_line in stored

        await wait_for(pilot, shown_and_stored)
