"""Demo data: the bilingual KB, customers, agents, history and waiting transfers from `assets/`.

The YAML files are written for people; this module turns them into domain
records. Waiting transfers are shifted so they look minutes old whenever the
database is seeded, so a fresh demo always shows live wait timers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from agentdesk import locations
from agentdesk.config import RoutingSettings
from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import (
    Agent,
    Call,
    CallStatus,
    Contact,
    Customer,
    EmotionLevel,
    KBArticle,
    Speaker,
    Survey,
    SurveyStatus,
    Ticket,
    TicketNote,
    Utterance,
    utcnow,
)
from agentdesk.domain.routing import queue_rank
from agentdesk.domain.transfers import HandoffPacket, Transfer, TriggerEntry
from agentdesk.store.base import Store


class SeedError(Exception):
    """The demo data files are missing or inconsistent."""


@dataclass(frozen=True)
class SeedSummary:
    """What a seeding run wrote."""

    counts: dict[str, int]

    def __str__(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in self.counts.items())


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise SeedError(f"demo data file missing: {path}") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"demo data file {path} is not valid YAML: {exc}") from None


def load_articles(assets: Path) -> list[KBArticle]:
    """Every KB article in `assets/kb/articles.<lang>.yaml`."""
    articles = []
    for lang in ("zh", "en"):
        for item in _read(assets / "kb" / f"articles.{lang}.yaml") or []:
            articles.append(KBArticle(language=lang, **item))
    return articles


def load_agents(assets: Path) -> list[Agent]:
    return [Agent(**item) for item in _read(assets / "demo" / "agents.yaml") or []]


def load_customers(assets: Path) -> list[Customer]:
    """Customers with their contacts, and their bills, balance and orders from `accounts.yaml`."""
    accounts = _read(assets / "demo" / "accounts.yaml") or {}
    customers = []
    for item in _read(assets / "demo" / "customers.yaml") or []:
        item = dict(item)
        contacts = [Contact(kind=k, value=str(item.pop(k))) for k in ("phone", "email") if item.get(k)]
        customers.append(Customer(contacts=contacts, **item, **accounts.get(item["id"], {})))
    return customers


def _utterances(
    call_id: str, lines: list[dict[str, Any]], language: str, started: datetime
) -> list[Utterance]:
    out = []
    for i, line in enumerate(lines):
        start = line.get("start")
        at = started + timedelta(seconds=start if start is not None else i * 6)
        out.append(
            Utterance(
                call_id=call_id,
                seq=i + 1,
                speaker=Speaker(line["speaker"]),
                text=line["text"],
                start=start,
                end=line.get("end"),
                language=language,
                at=at,
            )
        )
    return out


def load_history(assets: Path, customers: dict[str, Customer]) -> Iterator[object]:
    """Past calls (with their lines), tickets and answered surveys."""
    data = _read(assets / "demo" / "history.yaml") or {}
    for item in data.get("calls", []):
        started = datetime.fromisoformat(item["started_at"])
        call = Call(
            id=item["id"],
            customer_id=item["customer"],
            language=item.get("language", "zh"),
            status=CallStatus.ENDED,
            started_at=started,
            ended_at=started + timedelta(minutes=4),
            agent_id=item.get("agent"),
            outcome=item.get("outcome"),
            source="history",
        )
        yield call
        yield from _utterances(call.id, item.get("utterances", []), call.language, started)
    for item in data.get("tickets", []):
        created = datetime.fromisoformat(item["created_at"])
        notes = [
            TicketNote(at=datetime.fromisoformat(n["at"]), author=str(n["author"]), text=n["text"])
            for n in item.get("notes", [])
        ]
        survey = item.get("survey")
        survey_id = f"SV-{item['id']}" if survey else None
        yield Ticket(
            id=item["id"],
            type=item["type"],
            status=item["status"],
            customer_id=item["customer"],
            subject=item["subject"],
            intent=item.get("intent", ""),
            priority=item.get("priority", "normal"),
            assignee_id=item.get("assignee"),
            created_at=created,
            updated_at=notes[-1].at if notes else created,
            notes=notes,
            disposition=item.get("disposition"),
            linked_call_ids=[item["call"]] if item.get("call") else [],
            survey_id=survey_id,
            promise=item.get("promise"),
            language=customers[item["customer"]].language if item["customer"] in customers else "zh",
        )
        if survey:
            answered = (notes[-1].at if notes else created) + timedelta(days=1)
            yield Survey(
                id=survey_id,
                ticket_id=item["id"],
                customer_id=item["customer"],
                status=SurveyStatus.ANSWERED,
                score=survey["score"],
                comment=survey.get("comment", ""),
                created_at=answered - timedelta(hours=2),
                sent_at=answered - timedelta(hours=2),
                answered_at=answered,
            )


def _emotions(lines: list[str]) -> list[EmotionLevel]:
    """Each customer line's emotion level, read the same way the bot reads live lines."""
    from agentdesk.nlp.emotion import assess_emotion  # lexicons load on first use

    return [assess_emotion(text).level for text in lines]


