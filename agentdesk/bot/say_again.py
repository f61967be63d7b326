"""The part of its last answer the bot says again when the caller asks for one figure in it.

"Can you say the daily price again?" after the roaming article wants the prices, not the
whole article; 那个单号再说一遍 wants the tracking number. The sentence that holds that kind
of figure, and shares most words with what the caller has said, is the one repeated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentdesk.nlp.lexicon import word_list
from agentdesk.nlp.text import search_terms

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
FIGURES: dict[str, re.Pattern[str]] = {
    "price": re.compile(r"[¥￥£$€]\s?\d|\d+(?:\.\d+)?\s*(?:元|块|毛|pence|pounds?|yuan)", re.IGNORECASE),
    "number": re.compile(r"\d{5,}|[A-Z]{2}\d{6,}"),
    "date": re.compile(
        rf"\d{{1,2}}月\d{{1,2}}[日号]|\b\d{{1,2}}(?:st|nd|rd|th)\b|\b(?:{_MONTHS})\b", re.IGNORECASE
    ),
}
"""What each kind of figure a caller may ask for again looks like in a bot line."""
MAX_PARTS = 2
"""At most this many sentences with the figure are said again: the caller wants the figure."""
_SENTENCE = re.compile(r".+?(?:[.!?:](?=\s|$)|[。！？；：]|$)", re.DOTALL)
_CLAUSE = re.compile(r".+?(?:[.!?:;](?=\s|$)|[。！？；：，]|$)", re.DOTALL)


def _asked_kind(line: str) -> str | None:
    low = line.lower()
    for kind in FIGURES:
        words = [w for lang in ("zh", "en") for w in word_list(f"moves.{lang}", f"again_{kind}")]
        if any(re.search(rf"\b{re.escape(w)}", low) if w.isascii() else w in low for w in words):
            return kind
    return None


def asked_part(last: str, line: str, context: Sequence[str] = ()) -> str | None:
    """The sentences of `last` holding the figure `line` asks for again (a price, a number, a
    date; at most `MAX_PARTS`, those sharing most words with what the caller said), or None
    when the line asks for no such figure or every sentence holds one."""
    kind = _asked_kind(line)
    if kind is None:
        return None
    for unit in (_SENTENCE, _CLAUSE):  # sentences, else the clauses of a one-sentence line
        parts = [m.group().strip() for m in unit.finditer(last) if m.group().strip()]
        holding = [s for s in parts if FIGURES[kind].search(s)]
        if holding and len(holding) < len(parts):
            break
    else:
        return None
    said = set(search_terms(" ".join([line, *context])))
    score = {s: len(said & set(search_terms(s))) for s in holding}
    ranked = sorted(holding, key=lambda s: (-score[s], holding.index(s)))
    # the best, and a close second ("the daily price": with a pass, and without one)
    kept = [s for s in ranked[:MAX_PARTS] if score[s] >= score[ranked[0]] - 1]
    kept.sort(key=holding.index)  # in the order the answer gave them
    return " ".join(kept).rstrip("，,;；:：")
