"""Handing the caller to the bot for an identity check at the desk: the bot asks, the call bar
shows it waits for the caller, the caller's next line is the answer, and the result (or the
question asked again) lands in the transcript with the usual notice; b cancels the wait."""

from __future__ import annotations

from itertools import count

from agentdesk.domain.models import Speaker
from agentdesk.speech.events import Final
from agentdesk.tui.screens.hand_back import HandBackModal
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.tui.conftest import notified, on_a_call, settle, wait_for

SIZE = (120, 40)
HU_BIN = "TR-D003"
"""A Chinese call; 胡斌's ID number ends in 2154."""
_heard = count(1)


async def choose(pilot, option: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("b")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, HandBackModal)
    options = modal.query_one("#hand-back-options")
    options.highlighted = options.get_option_index(option)
    await pilot.press("enter")
    await settle(pilot)


async def caller_says(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    n = next(_heard)
    line = Final(f"live-{n}", 0, Speaker.CUSTOMER, text, 1.0 + n, 2.0 + n, "zh", 0.0)
    pilot.app.screen.query_one(CallWorkspace).post_message(CallWorkspace.Transcribed(line))
    await settle(pilot)


def bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#call-bar").render())


async def test_the_bot_asks_the_caller_and_their_answer_passes_the_identity_check(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        pane = app.screen.query_one(TranscriptPane)
        await choose(pilot, "identity_check")
        await wait_for(pilot, lambda: "身份证号码的后四位" in pane.lines[-1].text)
        assert pane.lines[-1].speaker == Speaker.BOT
        assert "Bot: awaiting answer" in bar(app)
        assert notified(app, "their next line is taken as the answer")
        await caller_says(pilot, "嗯，是二幺五四")
        await wait_for(pilot, lambda: pane.lines[-1].text == "谢谢，已核实您的身份。")  # said to the caller
        assert "awaiting answer" not in bar(app)
        # why it passed is the agent's alone: in the notice, not in the caller's line
        assert notified(app, app.t("handback.done", task=app.t("task.identity_check")) + " 身份核验通过")
    call_id = seeded_store.get_transfer(HU_BIN).call_id
    said = [(u.speaker, u.text) for u in seeded_store.list_utterances(call_id)[-3:]]
    assert said[1] == (Speaker.CUSTOMER, "嗯，是二幺五四")  # the answer is stored before the result
    assert said[2][1] == "谢谢，已核实您的身份。" and "440304199711252154" not in said[2][1]


async def test_two_wrong_answers_fail_the_identity_check_with_a_warning(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="zh", size=SIZE) as (app, pilot):
        pane = app.screen.query_one(TranscriptPane)
        await choose(pilot, "identity_check")
        await wait_for(pilot, lambda: "后四位" in pane.lines[-1].text)
        await caller_says(pilot, "1234")
        await wait_for(pilot, lambda: pane.lines[-1].text == "和我们登记的不一致，麻烦您再说一遍。")
        assert "机器人：等客户回答" in bar(app)
        await caller_says(pilot, "是5678吧")
        await wait_for(pilot, lambda: pane.lines[-1].text.startswith("抱歉，暂时没能核实您的身份"))
        assert notified(app, app.t("handback.failed", task=app.t("task.identity_check")) + " 身份核验未通过")
        assert "等客户回答" not in bar(app)


async def test_pressing_b_while_the_bot_waits_cancels_the_identity_check(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang="en", size=SIZE) as (app, pilot):
        pane = app.screen.query_one(TranscriptPane)
        await choose(pilot, "identity_check")
        await wait_for(pilot, lambda: "后四位" in pane.lines[-1].text)
        await choose(pilot, "cancel")
        assert "awaiting answer" not in bar(app)
        assert notified(app, "Identity check cancelled")
        await caller_says(pilot, "2154")
        assert pane.lines[-1].speaker == Speaker.CUSTOMER  # the line is the caller's, not an answer
