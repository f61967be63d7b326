"""A caller who hesitates, says a question again after "that's not what I meant", or asks in
everyday words is served, not counted as a miss and transferred."""

from __future__ import annotations

import pytest

from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import Outcome
from tests.bot.test_engine import _call, _say


@pytest.mark.parametrize(("lang", "noise"), [("en", "uh... um... hmm"), ("zh", "嗯……呃，那个……")])
def test_hesitating_after_the_bot_asks_is_it_about_is_no_miss_and_the_question_still_stands(
    engine: BotEngine, lang: str, noise: str
) -> None:
    state = _call(engine, lang)
    vague = {
        "en": "I want to check on an order, the earbuds.",
        "zh": "我这个月话费怎么已经两百零九了？我套餐才一百二十九。",
    }[lang]
    first, hesitation = _say(engine, state, vague, noise)
    assert first.analysis.kb.answer is None and state.offered is not None  # "Is it about …?"
    assert not hesitation.entries and state.outcome is Outcome.CONTAINED
    assert hesitation.reply is not None and state.offered is not None
    [yes] = _say(engine, state, {"en": "yes", "zh": "对"}[lang])
    assert yes.analysis.kb.answer is not None and yes.reply is not None
    assert yes.reply.text.endswith(yes.analysis.kb.answer.article.answer[-20:])


@pytest.mark.parametrize(("lang", "line"), [("en", "hmm"), ("en", "..."), ("zh", "嗯"), ("zh", "呃……")])
def test_a_line_of_nothing_but_hesitation_asks_nothing(engine: BotEngine, lang: str, line: str) -> None:
    state = _call(engine, lang)
    [turn] = _say(engine, state, line)
    assert not turn.analysis.is_question and state.unanswered == 0


def test_asked_to_say_it_again_after_take_your_time_the_bot_repeats_its_answer(engine: BotEngine) -> None:
    state = _call(engine, "en")
    answer, _, again = _say(
        engine,
        state,
        "How much does it cost to use my phone abroad?",
        "uh... hmm",
        "Sorry, can you say that again?",
    )
    assert answer.reply is not None and again.reply is not None
    assert answer.reply.text in again.reply.text


@pytest.mark.parametrize(
    ("lang", "lines", "article"),
    [
        (
            "zh",
            ["我这个月账单有问题", "不是这个意思，我是问我明明买了加油包，怎么还扣套餐外流量？"],
            "zh-data_plans-006",
        ),
    ],
)
def test_a_question_said_again_after_that_is_not_what_i_meant_is_answered(
    engine: BotEngine, lang: str, lines: list[str], article: str
) -> None:
    state = _call(engine, lang)
    *_, restated = _say(engine, state, *lines)
    assert restated.analysis.kb.answer is not None
    assert restated.analysis.kb.answer.article.id == article


@pytest.mark.parametrize(
    ("lang", "line", "article"),
    [
        ("en", "How much is it going to cost me to use my phone in Tokyo?", "en-billing-007"),
        ("en", "I'm off to Barcelona next week, what will my phone cost there?", "en-billing-007"),
        ("zh", "我想問下我張單幾錢呀？", "zh-billing-001"),
        ("zh", "係咪可以留到下個月用？", "zh-data_plans-003"),
        ("zh", "我的快递到哪了", "zh-orders_delivery-001"),
        ("zh", "怎么加流量", "zh-data_plans-005"),
    ],
)
def test_everyday_cantonese_and_travel_wording_finds_its_article(
    engine: BotEngine, lang: str, line: str, article: str
) -> None:
    state = _call(engine, lang)
    [turn] = _say(engine, state, line)
    assert turn.analysis.kb.best is not None and turn.analysis.kb.best.article.id == article
    assert turn.analysis.kb.answer is not None or turn.reply is not None
