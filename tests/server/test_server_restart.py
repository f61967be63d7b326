"""The server process is killed (SIGKILL) in the middle of a write burst from four desks and
started again: every write arrives, none twice, each desk's in the order it made them."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

from agentdesk.domain.models import Agent, Call, Speaker, Ticket, Utterance
from agentdesk.server.db import ServerDb
from agentdesk.server.runner import ServerProcess
from agentdesk.server.users import UserStore
from agentdesk.store.remote import RemoteStore
from agentdesk.store.sqlite import SqliteStore

DESKS = 4
ROUNDS = 40
"""Each round writes a line to the desk's call, a note on its ticket and a new ticket."""


def _prepare(db: Path) -> list[str]:
    with SqliteStore(db, actor="setup") as store:
        records: list[object] = []
        for d in range(DESKS):
            records += [
                Agent(id=f"A{d}", name=f"Agent {d}"),
                Call(id=f"CALL-{d}"),
                Ticket(id=f"TK-{d}", subject="burst"),
            ]
        store.bulk_load(records)
        users = UserStore(ServerDb(store))
        return [users.add(f"A{d}", "agent")[1] for d in range(DESKS)]


def _burst(desk: RemoteStore, d: int, progress: list[int]) -> None:
    for i in range(ROUNDS):
        desk.append_utterance(
            f"CALL-{d}", Utterance(id=f"U-{d}-{i}", speaker=Speaker.AGENT, text=f"line {i}")
        )
        desk.update_ticket(f"TK-{d}", note=f"note {i}", actor=f"A{d}")
        desk.create_ticket(Ticket(id=f"TK-{d}-{i}", subject=f"follow-up {i}"), actor=f"A{d}")
        progress[d] = i + 1
        time.sleep(0.005)


def test_no_write_is_lost_or_doubled_when_the_server_dies_mid_burst(tmp_path: Path) -> None:
    db = tmp_path / "server.db"
    tokens = _prepare(db)
    progress = [0] * DESKS
    most_waiting = [0]
    with ServerProcess(db) as server:
        desks = [
            RemoteStore(
                server.url,
                tokens[d],
                outbox=tmp_path / f"outbox-{d}.db",
                retry_seconds=0.1,
                connect_timeout=1.0,
            )
            for d in range(DESKS)
        ]
        for desk in desks:
            desk.get_ticket(f"TK-{desks.index(desk)}")  # a desk has its ticket open, so notes work offline
            desk.add_listener(lambda state: most_waiting.__setitem__(0, max(most_waiting[0], state.pending)))
        threads = [threading.Thread(target=_burst, args=(desks[d], d, progress)) for d in range(DESKS)]
        for t in threads:
            t.start()
        while min(progress) < ROUNDS // 4:
            time.sleep(0.01)
        server.kill()
        time.sleep(1.0)  # the desks keep writing into their outboxes
        server.start()
        for t in threads:
            t.join(120)
        deadline = time.monotonic() + 60
        while any(d.connection.pending or d.connection.status != "online" for d in desks):
            assert time.monotonic() < deadline, [d.connection for d in desks]
            time.sleep(0.05)
        failed = [f for d in desks for f in d.failed_writes()]
        for desk in desks:
            desk.close()
    assert most_waiting[0] > 0, "the kill must have sent writes to the outbox"
    assert failed == []
    with SqliteStore(db) as store:
        events = store.events_since(0, limit=100_000)
        for d in range(DESKS):
            lines = store.list_utterances(f"CALL-{d}")
            assert [u.id for u in lines] == [f"U-{d}-{i}" for i in range(ROUNDS)]
            assert [n.text for n in store.get_ticket(f"TK-{d}").notes] == [f"note {i}" for i in range(ROUNDS)]
            for i in range(ROUNDS):
                assert store.get_ticket(f"TK-{d}-{i}").subject == f"follow-up {i}"
    per_write = Counter((e.kind, e.data.get("id", e.entity_id)) for e in events if e.kind != "agent.saved")
    lines_saved = [n for (kind, _), n in per_write.items() if kind == "utterance.saved"]
    tickets_created = [n for (kind, _), n in per_write.items() if kind == "ticket.created"]
    notes_written = sum(n for (kind, _), n in per_write.items() if kind == "ticket.updated")
    assert lines_saved == [1] * (DESKS * ROUNDS)
    assert tickets_created == [1] * (DESKS * ROUNDS + DESKS)
    assert notes_written == DESKS * ROUNDS
