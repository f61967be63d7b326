"""Social lines on a call: "are you a robot?", who is calling, the weather, "could you speak a
bit slower?" before anything was asked. Each gets a friendly word and the question what the
call is about; none is a miss, a request for a person or a sign of anger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot import replies
from agentdesk.bot.engine import BotEngine, BotTurn
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain.models import Customer
from agentdesk.nlp.moves import social_line

AT = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}


def _call(engine: BotEngine, lang: str, *lines: str) -> tuple[CallState, list[BotTurn]]:
    customer = Customer(id="C903", name="林小红" if lang == "zh" else "Jack Robinson", language=lang)
    state, _ = engine.start("CALL-SOCIAL", lang, AT[lang], customer=customer)
    turns = [
        engine.hear(state, line, AT[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


def _said(turn: BotTurn) -> str:
    assert turn.reply is not None
    return turn.reply.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Hang on, are you a robot? You sound very real.", "bot"),
        ("你是机器人吗？声音怎么这么像真人。", "bot"),
        ("It's Jack Robinson. My grandson usually does all this for me, but he's away.", "intro"),
        ("我是林小红，住在厦门，我女儿让我打这个电话。", "intro"),
        ("Ha, fair enough. Miserable weather today, isn't it? Pouring down here.", "chat"),
        ("哈哈行吧。今天南京降温了，好冷啊。", "chat"),
        ("I'm Jack and I want to pay my bill", None),
        ("It's Jack, how do I pay?", None),
        ("It's raining and my phone has no signal", None),
        ("我是想问一下话费", None),
        ("Are you a robot? I want a real person.", None),
    ],
)
def test_a_social_line_is_told_apart_from_one_that_asks_or_names_a_topic(line: str, kind: str | None) -> None:
    assert social_line(line) == kind


@pytest.mark.parametrize(
    ("lang", "lines", "kind"),
    [
        ("en", ["Hang on, are you a robot? You sound very real."], "bot"),
        ("zh", ["你是机器人吗？声音怎么这么像真人。"], "bot"),
        (
            "en",
            [
                "Hello? Could you speak a bit slower?",
                "It's Jack Robinson. My grandson usually does this for me.",
            ],
            "intro",
        ),
        ("zh", ["喂？你说啥？你说慢一点。", "我是林小红，住在厦门，我女儿让我打这个电话。"], "intro"),
        ("en", ["Miserable weather today, isn't it? Pouring down here."], "chat"),
        ("zh", ["今天南京降温了，好冷啊。"], "chat"),
    ],
)
def test_a_social_line_gets_a_friendly_word_and_is_no_miss_no_request_and_no_anger(
    engine: BotEngine, lang: str, lines: list[str], kind: str
) -> None:
    state, turns = _call(engine, lang, *lines)
    assert _said(turns[-1]) == replies.join(
        lang, replies.say(f"social_{kind}", lang), replies.say("how_can_i_help", lang)
    )
    assert not state.ledger and state.outcome is Outcome.CONTAINED and state.unanswered == 0
    assert all(int(level) <= 1 for level in state.emotion_levels)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Hello? Sorry dear, could you speak a bit slower? My hearing's not what it was."),
        ("zh", "喂？喂？你说啥？我耳朵不好，你说慢一点。"),
    ],
)
def test_a_caller_who_first_asks_the_bot_to_slow_down_is_told_it_will(
    engine: BotEngine, lang: str, line: str
) -> None:
    state, (turn,) = _call(engine, lang, line)
    assert _said(turn) == replies.say("slower_first", lang)
    assert state.unanswered == 0


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["I want to speak to a person please", "Sorry, can you say that again?"]),
        ("zh", ["我要转人工", "你说啥？再说一遍。"]),
    ],
)
def test_a_caller_waiting_for_an_adviser_who_asks_to_hear_it_again_hears_it_again(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state, (transferred, again) = _call(engine, lang, *lines)
    assert state.outcome is Outcome.TRANSFERRED
    assert _said(again) == replies.join(lang, replies.say("say_again", lang), _said(transferred))


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["What was my last bill?", "Perfect, that all adds up then. Thanks very much."]),
        ("zh", ["我上个月账单多少钱？", "哦，这下对上了，谢谢啊。"]),
    ],
)
def test_saying_the_figures_add_up_closes_the_call_rather_than_reads_an_article(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state, (_, thanks) = _call(engine, lang, *lines)
    assert _said(thanks) == replies.say("goodbye", lang) and state.closed


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "en",
            [
                "How do I pay my bill?",
                "Also, I was charged twice for roaming last month, and on top of that the phone I ordered "
                "from your shop three weeks ago still hasn't arrived.",
            ],
        ),
    ],
)
def test_two_new_problems_after_an_answered_question_are_still_several_issues(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state, _ = _call(engine, lang, *lines)
    assert "multiple_issues" in state.analyses[-1].complexity.kinds
