"""Masking of card, ID and phone numbers in text shown to people (SPEC section 13).

The rules keep enough digits for an agent to confirm a number with a customer
(last four; the first three of a mobile number) and hide the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

MASK = "*"

# Order matters: the most specific patterns first, so an ID number is not
# mistaken for a phone number inside it.
_CN_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
# The 15-digit ID cards issued before 1999: region, YYMMDD birth date, sequence.
_CN_ID_15 = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})(?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![\dA-Za-z.-])((?:\d[ .-]?){12,18}\d)(?![\d-]|\.\d)")
"""13 to 19 digits, spaced, dashed or dotted, not glued to letters (SF1460283957214 is a parcel)."""
_ORDER_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])l\.?\s?c\.?|\border|\btracking|订单|运单"  # the id's own prefix or a bare word: "order 4532…"
    r"|(?:\border(?: number| no\.?| id)|\btracking(?: number| no\.?)|订单号|单号|运单号)"
    r"(?:\s+(?:is|was)\b|'s|\s*[是为])?)"  # "order number is": not "this order is 4532 …", a card
    r"[\s:：#,，.-]*$",
    re.IGNORECASE,
)
"""Words that put an order or tracking number next ("LC", "order number is", 订单号是)."""


def _order_number_at(text: str, start: int) -> bool:
    """The number at `start` follows an order or tracking word, so it is that number, said in
    digits, Chinese numerals or English words: the agent needs it as said, so no masking rule
    (card, passport, a number read out) applies to it."""
    return bool(_ORDER_BEFORE.search(text, max(0, start - 24), start))


_CN_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)([ .-]?)(\d{4})([ .-]?)(\d{4})(?!\d)")
# A national number dialled with its leading 0: UK 07700 900123, 020 7946 0018; CN 021-6123 4567.
_NATIONAL_PHONE = re.compile(r"(?<![\w+-])(0\d{2,4}[ -]?)(\d{3,4}[ -]?\d{3,4})(?![\d-])")
_AS_DIGITS = str.maketrans(
    "０１２３４５６７８９〇零一二三四五六七八九幺杠", "0123456789" + "00123456789" + "1" + "-"
)
"""Full-width digits (as Chinese input methods type them) and Chinese numerals (as speech
recognition writes a number read out: 一三八…, 幺 for 1), each read as one ASCII digit; 杠
("dash", as in an order id read out: LC二零二六一一一五杠零四二八) reads as a hyphen."""
_INTL_PHONE = re.compile(r"(?<![\w+])(\+\d{1,3}[ -]?)((?:\d[ -]?){6,12}\d)(?!\d)")
_PASSPORT = re.compile(r"(?<![0-9A-Za-z-])([A-Z]{1,2})(\d{7,8})(?![0-9A-Za-z-])")


def _keep_last(s: str, keep: int) -> str:
    """Mask all but the last `keep` digits of `s`, keeping separators."""
    out, seen = [], 0
    for ch in reversed(s):
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep else MASK)
        else:
            out.append(ch)
    return "".join(reversed(out))


def mask_card(text: str) -> str:
    """Mask payment card numbers (13-19 digits), keeping the last four."""

    def repl(m: re.Match[str]) -> str:
        raw = m.group(1)
        digits = re.sub(r"\D", "", raw)
        if not 13 <= len(digits) <= 19:
            return raw
        # An order or tracking number read out after its word ("Order LC, 2 0 2 6 1 1 …") is
        # what the agent needs to read. Any other run is masked, Luhn or not: a card misheard
        # or misspoken by one digit fails the checksum and is still the customer's card.
        if _order_number_at(text, m.start()):
            return raw
        return _keep_last(raw, 4)

    return _CARD.sub(repl, text)


def mask_id_number(text: str) -> str:
    """Mask Chinese ID numbers (18 or 15 characters) and passport-like numbers, keeping the last four."""
    text = _CN_ID.sub(lambda m: m.group(1)[:3] + MASK * 11 + m.group(3)[-4:], text)
    text = _CN_ID_15.sub(lambda m: m.group(1)[:3] + MASK * 8 + m.group(2)[-1] + m.group(3), text)
    return _PASSPORT.sub(
        lambda m: (
            m.group()
            if _order_number_at(text, m.start(2))  # LC20261108 is an order id read out in parts
            else m.group(1) + MASK * (len(m.group(2)) - 2) + m.group(2)[-2:]
        ),
        text,
    )


def mask_phone(text: str) -> str:
    """Mask phone numbers: Chinese mobiles (138****5678, spaced or not), international
    numbers and national ones with their leading 0, keeping the last four digits."""
    text = _CN_MOBILE.sub(lambda m: m.group(1) + m.group(2) + MASK * 4 + m.group(4) + m.group(5), text)
    text = _INTL_PHONE.sub(lambda m: m.group(1) + _keep_last(m.group(2), 4), text)
    return _NATIONAL_PHONE.sub(lambda m: _keep_last(m.group(1) + m.group(2), 4), text)


DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DIGIT_WORDS: dict[str, str] = {**{w: str(d) for d, w in enumerate(DIGIT_NAMES)}, "oh": "0", "o": "0"}
"""English words for one digit as a number is read out (oh for 0), to the digit."""
_SPOKEN_RUN = re.compile(
    r"(?<![\w'])(?:(?:double|triple)\s+)?(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|o)"
    r"(?:[\s,.-]+(?:(?:double|triple)\s+)?(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|o))+(?![\w'])",
    re.IGNORECASE,
)
_SPOKEN_TOKEN = re.compile(r"(double|triple)\s+(\w+)|(\w+)", re.IGNORECASE)
SPOKEN_MIN_DIGITS = 7
"""Digits read out as words from which a run is a phone or card number (a UK number is 11)."""


def spoken_digits(words: str) -> str:
    """The digits a run of English digit words stands for: "oh seven double oh" -> "0700"."""
    digits = []
    for t in _SPOKEN_TOKEN.finditer(words):
        times = {"double": 2, "triple": 3}.get((t.group(1) or "").lower(), 1)
        digits += [DIGIT_WORDS[(t.group(2) or t.group(3)).lower()]] * times
    return "".join(digits)


def spoken_numbers(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each run of English digit words in `text` (a number read out), with its digits."""
    for m in _SPOKEN_RUN.finditer(text):
        yield m, spoken_digits(m.group())


