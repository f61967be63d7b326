"""Desk fixtures: a seeded in-memory store and the app built through `make_app`."""

from __future__ import annotations

import pytest

from agentdesk.config import Settings
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore


@pytest.fixture
def seeded_store() -> SqliteStore:
    store = SqliteStore(":memory:", actor="A01")
    seed_store(store)
    return store


@pytest.fixture
def settings() -> Settings:
    return Settings()


async def settle(pilot, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs and the messages they posted have been handled."""
    import time

    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        await pilot.pause(0.02)
        quiet = 0 if any(w.is_running for w in pilot.app.workers) else quiet + 1


def posted(messages: list[object], kind: type) -> list:  # type: ignore[type-arg]
    """Messages of one type, once each (a bubbling message reaches the hook at every node)."""
    unique = {id(m): m for m in messages if isinstance(m, kind)}
    return list(unique.values())
