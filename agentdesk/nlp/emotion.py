"""Emotion level (0 calm .. 3 angry) with the cues that raised it, and a call trend.

Cues come from `assets/lexicons/emotion.{zh,en}.yaml`: positive and negative
words, anger words, profanity-lite and threats to go to a regulator, the media
or court. Around each cue the scorer reads negators (不满意 vs 不是不满意, "not
happy"; but not the 非 of 非常 or the 别 of 特别), intensifiers (太, 非常,
really, so), diminishers (有点, a bit) and contrast (但是, but: the later clause
counts more). Exclamation marks, shouting in capitals and repetition
strengthen whatever the line already says. A politely framed line ("I'd like
to make a complaint", 想投诉一下, 麻烦您) with no anger and no agitation is
read as composed: its negativity counts for less toward the level, not
toward the polarity, since the caller describes a problem rather than
venting about it.

Polarity takes second opinions the level never does: VADER for English lines
the lexicon is silent on and, in `polarity()` only, a model learned from
labelled reviews in the line's language (`review_model`), averaged with the
lexicon's.

Levels:
    3 angry: anger evidence (anger words, profanity, threats) of at least
        `ANGER_MIN` in a line that is negative overall; or strong negativity
        with agitation (凭什么, 居然, "how dare", !, shouting, repetition); or
        overwhelming negativity.
    2 upset: strong negativity (net negative weight >= 2, e.g. 太差了, "really bad";
        politely framed lines need more).
    1 mild: some negativity (net >= 0.6, e.g. 有点慢, "a bit slow").
    0 calm: otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from agentdesk.domain.masking import DIGIT_WORDS
from agentdesk.domain.models import EmotionLevel
from agentdesk.nlp.cues import Cue, CueMatcher, window_after, window_before
from agentdesk.nlp.lexicon import weighted_words, word_list
from agentdesk.nlp.review_data import default_review_model
from agentdesk.nlp.review_model import ReviewLanguage, ReviewModel
from agentdesk.nlp.text import has_han, normalise

__all__ = ["EmotionResult", "EmotionTrend", "assess_emotion", "emotion_trend", "polarity"]

_SENTIMENT_KINDS = ("neutral", "anger", "profanity", "threat", "negative", "positive", "agitation")
_NEGATIVE_SIDE = frozenset({"negative", "anger", "profanity", "threat"})
ANGER_MIN = 1.5
"""Anger evidence (sum of anger-cue weights) that makes a negative line angry."""
_LEVEL_2 = 2.0
_LEVEL_1 = 0.6
_SARCASM = 0.6
"""Weight of a sarcastic phrase; the praise around it counts a quarter, as negative: irritation, not anger."""
_OVERWHELMING = 5.0
_SILENT = 0.3  # below this net weight our lexicon has no opinion of its own
_NEGATED_POSITIVE = 0.8  # "not good" is nearly as bad as "bad"
_NEGATED_NEGATIVE = 0.3  # "not bad" is only faintly good
_CONTRAST_BEFORE, _CONTRAST_AFTER = 0.7, 1.3
_POLITE = 0.7  # share of a composed, politely framed line's negativity that counts toward its level

_ELONGATED = re.compile(r"([a-z])\1{2,}")
_REPEATED_WORD = re.compile(r"\b([a-z']+)(?:\s+\1\b){2,}")
_REPEATED_HAN = re.compile(r"([\u3400-\u9fff]{2,8}?)\1+")
_EXCLAIM = re.compile(r"[!！]")
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z0-9']*[A-Z0-9]\b")  # "DON'T" shouts; the I' of "I'd" does not
_ASCII_WORD = re.compile(r"\b[A-Za-z][A-Za-z0-9']*\b")


@dataclass(frozen=True)
class EmotionResult:
    """How upset one line sounds, and why.

    Attributes:
        level: 0 calm, 1 mild, 2 upset, 3 angry.
        polarity: -1 (very negative) .. +1 (very positive); 0 when no cue was found.
        negative: total negative weight after modifiers.
        positive: total positive weight after modifiers.
        anger: anger evidence (anger words, profanity, threats).
        cues: the evidence, in reading order (negated cues included, marked).
    """

    level: EmotionLevel
    polarity: float
    negative: float
    positive: float
    anger: float
    cues: tuple[Cue, ...] = ()

    @property
    def is_negative(self) -> bool:
        """Binary sentiment: True when the line leans negative."""
        return self.polarity < 0

    @property
    def reasons(self) -> list[str]:
        """Short human-readable evidence, strongest first (for the desk's "why")."""
        ranked = sorted(self.cues, key=lambda c: -c.weight)
        return [f"{c.text} ({c.kind}{', negated' if c.negated else ''})" for c in ranked]


@dataclass(frozen=True)
class _Lexicon:
    matcher: CueMatcher
    intensifiers: dict[str, float]
    after: dict[str, float]
    diminishers: dict[str, float]
    negators: tuple[str, ...]
    not_negators: tuple[str, ...]
    contrast: tuple[str, ...]
    not_shouting: frozenset[str]
    agitation: frozenset[str]
    politeness: CueMatcher
    eager: frozenset[str]
    """Units whose repetition agrees or thanks (好的好的, "yes yes yes"), never insists."""
    sarcasm: CueMatcher
    """Phrases that turn the praise around them into its opposite ("Oh great, brilliant, thanks
    for nothing", 真是谢谢你了): its words then count as negative."""
    composed: CueMatcher
    """A caller saying they are calm ("I'm not shouting, but…", 我不是来吵架的): with no anger word,
    no profanity and no agitation, threats alone make them upset, not angry."""


_SPOKEN_DIGITS = frozenset([*DIGIT_WORDS, "double", "triple", *"零〇一二三四五六七八九幺"])
"""Words read out digit by digit in an order or phone number: their repeats are no insistence."""


@cache
def _lexicon() -> _Lexicon:
    kinds: dict[str, dict[str, float]] = {kind: {} for kind in _SENTIMENT_KINDS}
    intens: dict[str, float] = {}
    after: dict[str, float] = {}
    dimin: dict[str, float] = {}
    negators: list[str] = []
    not_negators: list[str] = []
    polite: dict[str, float] = {}
    contrast: list[str] = []
    shouting: list[str] = []
    eager: list[str] = []
    sarcasm: dict[str, float] = {}
    composed: dict[str, float] = {}
    for lang in ("zh", "en"):
        name = f"emotion.{lang}"
        for kind in _SENTIMENT_KINDS:
            kinds[kind].update(weighted_words(name, kind))
        intens.update({normalise(k): v for k, v in weighted_words(name, "intensifiers").items()})
        after.update(weighted_words(name, "intensifiers_after"))
        dimin.update({normalise(k): v for k, v in weighted_words(name, "diminishers").items()})
        negators += [normalise(n) for n in word_list(name, "negators")]
        not_negators += [normalise(n) for n in word_list(name, "not_negators")]
        polite.update(dict.fromkeys(word_list(name, "politeness"), 1.0))
        contrast += [normalise(c) for c in word_list(name, "contrast")]
        shouting += word_list(name, "not_shouting")
        eager += [normalise(e) for e in word_list(name, "eager_repeats")]
        sarcasm.update(dict.fromkeys((normalise(s) for s in word_list(name, "sarcasm")), 1.0))
        composed.update(dict.fromkeys((normalise(s) for s in word_list(name, "composed")), 1.0))
    return _Lexicon(
        matcher=CueMatcher(kinds),
        intensifiers=intens,
        after=after,
        diminishers=dimin,
        negators=tuple(sorted(set(negators), key=len, reverse=True)),
        not_negators=tuple(sorted(set(not_negators), key=len, reverse=True)),
        contrast=tuple(sorted(set(contrast), key=len, reverse=True)),
        not_shouting=frozenset(s.upper() for s in shouting),
        agitation=frozenset(normalise(a) for a in kinds["agitation"]),
        politeness=CueMatcher({"polite": polite}),
        eager=frozenset(eager),
        sarcasm=CueMatcher({"sarcasm": sarcasm}),
        composed=CueMatcher({"composed": composed}),
    )


def _has(window: str, phrase: str) -> bool:
    if phrase[:1].isascii():
        words = window.split()
        if phrase == "n't":
            return any(w.endswith("n't") for w in words)
        return phrase in _phrases(words, phrase.count(" ") + 1)
    return phrase in window


def _phrases(words: list[str], n: int) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def _negates(window: str, lex: _Lexicon) -> bool:
    # Words that merely contain a negator character (非常, 特别, 不少, 不断) are
    # blanked first, so 非常差 stays bad and 不断掉线 is not "not dropping".
    for word in lex.not_negators:
        window = window.replace(word, "|")
    return any(_has(window, n) for n in lex.negators)


def _factor(window: str, table: dict[str, float]) -> tuple[float, str]:
    best, found = 1.0, ""
    for phrase, f in table.items():
        if abs(f - 1.0) > abs(best - 1.0) and _has(window, phrase):
            best, found = f, phrase
    return best, found


def _contrast_point(norm: str, lex: _Lexicon) -> int | None:
    point = None
    for marker in lex.contrast:
        if marker.isascii():
            for m in re.finditer(rf"(?<![a-z']){re.escape(marker)}(?![a-z'])", norm):
                point = max(point or 0, m.start())
        else:
            # Chinese markers count only at the start of a clause (服务好，但是太慢),
            # since 就是 and 只是 also appear mid-sentence without contrast.
            for m in re.finditer(rf"(?:^|[,，。.;；!！?？\s]){re.escape(marker)}", norm):
                point = max(point or 0, m.end() - len(marker))
    return point


def _modify(norm: str, raw: list[Cue], lex: _Lexicon) -> list[Cue]:
    # A cue that is also an intensifier and directly precedes another cue acts as
    # the intensifier (好慢, "fucking awesome"), not as a cue of its own; swearing
    # before a negative word ("fucking useless") stays anger evidence as well.
    cues = [
        c
        for i, c in enumerate(raw)
        if not (
            c.text in lex.intensifiers
            and i + 1 < len(raw)
            and raw[i + 1].start - c.end <= 1
            and (c.kind == "positive" or raw[i + 1].kind == "positive")
        )
    ]
    contrast = _contrast_point(norm, lex)
    out: list[Cue] = []
    floor = 0
    for c in cues:
        window = window_before(norm, c.start, floor)
        floor = c.end
        weight = c.weight
        negated = _negates(window, lex)
        if not negated:
            weight *= _factor(window, lex.intensifiers)[0] * _factor(window, lex.diminishers)[0]
            weight *= _factor(window_after(norm, c.end), lex.after)[0]
        if contrast is not None:
            weight *= _CONTRAST_AFTER if c.start >= contrast else _CONTRAST_BEFORE
        kind = c.kind
        if negated:
            if kind == "positive":
                kind, weight = "negative", weight * _NEGATED_POSITIVE
            elif kind == "negative":
                kind, weight = "positive", weight * _NEGATED_NEGATIVE
            elif kind in ("anger", "threat"):
                weight = 0.0  # "我不生气", "I won't sue": no anger evidence
        out.append(Cue(kind, c.text, c.start, c.end, round(weight, 3), negated))
    return out


def _intensity_cues(text: str, norm: str, lex: _Lexicon) -> list[Cue]:
    cues = []
    marks = len(_EXCLAIM.findall(text))
    if marks:
        cues.append(Cue("exclamation", "!" * min(marks, 5), 0, 0, min(0.3 * marks, 1.2)))
    words = _ASCII_WORD.findall(text)
    caps = [
        w
        for w in _CAPS_WORD.findall(text)
        if w.upper() not in lex.not_shouting and any(ch.isalpha() for ch in w)
    ]
    if len(caps) >= 2 and len(caps) >= 0.25 * len(words):
        cues.append(Cue("shouting", " ".join(caps[:4]), 0, 0, 1.0))
    for pattern in (_REPEATED_HAN, _REPEATED_WORD, _ELONGATED):
        for m in pattern.finditer(norm):
            unit = m.group(1)
            # 好的好的 / 对对对 / 谢谢谢谢 agree or thank eagerly; they are not insistence
            if unit in lex.eager or unit.strip().lower() in _SPOKEN_DIGITS:
                continue  # "one one one" reads out a number; 幺幺幺 too
            if len(set(unit)) > 1 or pattern is _ELONGATED:
                cues.append(Cue("repetition", m.group(), m.start(), m.end(), 0.7))
                break
    return cues


def assess_emotion(text: str) -> EmotionResult:
    """Emotion level of one customer line (Chinese, English or mixed) with its evidence.

    Args:
        text: what the customer said or wrote.

    Returns:
        The level, a polarity in [-1, 1] and the cues behind them.
    """
    lex = _lexicon()
    norm = normalise(text).replace("’", "'")
    found = lex.matcher.find(norm)
    agitated = any(c.kind == "agitation" or c.text in lex.agitation for c in found)
    cues = _modify(norm, [c for c in found if c.kind not in ("neutral", "agitation")], lex)
    if sarcastic := lex.sarcasm.find(norm):
        # "Oh great, brilliant, thanks for nothing": the praise is the complaint
        cues = [replace(c, kind="negative", weight=c.weight / 4) if c.kind == "positive" else c for c in cues]
        cues += [Cue("negative", s.text, s.start, s.end, _SARCASM) for s in sarcastic]
    positive = sum(c.weight for c in cues if c.kind == "positive")
    negative = sum(c.weight for c in cues if c.kind in _NEGATIVE_SIDE)
    anger = sum(c.weight for c in cues if c.kind in ("anger", "profanity")) + 0.5 * sum(
        c.weight for c in cues if c.kind == "threat"
    )
    extra = _intensity_cues(text, norm, lex)
    boost = sum(c.weight for c in extra)
    # Exclamation, shouting and repetition amplify the side the words are on; a
    # customer repeating themselves with no kind word at all is frustrated.
    if negative > positive or (not positive and any(c.kind == "repetition" for c in extra)):
        negative += boost
    elif positive > negative:
        positive += 0.5 * boost
    agitated = agitated or any(c.kind in ("exclamation", "shouting", "repetition") for c in extra)
    net = negative - positive
    polarity = net and -net / math.sqrt(net * net + 4.0)
    if abs(net) < _SILENT:
        second = _second_opinion(text)
        if second is not None:
            polarity = second
            extra.append(Cue("model", f"vader {second:+.2f}", 0, 0, abs(second)))
    score = negative - 0.5 * positive
    polite = [] if anger or agitated else lex.politeness.find(norm)
    if polite and score > 0:
        score *= _POLITE
        extra += [Cue("polite", c.text, c.start, c.end, _POLITE) for c in polite]
    if (
        (anger >= ANGER_MIN and negative > positive)
        or (score >= _LEVEL_2 and agitated)
        or score >= _OVERWHELMING
    ):
        level = EmotionLevel.ANGRY
    elif score >= _LEVEL_2:
        level = EmotionLevel.UPSET
    elif score >= _LEVEL_1:
        level = EmotionLevel.MILD
    else:
        level = EmotionLevel.CALM
    # "我不是来吵架的，…我就去12315和消协": firm, not angry
    composed = (
        [] if agitated or any(c.kind in ("anger", "profanity") for c in cues) else lex.composed.find(norm)
    )
    if level is EmotionLevel.ANGRY and composed:
        level = EmotionLevel.UPSET
        extra += [Cue("composed", c.text, c.start, c.end, 0.0) for c in composed]
    ordered = tuple(sorted([*cues, *extra], key=lambda c: c.start))
    return EmotionResult(
        level=level,
        polarity=round(polarity, 4),
        negative=round(negative, 3),
        positive=round(positive, 3),
        anger=round(anger, 3),
        cues=ordered,
    )


@cache
def _vader():  # type: ignore[no-untyped-def]
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()  # ~50 ms to read its lexicon, once


def _second_opinion(text: str) -> float | None:
    """VADER's compound score for English text our lexicon is silent on, halved.

    VADER (MIT, lexicon bundled in its wheel) covers far more English words and
    emoticons than our contact-centre lexicon; it only decides polarity where we
    found no cue, and never the emotion level, which stays explainable by our cues.
    """
    if not _ASCII_WORD.search(text):
        return None
    analyzer = _vader()
    if analyzer is None:
        return None
    compound = float(analyzer.polarity_scores(text)["compound"])
    return round(compound / 2, 4) if compound else None


def polarity(text: str, *, reviews: ReviewModel | None = None) -> float:
    """Binary sentiment in [-1, 1], negative below 0, for Chinese, English or mixed text.

    The lexicon's polarity (`assess_emotion(text).polarity`, VADER included),
    averaged with the review model's for the text's language (Chinese when it
    holds any Han character, else English): the two weigh equally. A model
    loads on first use (see `review_data`), so callers that only need the
    emotion level never pay for it.

    Args:
        text: the line or review.
        reviews: the review model to consult when it reads the text's language;
            default the installed one.
    """
    lexical = assess_emotion(text).polarity
    language: ReviewLanguage = "zh" if has_han(text) else "en"
    if language == "en" and not _ASCII_WORD.search(text):
        return lexical
    model = (
        reviews if reviews is not None and reviews.language == language else default_review_model(language)
    )
    learned = None if model is None else model.polarity(text)
    return lexical if learned is None else round((lexical + learned) / 2, 4)


@dataclass(frozen=True)
class EmotionTrend:
    """How a caller's emotion moves over a call.

    Attributes:
        direction: `rising`, `falling` or `steady` over the last few turns.
        max_rise: the largest increase from any turn to a later one (0..3).
        current: the latest level.
        peak: the highest level so far.
    """

    direction: Literal["rising", "falling", "steady"]
    max_rise: int
    current: EmotionLevel
    peak: EmotionLevel


def emotion_trend(levels: Sequence[int], window: int = 3) -> EmotionTrend:
    """Trend of a sequence of per-turn emotion levels (oldest first).

    The direction compares the mean of the last `window` levels with the mean of
    the `window` before them (or the first level in a short call); a change of
    half a level or more counts. `max_rise` is what the strong-emotion rule's
    "rising two levels within the call" reads.
    """
    if not levels:
        return EmotionTrend("steady", 0, EmotionLevel.CALM, EmotionLevel.CALM)
    values = [max(0, min(3, int(v))) for v in levels]
    max_rise, low = 0, values[0]
    for v in values[1:]:
        max_rise = max(max_rise, v - low)
        low = min(low, v)
    recent = values[-window:]
    before = values[-2 * window : -window] or values[:1]
    delta = sum(recent) / len(recent) - sum(before) / len(before)
    direction: Literal["rising", "falling", "steady"] = (
        "rising" if delta >= 0.5 else "falling" if delta <= -0.5 else "steady"
    )
    return EmotionTrend(direction, max_rise, EmotionLevel(values[-1]), EmotionLevel(max(values)))
