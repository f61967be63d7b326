"""A caller who asks to be called back ("Can someone ring me back about home broadband?",
能不能让人明天给我打个电话) asks for a person: the same rule as "agent, please", whatever topic
follows, and it wins over a "yes" in front of it. "I'll ring back later" (the caller ringing)
and "no need to call me back" ask for nothing; "don't book anything, I'll ring back myself"
turns down a callback already booked. Word lists: `callback_request`, `callback_not_wanted` and
`callback_declined` in `assets/lexicons/callback_time.{en,zh}.yaml`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from agentdesk.bot.analysis import LineAnalysis
from agentdesk.nlp.detection import Detection
from agentdesk.nlp.lexicon import word_list

CONFIDENCE = 0.9
"""How sure a request for a callback is as a request for a person."""


GAP = 8
"""How far apart (characters) the two halves of a phrase written `a*b` may be: 让人*给我打
finds 让人明天给我打."""


def _said(words: list[str], text: str) -> str | None:
    for word in sorted(words, key=len, reverse=True):
        pattern = rf".{{0,{GAP}}}?".join(re.escape(part) for part in word.split("*"))
        bounded = rf"(?<![a-z]){pattern}(?![a-z])" if word.isascii() else pattern
        if re.search(bounded, text):
            return word
    return None


def asks_for_callback(text: str) -> str | None:
    """The words with which the line asks to be called back, or None."""
    norm = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    lists = [f"callback_time.{lang}" for lang in ("en", "zh")]
    if _said([w for name in lists for w in word_list(name, "callback_not_wanted")], norm):
        return None
    return _said([w for name in lists for w in word_list(name, "callback_request")], norm)


def declines_callback(text: str, *, timed: bool = False) -> str | None:
    """The words with which the caller turns down a callback ("No, please don't book
    anything", 不用回电了，我明天自己打过来), or None. With `timed` (the line also names a time
    or a number) "don't ring me" moves the callback instead ("don't ring me before ten")."""
    norm = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    keys = ("callback_declined",) if timed else ("callback_declined", "callback_declined_unless_timed")
    return _said(
        [w for lang in ("en", "zh") for key in keys for w in word_list(f"callback_time.{lang}", key)], norm
    )


def with_callback_request(a: LineAnalysis) -> LineAnalysis:
    """`a` with a request for a person when the line asks to be called back and asks for
    nobody already."""
    if a.human.found or (said := asks_for_callback(a.text)) is None:
        return a
    return replace(a, human=Detection(found=True, confidence=CONFIDENCE, evidence=(said,)))
