"""The demo seed: past transferred calls carry the transfer an agent took, so KPIs have history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from agentdesk import locations
from agentdesk.domain import kpis
from agentdesk.domain.models import FeedbackReason, Speaker
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TicketQuery, TransferQuery
from agentdesk.store.seed import SeedError, load_customers, seed_store
from agentdesk.store.seed_calls import load_history
from agentdesk.store.sqlite import SqliteStore

NOW = datetime(2026, 11, 23, 9, 45, tzinfo=UTC)
EVERY_TRANSFER = TransferQuery(statuses=frozenset(TransferStatus), limit=1000)


@pytest.fixture(scope="module")
def store() -> SqliteStore:
    store = SqliteStore(":memory:", actor="seed-test")
    seed_store(store, now=NOW)
    return store


def test_every_past_transferred_call_has_one_completed_transfer_taken_by_its_agent(
    store: SqliteStore,
) -> None:
    transferred = [
        c for c in store.list_calls(limit=1000) if c.source == "history" and c.outcome == "transferred"
    ]
    assert transferred
    transfers = store.list_transfers(EVERY_TRANSFER)
    for call in transferred:
        [transfer] = [t for t in transfers if t.call_id == call.id]
        assert transfer.status is TransferStatus.COMPLETED
        assert transfer.claimed_by == call.agent_id is not None
        assert transfer.created_at < transfer.claimed_at < transfer.completed_at == call.ended_at
        lines = store.list_utterances(call.id)
        agent_lines = [u for u in lines if u.speaker == Speaker.AGENT]
        assert all(transfer.claimed_at <= u.at for u in agent_lines), call.id
        assert all(u.at < call.ended_at for u in lines), call.id
        assert transfer.packet.ledger and transfer.packet.customer_id == call.customer_id
        for entry in transfer.packet.ledger:
            fired = transfer.packet.transcript[entry.turn]
            assert fired.speaker == Speaker.CUSTOMER and entry.evidence in fired.text
            assert entry.at is not None and entry.at <= transfer.created_at


def test_a_fresh_demo_gives_the_supervisor_transfer_kpis(store: SqliteStore) -> None:
    report = kpis.compute(
        store.list_calls(limit=1000),
        store.list_transfers(EVERY_TRANSFER),
        store.list_tickets(TicketQuery(limit=1000)),
        store.list_surveys(),
        store.list_feedback(limit=1000),
        NOW,
    )
    for kpi in (report.transfer_accuracy, report.average_wait_seconds, report.handle_time_seconds):
        assert kpi.n > 0 and kpi.value is not None
    assert 0.5 < report.transfer_accuracy.value < 1  # one past transfer is flagged as unneeded
    assert 15 <= report.average_wait_seconds.value <= 150
    assert 2 * 60 <= report.handle_time_seconds.value <= 12 * 60


def test_the_seeded_unneeded_transfer_flag_points_at_the_bot_line_that_transferred(
    store: SqliteStore,
) -> None:
    [flag] = [f for f in store.list_feedback(limit=1000) if f.reason is FeedbackReason.UNNEEDED_TRANSFER]
    flagged = next(u for u in store.list_utterances(flag.call_id) if u.id == flag.utterance_id)
    assert flagged.speaker == Speaker.BOT and flagged.text == flag.utterance_text
    assert flag.note
    [transfer] = [t for t in store.list_transfers(EVERY_TRANSFER) if t.call_id == flag.call_id]
    assert transfer.claimed_by == flag.flagged_by
    assert transfer.completed_at is not None and flag.created_at > transfer.completed_at


def _history(tmp_path: Path, triggers: list[dict[str, Any]]) -> Path:
    """An assets folder whose history is one transferred call with `triggers`."""
    call = {
        "id": "CALL-X1",
        "customer": "C001",
        "started_at": "2026-09-07T09:20:00+08:00",
        "language": "zh",
        "outcome": "transferred",
        "agent": "A01",
        "utterances": [
            {"speaker": "bot", "text": "您好，请问有什么可以帮您？"},
            {"speaker": "customer", "text": "帮我转人工。"},
            {"speaker": "bot", "text": "好的，正在为您转接。"},
            {"speaker": "agent", "text": "您好，我是王芳。"},
        ],
        "transfer": {"waited": 30, "handled": 200, "request_type": "billing", "triggers": triggers},
    }
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "history.yaml").write_text(yaml.safe_dump({"calls": [call]}), encoding="utf-8")
    return tmp_path


def _load(assets: Path) -> list[object]:
    customers = {c.id: c for c in load_customers(locations.assets_dir())}
    return list(load_history(assets, customers))


def test_a_valid_trigger_seeds_a_transfer(tmp_path: Path) -> None:
    trigger = {"rule": "asked-for-human", "turn": 1, "evidence": "转人工", "confidence": 0.9}
    records = _load(_history(tmp_path, [trigger]))
    assert [type(r).__name__ for r in records] == ["Call", *["Utterance"] * 4, "Transfer"]


@pytest.mark.parametrize(
    "trigger",
    [
        {"rule": "asked-for-human", "turn": 7, "evidence": "转人工"},  # past the last line
        {"rule": "asked-for-human", "turn": -1, "evidence": "转人工"},
        {"rule": "asked-for-human", "turn": 2, "evidence": "转接"},  # the bot's line
        {"rule": "asked-for-human", "turn": 3, "evidence": "王芳"},  # the agent's, after the handoff
        {"rule": "bored-customer", "turn": 1, "evidence": "转人工"},
        {"rule": "asked-for-human", "turn": 1, "evidence": "我要投诉"},  # not what the customer said
    ],
    ids=["out-of-range", "negative", "bot-line", "agent-line", "unknown-rule", "misquoted"],
)
def test_a_trigger_the_customer_did_not_fire_is_refused_naming_the_call(
    tmp_path: Path, trigger: dict[str, Any]
) -> None:
    with pytest.raises(SeedError, match="CALL-X1"):
        _load(_history(tmp_path, [trigger]))


def test_the_first_run_summary_names_kb_articles_and_feedback_flags_in_words() -> None:
    from agentdesk.store.seed import SeedSummary

    text = str(SeedSummary({"kbarticles": 102, "agents": 12, "utterances": 301, "botfeedbacks": 1}))
    assert text == "102 KB articles, 12 agents, 301 transcript lines, 1 bot feedback flag"
    assert str(SeedSummary({"customers": 1, "botfeedbacks": 2})) == "1 customer, 2 bot feedback flags"
