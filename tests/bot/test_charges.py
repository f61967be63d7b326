"""A caller who asks what an amount on their bill was for hears the item from their own bill,
in the way they said the amount (¥1.50, "the one fifty", 一块五); a reaction followed by what
the caller means is read for what they mean; a caller asked to say more hears other words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from agentdesk.bot import replies
from agentdesk.bot.details import extract_details
from agentdesk.bot.engine import BotEngine
from agentdesk.bot.number_words import en_prices
from agentdesk.bot.state import CallState
from agentdesk.domain.models import Bill, BillItem, Customer

AT = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}
BILLS = {
    "en": [
        Bill(
            month="2026-10",
            total=40.5,
            items=[
                BillItem(label="Monthly plan fee (4G Basic 39)", amount=39.0),
                BillItem(label="Extra calls (10 min)", amount=1.5),
            ],
        ),
        Bill(month="2026-09", total=45.0, items=[BillItem(label="Extra data (2GB)", amount=6.0)]),
    ],
    "zh": [
        Bill(
            month="2026-10",
            total=40.5,
            items=[BillItem(label="套餐月租", amount=39.0), BillItem(label="套餐外通话", amount=1.5)],
        )
    ],
}


def _call(engine: BotEngine, lang: str, *lines: str) -> tuple[CallState, list]:  # type: ignore[type-arg]
    customer = Customer(
        id="C901", name="王静" if lang == "zh" else "Sam Hill", language=lang, bills=BILLS[lang]
    )
    state, _ = engine.start("CALL-C", lang, AT[lang], customer=customer)
    turns = [
        engine.hear(state, line, AT[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


@pytest.mark.parametrize(
    ("lang", "line", "said"),
    [
        (
            "en",
            "What's the 1.50 on my bill for?",
            "The ¥1.50 on your October 2026 bill is for extra calls (10 min).",
        ),
        (
            "en",
            "I want to know what the one fifty was for.",
            "The ¥1.50 on your October 2026 bill is for extra calls (10 min).",
        ),
        (
            "en",
            "And the six quid in September, what was that?",
            "September 2026 bill is for extra data (2GB).",
        ),
        ("zh", "账单上那个一块五是什么钱？", "您10月账单上的1.50元是套餐外通话。"),
        ("zh", "那个1块5是啥", "您10月账单上的1.50元是套餐外通话。"),
    ],
)
def test_a_caller_asking_what_an_amount_on_their_bill_was_for_hears_the_item(
    engine: BotEngine, lang: str, line: str, said: str
) -> None:
    state, (turn,) = _call(engine, lang, line)
    assert turn.reply is not None and said in turn.reply.text
    assert state.unanswered == 0


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "I paid 39 yuan yesterday by card."),  # names an item's amount, asks nothing about it
        ("en", "What's the 7.20 on my bill for?"),  # no item of that amount
        ("zh", "我昨天交了39元话费。"),
    ],
)
def test_an_amount_that_is_not_asked_about_or_not_on_the_bill_gets_no_item(
    engine: BotEngine, lang: str, line: str
) -> None:
    _, (turn,) = _call(engine, lang, line)
    assert turn.reply is not None
    assert "bill is for" not in turn.reply.text and "账单上的" not in turn.reply.text


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("那个1块5是什么钱", "¥1.5"),
        ("账单上多了一块五是啥", "¥1.5"),
        ("两块五毛", "¥2.5"),
        ("三块二毛五", "¥3.25"),
        ("12元8角", "¥12.8"),
        ("what is the 29.90 on my bill", "¥29.90"),
        ("I paid 129.00 yesterday", "¥129.00"),
    ],
)
def test_yuan_and_jiao_and_bare_prices_are_collected_as_amounts(line: str, amount: str) -> None:
    assert extract_details(line)["amount"] == amount


@pytest.mark.parametrize(
    "line", ["call me at 10.30 tomorrow", "between 9.30 and 10.30", "I've used 2.50 GB", "speed is 2.50 Mbps"]
)
def test_clock_times_and_figures_with_units_are_not_amounts(line: str) -> None:
    assert "amount" not in extract_details(line)


def test_prices_said_the_short_way_are_read_only_as_candidates() -> None:
    assert en_prices("what the one fifty was for") == [1.5]
    assert en_prices("twenty-nine ninety, or forty and a half") == [29.9, 40.5]
    assert en_prices("one hundred fifty") == []


def test_what_the_caller_means_after_a_reaction_is_answered(engine: BotEngine) -> None:
    _, (_, turn) = _call(
        engine,
        "en",
        "Why's my bill gone up this month?",
        "No, that's not what I'm asking. I didn't use anything extra.",
    )
    assert turn.analysis.dissatisfied.found
    assert turn.analysis.kb.answer is not None and turn.analysis.kb.answer.article.id == "en-billing-008"


def test_a_procedure_read_after_earlier_dissatisfaction_hands_over_to_a_specialist(engine: BotEngine) -> None:
    _, (*_, turn) = _call(
        engine,
        "en",
        "Why's my bill gone up this month?",
        "That's not what I'm asking at all.",
        "No, that's not what I'm asking. I didn't use anything extra.",
    )
    assert turn.reply is not None and turn.decided is not None
    assert replies.say("transfer_procedure", "en") in turn.reply.text
    assert replies.say("transfer_dissatisfied", "en") not in turn.reply.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_caller_asked_to_say_more_twice_hears_it_in_other_words(engine: BotEngine, lang: str) -> None:
    lines = {
        "zh": ["我想问个事", "不是这个意思", "不对，你没明白"],
        "en": ["I've got a question", "No, that's not what I mean", "No, you're not understanding"],
    }[lang]
    _, turns = _call(engine, lang, *lines)
    said = [t.reply.text for t in turns if t.reply is not None and t.decided is None]
    assert len(said) >= 2
    assert all(a != b for a, b in pairwise(said))


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Why can't I pay the 39.00 online? The app keeps failing"),
        ("en", "I topped up 1.50 and it never arrived"),
        ("en", "Can I get the one fifty refunded? I never made those calls"),
        ("zh", "我充了1块5，怎么没到账"),
        ("zh", "39块怎么交"),
        ("zh", "我们一块五个人去旅游，漫游怎么收费"),
    ],
)
def test_paying_topping_up_or_getting_an_amount_back_is_not_asking_what_it_was_for(
    engine: BotEngine, lang: str, line: str
) -> None:
    _, (turn,) = _call(engine, lang, line)
    assert turn.reply is not None
    assert "bill is for" not in turn.reply.text and "账单上的" not in turn.reply.text


def test_yi_kuai_meaning_together_is_no_amount() -> None:
    assert "amount" not in extract_details("我们一块五个人去旅游")
