"""Desk fixtures: a seeded in-memory store and the app built through `make_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

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


LONG_RUNNING = frozenset({"transcription"})
"""Worker groups that run for a whole call; waiting for them to finish would never end."""


async def settle(pilot, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs and the messages they posted have been handled."""
    import time

    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        await pilot.pause(0.02)
        busy = [w for w in pilot.app.workers if w.is_running and w.group not in LONG_RUNNING]
        quiet = 0 if busy else quiet + 1


def posted(messages: list[object], kind: type) -> list:  # type: ignore[type-arg]
    """Messages of one type, once each (a bubbling message reaches the hook at every node)."""
    unique = {id(m): m for m in messages if isinstance(m, kind)}
    return list(unique.values())


FROZEN_NOW = datetime(2026, 11, 23, 9, 45, tzinfo=UTC)
"""A Monday, 17:45 in Shanghai and 09:45 in London: both lines open."""


@pytest.fixture
def frozen_clock():  # type: ignore[no-untyped-def]
    """Freeze the UI clock (and seed relative to it) so snapshots never change with time."""
    from agentdesk.tui import clock

    clock.freeze(FROZEN_NOW)
    yield FROZEN_NOW
    clock.freeze(None)


@pytest.fixture
def frozen_store(frozen_clock) -> SqliteStore:  # type: ignore[no-untyped-def]
    """The demo store seeded as of the frozen time, for snapshot tests."""
    store = SqliteStore(":memory:", actor="A01")
    seed_store(store, now=frozen_clock)
    return store


async def wait_for(pilot, predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Pause until `predicate()` holds (work started by timers, e.g. the deferred KB build)."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the desk never reached the expected state")
        await pilot.pause(0.05)
    await settle(pilot)


@asynccontextmanager
async def on_a_call(
    store: Any, settings: Settings, transfer_id: str, *, lang: str = "en", size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[Any, Any]]:
    """The desk in `lang` with `transfer_id` accepted and no microphone (a test posts what is
    heard itself): yields (app, pilot)."""
    from agentdesk.tui.app import make_app

    app = make_app(settings, store, lang=lang)
    app.live_transcription = None
    async with app.run_test(size=size) as pilot:
        await accept(pilot, transfer_id)
        yield app, pilot


async def accept(pilot, transfer_id: str) -> None:  # type: ignore[no-untyped-def]
    """Move the inbox cursor to `transfer_id` and accept it, as an agent does with the keys."""
    await settle(pilot)
    table = pilot.app.screen.query_one("#inbox-table")
    table.move_cursor(row=table.get_row_index(transfer_id))
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    call = pilot.app.screen.query_one("CallWorkspace").active
    assert call is not None and call.transfer.id == transfer_id


def notified(app, text: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether a notification containing `text` was shown."""
    return any(text in n.message for n in app._notifications)
