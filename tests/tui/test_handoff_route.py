"""The handoff card says why a transfer goes to this agent, or to whom it would go, and why."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import Static

from agentdesk.domain.routing import assign
from agentdesk.store.base import TransferQuery
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.handoff_card import HandoffCard
from tests.tui.conftest import accept, settle, wait_for

SIZE = (120, 40)


def card_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the card's body shows, rendered wide enough that no reason wraps."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(HandoffCard).query_one("#handoff-body", Static).content)
    return console.export_text()


def plan(store, settings, now):  # type: ignore[no-untyped-def]
    """The supervisor's routing pass over the same queue and agents."""
    transfers = store.list_transfers(TransferQuery(limit=200))
    return {d.work_id: d for d in assign(transfers, store.list_agents(), now, settings.routing)}


@pytest.mark.parametrize(
    ("lang", "heading"), [("en", "Would go to 陈志强 because:"), ("zh", "将转给陈志强，原因：")]
)
async def test_card_says_who_a_waiting_transfer_would_go_to_and_why(
    frozen_store, settings, frozen_clock, lang: str, heading: str
) -> None:
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        card = app.screen.query_one(HandoffCard)
        await wait_for(pilot, lambda: card.route is not None)
        assert card.shown is not None and card.shown.id == "TR-D001"
        text = card_text(app)
        assert heading in text
        for reason in plan(frozen_store, settings, frozen_clock)["TR-D001"].rationale.lines(lang):
            assert reason in text


@pytest.mark.parametrize(("lang", "heading"), [("en", "Routed to you because:"), ("zh", "转给您的原因：")])
async def test_card_says_why_a_transfer_is_routed_to_this_agent(
    frozen_store, settings, frozen_clock, lang: str, heading: str
) -> None:
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        card = app.screen.query_one(HandoffCard)
        await wait_for(pilot, lambda: card.route is not None)
        await pilot.press("down")  # TR-D002: a VIP with a complex request, for gold agent 王芳 (A01)
        await wait_for(pilot, lambda: card.route is not None and card.route.transfer_id == "TR-D002")
        text = card_text(app)
        assert heading in text
        expected = plan(frozen_store, settings, frozen_clock)["TR-D002"].rationale.lines(lang)
        assert [line for line in expected if line in text] == expected


async def test_card_on_a_call_says_why_it_is_this_agents_call(frozen_store, settings, frozen_clock) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, "TR-D002")
        card = app.screen.query_one(HandoffCard)
        await wait_for(pilot, lambda: card.route is not None and card.route.transfer_id == "TR-D002")
        await settle(pilot)
        text = card_text(app)
        assert "Routed to you because:" in text
        assert "VIP customer with a complex request: gold agents first" in text
        assert "Least loaded: 0 of 2 calls" in text  # as when they took it, not counting this call
