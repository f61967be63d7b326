"""The command palette from the desk: what agents look for on other screens (export, ticket
search, finding a customer) is a command here too, and runs on the screen it belongs to."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from agentdesk.tui.app import make_app
from agentdesk.tui.screens.customers import CustomersScreen
from agentdesk.tui.screens.tickets import TicketsScreen
from agentdesk.tui.widgets.supervisor_export import ExportDialog
from tests.tui.conftest import settle, wait_for

SIZE = (120, 40)


async def _run_from_palette(pilot, typed: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*typed)
    await pilot.pause(0.3)  # the palette gathers its commands in a task of its own
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(("lang", "typed"), [("en", "export"), ("zh", "导出班长报表")])
async def test_export_from_the_desk_palette_opens_the_supervisor_export_dialog(
    seeded_store, settings, lang: str, typed: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await _run_from_palette(pilot, typed)
        assert app.current_mode == "supervisor"
        assert isinstance(app.screen, ExportDialog)


@pytest.mark.parametrize(("lang", "typed"), [("en", "search tickets"), ("zh", "搜索工单")])
async def test_search_tickets_from_the_desk_palette_puts_the_cursor_in_the_ticket_search_box(
    seeded_store, settings, lang: str, typed: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await _run_from_palette(pilot, typed)
        assert isinstance(app.screen, TicketsScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "tickets-query"


async def test_find_a_customer_from_the_desk_palette_puts_the_cursor_in_the_customer_search_box(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _run_from_palette(pilot, "find a customer")
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "customers-query"


async def test_on_its_own_screen_a_place_command_is_not_listed_twice(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from_desk = [c.title for c in app.get_system_commands(app.screen)]
        app.switch_mode("tickets")
        await settle(pilot)
        on_tickets = [c.title for c in app.get_system_commands(app.screen)]
    assert "Search tickets" in from_desk
    assert "Search tickets" not in on_tickets


@pytest.mark.parametrize(("lang", "says"), [("en", "No matching commands"), ("zh", "没有匹配的命令")])
async def test_a_palette_search_with_no_matches_says_so_in_the_ui_language(
    seeded_store, settings, lang: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    from textual.command import CommandList

    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"qxzqxz")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: [o.id for o in commands.options] == [CommandPalette._NO_MATCHES])
        shown = str(commands.options[0].prompt.renderable)  # type: ignore[union-attr]
        assert shown == says
