"""Word and character error rates, with the normalisation the benches and tests use.

English (WER, over words): NFKC, lowercase, curly quotes straightened, apostrophes
removed (`what's` = `whats`), hyphens and every other punctuation mark become spaces,
thousands separators dropped (`4,500` = `4500`), numbers written out as words the way
they are said (`129` = `one hundred twenty nine`, `5th` = `fifth`, `10:00` = `10 o'clock` = `ten`),
ids of five or more digits (`LC20261108-2251`, also when grouped as `2026 1108`) read
digit by digit (in Chinese too), letters spelled one by one joined (`L C` = `LC`), and British spellings mapped to
the American ones whisper writes (`adviser` = `advisor`, `neighbours` = `neighbors`).

Chinese (CER, over characters): NFKC, Traditional to Simplified (OpenCC t2s), all
punctuation and whitespace removed, Latin letters lowercased, 两 counted as 二 (the
same digit, said differently before a measure word), and Arabic numbers read
out as Chinese numerals the way a speaker says them: a four-digit year before 年 and
any number of five or more digits (phone, order and card numbers) digit by digit
(2015年 = 二零一五年), other whole numbers as cardinals (70 = 七十, 305 = 三百零五).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from agentdesk.speech.guards import to_simplified

_DIGITS = "零一二三四五六七八九"
_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ErrorRate:
    """Edit errors over reference units, summable across clips."""

    errors: int
    length: int

    @property
    def rate(self) -> float:
        """errors / length (0 for an empty reference with an empty hypothesis)."""
        return self.errors / self.length if self.length else float(self.errors > 0)

    def __add__(self, other: ErrorRate) -> ErrorRate:
        return ErrorRate(self.errors + other.errors, self.length + other.length)


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Levenshtein distance (substitutions, insertions, deletions all cost 1)."""
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def english_words(text: str) -> list[str]:
    """Normalised English words (see module docstring)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"\b(\d{1,2})(?::00|\s*o'clock)", r"\1", text)
    text = re.sub(r"\d+(?:[\s-]\d+)+", _english_digit_groups, text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: _ordinal(int(m.group(1))), text)
    text = re.sub(r"\d+", _english_number, text)
    text = text.replace("'", "")
    words = [_AMERICAN.get(w, w) for w in _PUNCT_OR_SPACE.split(text) if w]
    return _join_spelled_letters(words)


_BRITISH = (
    "adviser advisor|neighbour neighbor|colour color|favour favor|behaviour behavior|honour honor"
    "|labour labor|harbour harbor|centre center|theatre theater|metre meter|litre liter|cancelled canceled"
    "|cancelling canceling|travelled traveled|travelling traveling|labelled labeled|organise organize"
    "|organised organized|realise realize|realised realized|apologise apologize|apologised apologized"
    "|analyse analyze|analysed analyzed|recognise recognize|authorise authorize|authorised authorized"
    "|licence license|defence defense|offence offense|programme program|cheque check|tyre tire"
    "|jewellery jewelry|catalogue catalog|instalment installment|judgement judgment|enrol enroll"
    "|fulfil fulfill|grey gray|mum mom|aluminium aluminum|practise practice|ok okay"
)
_AMERICAN = {}
for _pair in _BRITISH.split("|"):
    _uk, _us = _pair.split()
    _AMERICAN[_uk] = _us
    _AMERICAN[_uk + "s"] = _us + "s"


_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}  # fmt: skip


def _english_cardinal(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _english_cardinal(n % 100))
    if n < 1_000_000:
        rest = "" if n % 1000 == 0 else " " + _english_cardinal(n % 1000)
        return _english_cardinal(n // 1000) + " thousand" + rest
    return " ".join(_ONES[int(d)] for d in str(n))


def _english_number(match: re.Match[str]) -> str:
    digits = match.group(0)
    if len(digits) >= 5 or (len(digits) > 1 and digits[0] == "0"):
        return " ".join(_ONES[int(d)] for d in digits)
    return " " + _english_cardinal(int(digits)) + " "


def _english_digit_groups(match: re.Match[str]) -> str:
    """Grouped digits (`2026 1108-2251`) are an id when long: read digit by digit."""
    digits = re.sub(r"\D", "", match.group(0))
    return " " + " ".join(_ONES[int(d)] for d in digits) + " " if len(digits) >= 5 else match.group(0)


def _ordinal(n: int) -> str:
    words = _english_cardinal(n).split()
    last = words[-1]
    words[-1] = _ORDINAL.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " " + " ".join(words) + " "


def _join_spelled_letters(words: list[str]) -> list[str]:
    """Letters spelled one by one (`l c`) are one token, as in the written id (`lc`)."""
    out: list[str] = []
    spelling = False
    for word in words:
        single = len(word) == 1 and word.isalpha() and word not in ("a", "i")
        if single and spelling:
            out[-1] += word
        else:
            out.append(word)
            spelling = single
    return out


def chinese_chars(text: str) -> list[str]:
    """Normalised Chinese characters (see module docstring)."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    text = re.sub(r"\d+(?:[\s-]\d+)+", _chinese_digit_groups, text)
    text = re.sub(r"\d+(?:\.\d+)?", _read_number, text).replace("两", "二")
    return list(_PUNCT_OR_SPACE.sub("", text))


def _chinese_digit_groups(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "".join(_DIGITS[int(d)] for d in digits) if len(digits) >= 5 else match.group(0)


def _read_number(match: re.Match[str]) -> str:
    digits = match.group(0)
    following = match.string[match.end() : match.end() + 1]
    if "." in digits:
        whole, frac = digits.split(".")
        return _cardinal(whole) + "点" + "".join(_DIGITS[int(d)] for d in frac)
    if len(digits) >= 5 or (len(digits) == 4 and following == "年") or (len(digits) > 1 and digits[0] == "0"):
        return "".join(_DIGITS[int(d)] for d in digits)
    return _cardinal(digits)


def _cardinal(digits: str) -> str:
    """Chinese reading of 0-9999."""
    n = int(digits)
    if n == 0:
        return "零"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero:
                out += "零"
            out += _DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out[1:] if out.startswith("一十") else out


def units(text: str, language: str) -> list[str]:
    """Characters for Chinese, words otherwise."""
    return chinese_chars(text) if language == "zh" else english_words(text)


def error_rate(reference: str, hypothesis: str, language: str) -> ErrorRate:
    """CER for Chinese, WER for English, after normalisation."""
    ref, hyp = units(reference, language), units(hypothesis, language)
    return ErrorRate(edit_distance(ref, hyp), len(ref))
