"""Ticked and unticked boxes, chosen and unchosen radio buttons, differ in their mark, not only
in colour: a 16-colour SSH session or a colour-blind agent can still read them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Checkbox, RadioSet

from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.toggles import MarkedRadioButton
from tests.tui.conftest import settle


def _mark(toggle) -> str:  # type: ignore[no-untyped-def]
    """The character inside the toggle's button, as the terminal shows it."""
    return toggle.render().plain[1]


async def test_the_mine_filter_shows_an_x_only_when_ticked(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        mine = app.screen.query_one("#tickets-mine", Checkbox)
        assert _mark(mine) == " "
        mine.toggle()
        await settle(pilot)
        assert mine.value and _mark(mine) == "X"


class _Choice(App[None]):
    def compose(self) -> ComposeResult:
        with RadioSet():
            yield MarkedRadioButton("bot", value=True, id="bot")
            yield MarkedRadioButton("human", id="human")


async def test_a_chosen_radio_button_is_filled_and_the_others_are_hollow() -> None:
    app = _Choice()
    async with app.run_test() as pilot:
        bot, human = app.query_one("#bot"), app.query_one("#human")
        assert (_mark(bot), _mark(human)) == ("●", "○")
        human.value = True
        await pilot.pause()
        assert (_mark(bot), _mark(human)) == ("○", "●")