def _spoken_name(digit: str) -> str:
    return "oh" if digit == "0" else DIGIT_NAMES[int(digit)]


def mask_spoken_digits(text: str) -> str:
    """Mask a phone or card number read out in English words, as speech recognition writes
    it ("oh seven seven double oh, nine double oh three five nine"), keeping the words of its
    last four digits: "* * * * * * * oh three five nine". Runs shorter than
    `SPOKEN_MIN_DIGITS`, and order or tracking numbers after their word, are kept."""

    def repl(m: re.Match[str]) -> str:
        digits = spoken_digits(m.group())
        if len(digits) < SPOKEN_MIN_DIGITS or _order_number_at(text, m.start()):
            return m.group()
        tail = " ".join(_spoken_name(d) for d in digits[-4:])
        return " ".join([MASK] * (len(digits) - 4) + [tail])

    return _SPOKEN_RUN.sub(repl, text)


_DIGIT_LIKE = re.compile(r"[\d〇零一二三四五六七八九幺]")
_DIGIT_WORD = re.compile(
    r"(?<![\w'])(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|o)(?![\w'])", re.I
)
_REPEATS = re.compile(r"(?<![\w'])(double|triple)(?![\w'])", re.I)
MIN_DIGITS = 7
"""No masking rule applies to a text with fewer digits than this, however they are written."""


