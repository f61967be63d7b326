"""The desk opened through Pilot: panes filled from the store, selection, accepting, saving a ticket."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.widgets import Input

from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TransferQuery
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.messages import TicketSaved, TransferClaimed
from agentdesk.tui.widgets.assist_panel import AssistPanel
from agentdesk.tui.widgets.handoff_card import HandoffCard
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from agentdesk.tui.widgets.transfer_inbox import TransferInbox
from tests.tui.conftest import posted, settle, wait_for

SIZE = (100, 30)


def _visible_text(pane) -> str:  # type: ignore[no-untyped-def]
    """The text a pane's body Static shows, rendered at the pane's width."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=pane.size.width or 80, file=io.StringIO(), record=True)
    console.print(pane.query_one(Static).content)
    return console.export_text()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_desk_opens_with_all_panes_filled_from_the_store(seeded_store, settings, lang: str) -> None:
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one(TransferInbox)
        waiting = seeded_store.list_transfers(TransferQuery())
        assert inbox.table.row_count == len(waiting) == inbox.total
        first = waiting[0]
        assert first.packet.customer_name in _visible_text(app.screen.query_one(HandoffCard))
        assert [u.text for u in app.screen.query_one(TranscriptPane).lines] == [
            u.text for u in first.packet.transcript
        ]
        panel = app.screen.query_one(AssistPanel)
        await wait_for(pilot, lambda: panel.assist is not None)
        assert panel.assist.matches, "KB suggestions for the last customer line"
        assert app.screen.query_one("#ticket-subject", Input).value == first.packet.intent


async def test_moving_the_cursor_shows_that_transfers_handoff(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        third = seeded_store.list_transfers(TransferQuery())[2]
        assert app.screen.selected is not None and app.screen.selected.id == third.id
        assert third.packet.customer_name in _visible_text(app.screen.query_one(HandoffCard))
        assert app.screen.query_one("#ticket-subject", Input).value == third.packet.intent


async def test_accepting_a_transfer_claims_it_for_this_agent(seeded_store, settings) -> None:
    messages: list[object] = []
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        first = app.screen.selected
        await pilot.press("a")
        await settle(pilot)
        [claimed] = posted(messages, TransferClaimed)
        assert claimed.transfer.id == first.id
        stored = seeded_store.get_transfer(first.id)
        assert (stored.status, stored.claimed_by) == (TransferStatus.CLAIMED, settings.ui.agent_id)
        assert app.screen.query_one(TransferInbox).table.row_count == 5  # it left the queue


async def test_losing_a_claim_race_tells_the_agent(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.screen.selected
        seeded_store.claim_transfer(first.id, "A02")  # another desk wins first
        await pilot.press("a")
        await settle(pilot)
        assert any("Too late" in n.message for n in app._notifications)
        assert seeded_store.get_transfer(first.id).claimed_by == "A02"


async def test_ticket_without_subject_is_not_saved(seeded_store, settings) -> None:
    messages: list[object] = []
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        app.screen.query_one("#ticket-subject", Input).value = "  "
        before = seeded_store.count_tickets()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not posted(messages, TicketSaved)
        assert seeded_store.count_tickets() == before
        assert "subject" in str(app.screen.query_one("#ticket-status").render())


async def test_a_transfer_posted_elsewhere_appears_without_a_keypress(seeded_store, settings) -> None:
    from agentdesk.domain.transfers import HandoffPacket, Transfer

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seeded_store.create_transfer(
            Transfer(packet=HandoffPacket(customer_name="New Caller"), queue_rank=1e9)
        )
        await pilot.pause(1.5)  # the desk polls the change feed every second
        await settle(pilot)
        table = app.screen.query_one(TransferInbox).table
        assert table.row_count == 7
        assert "New Caller" in str(table.get_row_at(0)[0])


async def test_remapped_key_accepts_a_transfer(seeded_store) -> None:
    from agentdesk.config import Settings, UISettings

    settings = Settings(ui=UISettings(keymap={"accept-transfer": "ctrl+y"}))
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.screen.selected
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert seeded_store.get_transfer(first.id).status == TransferStatus.CLAIMED


def test_every_desk_binding_has_an_id_and_tooltip() -> None:
    from agentdesk.tui.screens.desk import DeskScreen

    for binding in DeskScreen.BINDINGS:
        assert binding.id and binding.tooltip, binding


async def test_the_handoff_cards_wait_keeps_counting_like_the_inbox(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from agentdesk.tui import clock

    start = clock.now()
    clock.freeze(start)
    try:
        app = make_app(settings, seeded_store, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            card = app.screen.query_one(HandoffCard)
            before = _visible_text(card).splitlines()[0]
            clock.freeze(start + timedelta(minutes=3))
            await pilot.pause(1.3)
            after = _visible_text(card).splitlines()[0]
            assert before != after and "⏱" in after
    finally:
        clock.freeze(None)


class CountingStore(SqliteStore):
    """The real store, counting the reads behind the inbox and the handoff card."""

    def __init__(self) -> None:
        super().__init__(":memory:", actor="A01")
        self.reads: Counter[str] = Counter()

    def list_transfers(self, query=None):  # type: ignore[no-untyped-def]
        if query is None or query.claimed_by is None:  # the inbox, not the held-call check
            self.reads["inbox"] += 1
        return super().list_transfers(query) if query is not None else super().list_transfers()

    def list_calls(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.reads["history"] += 1  # the highlighted customer's calls, for the handoff card
        return super().list_calls(*args, **kwargs)


async def test_each_inbox_load_fills_the_inbox_and_the_handoff_card_once(settings) -> None:  # type: ignore[no-untyped-def]
    store = CountingStore()
    seed_store(store)
    messages: list[object] = []
    app = make_app(settings, store, lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await wait_for(pilot, lambda: store.reads["history"] > 0)
        assert store.reads == {"inbox": 1, "history": 1}
        assert len(posted(messages, TransferInbox.Highlighted)) == 1
        table = app.screen.query_one("#inbox-table")
        table.move_cursor(row=2)  # a reload keeps the agent's row, and says so once
        await settle(pilot)
        store.reads.clear()
        messages.clear()
        await pilot.press("r")
        await settle(pilot)
        assert store.reads == {"inbox": 1, "history": 1}
        [shown] = posted(messages, TransferInbox.Highlighted)
        assert shown.transfer.id == app.screen.query_one(TransferInbox).current.id
        assert table.cursor_row == 2
