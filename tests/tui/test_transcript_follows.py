"""The transcript follows the call: it opens on the latest line and stays there as lines
arrive, unless the agent scrolled up to read, who is then told how many lines are new."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from agentdesk.domain.models import Speaker, Utterance
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.tui.conftest import accept, settle, wait_for

SIZE = (120, 40)
HU_BIN = "TR-D003"


def say(store, call_id: str, n: int, text: str = "line") -> Utterance:  # type: ignore[no-untyped-def]
    speaker = Speaker.CUSTOMER if n % 2 else Speaker.BOT
    return store.append_utterance(call_id, Utterance(id=f"L-{n}", speaker=speaker, text=f"{text} {n}"))


def at_bottom(pane: TranscriptPane) -> bool:
    return pane.max_scroll_y > 0 and pane.scroll_y >= pane.max_scroll_y


@asynccontextmanager
async def on_a_long_call(store, settings, lines: int) -> AsyncIterator[tuple]:  # type: ignore[no-untyped-def, type-arg]
    """The desk (en, 120x40) on HU_BIN's call after `lines` lines reached the store: yields
    the pilot, the transcript pane and the call id once the last line is on screen."""
    call_id = store.get_transfer(HU_BIN).call_id
    for n in range(lines):
        say(store, call_id, n)
    app = make_app(settings, store, lang="en")
    app.live_transcription = None  # the call's lines come from the store
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        pane = app.screen.query_one(TranscriptPane)
        await wait_for(pilot, lambda: pane.line(f"L-{lines - 1}") is not None)
        yield pilot, pane, call_id


async def test_a_long_call_opens_on_its_latest_line(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    async with on_a_long_call(seeded_store, settings, 400) as (pilot, pane, _):
        await wait_for(pilot, lambda: at_bottom(pane))


async def test_new_lines_keep_the_transcript_on_the_latest_line(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    async with on_a_long_call(seeded_store, settings, 60) as (pilot, pane, call_id):
        for n in range(60, 70):
            say(seeded_store, call_id, n)
        await wait_for(pilot, lambda: pane.line("L-69") is not None)
        await wait_for(pilot, lambda: at_bottom(pane))
        assert pane.unseen == 0


async def test_an_agent_reading_further_up_is_not_yanked_down_and_sees_how_many_lines_are_new(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_long_call(seeded_store, settings, 60) as (pilot, pane, call_id):
        pane.focus()
        await pilot.press("pageup", "pageup")
        await pilot.pause(0.1)
        reading = pane.scroll_y
        assert reading < pane.max_scroll_y
        for n in range(60, 63):
            say(seeded_store, call_id, n)
        await wait_for(pilot, lambda: pane.line("L-62") is not None)
        await pilot.pause(0.1)
        assert pane.scroll_y == reading, "the lines the agent reads stay where they are"
        assert "3 new lines" in str(pane.border_title)

        await pilot.press("end")
        await wait_for(pilot, lambda: at_bottom(pane))
        assert "new line" not in str(pane.border_title)
        say(seeded_store, call_id, 63)
        await wait_for(pilot, lambda: pane.line("L-63") is not None)
        await wait_for(pilot, lambda: at_bottom(pane))  # following the call again


async def test_the_bots_hand_back_answer_shows_at_the_bottom_of_a_long_call(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    async with on_a_long_call(seeded_store, settings, 200) as (pilot, pane, _):
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")  # the first task
        await wait_for(pilot, lambda: pane.lines[-1].id != "L-199")
        assert pane.lines[-1].speaker == Speaker.BOT
        await wait_for(pilot, lambda: at_bottom(pane))
        assert pilot.app.screen.query_one(CallWorkspace).active is not None


async def test_a_long_bot_conversation_handed_over_opens_on_its_latest_line_at_80x24(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    held = seeded_store.get_transfer(HU_BIN)
    lines = [
        Utterance(id=f"P-{n}", call_id="CALL-LONG", seq=n + 1, speaker=Speaker.CUSTOMER, text=f"said {n}")
        for n in range(400)
    ]
    packet = held.packet.model_copy(update={"transcript": lines})
    seeded_store.create_transfer(
        held.model_copy(update={"id": "TR-LONG", "call_id": "CALL-LONG", "packet": packet})
    )
    app = make_app(settings, seeded_store, lang="zh")
    app.live_transcription = None
    async with app.run_test(size=(80, 24)) as pilot:
        await accept(pilot, "TR-LONG")
        pane = app.screen.query_one(TranscriptPane)
        assert pane.lines[-1].id == "P-399"
        await wait_for(pilot, lambda: at_bottom(pane))
