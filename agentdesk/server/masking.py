"""Masking of phone, ID and card numbers in what the server sends to roles that may not see them.

The rules themselves are `agentdesk.domain.masking`; this module knows which fields of
which records carry free text or numbers. Masking happens on the way out only: the
store keeps the real values, and a supervisor (permission `sensitive:read`) sees them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from agentdesk.domain import masking
from agentdesk.domain.masking import mask_detail, mask_number, mask_text
from agentdesk.domain.models import AuditEvent, BotFeedback, Customer, Survey, Ticket, Utterance
from agentdesk.domain.transfers import HandoffPacket, Transfer

M = TypeVar("M")


def _copy(record: M, updates: dict[str, Any]) -> M:
    """`record` with `updates`, or `record` itself when masking changed nothing (the usual case)."""
    changed = {k: v for k, v in updates.items() if v is not getattr(record, k) and v != getattr(record, k)}
    return record.model_copy(update=changed) if changed else record  # type: ignore[attr-defined]


def _texts(values: list[str]) -> list[str]:
    masked = [mask_text(v) for v in values]
    return values if masked == values else masked


def mask_customer(c: Customer) -> Customer:
    contacts = [_copy(x, {"value": mask_number(x.value)}) if x.kind == "phone" else x for x in c.contacts]
    return _copy(
        c,
        {
            "contacts": contacts,
            "id_number": mask_number(c.id_number) if c.id_number else c.id_number,
            "notes": mask_text(c.notes),
        },
    )


def mask_utterance(u: Utterance) -> Utterance:
    return _copy(u, {"text": mask_text(u.text)})


def mask_utterances(lines: list[Utterance]) -> list[Utterance]:
    """A call's lines, masked together: a number read out over two lines is masked as one."""
    said = masking.mask_speakers([(str(u.speaker), u.text) for u in lines])
    return [_copy(u, {"text": text}) for u, text in zip(lines, said, strict=True)]


def mask_packet(p: HandoffPacket) -> HandoffPacket:
    transcript = mask_utterances(p.transcript)
    raw, said = [u.text for u in p.transcript], [u.text for u in transcript]
    sentences = masking.mask_lines(p.key_sentences)
    return _copy(
        p,
        {
            "intent": mask_text(p.intent),
            "summary": masking.mask_quoting(p.summary, p.key_sentences, sentences),
            "key_sentences": sentences,
            "transcript": transcript,
            "bot_answers": _texts(p.bot_answers),
            "details": {k: mask_detail(k, v) for k, v in p.details.items()},
            "ledger": [_copy(e, {"evidence": masking.mask_quoting(e.evidence, raw, said)}) for e in p.ledger],
        },
    )


def mask_transfer(t: Transfer) -> Transfer:
    return _copy(t, {"packet": mask_packet(t.packet)})


def mask_ticket(t: Ticket) -> Ticket:
    return _copy(
        t,
        {
            "subject": mask_text(t.subject),
            "intent": mask_text(t.intent),
            "promise": mask_text(t.promise) if t.promise else t.promise,
            "disposition": mask_text(t.disposition) if t.disposition else t.disposition,
            "notes": [_copy(n, {"text": mask_text(n.text)}) for n in t.notes],
        },
    )


def mask_feedback(f: BotFeedback) -> BotFeedback:
    return _copy(
        f,
        {
            "utterance_text": mask_text(f.utterance_text),
            "correct_text": mask_text(f.correct_text),
            "note": mask_text(f.note),
        },
    )


def mask_survey(s: Survey) -> Survey:
    return _copy(s, {"comment": mask_text(s.comment)})


def mask_event(e: AuditEvent) -> AuditEvent:
    return _copy(e, {"data": masking.mask_json(e.data)})


_MASKERS: dict[type, Callable[[Any], Any]] = {
    Customer: mask_customer,
    Utterance: mask_utterance,
    Transfer: mask_transfer,
    Ticket: mask_ticket,
    BotFeedback: mask_feedback,
    Survey: mask_survey,
    AuditEvent: mask_event,
}


def mask(value: M) -> M:
    """`value` (a record, or a list of records) as a role without `sensitive:read` sees it.

    Records without sensitive fields (agents, calls, KB articles) come back unchanged.
    """
    if isinstance(value, list):
        if value and all(isinstance(v, Utterance) for v in value):
            return mask_utterances(value)  # type: ignore[return-value]
        return [mask(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, BaseModel):
        masker = _MASKERS.get(type(value))
        return masker(value) if masker else value
    return value
