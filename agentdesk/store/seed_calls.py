"""Demo calls from `assets/demo/`: past calls with their lines, transfers, tickets, surveys
and flags (`history.yaml`), and the transfers waiting right now (`transfers.yaml`).

Trigger ledgers are checked against the customer's own lines, so a demo transfer never
claims a rule the customer did not fire.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from agentdesk.config import RoutingSettings
from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import (
    BotFeedback,
    Call,
    CallStatus,
    Customer,
    EmotionLevel,
    Speaker,
    Survey,
    SurveyStatus,
    Ticket,
    TicketNote,
    Utterance,
)
from agentdesk.domain.routing import queue_rank
from agentdesk.domain.transfers import HandoffPacket, Transfer, TransferStatus, TriggerEntry, TriggerRule


class SeedError(Exception):
    """The demo data files are missing or inconsistent."""


LINE_SLOT = timedelta(seconds=6)
"""How long a line written without times lasts: untimed lines follow each other this far apart."""
CALL_LENGTH = timedelta(minutes=4)
"""How long a past call lasted when no transfer says otherwise."""


def read_yaml(path: Path) -> Any:
    """One demo data file, parsed.

    Raises:
        SeedError: the file is missing or not valid YAML.
    """
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise SeedError(f"demo data file missing: {path}") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"demo data file {path} is not valid YAML: {exc}") from None


def _customer(customers: dict[str, Customer], customer_id: str, where: str) -> Customer:
    customer = customers.get(customer_id)
    if customer is None:
        raise SeedError(f"{where} names unknown customer {customer_id}")
    return customer


def _utterances(
    call_id: str, lines: list[dict[str, Any]], language: str, started: datetime
) -> list[Utterance]:
    out = []
    for i, line in enumerate(lines):
        start = line.get("start")
        at = started + (timedelta(seconds=start) if start is not None else i * LINE_SLOT)
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


def _ended(line: Utterance) -> datetime:
    """When a line ended: from its own times if the file gives them, else after one slot."""
    if line.start is not None and line.end is not None:
        return line.at + timedelta(seconds=line.end - line.start)
    return line.at + LINE_SLOT


def _shifted(line: Utterance, by: timedelta) -> Utterance:
    seconds = by.total_seconds()
    return line.model_copy(
        update={
            "at": line.at + by,
            "start": None if line.start is None else line.start + seconds,
            "end": None if line.end is None else line.end + seconds,
        }
    )


def load_history(assets: Path, customers: dict[str, Customer]) -> Iterator[object]:
    """Past calls (with their lines and transfers), tickets, answered surveys and agents' flags."""
    data = read_yaml(assets / "demo" / "history.yaml") or {}
    tickets = {t["call"]: t["id"] for t in data.get("tickets", []) if t.get("call")}
    lines: dict[str, list[Utterance]] = {}
    for item in data.get("calls", []):
        call, utterances, transfer = _past_call(item, customers, tickets.get(item["id"]))
        lines[call.id] = utterances
        yield call
        yield from utterances
        if transfer is not None:
            yield transfer
    for item in data.get("tickets", []):
        yield from _past_ticket(item, customers)
    for item in data.get("feedback", []):
        yield _past_flag(item, lines)


def _past_call(
    item: dict[str, Any], customers: dict[str, Customer], ticket_id: str | None
) -> tuple[Call, list[Utterance], Transfer | None]:
    """A past call, its lines and, for a transferred call with a `transfer` block, its transfer."""
    started = datetime.fromisoformat(item["started_at"])
    call = Call(
        id=item["id"],
        customer_id=item["customer"],
        language=item.get("language", "zh"),
        status=CallStatus.ENDED,
        started_at=started,
        ended_at=started + CALL_LENGTH,
        agent_id=item.get("agent"),
        outcome=item.get("outcome"),
        source="history",
    )
    utterances = _utterances(call.id, item.get("utterances", []), call.language, started)
    spec = item.get("transfer")
    if spec is None:
        return call, utterances, None
    if call.outcome != "transferred" or not call.agent_id:
        raise SeedError(f"call {call.id} has a transfer block but was not transferred to an agent")
    customer = _customer(customers, item["customer"], f"call {call.id}")
    utterances, transfer = _past_transfer(call, spec, customer, utterances, ticket_id)
    return call.model_copy(update={"ended_at": transfer.completed_at}), utterances, transfer


def _past_transfer(
    call: Call, spec: dict[str, Any], customer: Customer, lines: list[Utterance], ticket_id: str | None
) -> tuple[list[Utterance], Transfer]:
    """The completed transfer of a past call, and its lines with the agent's part moved after the wait.

    The transfer was queued when the bot's last line before the agent ended; the agent's
    part of the call (and anything said after it) starts when they claimed it.
    """
    where = f"call {call.id}"
    taken = next((i for i, line in enumerate(lines) if line.speaker == Speaker.AGENT), len(lines))
    bot = [line for line in lines[:taken] if line.speaker == Speaker.BOT]
    if not bot:
        raise SeedError(f"{where} has a transfer but no bot line before the agent")
    try:
        waited, handled = (timedelta(seconds=float(spec[key])) for key in ("waited", "handled"))
    except (KeyError, TypeError, ValueError):
        raise SeedError(f"{where}: a transfer needs `waited` and `handled` seconds") from None
    created = _ended(bot[-1])
    claimed = created + waited
    packet = _packet(where, spec, customer, call.language, lines[:taken], created)
    transfer = _transfer(
        f"TR-{call.id.removeprefix('CALL-')}",
        call.id,
        packet,
        created,
        status=TransferStatus.COMPLETED,
        claimed_by=call.agent_id,
        claimed_at=claimed,
        completed_at=claimed + handled,
        ticket_id=ticket_id,
    )
    return [*lines[:taken], *(_shifted(line, waited) for line in lines[taken:])], transfer


