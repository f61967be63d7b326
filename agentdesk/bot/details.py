"""Details the bot collects from what the customer says: order ids, amounts, dates, numbers.

Values are kept as said; masking happens when they go into a handoff packet.
"""

from __future__ import annotations

import re

from agentdesk.domain.masking import DIGIT_WORDS, spoken_numbers

# Lookarounds, not \b: a Chinese character is a word character, so 订单LC... has no \b.
_ORDER = re.compile(r"(?<![A-Za-z0-9])LC\d{8}-\d{4}(?!\d)", re.IGNORECASE)
_ACCOUNT = re.compile(r"(?<![A-Za-z0-9])LC-\d{6}(?!\d)", re.IGNORECASE)
_TICKET = re.compile(r"(?<![A-Za-z0-9])TK-[0-9A-Z]{3,12}(?![0-9A-Z])")
_CN_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_INTL_PHONE = re.compile(r"\+\d{1,3}[ \d-]{7,14}\d")
_AMOUNT_ZH = re.compile(r"(\d+(?:\.\d{1,2})?)\s*(?:元|块钱|块)")
_AMOUNT_HAN = re.compile(r"([零〇一二两三四五六七八九十百千万]+)\s*(元|块钱|块)")
_HAN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_AMOUNT_SYM = re.compile(r"([¥￥£$€])\s?(\d[\d,]*(?:\.\d{1,2})?)")
_AMOUNT_EN = re.compile(
    r"(\d[\d,]*(?:\.\d{1,2})?)\s*(yuan|rmb|pounds?|quid|dollars?|euros?)\b", re.IGNORECASE
)
_DATE_ZH = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})[日号]")
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


def han_number(text: str) -> int | None:
    """A number written in Chinese numerals (一百五十八 -> 158, 三十九 -> 39, 两万 -> 20000), or None."""
    total = section = digit = 0
    seen = False
    for ch in text:
        if ch in _HAN_DIGITS:
            digit, seen = _HAN_DIGITS[ch], True
        elif ch in _HAN_UNITS:
            section += (digit or 1) * _HAN_UNITS[ch]
            digit, seen = 0, True
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            return None
    return total + section + digit if seen or total else None


_SPOKEN_DIGIT = {**{h: str(d) for h, d in _HAN_DIGITS.items() if h != "两"}, "幺": "1", **DIGIT_WORDS}
_SPOKEN_LC = re.compile(
    r"(?<![A-Za-z])L[\s.]*C\b[\s.,:：，]*|(?<![A-Za-z])LC(?=[零〇一二三四五六七八九幺])", re.IGNORECASE
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


def _amount(text: str) -> str | None:
    if m := _AMOUNT_SYM.search(text):
        return f"{_CURRENCY[m.group(1)]}{m.group(2)}"
    if m := _AMOUNT_EN.search(text):
        return f"{_CURRENCY[m.group(2).lower()]}{m.group(1)}"
    if m := _AMOUNT_ZH.search(text):
        return f"¥{m.group(1)}"
    for m in _AMOUNT_HAN.finditer(text):
        if m.group(1) == "一" and m.group(2) == "块":
            continue  # 一块 is mostly "together" (我们一块去), not one yuan
        if value := han_number(m.group(1)):
            return f"¥{value}"
    return None


def extract_details(text: str) -> dict[str, str]:
    """The details one customer line contains, by key (`order_id`, `amount`, `date`, ...)."""
    found: dict[str, str] = {}
    text = text.translate(_FULL_WIDTH)  # １３６… typed with a Chinese input method
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
    elif (m := _DATE_ZH.search(text)) and "号码" not in text[m.start() : m.end() + 1]:
        found["date"] = f"{m.group(1)}月{m.group(2)}日" if m.group(1) else f"{m.group(2)}日"
    if m := _CARD_TAIL.search(text):
        found["card_last4"] = m.group(1)
    return found


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
