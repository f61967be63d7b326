"""Contact-centre KPIs over calls, transfers, tickets, surveys and bot feedback (SPEC section 9).

Every KPI is a `Kpi`: the value (None when there is nothing to measure) and `n`, the
number of items it was measured over, so a supervisor can tell 100% of 2 from 100% of 2,000.
Rates are shares from 0 to 1; times are seconds. `series` computes the same report per
hour or day for charts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Literal, TypeVar

from agentdesk.domain.models import (
    BotFeedback,
    Call,
    FeedbackReason,
    FeedbackStatus,
    Survey,
    SurveyStatus,
    Ticket,
    TicketStatus,
)
from agentdesk.domain.surveys import csat
from agentdesk.domain.tickets import OPEN_STATUSES
from agentdesk.domain.transfers import Transfer, TransferStatus

REPEAT_WINDOW = timedelta(days=7)
"""A contact from the same customer within this time after a call is a repeat."""


@dataclass(frozen=True, slots=True)
class Kpi:
    """One measured figure."""

    value: float | None
    """The figure; None when `n` is 0."""
    n: int
    """How many calls, transfers, tickets or surveys it was measured over."""


def _share(hits: int, total: int) -> Kpi:
    return Kpi(hits / total if total else None, total)


def _mean(values: Sequence[float]) -> Kpi:
    return Kpi(sum(values) / len(values) if values else None, len(values))


def containment_rate(calls: Iterable[Call]) -> Kpi:
    """Bot containment: calls the bot finished alone (outcome `contained`) / calls with an outcome.

    Calls still in progress have no outcome and are left out; abandoned calls count
    against containment (the customer left without an answer).
    """
    outcomes = [c.outcome for c in calls if c.outcome is not None]
    return _share(sum(1 for o in outcomes if o == "contained"), len(outcomes))


def transfer_rate(calls: Iterable[Call]) -> Kpi:
    """Transfer rate: calls handed to a live agent (outcome `transferred`) / calls with an outcome.

    Off-hours callbacks are not transfers: no agent was offered at the time.
    """
    outcomes = [c.outcome for c in calls if c.outcome is not None]
    return _share(sum(1 for o in outcomes if o == "transferred"), len(outcomes))


_REACHED_AGENT = (TransferStatus.CLAIMED, TransferStatus.COMPLETED)


def transfer_accuracy(transfers: Iterable[Transfer], feedback: Iterable[BotFeedback]) -> Kpi:
    """Transfer accuracy: transfers agents confirm were needed / transfers an agent took.

    A transfer an agent claimed or completed counts as needed unless an agent flagged its
    call `unneeded_transfer` and a reviewer has not rejected the flag.
    """
    unneeded = {
        f.call_id
        for f in feedback
        if f.reason is FeedbackReason.UNNEEDED_TRANSFER and f.status is not FeedbackStatus.REJECTED
    }
    taken = [t for t in transfers if t.status in _REACHED_AGENT]
    return _share(sum(1 for t in taken if t.call_id not in unneeded), len(taken))


def average_wait(transfers: Iterable[Transfer]) -> Kpi:
    """Average wait: mean seconds from queueing (`created_at`) to an agent claiming it.

    Only transfers that were claimed; waits that ended in abandonment are not included.
    """
    return _mean(
        [(t.claimed_at - t.created_at).total_seconds() for t in transfers if t.claimed_at is not None]
    )


def handle_time(transfers: Iterable[Transfer]) -> Kpi:
    """Handle time: mean seconds from an agent claiming a transfer to completing it."""
    return _mean(
        [
            (t.completed_at - t.claimed_at).total_seconds()
            for t in transfers
            if t.claimed_at is not None and t.completed_at is not None
        ]
    )


def is_repeat(earlier: Call, later: Call, window: timedelta = REPEAT_WINDOW) -> bool:
    """`later` repeats `earlier`: the same known customer called again, starting within
    `window` after `earlier` started.

    The one rule for a repeat contact: the repeat-contact and first-contact-resolution KPIs
    (`repeated_calls`) and the desk's wrap-up (`repeats_an_earlier_call`) both use it.
    """
    return (
        bool(earlier.customer_id)
        and earlier.customer_id == later.customer_id
        and earlier.id != later.id
        and timedelta(0) <= later.started_at - earlier.started_at <= window
    )


def repeats_an_earlier_call(call: Call, history: Iterable[Call], window: timedelta = REPEAT_WINDOW) -> bool:
    """`call` is a repeat contact: one of the customer's calls in `history` is one it repeats,
    so the KPIs will count that call as repeated (`is_repeat`)."""
    return any(is_repeat(earlier, call, window) for earlier in history)


def repeated_calls(calls: Iterable[Call], window: timedelta = REPEAT_WINDOW) -> set[str]:
    """Ids of calls the same customer followed with another call starting within `window`."""
    by_customer: dict[str, list[Call]] = defaultdict(list)
    for call in calls:
        if call.customer_id:
            by_customer[call.customer_id].append(call)
    repeated: set[str] = set()
    for history in by_customer.values():
        history.sort(key=lambda c: c.started_at)
        for call, after in pairwise(history):
            if is_repeat(call, after, window):
                repeated.add(call.id)
    return repeated


def repeat_contact_rate(calls: Sequence[Call], repeated: set[str] | None = None) -> Kpi:
    """Repeat-contact rate: calls followed by another call from the same customer within
    7 days (`REPEAT_WINDOW`) / calls from known customers.

    Calls from unknown customers cannot repeat and are left out. Calls less than 7 days
    old may still turn out to be repeated, so a recent figure can only rise.

    Args:
        calls: the calls to measure.
        repeated: ids from `repeated_calls` over a wider history, when `calls` is a slice of it.
    """
    repeated = repeated_calls(calls) if repeated is None else repeated
    known = [c for c in calls if c.customer_id]
    return _share(sum(1 for c in known if c.id in repeated), len(known))


def first_contact_resolution(calls: Sequence[Call], repeated: set[str] | None = None) -> Kpi:
    """First-contact resolution: calls settled in the call (contained, or transferred and
    handled live) with no repeat within 7 days / handled calls from known customers.

    Handled calls are those with outcome contained, transferred or callback; a callback
    is a promise of a second contact, so it never counts as resolved. Abandoned calls and
    calls from unknown customers are left out.

    Args:
        calls: the calls to measure.
        repeated: ids from `repeated_calls` over a wider history, when `calls` is a slice of it.
    """
    repeated = repeated_calls(calls) if repeated is None else repeated
    handled = [c for c in calls if c.customer_id and c.outcome in ("contained", "transferred", "callback")]
    resolved = sum(1 for c in handled if c.outcome != "callback" and c.id not in repeated)
    return _share(resolved, len(handled))


def csat_kpi(surveys: Iterable[Survey]) -> Kpi:
    """CSAT: answered surveys scoring 4 or 5 / answered surveys."""
    answered = [s for s in surveys if s.status is SurveyStatus.ANSWERED]
    return Kpi(csat(answered), len(answered))


_TO_DONE = re.compile(r"-> (resolved|closed)\b")


def resolved_at(ticket: Ticket) -> datetime | None:
    """When the ticket was first resolved (or closed without resolving), from its status history.

    A resolved or closed ticket without history (imported) falls back to `updated_at`.
    """
    for note in ticket.notes:
        if note.kind == "status" and _TO_DONE.search(note.text.split(":", 1)[0]):
            return note.at
    if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        return ticket.updated_at
    return None


def sla_compliance(tickets: Iterable[Ticket], now: datetime) -> Kpi:
    """SLA compliance: tickets resolved by their SLA due time / tickets whose SLA is decided.

    A ticket's SLA is decided once it is resolved (met if first resolved at or before
    `sla_due`) or once it is past due while still open (missed). Open tickets not yet due,
    and tickets without an SLA, are left out.
    """
    met = decided = 0
    for ticket in tickets:
        if ticket.sla_due is None:
            continue
        done = resolved_at(ticket)
        if done is not None and (ticket.status not in OPEN_STATUSES or done <= ticket.sla_due):
            decided += 1
            met += done <= ticket.sla_due
        elif now > ticket.sla_due:
            decided += 1
    return _share(met, decided)


@dataclass(frozen=True, slots=True)
class KpiReport:
    """Every KPI over one set of records (see each function for the exact definition)."""

    containment_rate: Kpi
    transfer_rate: Kpi
    transfer_accuracy: Kpi
    average_wait_seconds: Kpi
    handle_time_seconds: Kpi
    first_contact_resolution: Kpi
    csat: Kpi
    sla_compliance: Kpi
    repeat_contact_rate: Kpi

    def values(self) -> dict[str, float | None]:
        """KPI name -> value, for exports and charts."""
        return {name: kpi["value"] for name, kpi in asdict(self).items()}


def compute(
    calls: Sequence[Call],
    transfers: Sequence[Transfer],
    tickets: Sequence[Ticket],
    surveys: Sequence[Survey],
    feedback: Sequence[BotFeedback],
    now: datetime,
    *,
    repeated: set[str] | None = None,
) -> KpiReport:
    """All KPIs over the given records.

    Args:
        calls, transfers, tickets, surveys, feedback: the records to measure.
        now: the time of the report (decides which open tickets have missed their SLA).
        repeated: ids from `repeated_calls` over a wider history, when `calls` is a slice.
    """
    repeated = repeated_calls(calls) if repeated is None else repeated
    return KpiReport(
        containment_rate=containment_rate(calls),
        transfer_rate=transfer_rate(calls),
        transfer_accuracy=transfer_accuracy(transfers, feedback),
        average_wait_seconds=average_wait(transfers),
        handle_time_seconds=handle_time(transfers),
        first_contact_resolution=first_contact_resolution(calls, repeated),
        csat=csat_kpi(surveys),
        sla_compliance=sla_compliance(tickets, now),
        repeat_contact_rate=repeat_contact_rate(calls, repeated),
    )


T = TypeVar("T")


def bucket_start(at: datetime, step: Literal["hour", "day"], tz: tzinfo = UTC) -> datetime:
    """The start of the hour or day containing `at`, in local time `tz`."""
    local = at.astimezone(tz)
    if step == "day":
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    return local.replace(minute=0, second=0, microsecond=0)


def _next_bucket(start: datetime, step: Literal["hour", "day"], tz: tzinfo) -> datetime:
    # Step in UTC and re-floor, so days of 23 or 25 hours and repeated DST hours come out right.
    ahead = timedelta(hours=1) if step == "hour" else timedelta(hours=26)
    return bucket_start(start.astimezone(UTC) + ahead, step, tz)


def _group(
    items: Iterable[T], when: Callable[[T], datetime | None], step: Literal["hour", "day"], tz: tzinfo
) -> dict[datetime, list[T]]:
    # Keyed in UTC: local times of the repeated hour when clocks go back compare equal.
    groups: dict[datetime, list[T]] = defaultdict(list)
    for item in items:
        at = when(item)
        if at is not None:
            groups[bucket_start(at, step, tz).astimezone(UTC)].append(item)
    return groups


def series(
    calls: Sequence[Call],
    transfers: Sequence[Transfer],
    tickets: Sequence[Ticket],
    surveys: Sequence[Survey],
    feedback: Sequence[BotFeedback],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    step: Literal["hour", "day"] = "hour",
    tz: tzinfo = UTC,
) -> list[tuple[datetime, KpiReport]]:
    """KPIs per hour or day from `start` up to `end`, empty buckets included, for charts.

    Each record falls in the bucket of its own time: calls by `started_at`, transfers and
    tickets by `created_at`, surveys by `answered_at`. Repeats are looked for across all
    `calls`, and flags across all `feedback`, because they arrive after the thing they judge.

    Args:
        start, end: the period; buckets start at local hour or midnight boundaries in `tz`.
        now: the time of the report.
        step: `hour` or `day`.
        tz: the supervisor's time zone, so days start at local midnight.
    """
    repeated = repeated_calls(calls)
    by_call = _group(calls, lambda c: c.started_at, step, tz)
    by_transfer = _group(transfers, lambda t: t.created_at, step, tz)
    by_ticket = _group(tickets, lambda t: t.created_at, step, tz)
    by_survey = _group(surveys, lambda s: s.answered_at, step, tz)
    out = []
    bucket = bucket_start(start, step, tz)
    while bucket < end:
        key = bucket.astimezone(UTC)
        report = compute(
            by_call.get(key, []),
            by_transfer.get(key, []),
            by_ticket.get(key, []),
            by_survey.get(key, []),
            feedback,
            now,
            repeated=repeated,
        )
        out.append((bucket, report))
        bucket = _next_bucket(bucket, step, tz)
    return out
