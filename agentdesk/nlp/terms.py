"""Search terms for full-text indexes that work for Chinese and English alike.

SQLite's unicode61 tokenizer treats a run of Han characters as one token and
the trigram tokenizer needs three characters, so neither finds a two-character
Chinese word such as 退款 inside 申请退款. We index our own terms instead:
Han runs become character unigrams and bigrams, Latin words become lowercase
Snowball stems. A query built the same way matches any 1- or 2-character word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_HAN}]+|[0-9A-Za-z]+(?:['’][A-Za-z]+)?")
_IS_HAN = re.compile(rf"[{_HAN}]")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # small C extension; imported lazily to keep CLI start-up cheap

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # C extension; loaded on first use only

    return opencc.OpenCC("t2s.json")


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), lowercase, Traditional to Simplified Chinese."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not _IS_HAN.search(text):
        return text
    # OpenCC maps 帳 to the variant 帐; search wants the standard 账 (账单, 账户).
    return _t2s().convert(text).replace("帐", "账")


def runs(text: str) -> list[str]:
    """Folded text split into Han runs and Latin/digit words."""
    return _RUNS.findall(fold(text))


def _han_terms(run: str) -> list[str]:
    return list(run) + [run[i : i + 2] for i in range(len(run) - 1)]


def _word_term(word: str) -> str:
    word = word.replace("’", "'").split("'")[0]
    return word if word.isdigit() else _stemmer().stemWord(word)


def index_terms(text: str) -> str:
    """The text to store in an FTS column: space-separated unigrams, bigrams and stems."""
    out: list[str] = []
    for run in runs(text):
        out.extend(_han_terms(run) if _IS_HAN.match(run) else [_word_term(run)])
    return " ".join(out)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def typed_prefix(query: str) -> str | None:
    """The query's last word when it is Latin letters or digits, as search matches it while it is
    still being typed: its stem, folded; None when the query ends in Chinese or has no words."""
    found = runs(query)
    if not found or _IS_HAN.match(found[-1]):
        return None
    return _word_term(found[-1])


def _prefix_group(word: str) -> str:
    """A typed word as FTS5 terms: its stem or the word as written begins an indexed term, or an
    indexed stem is the word cut short ("roamin" finds roaming, indexed as its stem roam).

    Snowball strips at most a few letters, so only cuts of up to four, and never below three
    letters, are tried, each as a whole term.
    """
    raw = word.replace("’", "'").split("'")[0]
    prefixes = [f"{_quote(f)} *" for f in dict.fromkeys([_word_term(word), raw])]
    cuts = [_quote(raw[:k]) for k in range(len(raw) - 1, max(3, len(raw) - 4) - 1, -1) if not raw.isdigit()]
    forms = prefixes + cuts
    return "(" + " OR ".join(forms) + ")" if len(forms) > 1 else forms[0]


def match_expression(query: str, *, mode: str = "all", prefix: bool = False) -> str | None:
    """An FTS5 MATCH expression for a user's query, or None when it has no searchable text.

    Each Han run must appear as consecutive bigrams (or the single character);
    each English word as its stem. `mode="all"` requires every word (ticket
    search), `mode="any"` ranks any overlap (KB suggestions). With `prefix`, a
    Latin or digit word at the end also matches the words it begins (`refu`
    finds refund, `TK-H01` finds TK-H016): search as you type.
    """
    groups: list[str] = []
    found = runs(query)
    for i, run in enumerate(found):
        if _IS_HAN.match(run):
            grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
            if mode == "any":
                groups.extend(_quote(g) for g in grams)
            else:
                groups.append("(" + " AND ".join(_quote(g) for g in grams) + ")")
        elif prefix and i == len(found) - 1:
            groups.append(_prefix_group(run))
        else:
            groups.append(_quote(_word_term(run)))
    if not groups:
        return None
    return (" OR " if mode == "any" else " AND ").join(groups)
