"""Demo traffic: the bot's own transfers fill an inbox that starts with real calls only."""

from __future__ import annotations

from agentdesk.calls.demo import DemoTraffic, interleave
from agentdesk.calls.library import load_all
from agentdesk.config import Settings
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TransferQuery
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore

WAITING = TransferQuery(statuses=frozenset({TransferStatus.WAITING}))


def _demo_store() -> SqliteStore:
    store = SqliteStore(":memory:", actor="A01")
    seed_store(store, waiting=False)
    return store


def test_demo_data_has_history_but_no_waiting_transfers() -> None:
    store = _demo_store()
    assert store.list_transfers(WAITING) == []
    assert store.list_articles() and store.list_agents()


def test_prefill_leaves_transferred_sample_calls_waiting_with_their_recordings() -> None:
    store = _demo_store()
    scripts = interleave(load_all())
    traffic = DemoTraffic(store, Settings(), scripts, sleep=lambda _: True)  # any pause would stop it
    calls = traffic.prefill(3)
    assert len(calls) == 3
    assert all(c.script.expected.outcome == "transferred" for c in calls)
    waiting = store.list_transfers(WAITING)
    assert sorted(t.id for t in waiting) == sorted(c.transfer_id for c in calls)
    sources = {store.get_call(t.call_id).source for t in waiting}
    assert sources == {f"sample:{c.script.id}" for c in calls}


def test_live_traffic_carries_on_after_the_calls_already_waiting() -> None:
    store = _demo_store()
    scripts = interleave(load_all())
    traffic = DemoTraffic(store, Settings(), scripts, sleep=lambda _: False)
    last = traffic.prefill(2)[-1].script
    following = scripts[scripts.index(last) + 1]
    assert traffic.scripts[0] is following
    assert len(traffic.scripts) == len(scripts)
