"""Finding lexicon phrases (cues) in normalised text, longest match first.

Chinese phrases match as substrings; English phrases match whole words, with a
trailing `*` for any ending (`frustrat*`). At each position the longest phrase
wins, so 不满意 beats 满意 and "no problem" beats "problem".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from agentdesk.nlp.text import normalise

__all__ = ["Cue", "CueMatcher", "clause_before", "window_after", "window_before"]

_ASCII_ALNUM = re.compile(r"[a-z0-9]")
_CLAUSE_BREAK = re.compile(r"[,.;:!?，。；：！？、\n]")
_HAN_TAIL = re.compile(r"[\u3400-\u9fff]\s*$")


@dataclass(frozen=True)
class Cue:
    """A lexicon phrase found in a text: the evidence behind a score.

    Attributes:
        kind: which list it came from (`negative`, `anger`, `human_request` ...).
        text: the matched text (normalised).
        start: offset in the normalised text.
        end: offset just past the match.
        weight: the entry's weight after modifiers (intensifiers, negation).
        negated: True when a negator governs it (不满意 in 不是不满意, "not happy").
    """

    kind: str
    text: str
    start: int
    end: int
    weight: float = 1.0
    negated: bool = False


def _pattern(phrase: str) -> str:
    body = re.escape(phrase).replace(r"\*", "[a-z0-9]*").replace(r"\ ", r"\s+")
    head = r"(?<![a-z0-9])" if _ASCII_ALNUM.match(phrase[:1]) else ""
    tail = r"(?![a-z0-9])" if _ASCII_ALNUM.match(phrase[-1:]) or phrase.endswith("*") else ""
    return head + body + tail


class CueMatcher:
    """Finds phrases of several kinds in text; built once from lexicon mappings.

    Phrases are indexed by their first character and tried longest first at
    each position, left to right: the same result as one big regex alternation,
    at a fraction of the cost for lexicons of a thousand phrases.

    Args:
        kinds: kind -> {phrase: weight}. A phrase listed under two kinds keeps
            the first kind given.
    """

    def __init__(self, kinds: Mapping[str, Mapping[str, float]]) -> None:
        entries: dict[str, tuple[str, float]] = {}
        for kind, phrases in kinds.items():
            for phrase, weight in phrases.items():
                key = normalise(phrase).replace("’", "'")
                if key and key[0] != "*" and key not in entries:
                    entries[key] = (kind, float(weight))
        self._size = len(entries)
        # first char -> [(phrase, regex or None for a plain substring, kind, weight)], longest first
        self._index: dict[str, list[tuple[str, re.Pattern[str] | None, str, float]]] = {}
        for phrase, (kind, weight) in sorted(entries.items(), key=lambda e: -len(e[0].rstrip("*"))):
            plain = "*" not in phrase and " " not in phrase and not _ASCII_ALNUM.match(phrase[-1:])
            regex = None if plain else re.compile(_pattern(phrase).removeprefix(r"(?<![a-z0-9])"))
            self._index.setdefault(phrase[0], []).append((phrase, regex, kind, weight))

    def __len__(self) -> int:
        return self._size

    def _match_at(self, norm: str, i: int) -> Cue | None:
        for phrase, regex, kind, weight in self._index.get(norm[i], ()):
            if regex is None:
                end = i + len(phrase) if norm.startswith(phrase, i) else -1
            else:
                m = regex.match(norm, i)
                end = m.end() if m else -1
            if end > i:
                return Cue(kind=kind, text=norm[i:end], start=i, end=end, weight=weight)
        return None

    def find(self, norm: str) -> list[Cue]:
        """Non-overlapping cues in already normalised text (see `text.normalise`), left to right."""
        out: list[Cue] = []
        i, n = 0, len(norm)
        while i < n:
            # Latin phrases start only at a word start
            inside_word = i > 0 and _ASCII_ALNUM.match(norm[i]) and _ASCII_ALNUM.match(norm[i - 1])
            cue = None if inside_word else self._match_at(norm, i)
            if cue is None:
                i += 1
                continue
            out.append(cue)
            i = cue.end
        return out

    def search(self, text: str) -> list[Cue]:
        """Cues in raw text (normalised first)."""
        return self.find(normalise(text).replace("’", "'"))


def clause_before(norm: str, start: int, max_chars: int = 12) -> str:
    """The text before `start` back to the last clause break, at most `max_chars` long."""
    window = norm[max(0, start - max_chars) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def window_before(norm: str, start: int, floor: int = 0, *, han_chars: int = 4, words: int = 3) -> str:
    """The few characters (Chinese) or words (English) just before `start`.

    The window never reaches back past `floor` (the end of the previous cue) or
    a clause break, so one cue's words never modify a cue in another clause.
    """
    text = clause_before(norm, start, min(40, start - floor))
    if _HAN_TAIL.search(text):
        return text[-han_chars:]
    return " ".join(re.findall(r"[a-z0-9'*]+", text)[-words:])


def window_after(norm: str, end: int, *, han_chars: int = 3) -> str:
    """The few characters just after `end`, up to a clause break."""
    text = norm[end : end + han_chars]
    m = _CLAUSE_BREAK.search(text)
    return text[: m.start()] if m else text


def in_window(window: str, phrase: str) -> bool:
    """`phrase` in `window`: as whole words when Latin, anywhere when Chinese."""
    if phrase.isascii():
        return f" {phrase} " in f" {window} "
    return phrase in window


def negates(window: str, cue: str, negator: str) -> bool:
    """`negator` stands in `window` just before `cue`.

    A Chinese negator may share characters with the cue: 不要人工 is 不 + the cue 要人工,
    so the negator is looked for in window + cue and must start inside the window.
    """
    if negator.isascii():
        return in_window(window, negator)
    return 0 <= (window + cue).find(negator) < len(window)
