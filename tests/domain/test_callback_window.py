"""A callback window the caller asks for, against opening hours: the first time advisers can
call in it, the soonest time after it when they cannot, and how it is said."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from agentdesk.config import WeeklyHours
from agentdesk.domain.callback_window import CallbackWindow, WindowKind, fit, promise, soonest, window_text

LONDON = WeeklyHours(timezone="Europe/London", holidays=[date(2026, 12, 1)])
SATURDAY_PM = datetime.fromisoformat("2026-11-28T15:30:00+00:00")


def _window(start: str, end: str, kind: WindowKind = WindowKind.AFTER) -> CallbackWindow:
    first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
    return CallbackWindow(first, last, kind, named=first)


def test_a_window_inside_opening_hours_is_called_at_its_start() -> None:
    window = _window("2026-11-30T14:00:00+00:00", "2026-12-01T00:00:00+00:00")
    assert fit(window, LONDON, SATURDAY_PM) == datetime.fromisoformat("2026-11-30T14:00:00+00:00")


def test_a_window_before_the_usual_promise_is_called_no_earlier_than_the_promise() -> None:
    # opening is 09:00 on Monday; the overnight list is worked first, so 10:00 at the earliest
    window = _window("2026-11-30T09:00:00+00:00", "2026-11-30T12:00:00+00:00", WindowKind.PART)
    assert fit(window, LONDON, SATURDAY_PM) == datetime.fromisoformat("2026-11-30T10:00:00+00:00")


def test_a_window_after_closing_has_no_fit_and_the_soonest_call_skips_a_holiday() -> None:
    window = _window("2026-11-30T19:00:00+00:00", "2026-12-01T00:00:00+00:00")
    assert fit(window, LONDON, SATURDAY_PM) is None
    # Tuesday 1 December is a holiday: Wednesday morning is the soonest
    assert soonest(window, LONDON, SATURDAY_PM) == datetime.fromisoformat("2026-12-02T09:00:00+00:00")


@pytest.mark.parametrize(
    ("lang", "said", "written"),
    [
        ("en", "on Monday after 14:00", "Call back on Monday 30 November after 14:00"),
        ("zh", "后天下午两点后", "11月30日（周一）下午两点后回电"),
    ],
)
def test_a_window_is_said_near_to_the_caller_and_written_with_its_date_on_the_ticket(
    lang: str, said: str, written: str
) -> None:
    window = _window("2026-11-30T14:00:00+00:00", "2026-12-01T00:00:00+00:00")
    assert window_text(window, lang, now=SATURDAY_PM) == said
    assert promise(window, lang) == written
