"""Reading the time a caller asks to be called back at, in English and Chinese: the day, the
part of the day and the clock time they name, never the time they say they cannot talk, and
nothing guessed from a time too vague to read."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from agentdesk.bot.callback_time import read_callback_time
from agentdesk.domain.callback_window import WindowKind

LONDON, SHANGHAI = "Europe/London", "Asia/Shanghai"
SATURDAY_PM = datetime.fromisoformat("2026-11-28T15:30:00+00:00")  # en-80: Saturday afternoon
WEDNESDAY_NIGHT = datetime.fromisoformat("2026-11-25T22:15:00+08:00")  # zh-80: Wednesday night
MONDAY, THURSDAY = date(2026, 11, 30), date(2026, 11, 26)
"""The day already promised: a time said without a day means that day."""


def _read(text: str, lang: str):  # type: ignore[no-untyped-def]
    if lang == "zh":
        return read_callback_time(text, "zh", now=WEDNESDAY_NIGHT, timezone=SHANGHAI, default_day=THURSDAY)
    return read_callback_time(text, "en", now=SATURDAY_PM, timezone=LONDON, default_day=MONDAY)


@pytest.mark.parametrize(
    ("lang", "line", "words", "start", "kind"),
    [
        (
            "en",
            "could they ring after two on Monday instead, I'm at work in the morning",
            "could they ring after two on Monday instead",
            "2026-11-30T14:00",
            WindowKind.AFTER,
        ),
        ("en", "any time after 3pm", "any time after 3pm", "2026-11-30T15:00", WindowKind.AFTER),
        ("en", "tomorrow afternoon", "tomorrow afternoon", "2026-11-29T12:00", WindowKind.PART),
        ("en", "Monday at half past ten", "Monday at half past ten", "2026-11-30T10:30", WindowKind.AT),
        (
            "zh",
            "上午我在开会接不了 明天下午两点以后打吧",
            "明天下午两点以后打吧",
            "2026-11-26T14:00",
            WindowKind.AFTER,
        ),
        ("zh", "下午三点左右", "下午三点左右", "2026-11-26T14:30", WindowKind.AROUND),
        ("zh", "周一上午十点", "周一上午十点", "2026-11-30T10:00", WindowKind.AT),
        ("zh", "周一上午我要上班，能下午打吗？", "能下午打吗", "2026-11-30T12:00", WindowKind.PART),
    ],
)
def test_a_named_callback_time_is_read_as_the_window_the_caller_means(
    lang: str, line: str, words: str, start: str, kind: WindowKind
) -> None:
    named = _read(line, lang)
    assert named is not None and named.window is not None
    assert named.words == words
    assert named.window.start.strftime("%Y-%m-%dT%H:%M") == start
    assert named.window.kind is kind
    assert str(named.window.start.tzinfo) == (SHANGHAI if lang == "zh" else LONDON)


@pytest.mark.parametrize(
    ("lang", "line", "named"),
    [("en", "around 3pm", "15:00"), ("zh", "下午三点左右", "15:00"), ("en", "after 2", "14:00")],
)
def test_a_clock_time_said_without_am_or_pm_in_working_hours_is_the_afternoon(
    lang: str, line: str, named: str
) -> None:
    read = _read(line, lang)
    assert read is not None and read.window is not None and read.window.named is not None
    assert f"{read.window.named:%H:%M}" == named


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "could you call after work"), ("zh", "下班后再打吧"), ("zh", "晚一点打给我")],
)
def test_a_time_too_vague_to_read_is_kept_in_the_callers_words_and_not_guessed(lang: str, line: str) -> None:
    named = _read(line, lang)
    assert named is not None
    assert named.window is None and named.words == line


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "I've got 2 phones on the account"),
        ("en", "it says delivered but it never came, I've checked with the neighbours"),
        ("zh", "我昨天在App交了129块话费"),
        ("zh", "好 谢谢"),
    ],
)
def test_a_line_that_names_no_time_gives_no_callback_time(lang: str, line: str) -> None:
    assert _read(line, lang) is None
