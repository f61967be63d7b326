"""The customers place through Pilot: search, masked profile, history, handing a ticket to the editor; snapshots."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from agentdesk.domain.masking import mask_text
from agentdesk.store.base import TicketQuery
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.customers import CustomersScreen
from agentdesk.tui.widgets.customer_profile import CustomerProfile
from agentdesk.tui.widgets.customer_table import CustomerList
from agentdesk.tui.widgets.customer_tickets import CustomerTickets
from agentdesk.tui.widgets.ticket_editor_screen import TicketEditorScreen
from agentdesk.tui.widgets.ticket_transcript import TranscriptScreen
from tests.tui.conftest import settle
from tests.tui.test_tickets import wait_for

SIZE = (120, 40)


def plain(renderable, width: int = 100) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


async def open_customers(pilot) -> CustomerList:  # type: ignore[no-untyped-def]
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CustomersScreen)
    return pilot.app.screen.query_one(CustomerList)


async def find(pilot, text: str) -> CustomerList:  # type: ignore[no-untyped-def]
    """Search from the list and wait for the profile of the first hit."""
    customers = pilot.app.screen.query_one(CustomerList)
    await pilot.press("slash", *text, "enter")
    await settle(pilot)
    return customers


def listed(customers: CustomerList) -> list[str]:
    return [c.id for c in customers.window.customers]


async def test_the_list_shows_every_customer_and_the_first_profile(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        customers = await open_customers(pilot)
        everyone = seeded_store.list_customers(limit=1000)
        assert listed(customers) == [c.id for c in everyone]
        assert app.screen.query_one(CustomerProfile).customer.id == everyone[0].id


@pytest.mark.parametrize(
    ("query", "expected"),
    [("王秀英", "C003"), ("13713543732", "C003"), ("c012", "C012"), ("900692", None)],
)
async def test_search_finds_customers_by_name_phone_or_id(
    seeded_store, settings, query: str, expected
) -> None:
    hits = seeded_store.list_customers(search=query)
    expected = expected or hits[0].id  # an English customer's phone digits
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        customers = await find(pilot, query)
        assert listed(customers) == [c.id for c in hits] and listed(customers)[0] == expected
        await wait_for(pilot, lambda: app.screen.query_one(CustomerProfile).customer.id == expected)


@pytest.mark.parametrize("customer_id", ["C001", "C028"])
async def test_the_profile_masks_phone_and_id_numbers(seeded_store, settings, customer_id: str) -> None:
    customer = seeded_store.get_customer(customer_id)
    assert customer.phone
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await find(pilot, customer_id)
        profile = app.screen.query_one(CustomerProfile)
        await wait_for(pilot, lambda: profile.customer is not None and profile.customer.id == customer_id)
        text = plain(profile.content)
        assert customer.phone not in text and mask_text(customer.phone) in text
        assert mask_text(customer.phone) != customer.phone
        if customer.id_number:
            assert customer.id_number not in text
        assert customer.name in text and (customer.plan or "") in text


async def test_moving_through_the_list_shows_that_customers_history(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        customers = await open_customers(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        third = seeded_store.list_customers()[2]
        assert customers.current.id == third.id
        tickets = app.screen.query_one(CustomerTickets)
        assert [t.id for t in tickets.tickets] == [
            t.id for t in seeded_store.list_tickets(TicketQuery(customer_id=third.id, limit=50))
        ]
        calls = app.screen.query_one("#customers-calls").table.calls
        assert [c.id for c in calls] == [c.id for c in seeded_store.list_calls(customer_id=third.id)]


async def test_opening_a_customers_ticket_lands_in_the_ticket_editor(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await find(pilot, "C003")
        await settle(pilot)
        first = seeded_store.list_tickets(TicketQuery(customer_id="C003"))[0]
        await pilot.press("t", "enter")
        await settle(pilot)
        assert app.current_mode == "tickets"
        editor = app.screen
        assert isinstance(editor, TicketEditorScreen) and editor.ticket is not None
        assert editor.ticket.id == first.id
        assert editor.query_one("#tickets-edit-subject").value == first.subject
        # Esc leaves the editor for the ticket list of the same place.
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "tickets" and not isinstance(app.screen, TicketEditorScreen)


async def test_an_open_editor_switches_to_the_ticket_chosen_in_customers(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        app.screen.open_ticket("TK-H063")
        await settle(pilot)
        editor = app.screen
        await pilot.press("f3")
        await settle(pilot)
        await find(pilot, "C001")
        await settle(pilot)
        wanted = seeded_store.list_tickets(TicketQuery(customer_id="C001"))[0]
        await pilot.press("t", "enter")
        await settle(pilot)
        assert app.screen is editor and editor.ticket is not None and editor.ticket.id == wanted.id


async def test_a_past_call_opens_its_transcript(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_customers(pilot)
        await find(pilot, "C001")
        await settle(pilot)
        latest = seeded_store.list_calls(customer_id="C001")[0]
        await pilot.press("c", "enter")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, TranscriptScreen) and viewer.call.id == latest.id
        lines = viewer.query_one("#tickets-transcript-pane").lines
        assert lines and [u.id for u in lines] == [u.id for u in seeded_store.list_utterances(latest.id)]


async def test_a_search_without_hits_says_so(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        customers = await open_customers(pilot)
        await find(pilot, "nobody-by-this-name")
        assert listed(customers) == [] and customers.has_class("-empty")
        assert app.screen.query_one(CustomerProfile).customer is None


def shown_text(widget) -> str:  # type: ignore[no-untyped-def]
    """What a widget draws on screen, border included, one line per row."""
    from textual.geometry import Region

    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)], ids=["80x24", "100x30", "160x50"])
async def test_bill_and_order_amounts_show_in_full_at_any_width(
    seeded_store, settings, lang: str, size: tuple[int, int]
) -> None:
    from agentdesk.tui.widgets.customer_profile import RECENT, CustomerAccount, money

    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await open_customers(pilot)
        await find(pilot, "C003")  # the largest bills of the demo customers
        customer = app.screen.query_one(CustomerProfile).customer
        assert customer is not None and customer.id == "C003"
        bills = shown_text(app.screen.query_one("#customers-bills", CustomerAccount))
        orders = shown_text(app.screen.query_one("#customers-orders", CustomerAccount))
        for bill in customer.bills[:RECENT]:
            assert re.search(rf"{bill.month} +{re.escape(money(bill.total, customer.currency))} ", bills)
        for order in customer.orders[:RECENT]:
            assert money(order.amount, customer.currency) + " " in orders


def test_every_customers_binding_has_an_id_a_tooltip_and_both_translations() -> None:
    from agentdesk.tui.i18n import _catalog
    from agentdesk.tui.widgets.customer_table import CustomerTable
    from agentdesk.tui.widgets.customer_tickets import CustomerTicketTable

    for owner in (CustomersScreen, CustomerTable, CustomerTicketTable):
        for binding in owner.BINDINGS:
            assert binding.id and binding.tooltip, binding
            for lang in ("en", "zh"):
                assert f"binding.{binding.id}" in _catalog(lang), (lang, binding.id)
                assert f"binding.{binding.id}.tip" in _catalog(lang), (lang, binding.id)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_customers_snapshot(snap_compare, frozen_store, settings, lang: str) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("down", "down")  # 王秀英: gold, open complaint, several calls
        await settle(pilot)

    assert snap_compare(
        make_app(settings, frozen_store, lang=lang), terminal_size=SIZE, run_before=run_before
    )