def may_hold_number(text: str) -> bool:
    """Whether `text` has enough digits (as digits, full-width, Chinese numerals or English
    words) for any masking rule: the many texts without skip the rules."""
    if sum(1 for _ in zip(range(MIN_DIGITS), _DIGIT_LIKE.finditer(text), strict=False)) == MIN_DIGITS:
        return True
    # "double five" is two digits said in one digit word, "triple five" three
    repeats = sum(1 if m.lower() == "double" else 2 for m in _REPEATS.findall(text))
    digits = len(_DIGIT_LIKE.findall(text)) + len(_DIGIT_WORD.findall(text)) + repeats
    return digits >= MIN_DIGITS


def _mask_written_digits(text: str) -> str:
    """ID numbers, cards, then phones written in digits or numerals; keeps the length."""
    view = text.translate(_AS_DIGITS)
    masked = mask_phone(mask_card(mask_id_number(view)))
    if view == text:
        return masked
    # every substitution above keeps the length, so positions line up with the original
    return "".join(
        MASK if m == MASK and v != MASK else ch for ch, v, m in zip(text, view, masked, strict=True)
    )


def mask_text(text: str) -> str:
    """Mask every sensitive number in free text: numbers read out in English words, ID
    numbers, cards, then phones.

    Full-width digits (１３６…) and Chinese numerals (一三八…) are read as digits, so a
    number typed or transcribed that way is masked like any other; the characters not
    masked are kept as written.
    """
    if not text or not may_hold_number(text):
        return text
    return _mask_written_digits(mask_spoken_digits(text))


_D = "0-9０-９〇零一二三四五六七八九幺"
_WRITTEN_TAIL = re.compile(rf"([{_D}](?:[ .-]?[{_D}])*)[\s,.。，、…-]*$")
_WRITTEN_HEAD = re.compile(rf"\s*([{_D}](?:[ .-]?[{_D}])*)")
_W = r"(?:(?:double|triple)\s+)?(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|o)"
_SPOKEN_TAIL = re.compile(rf"(?<![\w'])({_W}(?:[\s,.-]+{_W})*)[\s,.…-]*$", re.IGNORECASE)
_SPOKEN_HEAD = re.compile(rf"\s*({_W}(?:[\s,.-]+{_W})*)(?![\w'])", re.IGNORECASE)
_END_PUNCT = " \t,.。，、…-"

Segment = tuple[int, int, int]
"""A piece of a number read out over several lines: (line index, start, end)."""


def _chains(lines: Sequence[str], tail: re.Pattern[str], head: re.Pattern[str]) -> Iterator[list[Segment]]:
    """Numbers read out over consecutive lines: a line ending in a run of digits followed by
    lines that start with one (a line that is nothing but digits lets the number go on)."""
    i = 0
    while i < len(lines) - 1:
        t = tail.search(lines[i])
        chain: list[Segment] = [(i, t.start(1), t.end(1))] if t else []
        j = i + 1
        while chain and j < len(lines) and (h := head.match(lines[j])):
            chain.append((j, h.start(1), h.end(1)))
            if h.end(1) < len(lines[j].rstrip(_END_PUNCT)):
                break  # the line goes on after its digits: the number ends here
            j += 1
        if len(chain) > 1:
            yield chain
        i = chain[-1][0] if len(chain) > 1 else i + 1


def _replace(lines: list[str], pieces: list[tuple[Segment, str]]) -> None:
    """Put each masked piece in its place, right to left so earlier positions hold."""
    for (k, s, e), piece in sorted(pieces, key=lambda p: (p[0][0], -p[0][1])):
        lines[k] = lines[k][:s] + piece + lines[k][e:]


def _spoken_pieces(lines: Sequence[str]) -> list[tuple[Segment, str]]:
    pieces = []
    for chain in _chains(lines, _SPOKEN_TAIL, _SPOKEN_HEAD):
        parts = [spoken_digits(lines[k][s:e]) for k, s, e in chain]
        total = sum(len(p) for p in parts)
        k0, s0, _ = chain[0]
        if total < SPOKEN_MIN_DIGITS or _order_number_at(lines[k0], s0):
            continue
        at = 0
        for seg, digits in zip(chain, parts, strict=True):
            words = [MASK if at + n < total - 4 else _spoken_name(d) for n, d in enumerate(digits)]
            at += len(digits)
            pieces.append((seg, " ".join(words)))
    return pieces


