"""A team desk whose server is away says so plainly: the bot cannot be reached, and saved
changes are queued until the server is back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from agentdesk.config import Settings, UISettings
from agentdesk.domain.models import Speaker, Utterance
from agentdesk.domain.transfers import HandoffPacket, Transfer, TransferStatus
from agentdesk.store.remote import RemoteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.hand_back import HandBackModal
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.server.conftest import Served, restart_server, start
from tests.tui.conftest import notified, settle, wait_for

SIZE = (120, 40)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    served = start(tmp_path)
    served.store.create_transfer(
        Transfer(
            id="TR-1",
            call_id="CALL-1",
            packet=HandoffPacket(
                customer_id="C1",
                customer_name="李娜",
                intent="话费查询",
                transcript=[Utterance(id="U-1", seq=1, speaker=Speaker.CUSTOMER, text="我要查话费")],
            ),
        )
    )
    try:
        yield served
    finally:
        served.thread.stop()
        served.store.close()


@asynccontextmanager
async def offline_on_a_call(
    tmp_path: Path, served: Served, lang: str
) -> AsyncIterator[tuple[Any, Any, RemoteStore]]:
    """A team desk in `lang` on the call, whose server has just gone away: (app, pilot, store)."""
    store = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db", retry_seconds=0.1)
    app = make_app(Settings(ui=UISettings(agent_id="A1")), store, lang=lang)
    app.live_transcription = None
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.connection.status == "online")
            await wait_for(pilot, lambda: app.screen.query_one("#inbox-table").row_count > 0)
            await pilot.press("a")
            await wait_for(pilot, lambda: app.screen.query_one(CallWorkspace).active is not None)
            served.thread.stop()
            await wait_for(pilot, lambda: app.server_offline, timeout=20)
            yield app, pilot, store
    finally:
        store.close()


async def test_handing_back_while_offline_says_the_bot_cannot_be_reached_and_queues_nothing(
    tmp_path: Path, served: Served
) -> None:
    async with offline_on_a_call(tmp_path, served, "en") as (app, pilot, store):
        pane = app.screen.query_one(TranscriptPane)
        before = [u.id for u in pane.lines]
        pending = store.connection.pending
        await pilot.press("b")
        await settle(pilot)
        assert not isinstance(app.screen, HandBackModal)
        assert notified(app, "The bot can't be reached while the server is offline")
        assert not notified(app, "the bot's answer is in the transcript")
        assert store.connection.pending == pending, "no hand-back waits to be sent"
        assert [u.id for u in pane.lines] == before


async def test_a_ticket_saved_offline_says_it_is_queued_and_is_sent_when_the_server_is_back(
    tmp_path: Path, served: Served
) -> None:
    async with offline_on_a_call(tmp_path, served, "zh") as (app, pilot, store):
        await pilot.press("ctrl+s")
        await settle(pilot)
        ticket_id = app.screen.query_one(CallWorkspace).active.ticket_id
        assert ticket_id is not None
        assert notified(app, app.t("keep_typed.saved_queued", id=ticket_id))
        assert not notified(app, app.t("ticket.saved", id=ticket_id))

        restart_server(served)
        await wait_for(pilot, lambda: store.connection.pending == 0 and not app.server_offline, timeout=20)
        assert served.store.get_ticket(ticket_id).customer_id == "C1"


async def test_a_wrap_up_offline_says_it_is_queued(tmp_path: Path, served: Served) -> None:
    async with offline_on_a_call(tmp_path, served, "en") as (app, pilot, store):
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one(CallWorkspace).active is None)
        assert any("queued and will be sent when it is back" in n.message for n in app._notifications)

        restart_server(served)
        await wait_for(pilot, lambda: store.connection.pending == 0 and not app.server_offline, timeout=20)
        assert served.store.get_transfer("TR-1").status == TransferStatus.COMPLETED
