"""Business hours, holidays and time zones; the callback promised off hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agentdesk.config import HoursSettings, WeeklyHours
from agentdesk.domain.hours import (
    callback_due,
    is_open,
    line_for,
    next_opening,
    parse_period,
    promise_text,
)

from .conftest import LANGS

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
WEEKDAYS_ONLY = {d: ["09:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": [], "sun": []}


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture
def line() -> WeeklyHours:
    """The default zh line: weekdays 09:00-18:00, Saturday 09:00-12:00, Christmas and New Year closed."""
    return WeeklyHours()


def test_weekday_morning_is_open(line: WeeklyHours) -> None:
    assert is_open(line, shanghai(2026, 11, 23, 9, 0))


@pytest.mark.parametrize("hour", [8, 18, 22])
def test_weekday_outside_hours_is_closed(line: WeeklyHours, hour: int) -> None:
    assert not is_open(line, shanghai(2026, 11, 23, hour, 59 if hour == 8 else 0))


def test_sunday_is_closed(line: WeeklyHours) -> None:
    assert not is_open(line, shanghai(2026, 11, 22, 11, 0))


def test_christmas_is_closed(line: WeeklyHours) -> None:
    christmas_morning = shanghai(2026, 12, 25, 10, 0)
    assert christmas_morning.weekday() == 4
    assert not is_open(line, christmas_morning)
    assert next_opening(line, christmas_morning) == shanghai(2026, 12, 26, 9, 0)


def test_next_opening_is_now_while_open(line: WeeklyHours) -> None:
    now = shanghai(2026, 11, 23, 11, 0)
    assert next_opening(line, now) == now


def test_hours_are_read_in_the_line_time_zone() -> None:
    london = WeeklyHours(timezone="Europe/London")
    monday_1100_utc = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert is_open(london, monday_1100_utc)
    assert not is_open(WeeklyHours(), monday_1100_utc)  # 19:00 in Shanghai


def test_summer_time_shifts_opening_in_utc() -> None:
    london = WeeklyHours(timezone="Europe/London")
    assert is_open(london, datetime(2026, 7, 6, 8, 30, tzinfo=UTC))
    assert not is_open(london, datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    assert next_opening(london, datetime(2026, 7, 6, 7, 0, tzinfo=UTC)) == datetime(
        2026, 7, 6, 8, 0, tzinfo=UTC
    )


def test_period_past_midnight_stays_open_into_the_next_day() -> None:
    night = WeeklyHours(weekly={"fri": ["22:00-02:00"]}, holidays=[])
    assert is_open(night, shanghai(2026, 11, 21, 1, 30))
    assert not is_open(night, shanghai(2026, 11, 21, 2, 0))


def test_a_holiday_closes_the_period_that_starts_on_it() -> None:
    night = WeeklyHours(weekly={"fri": ["22:00-02:00"]}, holidays=[date(2026, 11, 20)])
    assert not is_open(night, shanghai(2026, 11, 20, 23, 0))
    assert next_opening(night, shanghai(2026, 11, 20, 23, 0)) == shanghai(2026, 11, 27, 22, 0)


@pytest.mark.parametrize("spec", ["9-18", "09:00", "25:00-26:00", "09:70-18:00", "nine to six"])
def test_invalid_period_is_rejected_naming_the_text(spec: str) -> None:
    with pytest.raises(ValueError, match=spec):
        parse_period(spec)


def test_line_that_never_opens_has_no_opening_and_cannot_promise() -> None:
    closed = WeeklyHours(weekly={}, holidays=[])
    assert next_opening(closed, shanghai(2026, 11, 23, 9, 0)) is None
    with pytest.raises(ValueError, match="never opens"):
        callback_due(closed, shanghai(2026, 11, 23, 9, 0))


@LANGS
def test_friday_evening_request_promises_monday_morning_callback(lang: str) -> None:
    line = WeeklyHours(weekly=WEEKDAYS_ONLY)
    friday_evening = shanghai(2026, 11, 20, 19, 30)
    due = callback_due(line, friday_evening)
    assert due == shanghai(2026, 11, 23, 10, 0)
    expected = {"zh": "11月23日（周一）上午10:00前回电", "en": "Call back by 10:00 on Monday 23 November"}
    assert promise_text(due, lang, line.timezone) == expected[lang]


def test_friday_evening_with_saturday_hours_promises_saturday(line: WeeklyHours) -> None:
    assert callback_due(line, shanghai(2026, 11, 20, 19, 30)) == shanghai(2026, 11, 21, 10, 0)


def test_christmas_eve_evening_skips_the_holiday() -> None:
    line = WeeklyHours(weekly=WEEKDAYS_ONLY)
    assert callback_due(line, shanghai(2026, 12, 24, 20, 0)) == shanghai(2026, 12, 28, 10, 0)


@LANGS
def test_spoken_promise_says_tomorrow(lang: str, line: WeeklyHours) -> None:
    evening = shanghai(2026, 11, 23, 21, 0)
    due = callback_due(line, evening)
    expected = {"zh": "明天上午10:00前回电", "en": "Call back by 10:00 tomorrow"}
    assert promise_text(due, lang, line.timezone, now=evening) == expected[lang]


@LANGS
def test_spoken_promise_after_midnight_says_today(lang: str, line: WeeklyHours) -> None:
    small_hours = shanghai(2026, 11, 24, 1, 0)
    due = callback_due(line, small_hours)
    expected = {"zh": "今天上午10:00前回电", "en": "Call back by 10:00 today"}
    assert promise_text(due, lang, line.timezone, now=small_hours) == expected[lang]


def test_afternoon_promise_reads_as_afternoon_in_chinese() -> None:
    assert (
        promise_text(shanghai(2026, 11, 23, 14, 30), "zh", "Asia/Shanghai")
        == "11月23日（周一）下午2:30前回电"
    )


def test_grace_is_configurable_and_rounded_up_to_a_quarter_hour(line: WeeklyHours) -> None:
    due = callback_due(line, shanghai(2026, 11, 23, 7, 0), grace=timedelta(minutes=20))
    assert due == shanghai(2026, 11, 23, 9, 30)


def test_promise_never_falls_after_the_period_closes() -> None:
    short = WeeklyHours(weekly={"mon": ["09:00-09:30"]}, holidays=[])
    assert callback_due(short, shanghai(2026, 11, 22, 20, 0)) == shanghai(2026, 11, 23, 9, 30)


def test_promise_in_london_uses_london_time() -> None:
    london = WeeklyHours(timezone="Europe/London", weekly=WEEKDAYS_ONLY)
    due = callback_due(london, datetime(2026, 11, 20, 20, 0, tzinfo=UTC))
    assert due == datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    assert promise_text(due, "en", london.timezone) == "Call back by 10:00 on Monday 23 November"


@pytest.mark.parametrize(
    ("language", "timezone"), [("zh", "Asia/Shanghai"), ("en", "Europe/London"), ("mixed", "Asia/Shanghai")]
)
def test_each_language_has_its_own_line(language: str, timezone: str) -> None:
    assert line_for(HoursSettings(), language).timezone == timezone


def test_request_while_open_is_promised_within_the_grace(line: WeeklyHours) -> None:
    assert callback_due(line, shanghai(2026, 11, 23, 14, 7, 30)) == shanghai(2026, 11, 23, 15, 15)
