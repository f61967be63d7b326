"""A supervisor or trainer opening the desk on the team server is themselves, not agent A01."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.commands.common import open_remote
from agentdesk.config import Settings
from agentdesk.domain.models import Call
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.store.remote import RemoteStore
from agentdesk.store.remote_client import default_outbox_path
from agentdesk.tui.app import make_app
from agentdesk.tui.unsaved_lines import unsaved_lines_file
from tests.server.conftest import start
from tests.tui.conftest import settle, wait_for


@pytest.mark.parametrize(
    ("role", "name", "lang", "header"),
    [
        ("supervisor", "boss", "en", "boss · supervisor"),
        ("trainer", "coach", "en", "coach · trainer"),
        ("supervisor", "boss", "zh", "boss · 班长"),
    ],
)
async def test_a_supervisor_or_trainer_sees_their_own_name_and_role_and_no_agents_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str, name: str, lang: str, header: str
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    served = start(tmp_path)
    served.store.upsert_call(Call(id="CALL-LIVE", customer_id="C1"))
    served.store.create_transfer(
        Transfer(id="TR-LIVE", call_id="CALL-LIVE", packet=HandoffPacket(customer_id="C1"))
    )
    served.store.claim_transfer("TR-LIVE", "A1")  # agent A1 (Li) is on this call
    served.store.upsert_call(Call(id="CALL-WAIT", customer_id="C1"))
    served.store.create_transfer(
        Transfer(id="TR-WAIT", call_id="CALL-WAIT", packet=HandoffPacket(customer_id="C1"))
    )
    settings = Settings(
        store={"server": served.url, "token": served.tokens[role]},  # type: ignore[arg-type]
        ui={"agent_id": "A1"},  # type: ignore[arg-type]
    )
    store = open_remote(settings)
    try:
        assert settings.ui.agent_id == name
        app = make_app(settings, store, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: header in app.sub_title)
            await settle(pilot)
            desk = app.screen
            assert "Li" not in app.sub_title and "A1" not in app.sub_title
            assert desk.workspace.active is None  # A1's call stays A1's
            assert app.on_call_with is None
            assert desk.check_action("accept_transfer", ()) is False
            assert desk.check_action("cycle_status", ()) is False
            assert not [n for n in app._notifications if n.severity == "error"]
            await pilot.press("i", "enter")  # Enter on a transfer: no call of theirs to finish
            await settle(pilot)
            assert not [n for n in app._notifications if n.message == app.t("accept.busy")]
    finally:
        store.close()
        served.thread.stop()
        served.store.close()


def test_unsaved_lines_on_a_team_server_are_the_signed_in_users_not_the_agents_they_work_as(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    served = start(tmp_path)
    agent = RemoteStore(served.url, served.tokens["agent"], retry_seconds=0.05)
    # A supervisor's desk that started offline works as the configured agent, A1.
    boss = RemoteStore(served.url, served.tokens["supervisor"], retry_seconds=0.05)
    agent_again = RemoteStore(served.url + "/", served.tokens["agent"], retry_seconds=0.05)
    try:
        mine, theirs = unsaved_lines_file(agent, "A1"), unsaved_lines_file(boss, "A1")
        again = unsaved_lines_file(agent_again, "A01")
    finally:
        for store in (agent, boss, agent_again):
            store.close()
        served.thread.stop()
        served.store.close()
    assert mine is not None and theirs is not None and again is not None
    assert mine.path != theirs.path
    assert again.path == mine.path  # the same user on the same server, however the URL ends
    outbox = default_outbox_path(served.url, served.tokens["agent"])
    assert mine.path.parent == outbox.parent
    assert mine.path.stem.removeprefix("unsaved-lines-") == outbox.stem.removeprefix("outbox-")
    assert served.tokens["agent"] not in str(mine.path)