def _past_ticket(item: dict[str, Any], customers: dict[str, Customer]) -> Iterator[object]:
    """A past ticket and, if the customer answered one, its survey."""
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


def _past_flag(item: dict[str, Any], lines: dict[str, list[Utterance]]) -> BotFeedback:
    """An agent's flag on a bot line of a past call (`line`: the line's 0-based index)."""
    call_lines, index = lines.get(item["call"], []), item["line"]
    flagged = call_lines[index] if isinstance(index, int) and 0 <= index < len(call_lines) else None
    if flagged is None or flagged.speaker != Speaker.BOT:
        raise SeedError(f"feedback {item['id']}: line {index} is not a bot line of call {item['call']}")
    fields = {k: v for k, v in item.items() if k not in ("call", "line")}
    return BotFeedback(call_id=item["call"], utterance_id=flagged.id, utterance_text=flagged.text, **fields)


def _emotions(lines: list[str]) -> list[EmotionLevel]:
    """Each customer line's emotion level, read the same way the bot reads live lines."""
    from agentdesk.nlp.emotion import assess_emotion  # lexicons load on first use

    return [assess_emotion(text).level for text in lines]


def _complexity(lines: list[str]) -> int:
    from agentdesk.nlp.complexity import assess_complexity

    return max((assess_complexity(text, context=lines[:i]).score for i, text in enumerate(lines)), default=0)


def _ledger(where: str, triggers: list[dict[str, Any]], transcript: list[Utterance]) -> list[TriggerEntry]:
    """The trigger ledger from the file, each entry timed at the end of the customer line that fired it."""
    ledger = []
    for t in triggers:
        if t.get("rule") not in set(TriggerRule):
            raise SeedError(f"{where}: unknown trigger rule {t.get('rule')!r}")
        turn = t.get("turn")
        if not (isinstance(turn, int) and 0 <= turn < len(transcript)):
            raise SeedError(f"{where}: trigger turn {turn!r} is not a line the bot heard before the handoff")
        line = transcript[turn]
        if line.speaker != Speaker.CUSTOMER:
            raise SeedError(f"{where}: trigger turn {turn} is a {line.speaker} line, not the customer's")
        if t.get("evidence", "") not in line.text:
            raise SeedError(f"{where}: trigger evidence {t['evidence']!r} is not in line {turn}")
        ledger.append(TriggerEntry(at=_ended(line), **t))
    return ledger


def _packet(
    where: str,
    spec: dict[str, Any],
    customer: Customer,
    language: str,
    transcript: list[Utterance],
    wait_started_at: datetime,
    titles: dict[str, str] | None = None,
) -> HandoffPacket:
    """The handoff packet a bot posted for a call whose lines up to the handoff are `transcript`.

    What the bot reported (intent, request type, answers, details, ledger) comes from `spec`;
    emotion and complexity are read from the customer's lines.
    """
    titles = titles or {}
    customer_lines = [u.text for u in transcript if u.speaker == Speaker.CUSTOMER]
    levels = _emotions(customer_lines)
    return HandoffPacket(
        customer_id=customer.id,
        customer_name=customer.name,
        tier=customer.tier,
        language=language,
        intent=spec.get("intent", ""),
        request_type=spec.get("request_type", "general"),
        summary=" / ".join(customer_lines[:2]),
        key_sentences=customer_lines[-3:],
        transcript=transcript,
        emotion_level=max(levels[-3:], default=EmotionLevel.CALM),
        emotion_trend=levels,
        bot_answers=[titles.get(a, a) for a in spec.get("bot_answers", [])],
        details={k: mask_text(str(v)) for k, v in (spec.get("details") or {}).items()},
        ledger=_ledger(where, spec.get("triggers", []), transcript),
        complexity=_complexity(customer_lines),
        wait_started_at=wait_started_at,
    )


def _transfer(
    transfer_id: str, call_id: str, packet: HandoffPacket, created: datetime, **fields: Any
) -> Transfer:
    """A transfer queued at `created`, ranked as routing ranks it (`fields`: how it went since)."""
    rank = queue_rank(packet, created, RoutingSettings())
    return Transfer(
        id=transfer_id, call_id=call_id, packet=packet, created_at=created, queue_rank=rank, **fields
    )


def load_transfers(
    assets: Path, customers: dict[str, Customer], now: datetime, titles: dict[str, str] | None = None
) -> Iterator[object]:
    """Waiting transfers as a voice bot posts them, shifted so each has waited a few minutes.

    The packet fields a bot reports (intent, details, what it answered, its trigger ledger)
    come from the file; emotion and complexity are read from the customer's lines.
    """
    for k, item in enumerate(read_yaml(assets / "demo" / "transfers.yaml") or []):
        where = f"transfer {item['id']}"
        customer = _customer(customers, item["customer"], where)
        lines = item.get("utterances", [])
        duration = max((line.get("end") or 0) for line in lines) if lines else 0
        waited = timedelta(seconds=45 + 50 * k)  # close enough that priority, not arrival, orders them
        created = now - waited
        started = created - timedelta(seconds=duration)
        call_id = f"CALL-{item['id']}"
        utterances = _utterances(call_id, lines, item["language"], started)
        packet = _packet(where, item, customer, item["language"], utterances, created, titles)
        yield Call(
            id=call_id,
            customer_id=customer.id,
            language=item["language"],
            status=CallStatus.QUEUED,
            started_at=started,
            source="demo",
        )
        yield from utterances
        yield _transfer(item["id"], call_id, packet, created)
