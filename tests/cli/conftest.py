"""Command-line fixtures."""

from __future__ import annotations

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
