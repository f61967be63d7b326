"""The bot acts on the details it asks for: a KB answer that says "tell me ... and I'll log
it" or "give me your order number and I'll check it" is followed through, not met with a
clarify question; a complaint about damaged goods gets the replace-or-refund remedy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot import replies
from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain.complaints import DAMAGED_GOODS, REMEDIES
from agentdesk.domain.models import Customer, Order, TicketType

AT = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}
ORDER = Order(
    id="LC20261113-6620",
    placed="2026-11-13",
    items=["Wireless earbuds"],
    amount=399.0,
    status="shipped",
    carrier="Royal Mail",
    tracking="RM123456789GB",
    eta="2026-11-26",
)


def _call(engine: BotEngine, lang: str, *lines: str) -> tuple[CallState, list]:  # type: ignore[type-arg]
    customer = Customer(id="C900", name="李娜" if lang == "zh" else "Jane Doe", language=lang, orders=[ORDER])
    state, _ = engine.start("CALL-D", lang, AT[lang], customer=customer)
    turns = [
        engine.hear(state, line, AT[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


SIGNAL = {
    "zh": ["另外宿舍的WiFi通话老是断，打着打着就没声了。", "学校三号宿舍楼，晚上十点以后最明显。"],
    "en": [
        "My calls keep dropping at home.",
        "Flat 2, 14 Mill Lane. Mostly after nine at night, on an iPhone 13.",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_details_the_answer_asked_for_are_logged_with_the_answers_own_promise(
    engine: BotEngine, lang: str
) -> None:
    state, (asked, given) = _call(engine, lang, *SIGNAL[lang])
    assert asked.reply is not None and asked.reply.text == asked.analysis.kb.answer.article.answer  # type: ignore[union-attr]
    assert asked.ticket is None
    assert given.ticket is not None and given.ticket.type == TicketType.COMPLAINT
    assert given.reply is not None and given.ticket.id in given.reply.text
    engineer = (
        "网络工程师会在3个工作日内"
        if lang == "zh"
        else "A network engineer will analyse it within 3 working days"
    )
    assert engineer in given.reply.text and given.ticket.promise and engineer in given.ticket.promise
    assert replies.say("clarify_more", lang) not in given.reply.text
    assert state.unanswered == 0 and state.outcome is Outcome.CONTAINED and not state.ledger


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("zh", "先不说这个，我的流量能结转到下个月吗？"),
        ("en", "Actually, can my unused data roll over to next month?"),
    ],
)
def test_a_new_question_after_an_answer_that_asks_for_details_is_answered_not_logged(
    engine: BotEngine, lang: str, question: str
) -> None:
    _, (_, next_turn) = _call(engine, lang, SIGNAL[lang][0], question)
    assert next_turn.ticket is None
    assert next_turn.analysis.kb.answer is not None
    assert next_turn.reply is not None and next_turn.reply.text == next_turn.analysis.kb.answer.article.answer


def test_the_bot_reads_the_status_of_the_callers_own_order_when_asked_where_it_is(engine: BotEngine) -> None:
    _, [turn] = _call(engine, "en", "Hello, can you tell me where my order's got to? It's LC20261113-6620.")
    assert turn.reply is not None
    assert "LC20261113-6620" in turn.reply.text and "shipped" in turn.reply.text
    assert "RM123456789GB" in turn.reply.text and "expected by 26 November" in turn.reply.text


def test_the_order_number_given_after_the_bot_offers_to_check_gets_its_status(engine: BotEngine) -> None:
    state, (offer, given) = _call(engine, "en", "How do I check on my order?", "It's LC20261113-6620.")
    assert offer.reply is not None and "give me your order number" in offer.reply.text
    assert given.reply is not None and given.reply.text.startswith("Order LC20261113-6620 is shipped")
    assert state.unanswered == 0 and not state.ledger


def test_an_order_number_not_on_the_callers_account_is_said_so(engine: BotEngine) -> None:
    _, [turn] = _call(engine, "en", "Where's my order got to? It's LC20261119-4420.")
    assert turn.reply is not None
    assert turn.reply.text == replies.say("order_not_found", "en", order="LC20261119-4420")


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "zh",
            [
                "你好，我想投诉一下，昨天收到的充电器外壳是裂的。",
                "订单号是LC20261113-6620，照片我已经拍好了。",
            ],
        ),
        (
            "en",
            [
                "I'd like to complain: the charger I got yesterday arrived cracked.",
                "The order is LC20261113-6620.",
            ],
        ),
    ],
)
def test_a_calm_complaint_about_damaged_goods_gets_the_replace_or_refund_remedy(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    _, (_, filed) = _call(engine, lang, *lines)
    assert filed.ticket is not None and filed.ticket.type == TicketType.COMPLAINT
    remedy = REMEDIES[DAMAGED_GOODS].text(lang)
    assert filed.reply is not None and remedy in filed.reply.text
    assert filed.ticket.promise == remedy


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "订单号是LC二零二六一一一三杠六六二零。"),
        ("en", "Yes, it is L C two zero two six one one one three, dash, six six two oh."),
    ],
)
def test_an_order_number_read_out_digit_by_digit_gets_its_status(
    engine: BotEngine, lang: str, line: str
) -> None:
    _, [turn] = _call(engine, lang, line)
    assert turn.analysis.details.get("order_id") == "LC20261113-6620"
    assert turn.reply is not None and "LC20261113-6620" in turn.reply.text
    assert ("已发货" if lang == "zh" else "shipped") in turn.reply.text


def test_an_order_number_read_out_after_the_bot_asks_is_looked_up_not_a_second_miss(
    engine: BotEngine,
) -> None:
    state, (_, given) = _call(
        engine,
        "en",
        "Hiya, I ordered something last week and wanted to see where it's at.",
        "It's L C two zero two six one one one three, dash, six six two oh.",
    )
    assert given.reply is not None and given.reply.text.startswith("Order LC20261113-6620 is shipped")
    assert state.unanswered == 0 and not state.ledger and state.outcome is Outcome.CONTAINED


@pytest.mark.parametrize(
    ("lang", "line", "at"),
    [
        ("en", "I'd like to change my contract, can I end it early?", AT["en"]),
        (
            "en",
            "I'd like to change my contract, can I end it early?",
            datetime(2026, 11, 24, 22, 0, tzinfo=UTC),
        ),
        ("zh", "我想提前解约，合约机怎么处理？", AT["zh"]),
    ],
)
def test_a_procedure_answer_leaves_the_hand_over_to_the_transfer_or_callback_line(
    engine: BotEngine, lang: str, line: str, at: datetime
) -> None:
    customer = Customer(id="C900", name="Jane Doe", language=lang)
    state, _ = engine.start("CALL-P", lang, at, customer=customer)
    turn = engine.hear(state, line, at + timedelta(seconds=10))
    answer = turn.analysis.kb.answer
    # off hours a callback is offered rather than booked (nobody asked for one yet)
    assert answer is not None and answer.article.procedure and (state.decided or state.callback_offered)
    said = turn.reply.text if turn.reply else ""
    cue = "转接" if lang == "zh" else "put you through"
    handover = [x for x in re.split(r"(?<=[。.])\s*", answer.article.answer) if cue in x]
    assert handover  # the article announces the hand-over itself ...
    assert not any(x in said for x in handover)  # ... and the bot's own line says it once


@pytest.mark.parametrize(("lang", "late"), [("zh", "已经超时了，非常抱歉"), ("en", "is late; I'm sorry")])
def test_the_bot_says_an_order_past_its_expected_day_is_late_not_still_expected(
    engine: BotEngine, lang: str, late: str
) -> None:
    overdue = ORDER.model_copy(update={"eta": "2026-11-20"})
    customer = Customer(id="C900", name="Jane Doe", language=lang, orders=[overdue])
    state, _ = engine.start("CALL-L", lang, AT[lang], customer=customer)
    line = (
        "我的订单LC20261113-6620到哪了？"
        if lang == "zh"
        else "Where's my order got to? It's LC20261113-6620."
    )
    turn = engine.hear(state, line, AT[lang] + timedelta(seconds=10))
    assert turn.reply is not None and late in turn.reply.text
    assert "预计" not in turn.reply.text and "expected by" not in turn.reply.text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "订单LC20261113-6620一直没到，给我转人工。"),
        ("en", "My order LC20261113-6620 never came. Put me through to a person, please."),
    ],
)
def test_the_handoff_packet_shows_the_value_of_the_order_the_caller_named(
    engine: BotEngine, lang: str, line: str
) -> None:
    state, _ = _call(engine, lang, line)
    assert engine.packet(state).order_value == ORDER.amount


def test_an_order_named_with_a_problem_gets_its_status_and_the_problem_offered_back(
    engine: BotEngine,
) -> None:
    state, [turn] = _call(
        engine,
        "en",
        "My new phone, order LC20261113-6620, shows as delivered on the sixteenth but it never turned up.",
    )
    assert turn.reply is not None and "LC20261113-6620" in turn.reply.text
    assert state.offered is not None and state.offered.article.id == "en-orders_delivery-005"
    assert turn.reply.text.endswith(replies.confirm_topic(state.offered.article.title, "en"))
    assert state.unanswered == 0
