"""Review (F6) on a team desk: only roles that may accept or reject flags are offered to."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from agentdesk.config import Settings, UISettings
from agentdesk.domain.models import FeedbackStatus
from agentdesk.server.app import create_app
from agentdesk.server.runner import ServerThread
from agentdesk.store.remote import RemoteStore
from agentdesk.store.remote_client import NotAllowed
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.screens.review import ReviewScreen
from agentdesk.tui.widgets.review_detail import FlagDetail
from agentdesk.tui.widgets.review_dialog import ReviewDialog
from agentdesk.tui.worker_failures import failure_text
from tests.tui.conftest import wait_for


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A team server over the demo data, with an agent (A01) and a trainer."""
    store = SqliteStore(tmp_path / "server.db", actor="server")
    seed_store(store)
    app = create_app(store)
    users = app.state.agentdesk.users
    tokens = {"agent": users.add("A01", "agent")[1], "trainer": users.add("coach", "trainer")[1]}
    thread = ServerThread(app).start()
    try:
        yield thread.url, tokens
    finally:
        thread.stop()
        store.close()


def _detail(app) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(FlagDetail).query_one("#review-body").content)
    return console.export_text()


async def _open_review(url: str, token: str, tmp_path: Path, lang: str):  # type: ignore[no-untyped-def]
    store = RemoteStore(url, token, outbox=tmp_path / f"outbox-{token[:6]}.db")
    return store, make_app(Settings(ui=UISettings(agent_id="A01")), store, lang=lang)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Only supervisors and trainers accept or reject flags."),
        ("zh", "只有班长和培训师可以采纳或驳回标记"),
    ],
)
async def test_an_agent_reads_flags_but_is_not_offered_accept_or_reject(
    team, tmp_path: Path, lang: str, sentence: str
) -> None:
    url, tokens = team
    store, app = await _open_review(url, tokens["agent"], tmp_path, lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f6")
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and not app.screen.allowed)
            await wait_for(pilot, lambda: app.screen.query_one(FlagDetail).case is not None)
            assert sentence in _detail(app)
            shown = {b.binding.action for b in app.screen.active_bindings.values()}
            assert "review(True)" not in shown and "review(False)" not in shown
            await pilot.press("a")
            await pilot.pause(0.2)
            assert not isinstance(app.screen, ReviewDialog)
            assert store.list_feedback(status=FeedbackStatus.OPEN.value)  # nothing was reviewed
    finally:
        store.close()


async def test_a_trainer_is_offered_accept_and_reject(team, tmp_path: Path) -> None:
    url, tokens = team
    store, app = await _open_review(url, tokens["trainer"], tmp_path, "en")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f6")
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
            await wait_for(pilot, lambda: app.screen.query_one(FlagDetail).case is not None)
            assert app.screen.allowed
            assert "Only supervisors" not in _detail(app)
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog))
    finally:
        store.close()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Not done: as agent you may not accept or reject bot feedback; only a supervisor or trainer can.",
        ),
        ("zh", "未完成：坐席无权执行此操作，只有班长或培训师可以。"),
    ],
)
def test_a_refusal_by_role_reads_as_plain_words(lang: str, text: str) -> None:
    refusal = NotAllowed(
        "role agent may not accept or reject bot feedback (needs feedback:review: supervisor, trainer)"
    )
    assert failure_text(Catalog(lang), refusal) == text
