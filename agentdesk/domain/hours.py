"""Business hours per language line, and the callback promised when no human is on duty.

Hours come from configuration (`WeeklyHours`: an IANA time zone, opening periods per
weekday as `HH:MM-HH:MM`, and whole-day holidays). A period whose end is not after its
start runs past midnight (`22:00-02:00`); `24:00` ends a period at midnight. A holiday
closes the periods that start on that date.

Off hours the bot still answers what it can; what needs a human becomes a callback ticket
(`callback_ticket`) carrying the promise made to the customer: the next opening plus a
grace period (default one hour), e.g. "by 10:00 on Monday 24 November" when the centre
opens at 09:00 on Monday. The promise is also the ticket's SLA due time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from agentdesk.domain.models import (
    EmotionLevel,
    Ticket,
    TicketNote,
    TicketPriority,
    TicketType,
    Tier,
)
from agentdesk.domain.transfers import HandoffPacket

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_GRACE = timedelta(hours=1)
"""How long after opening a callback is promised: agents need time to work the overnight list."""
PROMISE_STEP_MINUTES = 15
"""Promised times are rounded up to a quarter hour so they read like a person said them."""
HORIZON_DAYS = 370
"""How far ahead to look for an opening: a year of holidays is the longest plausible closure."""


class OpeningHours(Protocol):
    """One line's hours; `agentdesk.config.WeeklyHours` fits."""

    @property
    def timezone(self) -> str: ...

    @property
    def weekly(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def holidays(self) -> Sequence[date]: ...


class HoursByLine(Protocol):
    """Hours for every language line; `agentdesk.config.HoursSettings` fits."""

    @property
    def lines(self) -> Mapping[str, OpeningHours]: ...


def line_for(hours: HoursByLine, language: str) -> OpeningHours:
    """The line serving `language`; mixed or unknown languages use `zh`, then any line.

    Raises:
        ValueError: no line is configured at all.
    """
    lines = hours.lines
    for key in (language, "zh"):
        if key in lines:
            return lines[key]
    if not lines:
        raise ValueError("no business-hours line is configured")
    return next(iter(lines.values()))


_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_period(spec: str) -> tuple[int, int]:
    """`"09:00-18:00"` as minutes after midnight `(540, 1080)`; an end not after the start is +24 h.

    Raises:
        ValueError: the text is not `HH:MM-HH:MM` with real clock times.
    """
    match = _PERIOD.match(spec)
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        opens, closes = h1 * 60 + m1, h2 * 60 + m2
        if m1 < 60 and m2 < 60 and opens < 24 * 60 and closes <= 24 * 60:
            return opens, closes if closes > opens else closes + 24 * 60
    raise ValueError(f"invalid opening period {spec!r}: expected HH:MM-HH:MM, e.g. 09:00-18:00")


def periods(line: OpeningHours, first: date, days: int) -> Iterator[tuple[datetime, datetime]]:
    """Opening periods that start on `days` local dates from `first`, in order, as aware datetimes."""
    zone = ZoneInfo(line.timezone)
    closed = set(line.holidays)
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day in closed:
            continue
        spans = sorted(parse_period(spec) for spec in line.weekly.get(WEEKDAYS[day.weekday()], ()))
        for opens, closes in spans:
            yield _at(day, opens, zone), _at(day, closes, zone)


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    day += timedelta(days=minutes // (24 * 60))
    minutes %= 24 * 60
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)


def current_or_next_period(line: OpeningHours, now: datetime) -> tuple[datetime, datetime] | None:
    """The period open at `now`, else the next one to open; None if the line never opens."""
    today = now.astimezone(ZoneInfo(line.timezone)).date()
    # Start a day early: yesterday's period may run past midnight into now.
    for opens, closes in periods(line, today - timedelta(days=1), HORIZON_DAYS):
        if closes > now:
            return opens, closes
    return None


def is_open(line: OpeningHours, now: datetime) -> bool:
    """Whether a human is on duty on this line at `now`."""
    period = current_or_next_period(line, now)
    return period is not None and period[0] <= now


def next_opening(line: OpeningHours, now: datetime) -> datetime | None:
    """When the line next opens: `now` itself while open; None if it never opens."""
    period = current_or_next_period(line, now)
    return None if period is None else max(period[0], now)


def callback_due(line: OpeningHours, now: datetime, grace: timedelta = DEFAULT_GRACE) -> datetime:
    """The time a callback is promised for: next opening + `grace`, rounded up to the quarter hour.

    Never later than the end of that opening period, so the promise falls while agents
    are on duty.

    Raises:
        ValueError: the line has no opening hours at all.
    """
    period = current_or_next_period(line, now)
    if period is None:
        raise ValueError("this line never opens, so no callback can be promised")
    opens, closes = period
    due = round_up(max(opens, now) + grace, ZoneInfo(line.timezone))
    return min(due, closes)


def round_up(at: datetime, zone: ZoneInfo) -> datetime:
    """`at` rounded up to the quarter hour in `zone`, as a promised time is said."""
    local = at.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    step = timedelta(minutes=PROMISE_STEP_MINUTES)
    return midnight + math.ceil((local - midnight) / step) * step


ZH_WEEKDAYS = "一二三四五六日"
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_ZH_DAY_PARTS = ((6, "凌晨"), (12, "上午"), (13, "中午"), (18, "下午"), (24, "晚上"))


def _zh_clock(at: datetime) -> str:
    part = next(name for end, name in _ZH_DAY_PARTS if at.hour < end)
    return f"{part}{at.hour if at.hour <= 12 else at.hour - 12}:{at.minute:02d}"


def promise_text(due: datetime, lang: str, timezone: str, *, now: datetime | None = None) -> str:
    """The callback promise in the customer's language, in the line's local time.

    Without `now` the date is absolute, which stays true on a ticket read later
    ("11月24日（周一）上午10:00前回电", "Call back by 10:00 on Monday 24 November").
    With `now`, today and tomorrow are said as such, as the bot speaks them
    ("明天上午10:00前回电", "Call back by 10:00 tomorrow").

    Args:
        due: the promised time.
        lang: `zh` for Chinese, anything else for English.
        timezone: the line's IANA time zone.
        now: the moment of speaking, for relative days.
    """
    local, day = _local_day(due, lang, timezone, now)
    if lang == "zh":
        return f"{day}{_zh_clock(local)}前回电"
    return f"Call back by {local:%H:%M} {day}"


def opening_text(opens: datetime, lang: str, timezone: str, *, now: datetime) -> str:
    """When the line opens again, as the bot says it: "明天上午9:00", "at 09:00 tomorrow",
    "at 09:00 on Monday 30 November"."""
    local, day = _local_day(opens, lang, timezone, now)
    return f"{day}{_zh_clock(local)}" if lang == "zh" else f"at {local:%H:%M} {day}"


def _local_day(at: datetime, lang: str, timezone: str, now: datetime | None) -> tuple[datetime, str]:
    """`at` in the line's local time, and its day in words: relative to `now` (今天, tomorrow)
    when given and near, else the date with its weekday."""
    zone = ZoneInfo(timezone)
    local = at.astimezone(zone)
    days_ahead = None if now is None else (local.date() - now.astimezone(zone).date()).days
    if lang == "zh":
        day = {0: "今天", 1: "明天", 2: "后天"}.get(days_ahead) if days_ahead is not None else None
        return local, day or f"{local.month}月{local.day}日（周{ZH_WEEKDAYS[local.weekday()]}）"
    day = {0: "today", 1: "tomorrow"}.get(days_ahead) if days_ahead is not None else None
    return local, day or f"on {EN_WEEKDAYS[local.weekday()]} {local.day} {EN_MONTHS[local.month - 1]}"


_TIER_PRIORITY = {
    Tier.STANDARD: TicketPriority.NORMAL,
    Tier.GOLD: TicketPriority.HIGH,
    Tier.VIP: TicketPriority.URGENT,
}


def callback_priority(packet: HandoffPacket) -> TicketPriority:
    """By tier (standard normal, gold high, VIP urgent); an angry customer is at least high."""
    priority = _TIER_PRIORITY[packet.tier]
    if packet.emotion_level >= EmotionLevel.ANGRY and priority is TicketPriority.NORMAL:
        return TicketPriority.HIGH
    return priority


_EMOTION_NAMES = {
    EmotionLevel.CALM: ("calm", "平静"),
    EmotionLevel.MILD: ("mildly unhappy", "略有不满"),
    EmotionLevel.UPSET: ("upset", "不满"),
    EmotionLevel.ANGRY: ("angry", "愤怒"),
}


def handoff_note(packet: HandoffPacket, lang: str) -> str:
    """What the bot learned, as one ticket note, so the agent never asks again."""
    zh = lang == "zh"
    labels = (
        ("摘要", "客户原话", "已收集", "触发规则", "情绪")
        if zh
        else ("Summary", "Customer said", "Details", "Triggers", "Emotion")
    )
    sep = "；" if zh else "; "
    lines = [
        (labels[0], packet.summary),
        (labels[1], sep.join(packet.key_sentences)),
        (labels[2], sep.join(f"{k}={v}" for k, v in packet.details.items())),
        (labels[3], ", ".join(packet.rules)),
        (labels[4], _EMOTION_NAMES[packet.emotion_level][zh]),
    ]
    colon = "：" if zh else ": "
    return "\n".join(f"{label}{colon}{value}" for label, value in lines if value)


def callback_ticket(
    packet: HandoffPacket,
    line: OpeningHours,
    now: datetime,
    *,
    grace: timedelta = DEFAULT_GRACE,
    call_id: str | None = None,
) -> Ticket:
    """The callback ticket for an off-hours request that needs a human.

    The ticket is `new` and unassigned (routing assigns it at opening); `sla_due` is the
    promised time and `promise` says it in the customer's language with an absolute date.
    `intent` keeps the request type so routing can match skills. A mixed-language customer
    is promised in Chinese, the line's default.

    Raises:
        ValueError: the line never opens.
    """
    due = callback_due(line, now, grace)
    lang = "en" if packet.language == "en" else "zh"
    subject = packet.intent or packet.summary or ("回电请求" if lang == "zh" else "Callback request")
    return Ticket(
        type=TicketType.CALLBACK,
        customer_id=packet.customer_id,
        subject=subject,
        intent=packet.request_type,
        priority=callback_priority(packet),
        created_at=now,
        updated_at=now,
        sla_due=due,
        promise=promise_text(due, lang, line.timezone),
        language=lang,
        linked_call_ids=[call_id] if call_id else [],
        notes=[TicketNote(at=now, author="bot", kind="system", text=handoff_note(packet, lang) or subject)],
    )
