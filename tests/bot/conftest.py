"""Bot fixtures: the demo store and one engine over the demo KB, built once per session."""

from __future__ import annotations

import pytest

from agentdesk.bot.engine import BotEngine
from agentdesk.calls.replay import Replayer
from agentdesk.config import Settings
from agentdesk.nlp.kb import KBIndex
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore


@pytest.fixture(scope="session")
def demo_store() -> SqliteStore:
    store = SqliteStore(":memory:", actor="test")
    seed_store(store)
    return store


@pytest.fixture(scope="session")
def demo_kb(demo_store: SqliteStore) -> KBIndex:
    kb = KBIndex(demo_store.list_articles())
    kb.warm_up()
    return kb


@pytest.fixture(scope="session")
def engine(demo_kb: KBIndex) -> BotEngine:
    return BotEngine(demo_kb, Settings())


@pytest.fixture(scope="session")
def replayer(demo_store: SqliteStore, demo_kb: KBIndex) -> Replayer:
    return Replayer(demo_store, Settings(), kb=demo_kb)
