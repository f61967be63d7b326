"""The time a caller asks to be called back at, read from their line.

"could they ring after two on Monday instead, I'm at work in the morning" -> Monday 14:00 to
the end of the day; "上午我在开会接不了 明天下午两点以后打吧" -> tomorrow 14:00-18:00. The line is
read clause by clause: a clause that says when the caller *cannot* talk ("I'm at work in the
morning", 上午我在开会) is not the wish, though a day it names (周一上午我要上班，能下午打吗)
still dates it. A time too vague to read ("after work", 下班后) is kept in the caller's words
and never guessed. Word lists: `assets/lexicons/callback_time.{en,zh}.yaml`.

Pure over the text, the moment of speaking and the line's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agentdesk.bot.number_words import EN_NUMBER_WORDS, han_number
from agentdesk.domain.callback_window import CallbackWindow, WindowKind
from agentdesk.nlp.lexicon import load_lexicon, word_list

DAY = 24 * 60
AROUND_MINUTES = 30
"""Either side of a time said "around" (三点左右), and the span of a time said exactly."""


@dataclass(frozen=True)
class CallbackTime:
    """A callback time the caller named."""

    words: str
    """The caller's own words for it (the clause that names it)."""
    window: CallbackWindow | None
    """When they would like the call; None when the words name a time too vague to read."""
    day_named: bool = True
    """The words name the day ("Monday after two"); "after five is best" names none, and the
    same hours on a later day suit as well."""


@dataclass
class _Clause:
    text: str
    busy: bool = False
    vague: bool = False
    day: date | None = None
    part: tuple[int, int] | None = None
    afternoon_part: bool = False
    clock: int | None = None
    """Minutes after midnight of the time the caller named, before am/pm is settled."""
    pm: bool | None = None
    kind: WindowKind | None = None

    @property
    def names_time(self) -> bool:
        return self.day is not None or self.part is not None or self.clock is not None


def _lex_name(zh: bool) -> str:
    return "callback_time.zh" if zh else "callback_time.en"


def _minutes(spec: str) -> tuple[int, int]:
    opens, closes = spec.split("-")
    h1, m1 = opens.split(":")
    h2, m2 = closes.split(":")
    return int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _has(text: str, words: list[str], *, bounded: bool) -> bool:
    if not words:
        return False
    edge = r"\b" if bounded else ""
    return re.search(rf"{edge}(?:{_alternation(words)}){edge}", text) is not None


def read_callback_time(
    text: str, lang: str, *, now: datetime, timezone: str, default_day: date | None = None
) -> CallbackTime | None:
    """The callback time `text` names, or None when it names none.

    Args:
        text: the caller's line.
        lang: `zh` for Chinese, anything else for English.
        now: the moment of speaking.
        timezone: the line's IANA time zone; the window is in local time there.
        default_day: the day a time without one means (the day of the callback already
            promised: "any time after 3pm" then means that day); today or tomorrow otherwise.
    """
    zh = lang == "zh"
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    norm = unicodedata.normalize("NFKC", text)
    norm = norm if zh else norm.lower().replace("’", "'")
    clauses = [_read_clause(c, zh, today) for c in _split(norm, zh)]
    timed = [c for c in clauses if c.names_time]
    wished = [c for c in timed if not c.busy]
    if not wished:
        vague = next((c for c in clauses if c.vague), None) or next(iter(timed), None)
        return None if vague is None else CallbackTime(_original(text, vague.text), None)
    chosen = wished[-1]
    day = chosen.day or next((c.day for c in reversed(timed) if c.day is not None), None)
    window = _window(chosen, zh, day or default_day, zone, now)
    return CallbackTime(_original(text, chosen.text), window, day_named=day is not None)


def _split(text: str, zh: bool) -> list[str]:
    if zh:
        parts = re.split(r"[，,。.；;！!？?、\s]+|但是|不过|因为", text)
    else:
        parts = re.split(r"[,.;!?]+|\s+(?:but|because|cos|'cause|as|since|and)\s+", text)
    return [p.strip() for p in parts if p and p.strip()]


def _original(text: str, clause: str) -> str:
    """The clause as the caller wrote it (case and width kept) where it can be found."""
    folded = unicodedata.normalize("NFKC", text)
    at = folded.lower().find(clause.lower())
    return text[at : at + len(clause)].strip() if at >= 0 and len(folded) == len(text) else clause


# -- one clause ---------------------------------------------------------------------------


