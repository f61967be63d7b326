"""KPIs: each definition on small hand-checked data, and the per-hour/per-day series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from agentdesk.domain import kpis, tickets
from agentdesk.domain.models import (
    BotFeedback,
    Call,
    FeedbackReason,
    FeedbackStatus,
    Survey,
    SurveyStatus,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
)
from agentdesk.domain.transfers import Transfer, TransferStatus

from .conftest import NOW, make_packet

H = timedelta(hours=1)


def call(call_id: str, outcome: str | None, *, customer: str | None = "C1", at: datetime = NOW) -> Call:
    return Call(id=call_id, customer_id=customer, outcome=outcome, started_at=at)  # type: ignore[arg-type]


def transfer(
    transfer_id: str, *, call_id: str, wait: float | None = None, handle: float | None = None
) -> Transfer:
    claimed = NOW + timedelta(seconds=wait) if wait is not None else None
    completed = claimed + timedelta(seconds=handle) if claimed and handle is not None else None
    status = (
        TransferStatus.COMPLETED
        if completed
        else TransferStatus.CLAIMED
        if claimed
        else TransferStatus.WAITING
    )
    return Transfer(
        id=transfer_id,
        call_id=call_id,
        packet=make_packet(),
        created_at=NOW,
        status=status,
        claimed_at=claimed,
        completed_at=completed,
    )


def flag(call_id: str, reason: FeedbackReason, status: FeedbackStatus = FeedbackStatus.OPEN) -> BotFeedback:
    return BotFeedback(call_id=call_id, reason=reason, flagged_by="A1", status=status, created_at=NOW)


def survey(score: int | None) -> Survey:
    status = SurveyStatus.ANSWERED if score else SurveyStatus.SENT
    return Survey(status=status, score=score, created_at=NOW, answered_at=NOW if score else None)


def ticket(resolved_after: timedelta | None, sla: timedelta = 4 * H) -> Ticket:
    t = Ticket(
        subject="x",
        created_at=NOW,
        sla_due=NOW + sla,
        type=TicketType.COMPLAINT,
        priority=TicketPriority.URGENT,
    )
    if resolved_after is not None:
        t = tickets.transition(t, TicketStatus.RESOLVED, "A1", at=NOW + resolved_after)
    return t


def test_containment_and_transfer_rates_count_only_finished_calls() -> None:
    calls = [
        call("1", "contained"),
        call("2", "contained"),
        call("3", "transferred"),
        call("4", "callback"),
        call("5", "abandoned"),
        call("6", None),
    ]
    assert kpis.containment_rate(calls) == kpis.Kpi(0.4, 5)
    assert kpis.transfer_rate(calls) == kpis.Kpi(0.2, 5)


def test_rates_are_none_without_calls() -> None:
    assert kpis.containment_rate([]) == kpis.Kpi(None, 0)


def test_transfer_accuracy_discounts_unneeded_flags_unless_rejected() -> None:
    taken = [transfer(f"T{i}", call_id=f"CALL-{i}", wait=10) for i in range(4)]
    feedback = [
        flag("CALL-0", FeedbackReason.UNNEEDED_TRANSFER),
        flag("CALL-1", FeedbackReason.UNNEEDED_TRANSFER, FeedbackStatus.REJECTED),
        flag("CALL-2", FeedbackReason.WRONG_ANSWER),
    ]
    waiting = transfer("T9", call_id="CALL-9")
    assert kpis.transfer_accuracy([*taken, waiting], feedback) == kpis.Kpi(0.75, 4)


def test_average_wait_and_handle_time_in_seconds() -> None:
    transfers = [
        transfer("T1", call_id="c1", wait=30, handle=300),
        transfer("T2", call_id="c2", wait=90),
        transfer("T3", call_id="c3"),
    ]
    assert kpis.average_wait(transfers) == kpis.Kpi(60.0, 2)
    assert kpis.handle_time(transfers) == kpis.Kpi(300.0, 1)


def test_contact_again_within_seven_days_is_a_repeat() -> None:
    calls = [
        call("1", "contained", customer="C1", at=NOW),
        call("2", "transferred", customer="C1", at=NOW + timedelta(days=6)),
        call("3", "contained", customer="C2", at=NOW),
        call("4", "contained", customer="C2", at=NOW + timedelta(days=8)),
        call("5", "contained", customer=None, at=NOW),
    ]
    assert kpis.repeated_calls(calls) == {"1"}
    assert kpis.repeat_contact_rate(calls) == kpis.Kpi(0.25, 4)


def test_a_call_repeats_an_earlier_one_exactly_when_the_kpis_count_that_one_repeated() -> None:
    history = [
        call("old", "contained", at=NOW - timedelta(days=20)),
        call("edge", "contained", at=NOW - kpis.REPEAT_WINDOW),
        call("other", "contained", customer="C2", at=NOW - timedelta(days=1)),
    ]
    now = call("now", "transferred", at=NOW)
    assert kpis.repeats_an_earlier_call(now, history)
    assert kpis.repeated_calls([*history, now]) == {"edge"}
    assert not kpis.repeats_an_earlier_call(now, [history[0], history[2]])
    assert kpis.repeated_calls([history[0], history[2], now]) == set()


def test_first_contact_resolution_excludes_repeats_and_callbacks() -> None:
    calls = [
        call("1", "contained", customer="C1", at=NOW),
        call("2", "transferred", customer="C1", at=NOW + timedelta(days=1)),
        call("3", "callback", customer="C2"),
        call("4", "abandoned", customer="C3"),
        call("5", "transferred", customer="C4"),
    ]
    assert kpis.first_contact_resolution(calls) == kpis.Kpi(0.5, 4)


def test_sla_compliance_counts_met_missed_and_overdue_but_not_pending() -> None:
    tickets_ = [
        ticket(2 * H),  # met
        ticket(5 * H),  # resolved late
        ticket(None, sla=4 * H),  # open and overdue
        ticket(None, sla=10 * H),  # open, not yet due
        Ticket(subject="no sla"),
    ]
    assert kpis.sla_compliance(tickets_, NOW + 6 * H) == kpis.Kpi(1 / 3, 3)


def test_sla_uses_the_first_resolution_even_after_a_reopen() -> None:
    t = ticket(2 * H)
    t = tickets.transition(t, TicketStatus.REOPENED, "C1", at=NOW + 10 * H)
    assert kpis.resolved_at(t) == NOW + 2 * H
    assert kpis.sla_compliance([t], NOW + 11 * H) == kpis.Kpi(1.0, 1)


def test_csat_kpi_counts_answered_surveys() -> None:
    assert kpis.csat_kpi([survey(5), survey(2), survey(None)]) == kpis.Kpi(0.5, 2)


def test_report_has_every_kpi() -> None:
    report = kpis.compute([call("1", "contained")], [], [], [survey(4)], [], NOW)
    values = report.values()
    assert set(values) == {
        "containment_rate",
        "transfer_rate",
        "transfer_accuracy",
        "average_wait_seconds",
        "handle_time_seconds",
        "first_contact_resolution",
        "csat",
        "sla_compliance",
        "repeat_contact_rate",
    }
    assert (values["containment_rate"], values["csat"], values["average_wait_seconds"]) == (1.0, 1.0, None)


def test_hourly_series_puts_records_in_their_hour_and_keeps_empty_hours() -> None:
    calls = [call("1", "contained", at=NOW), call("2", "transferred", at=NOW + 2 * H)]
    start = NOW.replace(minute=0)
    points = kpis.series(calls, [], [], [], [], start=start, end=start + 3 * H, now=NOW, step="hour")
    assert [at for at, _ in points] == [start, start + H, start + 2 * H]
    assert [r.containment_rate.value for _, r in points] == [1.0, None, 0.0]


def test_repeat_is_seen_across_buckets() -> None:
    calls = [call("1", "contained", at=NOW), call("2", "contained", at=NOW + 30 * H)]
    start = NOW.replace(hour=0, minute=0)
    points = kpis.series(calls, [], [], [], [], start=start, end=start + 48 * H, now=NOW, step="day")
    assert [r.repeat_contact_rate.value for _, r in points] == [1.0, 0.0]


def test_daily_series_starts_at_local_midnight() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    late_utc = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 01:00 on the 24th in Shanghai
    points = kpis.series(
        [call("1", "contained", at=late_utc)],
        [],
        [],
        [],
        [],
        start=datetime(2026, 11, 23, tzinfo=shanghai),
        end=datetime(2026, 11, 25, tzinfo=shanghai),
        now=late_utc,
        step="day",
        tz=shanghai,
    )
    assert [(at.day, r.containment_rate.n) for at, r in points] == [(23, 0), (24, 1)]


def test_daily_buckets_follow_daylight_saving_days() -> None:
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 10, 25, tzinfo=london)  # clocks go back: a 25-hour day
    points = kpis.series(
        [], [], [], [], [], start=start, end=start + timedelta(days=3), now=NOW, step="day", tz=london
    )
    starts = [at.astimezone(UTC) for at, _ in points]
    assert [at.astimezone(london).hour for at in starts] == [0, 0, 0]
    assert [later - earlier for earlier, later in pairwise(starts)] == [
        timedelta(hours=25),
        timedelta(hours=24),
    ]


def test_the_repeated_hour_when_clocks_go_back_is_two_buckets() -> None:
    london = ZoneInfo("Europe/London")
    first_0130 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second_0130 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT
    calls = [call("1", "contained", at=first_0130), call("2", "abandoned", at=second_0130)]
    points = kpis.series(
        calls, [], [], [], [], start=first_0130, end=second_0130 + H / 2, now=NOW, step="hour", tz=london
    )
    assert [r.containment_rate.value for _, r in points] == [1.0, 0.0]
