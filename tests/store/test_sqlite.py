"""SQLite-specific behaviour: migrations, damaged or locked files, concurrent claims."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlite_utils import Database

from agentdesk.domain.models import Agent, Call, Speaker, Ticket, Utterance
from agentdesk.domain.transfers import HandoffPacket, Transfer, TransferStatus
from agentdesk.store import migrations
from agentdesk.store.base import (
    AlreadyClaimed,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    TicketQuery,
    TransferQuery,
)
from agentdesk.store.sqlite import SqliteStore


def test_empty_file_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "new.db")
    assert store.schema_version() == migrations.latest_version() >= 1
    store.close()


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SqliteStore(path) as s:
        s.create_ticket(Ticket(id="TK-1", subject="keep me"))
    with SqliteStore(path) as s:
        assert s.get_ticket("TK-1").subject == "keep me"
        assert s.schema_version() == migrations.latest_version()


def test_transcripts_written_before_line_ids_were_per_call_survive_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.migrations.apply(old, stop_before="m004_utterance_ids_per_call")
    call = Call(id="CALL-OLD")
    old.conn.execute(
        "INSERT INTO calls (id, customer_id, status, started_at, data) VALUES (?,?,?,?,?)",
        (call.id, None, call.status, call.started_at.isoformat(), call.model_dump_json()),
    )
    for seq, text in ((1, "您好"), (2, "我要查话费")):
        line = Utterance(id=f"U-{seq}", call_id=call.id, seq=seq, speaker=Speaker.CUSTOMER, text=text)
        old.conn.execute(
            "INSERT INTO utterances (id, call_id, seq, speaker, final, data) VALUES (?,?,?,?,?,?)",
            (line.id, call.id, seq, line.speaker, 1, line.model_dump_json()),
        )
    old.conn.close()
    with SqliteStore(path) as store:
        assert store.schema_version() == migrations.latest_version()
        assert [(u.id, u.seq, u.text) for u in store.list_utterances("CALL-OLD")] == [
            ("U-1", 1, "您好"),
            ("U-2", 2, "我要查话费"),
        ]
        store.upsert_call(Call(id="CALL-NEW"))
        store.append_utterance("CALL-NEW", Utterance(id="U-1", speaker=Speaker.BOT, text="new call"))
        assert [u.text for u in store.list_utterances("CALL-OLD")] == ["您好", "我要查话费"]
        assert [u.seq for u in store.list_utterances("CALL-NEW")] == [1]


def test_database_uses_write_ahead_logging(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    SqliteStore(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_corrupt_file_gives_a_clear_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    with pytest.raises(StoreCorrupt, match="seed --reset"):
        SqliteStore(path)
    assert path.read_bytes() == content  # nothing overwritten


def test_directory_path_gives_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        SqliteStore(tmp_path)


def test_locked_database_gives_a_clear_message_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    store = SqliteStore(path, busy_timeout_ms=200)
    store.create_ticket(Ticket(id="TK-1", subject="saved before the lock"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLocked, match="locked by another program"):
            store.create_ticket(Ticket(id="TK-2", subject="blocked"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.get_ticket("TK-1").subject == "saved before the lock"
    store.create_ticket(Ticket(id="TK-2", subject="works once the lock is gone"))
    assert store.get_ticket("TK-2").subject.startswith("works")


def _race_once(store: SqliteStore, pool: ThreadPoolExecutor, claimants: int) -> list[str]:
    transfer = store.create_transfer(Transfer(packet=HandoffPacket()))
    barrier = threading.Barrier(claimants)

    def claim(i: int) -> str:
        barrier.wait()
        try:
            store.claim_transfer(transfer.id, f"A{i}")
            return "won"
        except AlreadyClaimed:
            return "lost"

    return list(pool.map(claim, range(claimants)))


def test_thirty_two_threads_claiming_one_transfer_have_exactly_one_winner(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "race.db")
    store.bulk_load([Agent(id=f"A{i}", name=str(i), capacity=1000) for i in range(32)])
    with ThreadPoolExecutor(32) as pool:
        for _ in range(100):
            outcomes = _race_once(store, pool, 32)
            assert outcomes.count("won") == 1 and outcomes.count("lost") == 31


def _claim_in_process(path: str, transfer_ids: list[str], agent: str, out: multiprocessing.Queue) -> None:
    store = SqliteStore(path, busy_timeout_ms=30000)
    won = []
    for tid in transfer_ids:
        try:
            store.claim_transfer(tid, agent)
            won.append(tid)
        except AlreadyClaimed:
            pass
    out.put(won)


def test_processes_sharing_a_file_never_claim_the_same_transfer(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = SqliteStore(path)
    store.bulk_load([Agent(id=f"A{i}", name=str(i), capacity=1000) for i in range(4)])
    ids = [store.create_transfer(Transfer(packet=HandoffPacket())).id for _ in range(200)]
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_claim_in_process, args=(str(path), ids, f"A{i}", out)) for i in range(4)]
    for p in procs:
        p.start()
    won = [tid for _ in procs for tid in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
    assert sorted(won) == sorted(ids)  # every transfer claimed exactly once across processes
    claimed = store.list_transfers(TransferQuery(statuses=frozenset({TransferStatus.CLAIMED}), limit=1000))
    assert len(claimed) == 200


def test_reads_do_not_wait_for_a_write_blocked_by_another_program(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    store = SqliteStore(path, busy_timeout_ms=2000)
    store.create_ticket(Ticket(id="TK-1", subject="readable"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with ThreadPoolExecutor(1) as pool:
            blocked = pool.submit(store.create_ticket, Ticket(id="TK-2", subject="waits for the lock"))
            time.sleep(0.2)  # the write holds the store's write connection, waiting
            assert store.get_ticket("TK-1").subject == "readable"
            assert store.list_tickets(TicketQuery(text="readable"))[0].id == "TK-1"
            assert not blocked.done(), "the reads were answered while the write still waited"
            with pytest.raises(StoreLocked):
                blocked.result()
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()


def test_writes_queued_behind_a_blocked_write_are_all_refused_as_locked(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    store = SqliteStore(path, busy_timeout_ms=1500)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    def write(i: int) -> str:
        try:
            store.create_ticket(Ticket(id=f"TK-{i}", subject="queued"))
        except StoreLocked:
            return "locked"
        return "written"

    try:
        with ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(write, range(4)))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert outcomes == ["locked"] * 4
    assert write(9) == "written" and store.get_ticket("TK-9").subject == "queued"
    store.close()


def test_a_read_inside_a_write_sees_the_write(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "own.db")
    with store._write():
        store.create_ticket(Ticket(id="TK-1", subject="not committed yet"))
        assert store.get_ticket("TK-1").subject == "not committed yet"
    assert store.get_ticket("TK-1").subject == "not committed yet"
    store.close()