def _complexity(lines: list[str]) -> int:
    from agentdesk.nlp.complexity import assess_complexity

    return max((assess_complexity(text, context=lines[:i]).score for i, text in enumerate(lines)), default=0)


def load_transfers(
    assets: Path, customers: dict[str, Customer], now: datetime, titles: dict[str, str] | None = None
) -> Iterator[object]:
    """Waiting transfers as a voice bot posts them, shifted so each has waited a few minutes.

    The packet fields a bot reports (intent, details, what it answered, its trigger ledger)
    come from the file; emotion and complexity are read from the customer's lines.
    """
    titles = titles or {}
    for k, item in enumerate(_read(assets / "demo" / "transfers.yaml") or []):
        customer = customers.get(item["customer"])
        if customer is None:
            raise SeedError(f"transfer {item['id']} names unknown customer {item['customer']}")
        lines = item.get("utterances", [])
        duration = max((line.get("end") or 0) for line in lines) if lines else 0
        waited = timedelta(seconds=45 + 50 * k)  # close enough that priority, not arrival, orders them
        started = now - waited - timedelta(seconds=duration)
        call_id = f"CALL-{item['id']}"
        utterances = _utterances(call_id, lines, item["language"], started)
        ledger = [
            TriggerEntry(at=started + timedelta(seconds=lines[t["turn"]].get("end") or 0), **t)
            for t in item.get("triggers", [])
        ]
        customer_lines = [u.text for u in utterances if u.speaker == Speaker.CUSTOMER]
        levels = _emotions(customer_lines)
        packet = HandoffPacket(
            customer_id=customer.id,
            customer_name=customer.name,
            tier=customer.tier,
            language=item["language"],
            intent=item.get("intent", ""),
            request_type=item.get("request_type", "general"),
            summary=" / ".join(customer_lines[:2]),
            key_sentences=customer_lines[-3:],
            transcript=utterances,
            emotion_level=max(levels[-3:], default=EmotionLevel.CALM),
            emotion_trend=levels,
            bot_answers=[titles.get(a, a) for a in item.get("bot_answers", [])],
            details={k2: mask_text(str(v)) for k2, v in (item.get("details") or {}).items()},
            ledger=ledger,
            complexity=_complexity(customer_lines),
            wait_started_at=now - waited,
        )
        yield Call(
            id=call_id,
            customer_id=customer.id,
            language=item["language"],
            status=CallStatus.QUEUED,
            started_at=started,
            source="demo",
        )
        yield from utterances
        created = now - waited
        rank = queue_rank(packet, created, RoutingSettings())
        yield Transfer(id=item["id"], call_id=call_id, packet=packet, created_at=created, queue_rank=rank)


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
    records.extend(load_history(assets, by_id))
    if waiting:
        records.extend(load_transfers(assets, by_id, now, {a.id: a.title for a in articles}))
    return records


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
