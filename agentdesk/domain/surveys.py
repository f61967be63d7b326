"""The satisfaction survey loop: pending -> sent -> answered or expired, CSAT, and the follow-up.

After a ticket is resolved the bot sends a survey (score 1-5). An answer closes the loop:

- score 3-5, or no answer before the survey expires: the resolved ticket is closed;
- score 1-2: the ticket is closed as well, and a **follow-up ticket** is opened for the
  customer, linked to the survey and the original calls. A follow-up rather than a
  reopen keeps the first resolution on record (so first-contact resolution and SLA
  figures stay honest) and gives the recovery work its own priority, SLA and assignee.
  A ticket someone already reopened is only annotated: work is under way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from agentdesk.domain.models import (
    Survey,
    SurveyStatus,
    Ticket,
    TicketNote,
    TicketPriority,
    TicketStatus,
    TicketType,
)
from agentdesk.domain.tickets import add_note, sla_due, transition

EXPIRES_AFTER = timedelta(days=7)
"""A sent survey left unanswered this long expires."""
LOW_SCORE = 2
"""Scores at or below this open a follow-up ticket."""
SATISFIED_AT = 4
"""Scores at or above this count as satisfied in CSAT."""


class SurveyError(ValueError):
    """A survey step the loop does not allow (e.g. answering an expired survey)."""


def request_survey(ticket: Ticket, now: datetime, *, call_id: str | None = None) -> Survey:
    """A pending survey for a resolved ticket.

    Raises:
        SurveyError: the ticket is not resolved.
    """
    if ticket.status is not TicketStatus.RESOLVED:
        raise SurveyError(f"ticket {ticket.id} is {ticket.status}, a survey follows resolution")
    return Survey(
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        call_id=call_id or (ticket.linked_call_ids[-1] if ticket.linked_call_ids else None),
        created_at=now,
    )


def _require(survey: Survey, status: SurveyStatus, step: str) -> None:
    if survey.status is not status:
        raise SurveyError(f"survey {survey.id} is {survey.status}; only a {status} survey can be {step}")


def send(survey: Survey, now: datetime) -> Survey:
    """The survey after the bot sent it.

    Raises:
        SurveyError: it is not pending.
    """
    _require(survey, SurveyStatus.PENDING, "sent")
    return survey.model_copy(update={"status": SurveyStatus.SENT, "sent_at": now})


def answer(survey: Survey, score: int, now: datetime, comment: str = "") -> Survey:
    """The survey after the customer answered with `score` (1-5).

    Raises:
        SurveyError: it was not sent, or has expired.
        ValueError: the score is outside 1-5.
    """
    _require(survey, SurveyStatus.SENT, "answered")
    if not 1 <= score <= 5:
        raise ValueError(f"a survey score is 1-5, not {score}")
    return survey.model_copy(
        update={
            "status": SurveyStatus.ANSWERED,
            "score": score,
            "comment": comment.strip(),
            "answered_at": now,
        }
    )


def is_due_to_expire(survey: Survey, now: datetime, after: timedelta = EXPIRES_AFTER) -> bool:
    """Sent, unanswered, and sent at least `after` ago."""
    return survey.status is SurveyStatus.SENT and survey.sent_at is not None and now - survey.sent_at >= after


def expire(survey: Survey, now: datetime, after: timedelta = EXPIRES_AFTER) -> Survey:
    """The survey marked expired.

    Raises:
        SurveyError: it is not sent, or was sent less than `after` ago.
    """
    if not is_due_to_expire(survey, now, after):
        raise SurveyError(f"survey {survey.id} is not due to expire")
    return survey.model_copy(update={"status": SurveyStatus.EXPIRED})


def csat(surveys: Iterable[Survey]) -> float | None:
    """CSAT: the share of answered surveys scoring 4 or 5 (0-1); None when none was answered."""
    scores = [s.score for s in surveys if s.status is SurveyStatus.ANSWERED and s.score is not None]
    if not scores:
        return None
    return sum(1 for score in scores if score >= SATISFIED_AT) / len(scores)


@dataclass(frozen=True, slots=True)
class LoopClosed:
    """What closing the loop changed: the original ticket, and a follow-up if one is needed."""

    ticket: Ticket
    follow_up: Ticket | None


def follow_up_ticket(ticket: Ticket, survey: Survey, now: datetime) -> Ticket:
    """The follow-up for a low score: urgent for 1, high for 2, SLA from its priority."""
    zh = ticket.language == "zh"
    priority = TicketPriority.URGENT if survey.score == 1 else TicketPriority.HIGH
    subject = f"回访：{ticket.subject}" if zh else f"Follow-up: {ticket.subject}"
    said = f"：{survey.comment}" if zh else f": {survey.comment}"
    text = (
        f"满意度{survey.score}/5，原工单 {ticket.id}"
        if zh
        else f"Satisfaction {survey.score}/5 on ticket {ticket.id}"
    ) + (said if survey.comment else "")
    return Ticket(
        type=TicketType.FOLLOW_UP,
        customer_id=ticket.customer_id,
        subject=subject,
        intent=ticket.intent,
        priority=priority,
        created_at=now,
        updated_at=now,
        sla_due=sla_due(TicketType.FOLLOW_UP, priority, now),
        notes=[TicketNote(at=now, author="bot", kind="system", text=text)],
        linked_call_ids=list(ticket.linked_call_ids),
        survey_id=survey.id,
        language=ticket.language,
    )


def close_loop(ticket: Ticket, survey: Survey, now: datetime, actor: str = "bot") -> LoopClosed:
    """Apply an answered or expired survey to its ticket (see the module docstring).

    Raises:
        SurveyError: the survey is still pending or sent, or belongs to another ticket.
    """
    if survey.status not in (SurveyStatus.ANSWERED, SurveyStatus.EXPIRED):
        raise SurveyError(f"survey {survey.id} is {survey.status}; wait for an answer or expiry")
    if survey.ticket_id != ticket.id:
        raise SurveyError(f"survey {survey.id} is for ticket {survey.ticket_id}, not {ticket.id}")
    low = survey.status is SurveyStatus.ANSWERED and survey.score is not None and survey.score <= LOW_SCORE
    if survey.status is SurveyStatus.EXPIRED:
        note = "满意度调查未回复，已过期" if ticket.language == "zh" else "Survey expired without an answer"
    else:
        note = (
            f"满意度调查：{survey.score}/5"
            if ticket.language == "zh"
            else f"Survey answered: {survey.score}/5"
        )
    updated = ticket.model_copy(update={"survey_id": survey.id})
    if updated.status is TicketStatus.RESOLVED:
        updated = transition(updated, TicketStatus.CLOSED, actor, note=note, at=now)
    else:
        updated = add_note(updated, actor, note, at=now)
    still_open = updated.status is not TicketStatus.CLOSED
    follow_up = follow_up_ticket(ticket, survey, now) if low and not still_open else None
    return LoopClosed(updated, follow_up)