def _read_clause(clause: str, zh: bool, today: date) -> _Clause:
    lex = load_lexicon(_lex_name(zh))
    c = _Clause(clause)
    c.busy = _has(clause, word_list(_lex_name(zh), "busy"), bounded=not zh)
    c.vague = _has(clause, word_list(_lex_name(zh), "vague"), bounded=not zh)
    (_zh_day if zh else _en_day)(c, lex, today)
    parts = {k: _minutes(str(v)) for k, v in (lex.get("day_parts") or {}).items()}
    for word in sorted(parts, key=len, reverse=True):
        found = word in clause if zh else re.search(rf"\b{re.escape(word)}\b", clause)
        if found:
            c.part = c.part or parts[word]
            c.afternoon_part = c.afternoon_part or parts[word][0] >= 12 * 60
            break
    (_zh_clock if zh else _en_clock)(c, lex)
    return c


def _en_day(c: _Clause, lex: dict, today: date) -> None:
    for word, offset in sorted((lex.get("days") or {}).items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(word)}\b", c.text):
            c.day = today + timedelta(days=int(offset))
            return
    for index, name in enumerate(lex.get("weekdays") or []):
        match = re.search(rf"\b(next\s+)?{name}s?\b", c.text)
        if match:
            c.day = _weekday(today, index, following=bool(match.group(1)))
            return


def _zh_day(c: _Clause, lex: dict, today: date) -> None:
    parts = {k: _minutes(str(v)) for k, v in (lex.get("day_parts") or {}).items()}
    for word, value in sorted((lex.get("days") or {}).items(), key=lambda kv: -len(kv[0])):
        if word in c.text:
            offset, *part = str(value).split()
            c.day = today + timedelta(days=int(offset))
            if part and part[0] in parts:
                c.part = parts[part[0]]
                c.afternoon_part = part[0] in (lex.get("afternoon_parts") or [])
            return
    prefixes = _alternation(lex.get("weekday_prefixes") or [])
    names = str(lex.get("weekday_names") or "")
    match = re.search(rf"({prefixes})([{names}天])", c.text) if prefixes and names else None
    if match:
        index = 6 if match.group(2) == "天" else names.index(match.group(2))
        c.day = _weekday(today, index, following=match.group(1).startswith("下"))


def _weekday(today: date, index: int, *, following: bool) -> date:
    """The next `index` weekday from today (today itself counts); "next Monday", 下周一: the
    one in the coming week."""
    if following:
        return today + timedelta(days=7 - today.weekday() + index)
    return today + timedelta(days=(index - today.weekday()) % 7)


_EN_HOURS = {w: n for w, n in EN_NUMBER_WORDS.items() if 1 <= n <= 12}
_EN_MINUTES = {"oh five": 5, "fifteen": 15, "thirty": 30, "forty-five": 45, "forty five": 45}
_EN_CLOCK = (
    r"(?:(?P<half>half past|half|quarter past|quarter to)\s+)?"
    rf"(?P<h>\d{{1,2}}|{_alternation(list(_EN_HOURS))}|noon|midday)"
    rf"(?:(?::|\.)(?P<m>\d{{2}})|\s+(?P<mw>{_alternation(list(_EN_MINUTES))}))?"
    r"\s*(?P<ampm>a\.?m\.?|p\.?m\.?|o'clock)?(?P<ish>ish)?\b"
)


def _en_clock(c: _Clause, lex: dict) -> None:
    relations = [(kind, lex.get(kind) or []) for kind in ("after", "before", "around", "at")]
    rel = _alternation([w for _, ws in relations for w in ws])
    for match in re.finditer(rf"(?:\b(?P<rel>{rel})\s+)?{_EN_CLOCK}", c.text):
        relation, ampm = match.group("rel"), match.group("ampm")
        if relation is None and ampm is None and match.group("m") is None:
            continue  # a bare number ("2 phones") is no time
        hour_word = match.group("h")
        if hour_word in ("noon", "midday"):
            hour = 12
        else:
            hour = int(hour_word) if hour_word.isdigit() else _EN_HOURS[hour_word]
        minute = int(match.group("m") or _EN_MINUTES.get(match.group("mw") or "", 0))
        half = match.group("half")
        if half:
            minute = {"half past": 30, "half": 30, "quarter past": 15}.get(half, 45)
            hour = hour - 1 if half == "quarter to" else hour
        if hour > 23 or minute > 59:
            continue
        c.clock = hour * 60 + minute
        c.pm = None if ampm in (None, "o'clock") else ampm.startswith("p")
        kind = next((k for k, ws in relations if relation in ws), "at") if relation else "at"
        c.kind = WindowKind.AROUND if match.group("ish") else WindowKind(kind)
        if c.pm is None and hour_word not in ("noon", "midday"):
            c.pm = _bare_hour_pm(hour, c, lex)
        return