def _written_pieces(lines: Sequence[str]) -> list[tuple[Segment, str]]:
    pieces = []
    alone: dict[int, str] = {}  # a chained line masked on its own, read once

    def masked_alone(k: int) -> str:
        if k not in alone:
            alone[k] = _mask_written_digits(lines[k])
        return alone[k]

    for chain in _chains(lines, _WRITTEN_TAIL, _WRITTEN_HEAD):
        if any(MASK in masked_alone(k)[s:e] for k, s, e in chain):
            continue  # a piece is a number of its own ("since 2019" / "4929 1234 5678 9012 is my card")
        k0, s0, _ = chain[0]
        runs = [lines[k][s:e] for k, s, e in chain]
        joined = lines[k0][:s0] + " ".join(runs)  # the words before say whether it is an order number
        masked = _mask_written_digits(joined)
        at = s0
        for seg, run in zip(chain, runs, strict=True):
            pieces.append((seg, masked[at : at + len(run)]))
            at += len(run) + 1
    return pieces


def mask_lines(lines: Sequence[str]) -> list[str]:
    """Lines one speaker said in order, each masked, and a number read out over several of
    them ("the card number is 4929 1234" / "5678 9012") masked as the one number it is."""
    work = list(lines)
    if not may_hold_number(" ".join(work)):
        return work
    _replace(work, _spoken_pieces(work))
    _replace(work, _written_pieces(work))
    return [mask_text(x) for x in work]


def mask_speakers(lines: Sequence[tuple[str, str]]) -> list[str]:
    """A transcript of (speaker, text) lines masked: each speaker's lines as in `mask_lines`,
    so a number read out over several lines is masked even when someone says "go on" between."""
    out = [text for _, text in lines]
    for speaker in {s for s, _ in lines}:
        idx = [i for i, (s, _) in enumerate(lines) if s == speaker]
        for i, text in zip(idx, mask_lines([out[i] for i in idx]), strict=True):
            out[i] = text
    return out


def mask_quoting(text: str, lines: Sequence[str], masked: Sequence[str]) -> str:
    """`text` (a rule's evidence, say) with every line it quotes as `masked` shows that line:
    the half of a number read out over two lines is hidden there too."""
    for line, shown in zip(lines, masked, strict=True):
        if line != shown and line and line in text:
            text = text.replace(line, shown)
    return mask_text(text)


SENSITIVE_KEYS = ("phone", "mobile", "tel", "id_number", "idcard", "id_card", "passport", "card", "account")
"""Words in a collected detail's name that say its value is a sensitive number."""


def is_sensitive_key(key: str) -> bool:
    """Whether a detail named `key` (``phone``, ``account_no``…) holds a sensitive number."""
    return any(k in key.lower() for k in SENSITIVE_KEYS)


def mask_number(value: str) -> str:
    """A value known to be sensitive: the masking rules, or, when they find nothing to mask,
    all but its last four digits (letters and separators kept: ``LC-**5641``).

    A value already masked (the bot masks what it collects) is kept as it is, so it reads
    the same wherever it is shown, masked once or twice.
    """
    masked = mask_text(value)
    if masked != value or MASK in value:
        return masked
    if sum(ch.isdigit() for ch in value) > 4:
        return _keep_last(value, 4)
    return value if len(value) <= 4 else MASK * (len(value) - 4) + value[-4:]


def mask_detail(key: str, value: str) -> str:
    """A collected detail as people see it: a sensitive number by its name (phone, ID, card,
    account) keeps only its last four digits; any other value has the numbers in it masked."""
    return mask_number(value) if is_sensitive_key(key) else mask_text(value)


def mask_json(value: Any) -> Any:
    """A JSON-ready value (str, list, dict, number) with every string in it masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_json(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_json(v) for k, v in value.items()}
    return value
