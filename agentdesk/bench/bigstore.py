"""A large, realistic store for benches: the demo data plus N waiting transfers and M tickets.

Generated once per size into the cache directory (it takes a minute for 100k tickets)
and copied for each run, so runs never see each other's writes.
"""

from __future__ import annotations

import random
import shutil
from datetime import timedelta
from pathlib import Path

from agentdesk import locations
from agentdesk.config import RoutingSettings
from agentdesk.domain import routing
from agentdesk.domain.models import (
    EmotionLevel,
    Speaker,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
    Utterance,
    utcnow,
)
from agentdesk.domain.transfers import HandoffPacket, Transfer, TriggerEntry, TriggerRule
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore

_RULES = list(TriggerRule)


def bench_db(transfers: int, tickets: int, *, progress=None) -> Path:  # type: ignore[no-untyped-def]
    """The cached database with this many extra transfers and tickets, built when missing."""
    folder = locations.model_cache_dir().parent / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"desk-{transfers}t-{tickets}k.db"
    if not path.exists():
        tmp = path.with_suffix(".building")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        build(tmp, transfers, tickets, progress=progress)
        tmp.rename(path)
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A private copy for one run."""
    shutil.copyfile(source, target)
    return target


def build(path: Path, transfers: int, tickets: int, *, seed: int = 7, progress=None) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    store = SqliteStore(path, actor="bench")
    seed_store(store)
    customers = store.list_customers(limit=1000)
    titles = [(a.title, a.category) for a in store.list_articles()]
    now = utcnow()
    settings = RoutingSettings()
    batch: list[object] = []
    for i in range(transfers):
        c = rng.choice(customers)
        rule = rng.choice(_RULES)
        title, category = rng.choice(titles)
        created = now - timedelta(seconds=rng.randint(5, 3600))
        line = Utterance(speaker=Speaker.CUSTOMER, text=title, at=created)
        packet = HandoffPacket(
            customer_id=c.id,
            customer_name=c.name,
            tier=c.tier,
            language=c.language,
            intent=title,
            request_type=category,
            summary=title,
            transcript=[line],
            emotion_level=EmotionLevel(rng.randint(0, 3)),
            ledger=[TriggerEntry(rule=rule, turn=0, evidence=title)],
            complexity=rng.randint(0, 3),
            wait_started_at=created,
        )
        batch.append(
            Transfer(
                packet=packet, created_at=created, queue_rank=routing.queue_rank(packet, created, settings)
            )
        )
        if len(batch) >= 2000:
            store.bulk_load(batch)
            batch = []
            if progress:
                progress(i + 1, transfers + tickets)
    statuses = list(TicketStatus)
    for i in range(tickets):
        c = rng.choice(customers)
        title, category = rng.choice(titles)
        created = now - timedelta(minutes=rng.randint(10, 60 * 24 * 120))
        batch.append(
            Ticket(
                type=rng.choice(list(TicketType)),
                status=rng.choice(statuses),
                customer_id=c.id,
                subject=f"{title} #{i}",
                intent=category,
                priority=rng.choice(list(TicketPriority)),
                created_at=created,
                updated_at=created + timedelta(minutes=rng.randint(0, 600)),
                language=c.language,
            )
        )
        if len(batch) >= 5000:
            store.bulk_load(batch)
            batch = []
            if progress:
                progress(transfers + i + 1, transfers + tickets)
    if batch:
        store.bulk_load(batch)
    store.close()
