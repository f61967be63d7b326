"""Demo data: the bilingual KB, customers, agents, history and waiting transfers from `assets/`.

The YAML files are written for people; this module turns them into domain
records (calls, transfers, tickets and flags in `seed_calls`). Waiting transfers are shifted so they look minutes old whenever the
database is seeded, so a fresh demo always shows live wait timers. Past
transferred calls carry the completed transfer an agent took, so the
supervisor's transfer KPIs have history to measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agentdesk import locations
from agentdesk.domain.models import Agent, Call, Contact, Customer, KBArticle, Ticket, utcnow
from agentdesk.domain.routing_affinity import affinity_from_history
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import Store
from agentdesk.store.seed_calls import SeedError, load_history, load_transfers, read_yaml

__all__ = [
    "SeedError",
    "SeedSummary",
    "demo_records",
    "load_agents",
    "load_articles",
    "load_customers",
    "seed_store",
]


WORDS = {
    "kbarticles": ("KB article", "KB articles"),
    "utterances": ("transcript line", "transcript lines"),
    "botfeedbacks": ("bot feedback flag", "bot feedback flags"),
}
"""How a summary names the record kinds whose plural is not their class name plus s (`kbarticles`)."""


@dataclass(frozen=True)
class SeedSummary:
    """What a seeding run wrote."""

    counts: dict[str, int]
    """Records written by kind: the record class name in lower case plus s (`customers`, `kbarticles`)."""

    def __str__(self) -> str:
        """`102 KB articles, 12 agents, …, 1 bot feedback flag`: readable words, singular for one."""
        words = [(n, WORDS.get(kind, (kind.removesuffix("s"), kind))) for kind, n in self.counts.items()]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, (one, many) in words)


def load_articles(assets: Path) -> list[KBArticle]:
    """Every KB article in `assets/kb/articles.<lang>.yaml`."""
    articles = []
    for lang in ("zh", "en"):
        for item in read_yaml(assets / "kb" / f"articles.{lang}.yaml") or []:
            articles.append(KBArticle(language=lang, **item))
    return articles


def load_agents(assets: Path) -> list[Agent]:
    return [Agent(**item) for item in read_yaml(assets / "demo" / "agents.yaml") or []]


def load_customers(assets: Path) -> list[Customer]:
    """Customers with their contacts, and their bills, balance and orders from `accounts.yaml`."""
    accounts = read_yaml(assets / "demo" / "accounts.yaml") or {}
    customers = []
    for item in read_yaml(assets / "demo" / "customers.yaml") or []:
        item = dict(item)
        contacts = [Contact(kind=k, value=str(item.pop(k))) for k in ("phone", "email") if item.get(k)]
        customers.append(Customer(contacts=contacts, **item, **accounts.get(item["id"], {})))
    return customers


def demo_records(
    assets: Path | None = None, *, now: datetime | None = None, waiting: bool = True
) -> list[object]:
    """Every demo record, in an order that satisfies references (calls before their lines).

    `waiting=False` leaves out the waiting transfers (and their calls): `agentdesk demo`
    fills the inbox with live traffic instead.
    """
    assets = assets or locations.assets_dir()
    now = now or utcnow()
    customers = load_customers(assets)
    by_id = {c.id: c for c in customers}
    articles = load_articles(assets)
    records: list[object] = [*articles, *load_agents(assets), *customers]
    history = list(load_history(assets, by_id))
    records.extend(history)
    if waiting:
        waiting_now = load_transfers(assets, by_id, now, {a.id: a.title for a in articles})
        records.extend(_with_affinity(r, by_id, history, now) for r in waiting_now)
    return records


def _with_affinity(
    record: object, customers: dict[str, Customer], history: list[object], now: datetime
) -> object:
    """A waiting transfer with its customer's previous agents in the packet, as a voice bot's
    transfer gets them when the server queues it (`routing_affinity`)."""
    if not isinstance(record, Transfer) or record.packet.customer_id not in customers:
        return record
    cid = record.packet.customer_id
    tickets = [r for r in history if isinstance(r, Ticket) and r.customer_id == cid]
    calls = [r for r in history if isinstance(r, Call) and r.customer_id == cid]
    affinity = affinity_from_history(customers[cid], tickets, calls, now)
    if affinity is None:
        return record
    return record.model_copy(update={"packet": record.packet.model_copy(update={"affinity": affinity})})


def seed_store(
    store: Store, *, assets: Path | None = None, now: datetime | None = None, waiting: bool = True
) -> SeedSummary:
    """Write the demo data into an empty store (`waiting`: with the waiting transfers)."""
    records = demo_records(assets, now=now, waiting=waiting)
    store.bulk_load(records, actor="seed")
    counts: dict[str, int] = {}
    for r in records:
        name = type(r).__name__.lower() + "s"
        counts[name] = counts.get(name, 0) + 1
    return SeedSummary(counts)
