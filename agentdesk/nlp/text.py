"""Language detection, normalisation and tokens for Chinese and English text.

Normalisation is `terms.fold` (NFKC full/half width, lowercase, Traditional to
Simplified), so search terms, emotion cues and retrieval all see the same text.
Chinese words come from jieba, loaded lazily and quietly; English words from a
regular-expression tokeniser with Snowball stems. `mask_text` (card, ID and
phone numbers) is re-exported from `domain.masking` so callers showing text
take everything from one place.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Language
from agentdesk.nlp.lexicon import load_lexicon, word_list
from agentdesk.nlp.terms import _HAN, fold

if TYPE_CHECKING:
    import jieba

__all__ = [
    "detect_language",
    "english_words",
    "has_han",
    "mask_text",
    "normalise",
    "search_terms",
    "stem",
    "tokens",
    "zh_words",
]

_HAN_CHAR = re.compile(rf"[{_HAN}]")
_HAN_RUN = re.compile(rf"[{_HAN}]+")
# Latin words keep inner apostrophes and hyphens ("don't", "e-sim"); numbers keep
# decimals and thousands separators so amounts survive as one token.
_LATIN_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*(?:-[a-z]+)*|\d+(?:[.,]\d+)*")
_SEGMENT = re.compile(rf"[{_HAN}]+|[a-z0-9]+(?:['’.,-][a-z0-9]+)*")
_SPACES = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z]+")

# A Latin word counts as much as one Han character, so a Chinese sentence with
# one brand name ("我的iPhone坏了") still counts as Chinese.
_LATIN_WEIGHT = 1.0
_MIXED_BAND = (0.25, 0.75)


@cache
def _variants() -> dict[int, str]:
    # OpenCC's t2s keeps some Taiwan forms that Mainland text spells otherwise
    # (帳單 -> 帐单, not 账单); a small table finishes the job.
    table = load_lexicon("zh_words").get("variants") or {}
    return str.maketrans({str(k): str(v) for k, v in table.items()})


def normalise(text: str) -> str:
    """Folded text (NFKC, lowercase, Simplified Chinese) with whitespace runs collapsed.

    On top of `terms.fold`, Traditional forms that OpenCC leaves as variants are
    mapped to the Mainland spelling (帐 -> 账), so 帳單 and 账单 match.
    """
    text = fold(text)
    if _HAN_CHAR.search(text):
        text = text.translate(_variants())
    return _SPACES.sub(" ", text).strip()


def detect_language(text: str, default: Language = "zh") -> Language:
    """`zh`, `en` or `mixed`, by the share of Han characters against Latin words.

    Args:
        text: any text; digits and punctuation are ignored.
        default: returned when the text has neither Han characters nor Latin words.
    """
    han = len(_HAN_CHAR.findall(text))
    latin = len(_ASCII_WORD.findall(unicodedata.normalize("NFKC", text)))
    if not han and not latin:
        return default
    share = han / (han + _LATIN_WEIGHT * latin)
    if share >= _MIXED_BAND[1]:
        return "zh"
    if share <= _MIXED_BAND[0]:
        return "en"
    return "mixed"


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # C extension; imported on first use to keep start-up cheap

    return Stemmer.Stemmer("english")


@cache
def _lemmas() -> dict[str, str]:
    return {str(k): str(v) for k, v in (load_lexicon("en_words").get("lemmas") or {}).items()}


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of an English word; digits are returned unchanged.

    Irregular forms Snowball leaves alone (paid, sent, bought) are first mapped
    to their base form (`assets/lexicons/en_words.yaml`), so "I paid" and "pay"
    share a stem.
    """
    if word[:1].isdigit():
        return word
    word = word.replace("’", "'").split("'")[0] or word
    return _stemmer().stemWord(_lemmas().get(word, word))


@cache
def _jieba() -> jieba.Tokenizer:
    # jieba logs "Building prefix dict ..." to stderr at INFO; callers see none of it.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba  # ~0.6 s to load its dictionary, so only when Chinese text first arrives

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in word_list("zh_words", "words"):
        tokenizer.add_word(word)
    return tokenizer


def has_han(text: str) -> bool:
    """Whether `text` holds any Han (Chinese) character."""
    return _HAN_CHAR.search(text) is not None


def zh_words(text: str) -> list[str]:
    """jieba words of the Han runs in `text` (folded first); other characters are skipped."""
    tk = _jieba()
    out: list[str] = []
    for run in _HAN_RUN.findall(normalise(text)):
        out.extend(tk.lcut(run, HMM=True))
    return out


def english_words(text: str) -> list[str]:
    """Lowercase English words and numbers in order, unstemmed (negations kept whole)."""
    return _LATIN_WORD.findall(normalise(text).replace("’", "'"))


def tokens(text: str) -> list[str]:
    """Words in reading order: jieba words for Chinese, Snowball stems for English."""
    out: list[str] = []
    for seg in _SEGMENT.findall(normalise(text).replace("’", "'")):
        if _HAN_CHAR.match(seg):
            out.extend(_jieba().lcut(seg, HMM=True))
        else:
            out.extend(stem(w) for w in _LATIN_WORD.findall(seg))
    return out


@cache
def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    zh = frozenset(word_list("stopwords", "zh"))
    en = frozenset(word_list("stopwords", "en"))
    return zh, en


def search_terms(text: str) -> list[str]:
    """Retrieval terms: jieba words plus character bigrams for Chinese, stems for English.

    Bigrams make any two-character word findable even where jieba joins it to
    its neighbours (退款 inside 申请退款单); a bigram that is also a jieba word
    appears twice, which favours real words over bigrams that straddle two.
    Bigrams touching a function character (的, 了, 吗 ...) or lying inside stop
    words (请问一下) are dropped: they straddle words far more often than they
    form one. Stop words of either
    language are dropped, English contractions lose their clitic, and order,
    phone and account numbers are left out (they identify a case, not a topic).
    """
    zh_stop, en_stop = _stopwords()
    function_chars = _function_chars()
    out: list[str] = []
    for seg in _SEGMENT.findall(normalise(text).replace("’", "'")):
        if _HAN_CHAR.match(seg):
            stop_at: list[bool] = []
            for w in _jieba().lcut(seg, HMM=True):
                stop_at += [w in zh_stop] * len(w)
                if w not in zh_stop:
                    out.append(w)
            out.extend(
                seg[i : i + 2]
                for i in range(len(seg) - 1)
                if not (stop_at[i] and stop_at[i + 1])
                and seg[i] not in function_chars
                and seg[i + 1] not in function_chars
            )
        elif not _is_identifier(seg):
            for w in _LATIN_WORD.findall(seg):
                # "where's" is "where is": a stop word with its clitic
                if w in en_stop or "n't" in w or w.split("'")[0] in en_stop:
                    continue
                out.append(stem(w.split("'")[0]))
    return out


_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[a-z]")


def _is_identifier(segment: str) -> bool:
    """An order, phone or account number (lc20261108-2251, 400-820-0000, 20261221).

    Such codes name one case, not a topic: they are details for the bot to
    collect, never evidence for a KB article. Plan names (199), years (2017)
    and network words (5g) stay.
    """
    digits = len(_DIGIT.findall(segment))
    return digits >= 5 or (digits >= 4 and bool(_LETTER.search(segment)))


@cache
def _function_chars() -> frozenset[str]:
    return frozenset(word_list("stopwords", "zh_function_chars"))