_ZH_NUM = "零〇一二两三四五六七八九十"
_ZH_CLOCK = re.compile(
    rf"(?P<h>\d{{1,2}}|[{_ZH_NUM}]{{1,3}})\s*(?:点钟|點鐘|点|點|时|時|:|：)"
    rf"(?P<m>半|一刻|三刻|\d{{1,2}}|[{_ZH_NUM}]{{1,3}})?分?"
)
_ZH_A_LITTLE = "晚早快慢多少好大小有差点"
"""Before 一点 these make it "a little" (晚一点), not one o'clock."""


def _zh_clock(c: _Clause, lex: dict) -> None:
    relations = [(kind, lex.get(kind) or []) for kind in ("after", "before", "around")]
    for match in _ZH_CLOCK.finditer(c.text):
        h, m = match.group("h"), match.group("m")
        before = c.text[match.start() - 1] if match.start() else ""
        if h == "一" and before and before in _ZH_A_LITTLE:
            continue
        hour = int(h) if h.isdigit() else han_number(h)
        minute = {"半": 30, "一刻": 15, "三刻": 45}.get(m or "")
        if minute is None:
            minute = (int(m) if m.isdigit() else han_number(m)) if m else 0
        if hour is None or minute is None or hour > 23 or minute > 59:
            continue
        rest = c.text[match.end() :]
        kind = next(
            (k for k, ws in relations for w in sorted(ws, key=len, reverse=True) if rest.startswith(w)), "at"
        )
        c.clock, c.kind = hour * 60 + minute, WindowKind(kind)
        afternoon_parts = lex.get("afternoon_parts") or []
        prefix = c.text[: match.start()]
        if any(p in prefix[-3:] for p in afternoon_parts) or (c.afternoon_part and c.part is not None):
            c.pm = True
        elif "中午" in prefix[-3:]:
            c.pm = True if hour < 3 else None  # 中午一点 is 13:00, 中午十二点 noon
        elif any(p in prefix[-3:] for p in ("上午", "早上")):
            c.pm = False
        else:
            c.pm = _bare_hour_pm(hour, c, lex)
        return


def _bare_hour_pm(hour: int, c: _Clause, lex: dict) -> bool:
    """A clock time said without am or pm: in the afternoon part it names, else 1 to 7 is pm."""
    if c.part is not None:
        return c.afternoon_part
    return 1 <= hour < int(lex.get("afternoon_hours_below", 8))


# -- the window -----------------------------------------------------------------------------


def _window(c: _Clause, zh: bool, day: date | None, zone: ZoneInfo, now: datetime) -> CallbackWindow:
    part = c.part or (0, DAY)
    if c.clock is not None:
        clock = c.clock + (12 * 60 if c.pm and c.clock < 12 * 60 else 0)
        clock -= 12 * 60 if c.pm is False and c.clock >= 12 * 60 and c.clock < 13 * 60 else 0
        kind = c.kind or WindowKind.AT
        start, end = {
            WindowKind.AFTER: (clock, part[1] if c.part and part[1] > clock else DAY),
            WindowKind.BEFORE: (part[0] if c.part and part[0] < clock else 0, clock),
            WindowKind.AROUND: (clock - AROUND_MINUTES, clock + AROUND_MINUTES),
            WindowKind.AT: (clock, clock + AROUND_MINUTES),
        }[kind]
    else:
        clock = None
        kind = WindowKind.PART if c.part else WindowKind.DAY
        start, end = part
    local_now = now.astimezone(zone)
    if day is None:  # "any time after 3pm": today if it is still ahead, else tomorrow
        day = local_now.date()
        if _at(day, end, zone) <= now:
            day += timedelta(days=1)
    elif c.day is not None and _at(day, end, zone) <= now and not _said_today(c, zh):
        day += timedelta(days=7)  # "Monday" said late on a Monday is next Monday
    named = _at(day, clock, zone) if clock is not None else None
    return CallbackWindow(_at(day, start, zone), _at(day, end, zone), kind, named)


def _said_today(c: _Clause, zh: bool) -> bool:
    words = ("今天", "今儿", "今晚") if zh else ("today", "tonight", "this afternoon", "this evening")
    return any(w in c.text for w in words)


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    day += timedelta(days=minutes // DAY)
    minutes %= DAY
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)


def asks_callback(text: str, lang: str) -> bool:
    """The line is about the call itself ("Monday's fine", 明天给我打个电话): a bare day it
    names is when to call, not when something is needed."""
    zh = lang == "zh"
    norm = unicodedata.normalize("NFKC", text)
    norm = norm if zh else norm.lower().replace("’", "'")
    return _has(norm, word_list(_lex_name(zh), "about_the_call"), bounded=False)
