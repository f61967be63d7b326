"""Demo traffic: the bot's own transfers fill an inbox that starts with real calls only."""

from __future__ import annotations

from pathlib import Path

from agentdesk.calls.demo import DemoTraffic, interleave
from agentdesk.calls.library import load_all, load_script
from agentdesk.config import Settings
from agentdesk.domain.models import TicketType
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TicketQuery, TransferQuery
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


def test_a_callback_the_caller_moves_later_in_the_call_is_filed_as_it_stands(tmp_path: Path) -> None:
    script_file = tmp_path / "moved.yaml"
    script_file.write_text(
        """id: moved-callback
title: Saturday caller moves the callback to the afternoon
language: en
customer: C039
at: "2026-11-28T15:30:00+00:00"
turns:
  - {speaker: customer, text: "Hi, I need someone to ring me about a parcel that says delivered but never came"}
  - {speaker: customer, text: "could they ring after two on Monday instead, I'm at work in the morning"}
  - {speaker: customer, text: "no that's it thanks bye"}
expected:
  outcome: callback
""",
        encoding="utf-8",
    )
    store = _demo_store()
    traffic = DemoTraffic(store, Settings(), [load_script(script_file)], sleep=lambda _: False)
    played = traffic.play(load_script(script_file))
    assert played is not None
    (ticket,) = [
        t for t in store.list_tickets(TicketQuery(customer_id="C039")) if played.call_id in t.linked_call_ids
    ]
    assert ticket.type is TicketType.CALLBACK
    assert ticket.sla_due is not None and ticket.sla_due.weekday() == 0 and ticket.sla_due.hour == 14
    assert any("after two" in n.text for n in ticket.notes)
