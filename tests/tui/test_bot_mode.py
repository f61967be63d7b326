"""Setting the bot's mode for a call shows: a badge on the call bar, and, for ending the call
politely, the bot's goodbye to the caller in the transcript."""

from __future__ import annotations

import pytest

from agentdesk.bot import replies
from agentdesk.domain.models import BotMode, Speaker
from agentdesk.tui.screens.hand_back import HandBackModal
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.tui.conftest import notified, on_a_call, settle, wait_for

SIZE = (120, 40)
HU_BIN = "TR-D003"
"""A Chinese call."""


async def choose_mode(pilot, mode: BotMode) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("b")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, HandBackModal)
    options = modal.query_one("#hand-back-options")
    options.highlighted = options.get_option_index(f"mode:{mode}")
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(("lang", "badge"), [("en", "Bot: ending call"), ("zh", "机器人：礼貌结束")])
async def test_ending_the_call_politely_has_the_bot_say_goodbye_and_marks_the_call(
    seeded_store, settings, lang: str, badge: str
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang=lang, size=SIZE) as (app, pilot):
        pane = app.screen.query_one(TranscriptPane)
        await choose_mode(pilot, BotMode.END_POLITELY)
        goodbye = replies.say("end_politely", "zh")  # the call's language, not the desk's
        await wait_for(pilot, lambda: pane.lines[-1].text == goodbye)
        assert pane.lines[-1].speaker == Speaker.BOT
        assert badge in str(app.screen.query_one("#call-bar").render())
        assert notified(app, app.t("keep_typed.mode_said.end_politely"))
    call_id = seeded_store.get_transfer(HU_BIN).call_id
    assert seeded_store.get_call(call_id).bot_mode == BotMode.END_POLITELY
    assert seeded_store.list_utterances(call_id)[-1].text == goodbye


async def test_collecting_details_only_marks_the_call_without_the_bot_speaking(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        pane = app.screen.query_one(TranscriptPane)
        before = [u.id for u in pane.lines]
        await choose_mode(pilot, BotMode.COLLECT_ONLY)
        await wait_for(pilot, lambda: "Bot: collecting" in str(app.screen.query_one("#call-bar").render()))
        assert [u.id for u in pane.lines] == before
