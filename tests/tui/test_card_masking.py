"""The handoff card masks numbers the same way on a local desk and on a team desk (agent role)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from agentdesk.config import Settings, UISettings
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.store.base import Store
from agentdesk.store.remote import RemoteStore
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.handoff_card import HandoffCard
from tests.server.conftest import ID_NUMBER, seed_basics, start
from tests.tui.conftest import wait_for

DETAILS = {
    "phone": "137****3732",  # the bot stores what it collected masked already
    "account_no": "LC-155641",
    "id_number": ID_NUMBER,
    "billing_month": "2026-09",
}


def _transfer() -> Transfer:
    packet = HandoffPacket(customer_id="C1", customer_name="李娜", intent="账单疑问", details=DETAILS)
    return Transfer(id="TR-M", call_id="CALL-1", packet=packet)


async def _card_details(store: Store, agent_id: str) -> list[str]:
    """The lines of the card's "Details" row, as the agent reads them."""
    app = make_app(Settings(ui=UISettings(agent_id=agent_id)), store, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        card = app.screen.query_one(HandoffCard)
        await wait_for(pilot, lambda: card.shown is not None and card.shown.id == "TR-M")
        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(card.query_one("#handoff-body", Static).content)
        lines = [line.strip() for line in console.export_text().splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Details"))
    found = [lines[start].removeprefix("Details").strip()]
    for line in lines[start + 1 :]:
        if ":" not in line or line.split(":")[0].strip() in ("Summary", "History"):
            break
        found.append(line)
    return found


async def test_local_and_team_desks_show_the_same_masked_details(tmp_path: Path) -> None:
    local = SqliteStore(":memory:", actor="A1")
    seed_basics(local)
    local.create_transfer(_transfer())
    served = start(tmp_path)
    served.store.create_transfer(_transfer())
    remote = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db")
    try:
        on_local = await _card_details(local, "A1")
        on_team = await _card_details(remote, "A1")
    finally:
        remote.close()
        served.thread.stop()
        served.store.close()
    assert on_local == on_team
    assert "Phone: 137****3732" in on_local  # masked once, not again into *******3732
    assert "Account: LC-**5641" in on_local  # an account number keeps its last four digits
    assert not any(ID_NUMBER in line for line in on_local)
