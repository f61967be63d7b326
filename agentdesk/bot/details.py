"""Details the bot collects from what the customer says: order ids, amounts, dates, numbers.

Values are kept as said; masking happens when they go into a handoff packet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from agentdesk.bot.number_words import (
    EN_MONTHS,
    EN_NUMBER,
    EN_NUMBER_WORDS,
    EN_ORDINALS,
    HAN_DIGITS,
    en_number,
    han_number,
)
from agentdesk.domain.masking import DIGIT_WORDS, spoken_numbers
from agentdesk.nlp.lexicon import word_list

__all__ = ["corrected_order_id", "extract_details", "merge_details", "spoken_order_id", "spoken_phone"]

# Lookarounds, not \b: a Chinese character is a word character, so 订单LC... has no \b.
_ORDER = re.compile(r"(?<![A-Za-z0-9])LC\d{8}-\d{4}(?!\d)", re.IGNORECASE)
_ACCOUNT = re.compile(r"(?<![A-Za-z0-9])LC-\d{6}(?!\d)", re.IGNORECASE)
_TICKET = re.compile(r"(?<![A-Za-z0-9])TK-[0-9A-Z]{3,12}(?![0-9A-Z])")
_CN_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_INTL_PHONE = re.compile(r"\+\d{1,3}[ \d-]{7,14}\d")
_AMOUNT_ZH = re.compile(r"(\d+(?:\.\d{1,2})?)\s*(?:元|块钱|块)")
_HAN_DIGIT = "零〇一二两三四五六七八九"
_AMOUNT_JIAO = re.compile(
    rf"(\d+|[{_HAN_DIGIT}十百千万]+)\s*(?:元|块)(\d|[{_HAN_DIGIT}])(?:\s*[毛角](?:(\d|[{_HAN_DIGIT}])分?)?)?"
    rf"(?![\d{_HAN_DIGIT}十百千万])"
)
"""Yuan and jiao said the spoken way: 1块5, 一块五, 两块五毛, 三块二毛五 (¥3.25), 12元8角."""
_AMOUNT_BARE_CENTS = re.compile(
    r"(?<![\w.,¥￥£$€+-])(\d{1,5}\.\d{2})(?![\d.])"
    r"(?!\s*(?:%|[个天次年月日号点分秒兆]|(?:[kmg]b|[kmg]bps|g|m|am|pm|gigs?|megs?|mins?|minutes?|hours?|days?)\b))",
    re.IGNORECASE,
)
"""A figure with two decimals and no currency (“what is the 29.90 on my bill”) is money on these
calls: data, speeds and durations come with their unit, and a clock time (“at 10.30”) after
its preposition."""
_CLOCK_BEFORE = re.compile(
    r"\b(?:at|by|to|or|and|from|till|until|after|before|around|between)\s+$", re.IGNORECASE
)
_AMOUNT_HAN = re.compile(r"([零〇一二两三四五六七八九十百千万]+)(多)?\s*(元|块钱|块)")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_AMOUNT_SYM = re.compile(r"([¥￥£$€])\s?(\d[\d,]*(?:\.\d{1,2})?)")
_AMOUNT_EN = re.compile(
    r"(\d[\d,]*(?:\.\d{1,2})?)\s*(yuan|rmb|pounds?|quid|dollars?|euros?)\b", re.IGNORECASE
)
_DATE_ZH = re.compile(r"(?<!\d)(?:(\d{1,2})月)?(\d{1,2})[日号]")
_DATE_ISO = re.compile(r"(?<!\d)20\d\d-\d\d-\d\d(?!\d)")
_CARD_TAIL = re.compile(
    r"(?:尾号|ending(?: in)?|last (?:four|4)(?: digits)?(?: are| is)?)\s*(\d{4})", re.IGNORECASE
)

_CURRENCY = {
    "£": "£",
    "$": "$",
    "€": "€",
    "¥": "¥",
    "￥": "¥",
    "pound": "£",
    "pounds": "£",
    "quid": "£",
    "dollar": "$",
    "dollars": "$",
    "euro": "€",
    "euros": "€",
    "yuan": "¥",
    "rmb": "¥",
}


_SPOKEN_DIGIT = {**{h: str(d) for h, d in HAN_DIGITS.items() if h != "两"}, "幺": "1", **DIGIT_WORDS}
_SPOKEN_LC = re.compile(
    r"(?<![A-Za-z])L[\s.]*C\b[\s.,:：，]*|(?<![A-Za-z])LC(?=[\d零〇一二三四五六七八九幺])", re.IGNORECASE
)
_SPOKEN_TOKEN = re.compile(
    r"\s*[,，、]?\s*(double|triple|dash|hyphen|杠|横杠|-|\d|[零〇一二三四五六七八九幺]|"
    r"zero|one|two|three|four|five|six|seven|eight|nine|oh|o)(?![a-z])",
    re.IGNORECASE,
)


def spoken_order_id(text: str) -> str | None:
    """An order id read out digit by digit, as speech recognition writes it: "L C two zero two
    six one one one zero, dash, two seven one eight" or LC二零二六一一一五杠零四二八 ->
    LC20261110-2718 / LC20261115-0428. "double four" is 44. None when no LC is followed by
    twelve spoken digits."""
    for lc in _SPOKEN_LC.finditer(text):
        digits: list[str] = []
        repeat, pos = 1, lc.end()
        while len(digits) < 12 and (m := _SPOKEN_TOKEN.match(text, pos)):
            word, pos = m.group(1).lower(), m.end()
            if word in ("double", "triple"):
                repeat = 2 if word == "double" else 3
            elif word in _SPOKEN_DIGIT or word.isdigit():
                digits += [_SPOKEN_DIGIT.get(word, word)] * repeat
                repeat = 1
        if len(digits) == 12:
            return f"LC{''.join(digits[:8])}-{''.join(digits[8:])}"
    return None


_HAN_RUN = re.compile(r"[零〇一二三四五六七八九幺]{11}")
_HAN_AS_DIGITS = str.maketrans("零〇一二三四五六七八九幺", "00123456789" + "1")
_UK_NATIONAL = re.compile(r"0\d{9,10}")


_FIRST_DIGIT = re.compile(
    r"\d|[零〇一二三四五六七八九幺]|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|double|triple|dash)\b",
    re.IGNORECASE,
)


def order_id_started(text: str) -> bool:
    """The line starts reading out an order id and stops before its end ("it's L C two zero two
    six one one one seven", 订单号是 LC 二零二六一一一五): the caller goes on in the next line."""
    if _ORDER.search(text) or spoken_order_id(text) or _ACCOUNT.search(text):
        return False
    for lc in _SPOKEN_LC.finditer(text):
        if _ACCOUNT_WORDS.search(text[max(0, lc.start() - 16) : lc.start()]):
            continue  # an account number (LC-164731) is no order id
        count, pos = 0, lc.end()
        while m := _SPOKEN_TOKEN.match(text, pos):
            count, pos = count + 1, m.end()
        # the digits run to the end of the line: the caller stopped midway, not went on to ask
        if count >= 4 and not text[pos:].strip(" ,.;:!?，。；：！？、…"):
            return True
    return False


_ACCOUNT_WORDS = re.compile(r"account|账号|账户|帳號|帳戶", re.IGNORECASE)


def order_id_in_two(before: str, line: str) -> str | None:
    """An order id read out over two lines: "it's L C two zero two six one one one seven" then
    "dash three three zero two", or 订单号是 LC 二零二六一一一五 then 然后是 零四二八 -> the id, or
    None. The first line must start the id (LC and digits), the second go on with digits."""
    starts = list(_SPOKEN_LC.finditer(before))
    first = _FIRST_DIGIT.search(line)
    if not starts or first is None:
        return None
    return spoken_order_id(f"{before[starts[-1].start() :]} {line[first.start() :]}")


def spoken_phone(text: str) -> str | None:
    """A phone number read out digit by digit: 幺三六三四九二幺三二七 -> 13634921327, "oh seven
    seven double oh, nine double oh three five nine" -> 07700900359. None when the line reads
    out no mobile or national number."""
    for m in _HAN_RUN.finditer(text):
        if _CN_MOBILE.fullmatch(digits := m.group().translate(_HAN_AS_DIGITS)):
            return digits
    for _, digits in spoken_numbers(text):
        if _CN_MOBILE.fullmatch(digits) or _UK_NATIONAL.fullmatch(digits):
            return digits
    return None


_NUMBER_WORD = "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
_AMOUNT_EN_WORDS = re.compile(
    rf"\b({EN_NUMBER})\s+(yuan|rmb|pounds?|quid|dollars?|euros?)\b"
    rf"(?:,?\s+(?:and\s+)?((?:ten|eleven|twelve|{'|'.join(EN_NUMBER_WORDS)})(?:[\s-](?:{_NUMBER_WORD}))?)"
    r"(?:\s+(?:pence|p|cents?|fen))?\b(?!\s+(?:years?|months?|days?|weeks?|times|hours?|minutes?|gigs?|gb)\b))?",
    re.IGNORECASE,
)
"""An amount said in English words with its currency: "twenty-nine yuan ninety", "two hundred
and fifty quid", "ten pounds fifty"."""
_HAN_CHARS = "零〇一二两三四五六七八九十百千万"
_AMOUNT_HAN_BARE = re.compile(rf"(?<![{_HAN_CHARS}几数上好第])([{_HAN_CHARS[:-3]}][{_HAN_CHARS}]*)(多|几)?")


def _en_words_amount(text: str) -> str | None:
    for m in _AMOUNT_EN_WORDS.finditer(text):
        value = en_number(m.group(1))
        if value is None:
            continue
        cents = en_number(m.group(3)) if m.group(3) else None
        tail = f".{cents:02d}" if cents is not None and 10 <= cents <= 99 else ""
        return f"{_CURRENCY[m.group(2).lower()]}{value}{tail}"
    return None


def _han_bare_amount(text: str) -> str | None:
    """A number in Chinese words on a line about money, without 元/块: 损失起码三千五 -> ¥3500,
    扣了八百多 -> ¥800+. Numbers that count something else (五天, 一百多次, 十几次) are not amounts."""
    if not any(w in text for w in word_list("details.zh", "money_words")):
        return None
    counters = tuple(word_list("details.zh", "counters"))
    for m in _AMOUNT_HAN_BARE.finditer(text):
        number = m.group(1)
        if not any(u in number for u in "十百千万") or text[m.end() :].lstrip().startswith(counters):
            continue
        if value := han_number(number):
            return f"¥{value}+" if m.group(2) else f"¥{value}"
    return None


def _jiao_amount(text: str) -> str | None:
    counters = tuple(word_list("details.zh", "counters"))
    for m in _AMOUNT_JIAO.finditer(text):
        if text[m.end() :].lstrip().startswith(counters):
            continue  # 两块五个人, 一块五角场: a count or a place, not ¥2.5
        if m.group(1) == "一" and not any(w in text for w in word_list("details.zh", "money_words")):
            continue  # 一块 is mostly "together" (我们一块五个人去), unless the line is about money
        digits = [_digit(g) for g in m.groups()]
        yuan = int(m.group(1)) if m.group(1).isdigit() else han_number(m.group(1))
        if yuan is None or digits[1] is None:
            continue
        cents = digits[1] * 10 + (digits[2] or 0)
        return f"¥{yuan}.{cents // 10}" if cents % 10 == 0 else f"¥{yuan}.{cents:02d}"
    return None


def _digit(said: str | None) -> int | None:
    """One digit, in figures or a Chinese numeral (两 is 2); None for anything longer."""
    if said is None or len(said) != 1:
        return None
    return int(said) if said.isdigit() else HAN_DIGITS.get(said)


def _amount(text: str) -> str | None:
    if jiao := _jiao_amount(text):
        return jiao
    if m := _AMOUNT_SYM.search(text):
        return f"{_CURRENCY[m.group(1)]}{m.group(2)}"
    if m := _AMOUNT_EN.search(text):
        return f"{_CURRENCY[m.group(2).lower()]}{m.group(1)}"
    if m := _AMOUNT_ZH.search(text):
        return f"¥{m.group(1)}"
    for m in _AMOUNT_HAN.finditer(text):
        if m.group(1) == "一" and m.group(3) == "块":
            continue  # 一块 is mostly "together" (我们一块去), not one yuan
        if value := han_number(m.group(1)):
            return f"¥{value}+" if m.group(2) else f"¥{value}"
    for m in _AMOUNT_BARE_CENTS.finditer(text):
        if not _CLOCK_BEFORE.search(text[: m.start()]):
            return f"¥{m.group(1)}"
    return _en_words_amount(text) or _han_bare_amount(text)


def _zh_dates(text: str) -> Iterator[tuple[int, int, str]]:
    """Each day of the month said in Chinese, with its span: 16号 -> 16日, 11月16日. A house
    number (建设路88号), 3号楼 or a day past 31 is no date."""
    streets = tuple(word_list("details.zh", "street_words"))
    not_day = tuple(word_list("details.zh", "not_day_after"))
    for m in _DATE_ZH.finditer(text):
        month, day = (int(m.group(1)) if m.group(1) else None), int(m.group(2))
        if not 1 <= day <= 31 or (month is not None and not 1 <= month <= 12):
            continue
        if month is None and (
            text[: m.start()].rstrip().endswith(streets) or text[m.end() :].startswith(not_day)
        ):
            continue
        yield m.start(), m.end(), f"{month}月{day}日" if month else f"{day}日"


_ORDINAL_WORD = "|".join(sorted((re.escape(w) for w in EN_ORDINALS), key=len, reverse=True))
_MONTH_WORD = "|".join(sorted(EN_MONTHS, key=len, reverse=True))
_DAY = rf"(?:(\d{{1,2}})(?:st|nd|rd|th)|({_ORDINAL_WORD}))"
_DATE_EN_MONTH = re.compile(
    rf"\b(?:(?:the\s+)?(?:{_DAY}|(\d{{1,2}}))\s+(?:of\s+)?({_MONTH_WORD})\b"
    rf"|({_MONTH_WORD})\s+(?:the\s+)?(?:{_DAY}|(\d{{1,2}}))(?![\d:]))",
    re.IGNORECASE,
)
_DATE_EN_DAY = re.compile(
    rf"\b(?:(?!the\b)(\w+)\s+)?(the\s+)?{_DAY}(?=\s*$|\s*[.,;!?]|\s+(\w+))", re.IGNORECASE
)
_AFTER_DAY = frozenset(
    [
        "and",
        "but",
        "so",
        "or",
        "at",
        "in",
        "when",
        "i",
        "it",
        "we",
        "they",
        "he",
        "she",
        "my",
        "our",
        "this",
        "last",
        "next",
        "because",
        "then",
        "which",
        "though",
        "as",
        "was",
        "is",
        "to",
        "till",
        "until",
        "through",
        "no",
    ]
)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _day(digits: str | None, word: str | None) -> int:
    return int(digits) if digits else EN_ORDINALS.get(re.sub(r"\s+", " ", word or "").lower(), 0)


def _en_dates(text: str) -> Iterator[tuple[int, int, str]]:
    """Each day of the month said in English, with its span: "the 14th of November" /
    "November 14" -> 14 November; "on the 14th", "the fourteenth." -> 14th. "The third time"
    is no date."""
    taken: list[tuple[int, int]] = []
    for m in _DATE_EN_MONTH.finditer(text):
        g = m.groups()
        day, month = (_day(g[0] or g[2], g[1]), g[3]) if g[3] else (_day(g[5] or g[7], g[6]), g[4])
        if 1 <= day <= 31:
            taken.append(m.span())
            yield m.start(), m.end(), f"{day} {datetime(2000, EN_MONTHS[month.lower()], 1):%B}"
    leads = set(word_list("details.en", "date_lead"))
    for m in _DATE_EN_DAY.finditer(text):
        lead, the, digits, word, after = m.groups()
        if not (the or (lead or "").lower() in leads) or any(s <= m.start() < e for s, e in taken):
            continue
        if after is not None and after.lower() not in _AFTER_DAY:
            continue
        if 1 <= (day := _day(digits, word)) <= 31:
            yield m.start(), m.end(), _ordinal(day)


def _date(text: str) -> str | None:
    """The day the line names: the first one said, or the one a correction puts in its place
    ("我7号，哦不对，是8号", "on the 12th, no sorry, the 10th")."""
    dates = sorted([*_zh_dates(text), *_en_dates(text)])
    if not dates:
        return None
    corrections = [*word_list("details.zh", "corrections"), *word_list("details.en", "corrections")]
    chosen = dates[0]
    for later in dates[1:]:
        # the correction opens what comes between: "7号，哦不对，是8号", not "7号下的单，不是8号"
        between = text[chosen[1] : later[0]].lower().lstrip(" ,，.。、")
        if between.startswith(tuple(corrections)):
            chosen = later
    return chosen[2]


def _corrections() -> tuple[str, ...]:
    return (*word_list("details.zh", "corrections"), *word_list("details.en", "corrections"))


_LEADS_TO_DIGITS = re.compile(
    r"(?:[\s,，.。:：、-]|\b(?:no|not|i mean|it's|it is|its|that's|it starts with|starts with|begins with|should be)\b"
    r"|应该是|我是说|是|哦|啊)*",
    re.IGNORECASE,
)
"""What may stand between a correction and the digits it puts right ("no sorry, it's 4806", 不对，是135)."""


def _correction_at(text: str) -> int | None:
    """Where the caller's last correction of a number starts ("…four eight zero nine. No sorry,
    four eight zero six", 139…，不对不对，是135…): the position after its word, when the digits
    come straight after it. "sorry, it's been 2 weeks" and 不对劲 correct nothing."""
    low = text.lower()
    best = None
    for word in _corrections():
        for m in re.finditer(re.escape(word), low):
            if word[0].isascii() and m.start() and low[m.start() - 1].isalnum():
                continue  # inside another word
            lead = _LEADS_TO_DIGITS.match(text, m.end())
            digit = _FIRST_DIGIT.match(text, lead.end() if lead else m.end())
            if digit and (best is None or m.end() > best):
                best = m.end()
    return best


_SHORT_RUN = re.compile(r"\d{1,6}(?!\d)|[零〇一二三四五六七八九幺]{2,6}")


def _short_digits(text: str) -> str | None:
    """The first short run of digits said after a correction ("four eight zero six", 0429, 零四二九):
    the end of a number said again, not a whole one."""
    spoken = next(iter(spoken_numbers(text)), None)
    written = _SHORT_RUN.search(text)
    if spoken and (written is None or spoken[0].start() < written.start()):
        run, digits = spoken[0], spoken[1]
    elif written is not None:
        run, digits = written, written.group().translate(_HAN_AS_DIGITS)
    else:
        return None
    if len(digits) > 6 or not _ENDS_NUMBER.match(text, run.end()):
        return None  # "sorry, 2 of the items", 3天了: a count, not digits said again
    return digits


_ENDS_NUMBER = re.compile(r"\s*(?:$|[,，.。;；!！?？、)）]|not\b|instead\b|不是|开头|打头)", re.IGNORECASE)
"""What may follow digits said again: the end of the clause, "not nine", 不是139, 开头的."""


def _with_tail(value: str, digits: str) -> str:
    """`value` with its last digits replaced by `digits` (LC20261112-4809 + 4806)."""
    out, left = list(value), len(digits)
    for i in range(len(out) - 1, -1, -1):
        if not left:
            break
        if out[i].isdigit():
            left -= 1
            out[i] = digits[left]
    return "".join(out)


def extract_details(text: str) -> dict[str, str]:
    """The details one customer line contains, by key (`order_id`, `amount`, `date`, ...).

    A correction puts its value in place of the one said before it: a whole number said again
    (不对，是一三五…) or only its end ("LC20261112-4809, sorry, I mean 4806")."""
    text = text.translate(_FULL_WIDTH)  # １３６… typed with a Chinese input method
    at = _correction_at(text)
    if at is None:
        return _details(text)
    said, corrected = _details(text[:at]), _details(text[at:])
    ids = [k for k in ("order_id", "phone") if k in said and k not in corrected]
    if ids and not corrected:  # digits that are an amount or a date correct nothing said before
        digits = _short_digits(text[at:])
        if digits and sum(c.isdigit() for c in said[ids[0]]) > len(digits):
            value = said[ids[0]]
            wrong = _NOT_DIGITS.search(text[at:])  # 是135不是139: the digits it replaces
            at_start = wrong is not None and re.sub(r"\D", "", value).startswith(wrong.group(1))
            head = at_start or _HEAD_WORDS.search(text[at:])
            corrected[ids[0]] = (_with_head if head else _with_tail)(value, digits)
    return {**said, **corrected}


_NOT_DIGITS = re.compile(r"(?:不是|\bnot\s+)(\d+)", re.IGNORECASE)
_HEAD_WORDS = re.compile(r"开头|打头|starts? with|begins? with", re.IGNORECASE)
"""A corrected run that is the start of the number (是135开头的, "it starts with 135")."""


def _with_head(value: str, digits: str) -> str:
    """`value` with its first digits replaced by `digits` (13998120020 + 135)."""
    return _with_tail(value[::-1], digits[::-1])[::-1]


def corrected_order_id(text: str) -> str | None:
    """The order id the line ends up naming when the caller corrects it ("…4809, sorry, I mean
    4806" -> …4806); None when the line corrects nothing."""
    text = text.translate(_FULL_WIDTH)
    return extract_details(text).get("order_id") if _correction_at(text) is not None else None


def _details(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    if m := _ORDER.search(text):
        found["order_id"] = m.group(0).upper()
    elif spoken := spoken_order_id(text):
        found["order_id"] = spoken
    if m := _ACCOUNT.search(text):
        found["account_no"] = m.group(0).upper()
    if m := _TICKET.search(text):
        found["ticket"] = m.group(0)
    if m := _CN_MOBILE.search(text) or _INTL_PHONE.search(text):
        found["phone"] = (
            re.sub(r"(?<=\d)[ -](?=\d)", "", m.group(0).strip()) if m.re is _CN_MOBILE else m.group(0).strip()
        )
    elif phone := spoken_phone(text):
        found["phone"] = phone
    if amount := _amount(_ORDER.sub(" ", text)):
        found["amount"] = amount
    if m := _DATE_ISO.search(text):
        found["date"] = m.group(0)
    elif date := _date(text):
        found["date"] = date
    if m := _CARD_TAIL.search(text):
        # "我那张副卡尾号7065", "the extra SIM ending 7065": a phone number's tail, not a bank card's
        before = text[max(0, m.start() - _TAIL_CONTEXT) : m.start()].lower()
        line = _LINE_WORDS.search(before) and not _CARD_WORDS.search(before)
        found["phone_last4" if line else "card_last4"] = m.group(1)
    return found


_TAIL_CONTEXT = 12
"""Characters before a "尾号"/"ending" that say what the four digits end."""
_LINE_WORDS = re.compile(r"副卡|手机号|电话号|号码|\b(?:sim|line|mobile|phone number)\b")
_CARD_WORDS = re.compile(r"卡号|银行卡|信用卡|储蓄卡|\b(?:card|visa|mastercard|amex|debit|credit)\b")


def merge_details(collected: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """Add newly heard details; a second, different amount or date is kept alongside the first."""
    merged = dict(collected)
    for key, value in new.items():
        if key not in merged or merged[key] == value:
            merged[key] = value
            continue
        n = 2
        while f"{key}_{n}" in merged and merged[f"{key}_{n}"] != value:
            n += 1
        merged[f"{key}_{n}"] = value
    return merged
