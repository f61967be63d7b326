"""A desk on the team server: the connection state is visible and nothing is lost when it drops."""

from __future__ import annotations

from pathlib import Path

from agentdesk.config import Settings, UISettings
from agentdesk.domain.models import AgentStatus
from agentdesk.server.runner import ServerThread
from agentdesk.store.remote import RemoteStore
from agentdesk.tui.app import make_app
from tests.server.conftest import start
from tests.tui.conftest import settle, wait_for


async def test_desk_shows_the_server_going_away_and_sends_queued_changes_when_it_returns(
    tmp_path: Path,
) -> None:
    served = start(tmp_path)
    store = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db", retry_seconds=0.1)
    app = make_app(Settings(ui=UISettings(agent_id="A1")), store, lang="en")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await wait_for(pilot, lambda: "online" in app.sub_title)

            served.thread.stop()
            await pilot.press("s")  # status switch while the server is away
            await wait_for(pilot, lambda: "OFFLINE" in app.sub_title and "1 change waiting" in app.sub_title)
            assert served.store.get_agent("A1").status == AgentStatus.AVAILABLE  # not there yet

            served.thread = ServerThread(served.app, port=served.thread.port).start()
            await wait_for(
                pilot, lambda: "online" in app.sub_title and "waiting" not in app.sub_title, timeout=20
            )
            assert served.store.get_agent("A1").status == AgentStatus.BUSY  # sent once the server returned
    finally:
        store.close()
        served.thread.stop()
        served.store.close()
