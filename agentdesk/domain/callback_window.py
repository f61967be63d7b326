"""A callback time the caller asks for ("after two on Monday", 明天下午两点以后), fitted to the
line's opening hours and said back in the caller's words.

The window is read from the caller's line by `agentdesk.bot.callback_time`; here it is a plain
span of local time. `fit` finds the first moment in it an adviser can call (never before the
usual callback promise, which leaves agents time to work the overnight list); a time said
without a day may be met on a later day (`fit_any_day`); a window the centre cannot meet gets
`soonest` instead, the first time it can call after the wish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from agentdesk.domain import hours


class WindowKind(StrEnum):
    """How the caller put it."""

    AFTER = "after"
    """From the time to the end of that part of the day: "after two", 两点以后."""
    BEFORE = "before"
    """From the start of that part of the day to the time: "before eleven", 十一点前."""
    AROUND = "around"
    """Half an hour either side of the time: "around three", 三点左右."""
    AT = "at"
    """The half hour from the time: "at ten", 十点."""
    PART = "part"
    """The whole part of the day: "tomorrow afternoon", 明天下午."""
    DAY = "day"
    """The whole day: "on Monday", 周一."""


@dataclass(frozen=True)
class CallbackWindow:
    """When the caller would like the call, in the line's time zone."""

    start: datetime
    end: datetime
    kind: WindowKind
    named: datetime | None = None
    """The clock time the caller named ("two" in "after two"), if any."""


def fit(
    window: CallbackWindow, line: hours.OpeningHours, now: datetime, grace: timedelta = hours.DEFAULT_GRACE
) -> datetime | None:
    """The first moment of `window` when the line is open and the usual promise allows (the next
    opening plus `grace`), rounded up to the quarter hour; None when there is none."""
    zone = ZoneInfo(line.timezone)
    earliest = max(window.start, hours.callback_due(line, now, grace))
    days = (window.end - earliest).days + 3
    for opens, closes in hours.periods(line, earliest.astimezone(zone).date() - timedelta(days=1), days):
        if closes <= earliest:
            continue
        if opens >= window.end:
            return None
        at = hours.round_up(max(opens, earliest), zone)
        if at < min(closes, window.end):
            return at
    return None


def fit_any_day(
    window: CallbackWindow,
    line: hours.OpeningHours,
    now: datetime,
    days: int = 7,
    grace: timedelta = hours.DEFAULT_GRACE,
) -> tuple[CallbackWindow, datetime] | None:
    """For a window said without a day ("after five is best for me"): the same hours on the
    first of the next `days` days that `fit` finds open, with the moment it gives; None when
    none is."""
    for n in range(days + 1):
        shift = timedelta(days=n)
        named = window.named + shift if window.named is not None else None
        moved = CallbackWindow(window.start + shift, window.end + shift, window.kind, named)
        if (due := fit(moved, line, now, grace)) is not None:
            return moved, due
    return None


def open_span(window: CallbackWindow, line: hours.OpeningHours, due: datetime) -> str:
    """The part of `window` advisers can call in, from `due` (what `fit` gave): "14:00–18:00"."""
    zone = ZoneInfo(line.timezone)
    period = hours.current_or_next_period(line, due)
    end = min(window.end, period[1]) if period is not None else window.end
    return f"{due.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M}"


def soonest(
    window: CallbackWindow, line: hours.OpeningHours, now: datetime, grace: timedelta = hours.DEFAULT_GRACE
) -> datetime:
    """The first time the line can call at or after the start of a `window` it cannot meet.

    Raises:
        ValueError: the line never opens.
    """
    earliest = max(window.start, hours.callback_due(line, now, grace))
    opening = hours.next_opening(line, earliest)
    if opening is None:
        raise ValueError("this line never opens, so no callback can be promised")
    return hours.round_up(opening, ZoneInfo(line.timezone))


