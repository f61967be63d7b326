"""The survey loop: pending -> sent -> answered or expired; CSAT; a low score opens a follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentdesk.domain import tickets
from agentdesk.domain.models import (
    Survey,
    SurveyStatus,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
)
from agentdesk.domain.surveys import (
    SurveyError,
    answer,
    close_loop,
    csat,
    expire,
    is_due_to_expire,
    request_survey,
    send,
)

from .conftest import LANGS, NOW


def resolved_ticket(lang: str = "zh") -> Ticket:
    ticket = Ticket(
        id="TK-1",
        type=TicketType.COMPLAINT,
        subject="账单多扣" if lang == "zh" else "Overcharged",
        customer_id="C001",
        language=lang,
        linked_call_ids=["CALL-1"],
        created_at=NOW - timedelta(hours=5),
    )
    ticket = tickets.assign(ticket, "A1", "A1", at=NOW - timedelta(hours=4))
    return tickets.transition(ticket, TicketStatus.RESOLVED, "A1", at=NOW - timedelta(hours=1))


def answered(score: int, lang: str = "zh", comment: str = "") -> Survey:
    survey = send(request_survey(resolved_ticket(lang), NOW), NOW)
    return answer(survey, score, NOW + timedelta(hours=2), comment)


def test_survey_follows_resolution_only() -> None:
    open_ticket = Ticket(subject="x")
    with pytest.raises(SurveyError, match="follows resolution"):
        request_survey(open_ticket, NOW)


def test_survey_goes_pending_then_sent_then_answered() -> None:
    survey = request_survey(resolved_ticket(), NOW)
    assert (survey.status, survey.ticket_id, survey.customer_id, survey.call_id) == (
        SurveyStatus.PENDING,
        "TK-1",
        "C001",
        "CALL-1",
    )
    survey = send(survey, NOW)
    assert (survey.status, survey.sent_at) == (SurveyStatus.SENT, NOW)
    survey = answer(survey, 5, NOW + timedelta(minutes=3), "  very helpful ")
    assert (survey.status, survey.score, survey.comment) == (SurveyStatus.ANSWERED, 5, "very helpful")


def test_unsent_survey_cannot_be_answered() -> None:
    with pytest.raises(SurveyError, match="only a sent survey"):
        answer(request_survey(resolved_ticket(), NOW), 4, NOW)


def test_survey_cannot_be_sent_twice() -> None:
    with pytest.raises(SurveyError):
        send(send(request_survey(resolved_ticket(), NOW), NOW), NOW)


@pytest.mark.parametrize("score", [0, 6])
def test_score_outside_one_to_five_is_rejected(score: int) -> None:
    with pytest.raises(ValueError, match="1-5"):
        answer(send(request_survey(resolved_ticket(), NOW), NOW), score, NOW)


def test_sent_survey_expires_after_seven_days_not_before() -> None:
    survey = send(request_survey(resolved_ticket(), NOW), NOW)
    assert not is_due_to_expire(survey, NOW + timedelta(days=6, hours=23))
    with pytest.raises(SurveyError, match="not due"):
        expire(survey, NOW + timedelta(days=6))
    assert expire(survey, NOW + timedelta(days=7)).status is SurveyStatus.EXPIRED


def test_expiry_period_is_configurable() -> None:
    survey = send(request_survey(resolved_ticket(), NOW), NOW)
    assert is_due_to_expire(survey, NOW + timedelta(days=3), after=timedelta(days=3))


def test_expired_survey_cannot_be_answered() -> None:
    survey = expire(send(request_survey(resolved_ticket(), NOW), NOW), NOW + timedelta(days=8))
    with pytest.raises(SurveyError):
        answer(survey, 5, NOW + timedelta(days=9))


def test_csat_is_the_share_of_four_and_five_among_answered() -> None:
    pending = request_survey(resolved_ticket(), NOW)
    assert csat([answered(5), answered(4), answered(3), answered(1), pending]) == 0.5


def test_csat_is_none_without_answers() -> None:
    assert csat([request_survey(resolved_ticket(), NOW)]) is None


def test_good_score_closes_the_ticket_without_follow_up() -> None:
    survey = answered(4)
    result = close_loop(resolved_ticket(), survey, NOW)
    assert result.ticket.status is TicketStatus.CLOSED
    assert result.ticket.survey_id == survey.id
    assert result.follow_up is None


@LANGS
def test_low_survey_score_opens_follow_up(lang: str) -> None:
    survey = answered(2, lang, comment="still charged")
    result = close_loop(resolved_ticket(lang), survey, NOW)
    assert result.ticket.status is TicketStatus.CLOSED
    follow_up = result.follow_up
    assert follow_up is not None
    assert (follow_up.type, follow_up.status, follow_up.priority) == (
        TicketType.FOLLOW_UP,
        TicketStatus.NEW,
        TicketPriority.HIGH,
    )
    assert follow_up.subject == {"zh": "回访：账单多扣", "en": "Follow-up: Overcharged"}[lang]
    assert (follow_up.customer_id, follow_up.survey_id, follow_up.linked_call_ids) == (
        "C001",
        survey.id,
        ["CALL-1"],
    )
    assert "2/5" in follow_up.notes[0].text and "still charged" in follow_up.notes[0].text
    assert follow_up.sla_due == NOW + timedelta(hours=24)


def test_score_of_one_makes_the_follow_up_urgent() -> None:
    follow_up = close_loop(resolved_ticket(), answered(1), NOW).follow_up
    assert follow_up is not None and follow_up.priority is TicketPriority.URGENT


def test_expired_survey_closes_the_ticket_without_follow_up() -> None:
    survey = expire(send(request_survey(resolved_ticket(), NOW), NOW), NOW + timedelta(days=7))
    result = close_loop(resolved_ticket(), survey, NOW + timedelta(days=7))
    assert result.ticket.status is TicketStatus.CLOSED
    assert result.follow_up is None


def test_low_score_on_a_reopened_ticket_adds_a_note_instead_of_a_follow_up() -> None:
    reopened = tickets.transition(resolved_ticket(), TicketStatus.REOPENED, "A1", at=NOW)
    result = close_loop(reopened, answered(1), NOW)
    assert result.ticket.status is TicketStatus.REOPENED
    assert result.ticket.notes[-1].text.endswith("1/5")
    assert result.follow_up is None


def test_loop_cannot_close_before_an_answer_or_with_another_tickets_survey() -> None:
    with pytest.raises(SurveyError, match="wait for an answer"):
        close_loop(resolved_ticket(), send(request_survey(resolved_ticket(), NOW), NOW), NOW)
    other = answered(5).model_copy(update={"ticket_id": "TK-2"})
    with pytest.raises(SurveyError, match="TK-2"):
        close_loop(resolved_ticket(), other, NOW)
