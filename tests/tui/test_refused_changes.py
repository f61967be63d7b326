"""The header's "N refused by the server" opens from the command palette: read, resend, dismiss."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from agentdesk.config import Settings, UISettings
from agentdesk.domain.models import TicketStatus
from agentdesk.store.remote import RemoteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.refused import RefusedChangesScreen, change_text
from tests.server.conftest import Served, start
from tests.server.test_outbox_per_user import OFFLINE_NOTE, refuse_a_status_change
from tests.tui.conftest import settle, wait_for

SIZE = (120, 40)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    s = start(tmp_path)
    try:
        yield s
    finally:
        s.thread.stop()
        s.store.close()


@pytest.fixture
def desk(served: Served, tmp_path: Path) -> Iterator[RemoteStore]:
    store = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db", retry_seconds=0.1)
    refuse_a_status_change(served, store)
    try:
        yield store
    finally:
        store.close()


def _listed(app) -> str:  # type: ignore[no-untyped-def]
    options = app.screen.query_one(OptionList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def _open_refused(pilot, typed: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*typed)
    await pilot.pause(0.3)  # the palette gathers its commands in a task of its own
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("lang", "typed", "header", "reason"),
    [
        ("en", "refused", "refused by the server", "Refused (422)"),
        ("zh", "被拒绝", "被服务器拒绝", "被拒绝（422）"),
    ],
)
async def test_the_agent_reads_what_was_refused_and_why_then_dismisses_it(
    served: Served, desk: RemoteStore, lang: str, typed: str, header: str, reason: str
) -> None:
    app = make_app(Settings(ui=UISettings(agent_id="A1")), desk, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: header in app.sub_title and "Ctrl+P" in app.sub_title)
        await _open_refused(pilot, typed)
        assert isinstance(app.screen, RefusedChangesScreen)
        listed = _listed(app)
        assert OFFLINE_NOTE in listed and "TK-1" in listed
        assert reason in listed and "closed to in_progress" in listed
        await pilot.press("d")
        await settle(pilot)
        assert desk.failed_writes() == [] and OFFLINE_NOTE not in _listed(app)
        await wait_for(pilot, lambda: header not in app.sub_title)
    assert served.store.get_ticket("TK-1").status == TicketStatus.CLOSED  # dismissed: never sent


async def test_a_refused_change_sent_again_reaches_the_server_once_it_can(
    served: Served, desk: RemoteStore
) -> None:
    app = make_app(Settings(ui=UISettings(agent_id="A1")), desk, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open_refused(pilot, "refused")
        served.store.update_ticket("TK-1", status=TicketStatus.REOPENED, actor="boss")
        await pilot.press("r")
        await wait_for(pilot, lambda: desk.connection.failed == 0 and desk.connection.pending == 0)
        await wait_for(pilot, lambda: "refused by the server" not in app.sub_title)
    ticket = served.store.get_ticket("TK-1")
    assert ticket.status == TicketStatus.IN_PROGRESS and OFFLINE_NOTE in [n.text for n in ticket.notes]


async def test_the_text_of_a_refused_change_can_be_copied(served: Served, desk: RemoteStore) -> None:
    app = make_app(Settings(ui=UISettings(agent_id="A1")), desk, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open_refused(pilot, "refused")
        await pilot.press("c")
        await settle(pilot)
        assert OFFLINE_NOTE in app.clipboard


def test_a_refused_change_reads_as_what_was_typed_not_as_json() -> None:
    assert change_text('{"status":"in_progress","note":"call after 3 pm"}') == "call after 3 pm · in_progress"
    assert change_text('{"speaker":"agent","text":"您好"}') == "您好"
    assert (
        change_text('{"id":"TK-9","subject":"漫游费","notes":[{"text":"客户要回电"}]}')
        == "漫游费 · 客户要回电"
    )
