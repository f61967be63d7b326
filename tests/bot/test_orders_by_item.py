"""A caller who names what they bought, not its order number, hears that order's status."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentdesk.bot.engine import BotEngine
from agentdesk.store.sqlite import SqliteStore
from tests.bot.test_engine import OPEN, OPEN_LONDON


def _start(engine: BotEngine, store: SqliteStore, customer_id: str, lang: str):  # type: ignore[no-untyped-def]
    customer = store.get_customer(customer_id)
    state, _ = engine.start("CALL-ITEM", lang, OPEN if lang == "zh" else OPEN_LONDON, customer=customer)
    return state


def _hear(engine: BotEngine, state, *lines: str) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for i, line in enumerate(lines):
        turn = engine.hear(state, line, state.started_at + timedelta(seconds=10 * (i + 1)))
        out.append(turn.reply.text if turn.reply else "")
    return out


@pytest.mark.parametrize(
    ("customer", "lang", "line", "order"),
    [
        ("C012", "zh", "我想查一下我买的手机壳到哪了。", "LC20261115-0428"),
        ("C042", "en", "Morning. I want to check on an order, the earbuds.", "LC20261112-4806"),
        # the most specific item named picks the order: not an everyday word ("in any case"), not
        # a shorter name (手机 is the phone, 手机充电器 the charger)
        pytest.param(
            "C041", "en", "In any case, where are my earbuds?", "LC20260827-1630", id="not-in-any-case"
        ),
        pytest.param("C009", "zh", "我买的手机充电器到哪了？", "LC20260805-6618", id="charger-not-phone"),
    ],
)
def test_naming_the_item_bought_reads_that_orders_status(
    engine: BotEngine, demo_store: SqliteStore, customer: str, lang: str, line: str, order: str
) -> None:
    state = _start(engine, demo_store, customer, lang)
    [reply] = _hear(engine, state, line)
    assert order in reply


def test_a_delivered_order_is_said_to_have_been_delivered_by_its_carrier(
    engine: BotEngine, demo_store: SqliteStore
) -> None:
    state = _start(engine, demo_store, "C042", "en")
    [reply] = _hear(engine, state, "Where are my earbuds?")
    assert "was delivered by Royal Mail" in reply


def test_when_will_it_arrive_after_a_clarifying_line_means_the_order_read_out_before(
    engine: BotEngine, demo_store: SqliteStore
) -> None:
    state = _start(engine, demo_store, "C012", "zh")
    status, _, arrival = _hear(
        engine, state, "我买的手机壳到哪了", "嗯，那个，我想想", "那它什么时候能到啊？"
    )
    assert "LC20261115-0428" in status
    assert "11月17日" in arrival


def test_a_line_that_reads_out_a_long_number_with_a_correction_asks_nothing(
    engine: BotEngine, demo_store: SqliteStore
) -> None:
    state = _start(engine, demo_store, "C012", "zh")
    [turn] = [
        engine.hear(
            state,
            "手机号是一三九九八一二零零二零，不对不对，是135不是139，一三五九八一二零零二零。",
            state.started_at + timedelta(seconds=10),
        )
    ]
    assert not turn.analysis.is_question and state.unanswered == 0
    assert turn.analysis.details["phone"] == "13598120020"
