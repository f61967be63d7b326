"""Command-line fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real SQLite file with the demo seed, seeded once: read it, or copy it before writing."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with SqliteStore(db, actor="seed") as store:
        seed_store(store)
    return db


@pytest.fixture
def team_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A real server on loopback and a supervisor token for it."""
    from agentdesk.server.app import create_app
    from agentdesk.server.runner import ServerThread

    store = SqliteStore(tmp_path / "server.db", actor="server")
    app = create_app(store)
    _, token = app.state.agentdesk.users.add("boss", "supervisor")
    thread = ServerThread(app).start()
    try:
        yield thread.url, token
    finally:
        thread.stop()
        store.close()
