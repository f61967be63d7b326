"""Dialogs opened from the desk fit their box: hints wrap, open dropdowns are boxes of their own."""

from __future__ import annotations

import pytest
from textual.widgets import Label, Select
from textual.widgets._select import SelectOverlay

from agentdesk.tui.app import make_app
from agentdesk.tui.screens.flag_bot import FlagBotModal
from agentdesk.tui.screens.hand_back import HandBackModal
from tests.tui.conftest import accept, settle

ON_CALL = "TR-D001"


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 40)), ("zh", (80, 24))])
async def test_the_hand_back_hint_wraps_instead_of_being_cut(seeded_store, settings, lang: str, size) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await accept(pilot, ON_CALL)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, HandBackModal)
        hint = app.screen.query_one(".modal-hint", Label)
        box = app.screen.query_one("#hand-back-box")
        lines = [hint.render_line(y).text.strip() for y in range(hint.size.height)]
        assert "".join(lines).replace(" ", "") == app.t("handback.hint").replace(" ", "")
        assert hint.region.right <= box.content_region.right


async def test_an_open_dropdown_in_the_flag_dialog_is_drawn_as_a_box(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, ON_CALL)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FlagBotModal)
        for select in app.screen.query(Select):
            overlay = select.query_one(SelectOverlay)
            assert overlay.styles.border_top[0] == "round" and overlay.styles.border_bottom[0] == "round"
