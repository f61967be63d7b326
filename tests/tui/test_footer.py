"""The footer on a narrow terminal: the keys that matter on a call stay whole, the help key
lists the ones that had to go, and a wider terminal shows every key again."""

from __future__ import annotations

import pytest
from rich.console import Console

from agentdesk.tui.app import make_app
from agentdesk.tui.screens.help import HelpScreen
from agentdesk.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import accept, settle

CALL = "TR-D003"
CALL_KEYS = {"hand_back", "flag_bot", "wrap_up", "save_ticket", "help"}


def _shown(screen) -> list:  # type: ignore[no-untyped-def]
    """The footer keys a person can see: displayed, and not the palette key docked on the right."""
    footer = screen.query_one(KeyFooter)
    return [k for k in footer.query("FooterKey") if k.display and not k.has_class("-command-palette")]


def _palette(screen):  # type: ignore[no-untyped-def]
    return screen.query_one(KeyFooter).query_one("FooterKey.-command-palette")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_on_a_call_at_80_columns_the_footer_shows_hand_back_flag_wrap_up_save_and_help_whole(
    seeded_store, settings, lang: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await accept(pilot, CALL)
        await pilot.pause()
        shown = _shown(app.screen)
        assert {k.action for k in shown} >= CALL_KEYS
        assert max(k.region.right for k in shown) <= _palette(app.screen).region.x  # none cut


async def test_the_help_key_lists_the_keys_the_narrow_footer_left_out(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await accept(pilot, CALL)
        await pilot.pause()
        shown = {k.action for k in _shown(app.screen)}
        assert "goto('review')" not in shown and "cycle_status" not in shown
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200)
        with console.capture() as listing:
            console.print(app.screen.query("#help-body Static")[1].content)
        assert "Review" in listing.get() and "Status" in listing.get()


async def test_a_wide_terminal_shows_every_footer_key_and_a_narrow_one_brings_them_back_when_widened(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await accept(pilot, CALL)
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        everything = len(list(footer.query("FooterKey"))) - 1
        assert len(_shown(app.screen)) < everything
        await pilot.resize_terminal(180, 40)
        await pilot.pause()
        shown = _shown(app.screen)
        assert len(shown) == everything
        assert {"goto('desk')", "goto('review')", "app.quit"} <= {k.action for k in shown}
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert {k.action for k in _shown(app.screen)} >= CALL_KEYS and len(_shown(app.screen)) < everything


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 40)), ("zh", (80, 24)), ("en", (100, 30))])
async def test_the_f_keys_the_footer_shows_run_in_order_without_gaps(
    seeded_store, settings, lang: str, size: tuple[int, int]
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        places = [k.key for k in _shown(app.screen) if k.key.startswith("f") and k.key[1:].isdigit()]
        assert places == [f"f{n}" for n in range(1, len(places) + 1)]
