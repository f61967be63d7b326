"""The bot-mode badge on the call bar: whole at 80 columns in both languages, and back on a
call the desk resumes after it closed."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import BotMode
from agentdesk.tui.app import make_app
from tests.tui.conftest import accept, on_a_call, settle, wait_for
from tests.tui.test_bot_mode import HU_BIN, choose_mode

NARROW = (80, 24)
MODES = [BotMode.COLLECT_ONLY, BotMode.SEND_SURVEY, BotMode.END_POLITELY]


def call_bar_shows(app) -> str:  # type: ignore[no-untyped-def]
    """The call bar's one line as the screen draws it (cut to the bar's width)."""
    bar = app.screen.query_one("#call-bar")
    return "".join(segment.text for segment in bar.render_line(0))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("mode", MODES)
async def test_the_bot_mode_badge_fits_the_call_bar_at_80_columns(
    seeded_store, settings, lang: str, mode: BotMode
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(seeded_store, settings, HU_BIN, lang=lang, size=NARROW) as (app, pilot):
        await choose_mode(pilot, mode)
        badge = app.t(f"keep_typed.badge.{mode}")
        await wait_for(pilot, lambda: badge in call_bar_shows(app))
        assert "胡斌" in call_bar_shows(app), "the customer's name still shows beside the badge"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_resumed_call_shows_the_bot_mode_badge_it_was_left_in(
    seeded_store, settings, lang: str
) -> None:  # type: ignore[no-untyped-def]
    first = make_app(settings, seeded_store, lang=lang)
    first.live_transcription = None
    async with first.run_test(size=NARROW) as pilot:
        await accept(pilot, HU_BIN)
        await choose_mode(pilot, BotMode.COLLECT_ONLY)
        await pilot.press("q", "q")
        await pilot.pause(0.1)

    again = make_app(settings, seeded_store, lang=lang)
    again.live_transcription = None
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        badge = again.t("keep_typed.badge.collect_only")
        await wait_for(pilot, lambda: badge in call_bar_shows(again))
