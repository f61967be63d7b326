"""Callers' everyday words rewritten to the words a KB is written in, before a search.

A caller says "gigs" where the KB says data, "the six-digit number" for the
service PIN, 多长时间 for 多久. BM25 only scores shared terms, so such a line
finds its article at low confidence, or not at all. The mapping lives in
`assets/lexicons/kb_thesaurus.yaml` (hand-written, like every lexicon) so a KB
editor can extend it; the KB's own text is left as written.

A rule applies only where it helps the KB at hand: when the KB uses the word it
rewrites to and does not use the caller's own words. A KB that says "activate"
keeps a caller's "activate"; one that only says "turn on" gets it rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from agentdesk.nlp.lexicon import LexiconError, load_lexicon
from agentdesk.nlp.text import normalise


@cache
def rules() -> dict[str, str]:
    """Every caller phrase (normalised) -> the KB word it stands for."""
    data = load_lexicon("kb_thesaurus")
    to_kb: dict[str, str] = {}
    for lang in ("en", "zh"):
        entries = data.get(lang) or {}
        if not isinstance(entries, dict):
            raise LexiconError(f"lexicon kb_thesaurus: `{lang}` must map a KB word to the words callers use")
        for kb_word, said in entries.items():
            for phrase in said if isinstance(said, list) else [said]:
                to_kb[normalise(str(phrase))] = normalise(str(kb_word))
    return to_kb


@cache
def mixed_rules() -> dict[str, str]:
    """English words said inside a Chinese line (我想check一下那个order) -> the Chinese KB word."""
    return _section("mixed", "a Chinese KB word to English words")


@cache
def mixed_en_rules() -> dict[str, str]:
    """Chinese words said inside an English line ("my 流量 is finished") -> the English KB word."""
    return _section("mixed_en", "an English KB word to Chinese words")


def _section(name: str, what: str) -> dict[str, str]:
    """One code-mixing section of the thesaurus: each caller phrase (normalised) -> its KB word."""
    entries = load_lexicon("kb_thesaurus").get(name) or {}
    if not isinstance(entries, dict):
        raise LexiconError(f"lexicon kb_thesaurus: `{name}` must map {what}")
    return {
        normalise(str(phrase)): normalise(str(kb_word))
        for kb_word, said in entries.items()
        for phrase in (said if isinstance(said, list) else [said])
    }


_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")


def _mostly_english(text: str) -> bool:
    """More English words than Chinese characters: an English line with a Chinese word in it."""
    return len(_LATIN_WORD.findall(text)) > len(_HAN.findall(text))


@dataclass(frozen=True)
class Rewriter:
    """Rewrites a caller's line into one KB's words, in one pass (no rule feeds another)."""

    pattern: re.Pattern[str] | None
    to_kb: dict[str, str]
    mixed: re.Pattern[str] | None = None
    """English words that, inside a Chinese line, stand for a Chinese KB word (`mixed_to_kb`)."""
    mixed_to_kb: dict[str, str] = field(default_factory=dict)
    mixed_en: re.Pattern[str] | None = None
    """Chinese words that, inside an English line, stand for an English KB word (`mixed_en_to_kb`)."""
    mixed_en_to_kb: dict[str, str] = field(default_factory=dict)

    def __call__(self, text: str) -> str:
        out = normalise(text)
        if _HAN.search(out) and _mostly_english(out):
            if self.mixed_en is not None:
                out = self.mixed_en.sub(lambda m: f" {self.mixed_en_to_kb[m.group()]} ", out)
        elif self.mixed is not None and _HAN.search(out):
            out = self.mixed.sub(lambda m: self.mixed_to_kb[m.group()], out)
        if self.pattern is None:
            return out
        return self.pattern.sub(lambda m: self.to_kb.get(m.group(), m.group()), out)


def rewriter_for(kb_texts: Iterable[str]) -> Rewriter:
    """The rules that help the KB whose article texts, normalised (`text.normalise`), are `kb_texts`.

    Code-mixing rules (`mixed`, `mixed_en`) need only the KB to use the word they rewrite to: a
    bilingual KB uses the caller's word too, in its articles of the other language, which the
    line is not matched to.
    """
    text = "\n".join(kb_texts)
    words = f" {_WORD_GAPS.sub(' ', text)} "

    def uses(phrase: str) -> bool:
        return phrase in text if not phrase.isascii() else f" {_WORD_GAPS.sub(' ', phrase).strip()} " in words

    to_kb = {said: kb for said, kb in rules().items() if uses(kb) and not uses(said)}
    mixed_to_kb = {said: kb for said, kb in mixed_rules().items() if uses(kb)}
    mixed_en_to_kb = {said: kb for said, kb in mixed_en_rules().items() if uses(kb)}
    return Rewriter(
        _pattern(to_kb), to_kb, _pattern(mixed_to_kb), mixed_to_kb, _pattern(mixed_en_to_kb), mixed_en_to_kb
    )


def _pattern(to_kb: dict[str, str]) -> re.Pattern[str] | None:
    if not to_kb:
        return None
    # longest first, so "six-digit number" is taken before a shorter phrase inside it
    return re.compile("|".join(_alternative(p) for p in sorted(to_kb, key=len, reverse=True)))


_WORD_GAPS = re.compile(r"[^a-z0-9]+")


def _alternative(phrase: str) -> str:
    # English phrases match whole words only ("gig" is not rewritten inside "gigantic")
    if phrase.isascii():
        return rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"
    return re.escape(phrase)
