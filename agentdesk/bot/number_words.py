"""Numbers said in words, as speech recognition writes them: 三千五, 一百五十八, "two hundred
and fifty", "twenty-nine", "the fourteenth". Pure functions over text."""

from __future__ import annotations

import re

HAN_DIGITS = {
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


def han_number(text: str) -> int | None:
    """A number written in Chinese numerals, or None: 一百五十八 -> 158, 两万 -> 20000, and
    the everyday short forms where a last digit after a unit counts in the next unit down:
    三千五 -> 3500, 一百二 -> 120, 两万三 -> 23000 (三千零五 is still 3005)."""
    total = section = digit = 0
    seen = False
    last_unit, zero = 0, False
    for ch in text:
        if ch in HAN_DIGITS:
            digit, seen = HAN_DIGITS[ch], True
            zero = zero or HAN_DIGITS[ch] == 0
        elif ch in _HAN_UNITS:
            section += (digit or 1) * _HAN_UNITS[ch]
            digit, seen, last_unit, zero = 0, True, _HAN_UNITS[ch], False
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
            last_unit, zero = 10000, False
        else:
            return None
    if digit and last_unit >= 100 and not zero and text[-1] in HAN_DIGITS:
        digit *= last_unit // 10  # 三千五: the 五 is 500
    return total + section + digit if seen or total else None


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_ONES)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
}
_EN_SCALES = {"hundred": 100, "thousand": 1000}
EN_NUMBER = (
    r"(?:(?:a|an|"
    + "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:[\s-]+(?:and[\s-]+)?(?:hundred|thousand|"
    + "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))
    + r")\b)*)"
)
"""A regex fragment for a number said in English words: "two hundred and fifty", "a thousand"."""


def en_number(words: str) -> int | None:
    """The value of a number said in English words ("twenty-nine" -> 29, "two hundred and
    fifty" -> 250, "seven thousand" -> 7000, "a hundred" -> 100), or None."""
    total = current = 0
    seen = False
    tokens = [t for t in re.split(r"[\s-]+", words.lower().strip()) if t and t != "and"]
    for i, t in enumerate(tokens):
        if t in ("a", "an"):
            if i + 1 >= len(tokens) or tokens[i + 1] not in _EN_SCALES:
                return None
            current, seen = 1, True
        elif t in EN_NUMBER_WORDS:
            current, seen = current + EN_NUMBER_WORDS[t], True
        elif t == "hundred":
            current = (current or 1) * 100
        elif t == "thousand":
            total, current = total + (current or 1) * 1000, 0
        else:
            return None
    return total + current if seen else None


_ORDINAL_ONES = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
EN_ORDINALS: dict[str, int] = {
    **{w: i + 1 for i, w in enumerate(_ORDINAL_ONES)},
    "twentieth": 20,
    "thirtieth": 30,
    **{f"twenty{sep}{w}": 20 + i + 1 for i, w in enumerate(_ORDINAL_ONES[:9]) for sep in ("-", " ", "")},
    **{f"thirty{sep}first": 31 for sep in ("-", " ", "")},
}
"""Day-of-month ordinals in words: "fourteenth" -> 14, "twenty-first" -> 21."""

EN_MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            (),  # "may" is mostly "may I ask": May is read from 5月 or 2026-05
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
"""English month names and their short forms, to the month number."""


_BELOW_100 = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_ONES[1:10])}))?|{'|'.join(sorted(_ONES[1:], key=len, reverse=True))})"
_PRICE = re.compile(
    rf"\b({_BELOW_100})(?:[\s-]+({_BELOW_100})|\s+and\s+a\s+(half))\b(?![\s-]+(?:hundred|thousand)\b)",
    re.IGNORECASE,
)


def en_prices(text: str) -> list[float]:
    """Prices said the short way, without a currency: "one fifty" (1.50), "twenty-nine ninety"
    (29.90), "forty and a half" (40.50). Ambiguous on their own ("one fifty" may be 150), so
    they are only ever checked against figures the caller's account holds."""
    prices = []
    for m in _PRICE.finditer(text):
        whole = en_number(m.group(1).replace("-", " "))
        cents = 50 if m.group(3) else en_number(m.group(2).replace("-", " "))
        if whole is not None and cents is not None and 10 <= cents <= 99:
            prices.append(whole + cents / 100)
    return prices
