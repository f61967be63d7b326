"""Losing a claim race names the colleague who took the call, in the UI language."""

from __future__ import annotations

import pytest

from agentdesk.tui.app import make_app
from tests.tui.conftest import notified, settle


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Too late: 陈志强 has already taken this call."), ("zh", "未能接听：陈志强已接起这通电话。")],
)
async def test_losing_a_claim_race_says_who_took_the_call(
    seeded_store, settings, lang: str, text: str
) -> None:
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = app.screen.selected
        seeded_store.claim_transfer(first.id, "A02")  # 陈志强's desk wins first
        await pilot.press("a")
        await settle(pilot)
        assert notified(app, text)
        assert not notified(app, "A02")
