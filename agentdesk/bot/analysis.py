"""Everything the bot reads from one customer line, computed once and shared by policy and replies."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from agentdesk.bot.details import extract_details
from agentdesk.domain.models import EmotionLevel
from agentdesk.nlp.categories import category_matcher
from agentdesk.nlp.complexity import Complexity, assess_complexity
from agentdesk.nlp.emotion import EmotionResult, assess_emotion
from agentdesk.nlp.intents import (
    Detection,
    RequestType,
    classify_request,
    detect_acknowledgement,
    detect_closing,
    detect_complaint,
    detect_dissatisfaction,
    detect_human_request,
    detect_unresolved,
)
from agentdesk.nlp.kb import KBIndex, KBMatch, KBResult
from agentdesk.nlp.moves import (
    asked_clause,
    asked_sentence,
    asks,
    asks_again,
    detect_sarcastic_praise,
    is_aside,
    only_greets,
    only_noise,
    refers_back,
    restated,
    second_question,
    social_line,
    strip_preamble,
)
from agentdesk.nlp.text import normalise, search_terms

_NOT_FOUND = Detection(found=False, confidence=0.0)
_NUMBERS = re.compile(
    r"[\d零〇一二三四五六七八九幺]+|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|double|triple)\b",
    re.IGNORECASE,
)
"""Digits however said: a line that reads out a long number is no longer for it."""

REACTION_MARGIN = 0.15
ASKED_ALONE = 0.8
"""Confidence at which the question a line asks, searched alone, answers a line whose whole
words answer nothing (the remark before it pulled the search elsewhere)."""
"""How much more KB confidence a line that reacts to the last answer ("that's not what I'm
after") needs before the bot answers it with an article."""
FOLLOW_UP_MARGIN = 0.15
"""How much lower the bar is for the article the caller has just heard: "抬頭要寫公司名稱的，
可以嗎？" right after the invoice answer is about that answer, and the bot reads the part of
it that speaks to the question (`KBIndex.answer_part`)."""


@dataclass(frozen=True)
class LineAnalysis:
    """The bot's reading of one customer line."""

    text: str
    kb: KBResult
    emotion: EmotionResult
    human: Detection
    dissatisfied: Detection
    unresolved: Detection
    complaint: Detection
    closing: Detection
    acknowledgement: Detection
    complexity: Complexity
    request: RequestType
    details: dict[str, str]
    also: KBResult | None = None
    """A second question in the line that another article answers (its last question, searched
    alone): the bot answers it after the first."""
    again: str | None = None
    """The caller asks the bot to say its last line again (`repeat`) or more simply (`simpler`)."""
    aside: bool = False
    """The whole line is said to someone else or loses the place ("Hang on, love"): no question."""
    social: str | None = None
    """A social line the bot answers with a friendly word (`moves.social_line`: `bot`, `intro`,
    `chat`): no question, no request for a person."""

    @property
    def is_small_talk(self) -> bool:
        """Thanks, goodbye or a bare acknowledgement: not a question the KB must answer.

        A line that is nothing but a closing or an acknowledgement counts whatever the KB
        says (a KB hit on 没有了，谢谢 is noise); one that says more counts only when the
        KB finds no answer in the rest, and an acknowledgement only when the rest is short:
        "right, so I'm sending three of my team to New York for two months" tells the bot
        something. A bare greeting ("hello", 喂 你好) is small talk too.
        """
        for move in (self.closing, self.acknowledgement):
            rest = move.remainder.strip()
            if not move.found:
                continue
            if not rest or (not self.kb.answer and (move is self.closing or not _tells_something(rest))):
                return True
        if self.closing.found and len(self.closing.evidence) >= 2 and not asks(self.text):
            return True  # "不用了，我自己去营业厅，再见": a no-thanks and a goodbye, whatever the KB finds between
        return self.is_greeting

    @property
    def is_greeting(self) -> bool:
        """The line only greets or fills ("hello?", "morning", 喂 你好): nothing to search."""
        return only_greets(self.text)

    @property
    def is_question(self) -> bool:
        """A line the bot should be able to answer from the KB (a request, not a reaction, nor a
        short line that gives details and asks nothing: "It's LC20261110-2718.", 八百多块)."""
        return not (
            self.is_small_talk
            or self.again is not None
            or self.aside
            or self.social is not None
            or self.human.found
            or self.dissatisfied.found
            or self.unresolved.found
            or (
                self.details
                and len(_NUMBERS.sub("", self.text)) <= 40
                and not self.kb.answer
                and not asks(self.text)
            )
        )


def analyze(
    text: str,
    *,
    kb: KBIndex,
    language: str,
    threshold: float,
    context: Sequence[str] = (),
    heard: Sequence[str] = (),
    follow_up: float | None = None,
) -> LineAnalysis:
    """Read one customer line; `context` holds the caller's earlier lines, newest last, and
    `heard` the KB articles the bot has answered with in this call. A question about the
    article heard last needs `threshold - FOLLOW_UP_MARGIN`, or `follow_up` when lower: the
    confidence at which the bot would have offered that article had it not just read it."""
    lang = language if language in ("zh", "en") else None
    rest = besides(text, is_aside)
    query = strip_preamble(rest if rest is not None else text)
    result = kb.search(query, k=3, threshold=threshold, language=lang, context=context)
    if (asked := asked_clause(query)) is not None:
        # The question on its own, without the clauses around it, may match more clearly; it
        # only firms up the article the whole line points to, and never picks another one.
        # (Each sentence alone, tried too, answered more first lines but moved an angry
        # double-charge call's transfer early enough to route it to a junior.)
        alone = kb.search(asked, k=3, threshold=threshold, language=lang, context=context)
        same = (
            alone.best is not None
            and result.best is not None
            and alone.best.article.id == result.best.article.id
        )
        # ...unless the whole line answers nothing and the question alone is plain ("Fifteen working
        # days, that is quite long. Where can I see if it is processed or not?")
        plain = result.answer is None and alone.answer is not None and alone.confidence >= ASKED_ALONE
        if (same and alone.confidence > result.confidence) or plain:
            result = replace(alone, query=query)
    also = None
    if (second := second_question(query)) is not None and search_terms(second):  # not "and you?"
        also = kb.search(second, k=3, threshold=threshold, language=lang, context=context)
    if lang is not None:
        result = kb.in_language(result, lang)
        also = kb.in_language(also, lang) if also is not None else None
    dissatisfied = detect_dissatisfaction(text)
    # "你是机器人吗？" is social; "你是机器人吗？答非所问" is still a complaint about the answer
    social = None if dissatisfied.found else social_line(text)
    if not dissatisfied.found and social is None:
        dissatisfied = detect_sarcastic_praise(text)
    if dissatisfied.found and not context:
        # The caller's first line has no answer to be unhappy with: "香港漫遊扣了八百多，這不對吧？"
        # is the problem they called about, not a reaction to the bot.
        dissatisfied = Detection(found=False, confidence=0.0, evidence=dissatisfied.evidence)
    bar = _follow_up_bar(threshold, follow_up)
    best = result.best
    if heard and not dissatisfied.found and best is not None and best.article.id == heard[-1]:
        result = replace(result, threshold=bar)
    if dissatisfied.found:
        # A reaction to the last answer says little about a new topic: only a clear match answers it.
        # The sentences besides the reaction may say it clearly ("No, that's not what I'm asking.
        # I didn't use anything extra."): they are searched on their own.
        bar_after = min(1.0, threshold + REACTION_MARGIN)
        if (again_asked := restated(query)) is not None:
            # "不是这个意思，我是问…": the question said again is as plain as a first one
            alone = kb.search(again_asked, k=3, threshold=threshold, language=lang, context=context)
            alone = kb.in_language(alone, lang) if lang is not None else alone
            if alone.answer is not None:
                bar_after = threshold
                result = replace(alone, query=query)
        if (rest := besides_reaction(query)) is not None:
            alone = kb.search(rest, k=3, threshold=bar_after, language=lang, context=context)
            alone = kb.in_language(alone, lang) if lang is not None else alone
            if alone.answer is not None and alone.confidence > result.confidence:
                result = replace(alone, query=query)
        result = replace(result, threshold=bar_after)
    line = LineAnalysis(
        text=text,
        kb=result,
        emotion=assess_emotion(text),
        # "你是机器人吗？" asks about the bot, not for a person
        human=_NOT_FOUND if social == "bot" else detect_human_request(text),
        dissatisfied=dissatisfied,
        # the first line's "it never turned up" is the problem called about, not a step that failed
        unresolved=detect_unresolved(text) if context else _NOT_FOUND,
        complaint=detect_complaint(text),
        closing=detect_closing(text),
        acknowledgement=detect_acknowledgement(text),
        complexity=assess_complexity(text, context=context),
        request=classify_request(text, result),
        details=extract_details(text),
        also=_second_answer(result, also),
        # the first line may ask to slow down or say it again too ("Hello? Could you speak a bit
        # slower?", 喂？你说啥？): there is nothing to repeat yet, but it asks nothing else
        again=asks_again(text) if context or not category_matcher().find(normalise(text)) else None,
        aside=(is_aside(text) and rest is None) or only_noise(text),
        social=social,
    )
    if heard and (pointed := _pointing_back(line, kb, query, heard[-1], bar)) is not None:
        line = replace(line, kb=pointed, request=classify_request(text, pointed))
    return line


_SENTENCE = re.compile(r"[^.!?。！？]+[.!?。！？]*")


_TELLS_SOMETHING = 4
"""Search terms from which what follows an acknowledgement tells the bot something."""


def _tells_something(rest: str) -> bool:
    """What follows an acknowledgement says something of its own ("so I'm sending three of my
    team to New York"), not "okay then" or 好的那就这样."""
    return len(search_terms(rest)) >= _TELLS_SOMETHING


def besides_reaction(text: str) -> str | None:
    """The sentences of a line that are not its reaction to the bot: "No, that's not what I'm
    asking. I didn't use anything extra." -> "I didn't use anything extra."; None when every
    sentence reacts, or none does."""
    return besides(text, lambda s: detect_dissatisfaction(s).found)


def besides(text: str, said_aside: Callable[[str], bool]) -> str | None:
    """The sentences of a line for which `said_aside` is false ("Hang on, love. Sorry, where was
    I? Yes, they're just not for me." -> "Yes, they're just not for me."); None when all or none
    of them are."""
    sentences = [m.group().strip() for m in _SENTENCE.finditer(text) if m.group().strip()]
    rest = [s for s in sentences if not said_aside(s)]
    if not rest or len(rest) == len(sentences):
        return None
    return " ".join(rest)


def _second_answer(result: KBResult, also: KBResult | None) -> KBResult | None:
    """The search for the line's second question (`second_question`) when the KB answers it
    with another article than the whole line's answer; None otherwise."""
    if also is None or result.answer is None or also.answer is None:
        return None
    return also if also.answer.article.id != result.answer.article.id else None


def _follow_up_bar(threshold: float, follow_up: float | None) -> float:
    """The confidence the article the caller heard last needs (`FOLLOW_UP_MARGIN` lower, or
    `follow_up` when lower still)."""
    lower = threshold - FOLLOW_UP_MARGIN
    return max(0.0, lower if follow_up is None else min(lower, follow_up))


def _pointing_back(
    line: LineAnalysis, kb: KBIndex, query: str, last_heard: str, bar: float
) -> KBResult | None:
    """The KB result for a question that points back at the article heard last, or None.

    "Does that cover ringing home too?", "can I put a cap on it?": a calm question with
    "that" or "it" that the KB answers with nothing else is about that article when a
    sentence of its answer shares the line's words; the bot then reads that sentence
    (`KBIndex.answer_part`). Thanks, a closing, or an upset caller echoing the bot ("Two
    hours? It's been three days!") are not follow-ups.
    """
    result = line.kb
    article = kb.get(last_heard)
    query = asked_sentence(query)  # "Fifteen days, that's long. Where can I see it?" asks the last
    if (
        result.answer is not None
        or article is None
        or not line.is_question
        or line.closing.found
        or line.emotion.level >= EmotionLevel.UPSET
        or not (asks(query) and refers_back(query))
        or kb.speaking_part(article, query) is None
    ):
        return None
    found = next((m for m in result.matches if m.article.id == last_heard), None)
    match = KBMatch(
        article=article, score=found.score if found else 0.0, confidence=max(bar, result.confidence)
    )
    rest = tuple(m for m in result.matches if m.article.id != last_heard)
    return replace(result, matches=(match, *rest), threshold=bar, query=query)
