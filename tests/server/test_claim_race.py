"""Fifty desks race for a thousand transfers on a real server process: each is claimed exactly once."""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agentdesk.domain.models import Agent
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.server.db import ServerDb
from agentdesk.server.runner import ServerProcess
from agentdesk.server.users import UserStore
from agentdesk.store.base import AlreadyClaimed, TransferQuery
from agentdesk.store.remote import RemoteStore
from agentdesk.store.sqlite import SqliteStore

CLIENTS = 50
TRANSFERS = 1000


def _prepare(db: Path) -> tuple[list[str], set[str]]:
    with SqliteStore(db, actor="setup") as store:
        agents = [Agent(id=f"A{i:02d}", name=f"Agent {i}", capacity=TRANSFERS) for i in range(CLIENTS)]
        transfers = [
            Transfer(packet=HandoffPacket(customer_id=f"C{i}"), queue_rank=float(i)) for i in range(TRANSFERS)
        ]
        store.bulk_load([*agents, *transfers])
        users = UserStore(ServerDb(store))
        tokens = [users.add(a.id, "agent")[1] for a in agents]
    return tokens, {t.id for t in transfers}


def _desk(url: str, token: str, agent_id: str, seed: int) -> list[str]:
    """Claim from the head of the queue until it is empty, like a busy agent; returns what it won."""
    rng = random.Random(seed)
    won: list[str] = []
    with RemoteStore(url, token, outbox=False) as desk:
        while True:
            head = desk.list_transfers(TransferQuery(limit=10))
            if not head:
                return won
            pick = rng.choice(head)
            try:
                won.append(desk.claim_transfer(pick.id, agent_id).id)
            except AlreadyClaimed:
                continue


def test_fifty_desks_claim_a_thousand_transfers_each_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "race.db"
    tokens, ids = _prepare(db)
    with ServerProcess(db) as server, ThreadPoolExecutor(CLIENTS) as pool:
        runs = [pool.submit(_desk, server.url, tokens[i], f"A{i:02d}", i) for i in range(CLIENTS)]
        wins = [run.result() for run in runs]
    every_win = [tid for won in wins for tid in won]
    assert len(every_win) == TRANSFERS and set(every_win) == ids
    with SqliteStore(db) as store:
        claimed = store.list_transfers(TransferQuery(statuses=frozenset({"claimed"}), limit=TRANSFERS + 1))
        holders = {t.id: t.claimed_by for t in claimed}
        claim_events = Counter(
            e.entity_id for e in store.events_since(0, limit=10 * TRANSFERS) if e.kind == "transfer.claimed"
        )
    assert len(holders) == TRANSFERS
    assert all(holders[tid] == f"A{i:02d}" for i, won in enumerate(wins) for tid in won)
    assert set(claim_events.values()) == {1} and set(claim_events) == ids
    assert sum(1 for won in wins if won) > 1, "the race needs more than one winner to mean anything"