_ZH_HOURS = ("十二", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十一")


def _day(at: datetime, lang: str, now: datetime | None) -> str:
    """The day as said: "tomorrow", "on Monday", "on Monday 7 December"; 明天, 周一, 12月7日（周一）."""
    ahead = None if now is None else (at.date() - now.astimezone(at.tzinfo).date()).days
    if lang == "zh":
        relative = {0: "今天", 1: "明天", 2: "后天"}.get(ahead) if ahead is not None else None
        if relative:
            return relative
        weekday = f"周{hours.ZH_WEEKDAYS[at.weekday()]}"
        return weekday if ahead is not None and ahead < 7 else f"{at.month}月{at.day}日（{weekday}）"
    relative = {0: "today", 1: "tomorrow"}.get(ahead) if ahead is not None else None
    if relative:
        return relative
    weekday = hours.EN_WEEKDAYS[at.weekday()]
    return (
        f"on {weekday}"
        if ahead is not None and ahead < 7
        else f"on {weekday} {at.day} {hours.EN_MONTHS[at.month - 1]}"
    )


def zh_clock(at: datetime) -> str:
    """A clock time as said in Chinese: 下午两点, 上午十点半, 中午十二点, 晚上七点十五分."""
    part = "上午" if at.hour < 12 else "中午" if at.hour < 13 else "下午" if at.hour < 18 else "晚上"
    minutes = "" if at.minute == 0 else "半" if at.minute == 30 else f"{at.minute}分"
    return f"{part}{_ZH_HOURS[at.hour % 12]}点{minutes}"


def _part(window: CallbackWindow, lang: str) -> str:
    """The part of the day a window covers, in words."""
    hour, until = window.start.hour, window.end.hour or 24
    if lang == "zh":
        return "上午" if hour < 12 else "中午" if until <= 14 else "下午" if hour < 18 else "晚上"
    return "morning" if hour < 12 else "lunchtime" if until <= 14 else "afternoon" if hour < 18 else "evening"


def window_text(window: CallbackWindow, lang: str, *, now: datetime | None = None) -> str:
    """The window as the bot says it: "on Monday after 14:00", "tomorrow afternoon";
    周一下午两点后, 明天下午. With `now`, near days are said as today, tomorrow or a weekday;
    without it the date is absolute, which stays true on a ticket read later."""
    start = window.start
    day = _day(start, lang, now)
    named = window.named or start
    if lang == "zh":
        clock = zh_clock(named)
        return {
            WindowKind.AFTER: f"{day}{clock}后",
            WindowKind.BEFORE: f"{day}{clock}前",
            WindowKind.AROUND: f"{day}{clock}左右",
            WindowKind.AT: f"{day}{clock}",
            WindowKind.PART: f"{day}{_part(window, lang)}",
            WindowKind.DAY: day,
        }[window.kind]
    clock = f"{named:%H:%M}"
    part = _part(window, lang)
    if part == "lunchtime":
        part_said = f"{day} at lunchtime"
    elif day in ("today", "tomorrow"):
        part_said = f"this {part}" if day == "today" else f"tomorrow {part}"
    else:  # "on Monday morning", "on Monday 7 December in the morning"
        part_said = f"{day} {part}" if day.count(" ") == 1 else f"{day} in the {part}"
    return {
        WindowKind.AFTER: f"{day} after {clock}",
        WindowKind.BEFORE: f"{day} before {clock}",
        WindowKind.AROUND: f"{day} around {clock}",
        WindowKind.AT: f"{day} at {clock}",
        WindowKind.PART: part_said,
        WindowKind.DAY: day,
    }[window.kind]


def from_text(at: datetime, lang: str, *, now: datetime | None = None) -> str:
    """A time the centre offers instead, as the bot says it: "on Tuesday from 09:00", 周二上午九点起."""
    day = _day(at, lang, now)
    return f"{day}{zh_clock(at)}起" if lang == "zh" else f"{day} from {at:%H:%M}"


def promise(window: CallbackWindow, lang: str) -> str:
    """The ticket's promise for a window the caller asked for, with an absolute date:
    "Call back on Monday 30 November after 14:00", 11月30日（周一）下午两点后回电."""
    said = window_text(window, lang)
    return f"{said}回电" if lang == "zh" else f"Call back {said}"
