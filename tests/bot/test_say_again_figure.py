"""Asked to say one figure again, the bot repeats the part of its answer that holds it."""

from __future__ import annotations

from agentdesk.bot.engine import BotEngine
from agentdesk.bot.say_again import asked_part
from tests.bot.test_engine import _call, _say

ORDER_LINE = "订单LC20261115-0428已发货，中通快递运单号781203954460，预计11月17日送达。"


def test_the_price_asked_for_again_is_said_without_the_rest_of_the_answer(engine: BotEngine) -> None:
    state = _call(engine, "en")
    answer, again = _say(
        engine,
        state,
        "How much does a roaming day pass cost in Japan?",
        "Sorry, I didn't catch that. Can you say the daily price again?",
    )
    assert answer.reply is not None and again.reply is not None
    assert "¥30 for Japan" in again.reply.text
    assert "partner networks" in answer.reply.text and "partner networks" not in again.reply.text


def test_a_tracking_number_or_a_date_asked_for_again_is_that_clause() -> None:
    assert asked_part(ORDER_LINE, "运单号再说一遍") == "中通快递运单号781203954460"
    assert asked_part(ORDER_LINE, "哪天到？再说一遍") == "预计11月17日送达。"


def test_a_plain_say_that_again_repeats_everything() -> None:
    assert asked_part(ORDER_LINE, "你再说一遍") is None
    assert asked_part("Your bill is ¥129.", "what was the price again?") is None  # it is all figure
