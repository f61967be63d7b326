"""A caller waiting for an adviser or a callback still gets routine answers: a figure asked for
again, when the order just read out arrives, the answer an angry caller asked for off hours;
and hesitation is not "noted"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot import replies
from agentdesk.bot.engine import BotEngine, BotTurn
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain.models import Customer, Order

OPEN = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}
NIGHT = {"zh": datetime(2026, 11, 24, 15, 0, tzinfo=UTC), "en": datetime(2026, 11, 24, 22, 0, tzinfo=UTC)}
ADD_ON = {"zh": "怎么加流量包？", "en": "How do I buy a data add-on?"}
ASK = {"zh": "给我转人工，是流量的事。", "en": "Agent, please. It's about my data."}
DAY_PACK = {"zh": "5元含1GB", "en": "¥5 for 1GB"}
NOTED = ("noted", "callback_noted", "noted_upset")


def _call(
    engine: BotEngine,
    lang: str,
    *lines: str,
    at: dict[str, datetime] = OPEN,
    orders: list[Order] | None = None,
) -> tuple[CallState, list[BotTurn]]:
    customer = Customer(
        id="C900", name="李娜" if lang == "zh" else "Jane Doe", language=lang, orders=orders or []
    )
    state, _ = engine.start("CALL-WA", lang, at[lang], customer=customer)
    turns = [
        engine.hear(state, line, at[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


def _noted(text: str, lang: str) -> bool:
    return any(replies.vary(key, lang, n) in text for key in NOTED for n in range(3))


@pytest.mark.parametrize("at", [OPEN, NIGHT], ids=["adviser", "callback"])
@pytest.mark.parametrize(
    ("lang", "again"),
    [("zh", "日包多少钱？你再说一遍？"), ("en", "Sorry, I didn't catch that. What was the day pack price?")],
)
def test_a_waiting_caller_who_asks_for_a_figure_again_hears_it_not_noted(
    engine: BotEngine, lang: str, again: str, at: dict[str, datetime]
) -> None:
    state, (_, asked, repeat) = _call(engine, lang, ADD_ON[lang], ASK[lang], again, at=at)
    assert asked.decided in (Outcome.TRANSFERRED, Outcome.CALLBACK)
    assert repeat.analysis.again is not None
    assert repeat.reply is not None and DAY_PACK[lang] in repeat.reply.text
    assert not _noted(repeat.reply.text, lang)
    assert state.outcome is asked.decided  # still waiting for the person


SHIPPED = {
    "zh": Order(
        id="LC20261115-0428", placed="2026-11-15", items=["手机壳"], status="shipped", eta="2026-11-26"
    ),
    "en": Order(
        id="LC20261117-3302", placed="2026-11-17", items=["earbuds"], status="shipped", eta="2026-11-26"
    ),
}
WHERE = {"zh": "我的订单LC20261115-0428到哪了？", "en": "Where is my order LC20261117-3302?"}
WHEN = {"zh": "那它明天几点能到啊？", "en": "So when is it getting here?"}
ASK_ORDER = {"zh": "给我转人工，是订单的事。", "en": "Agent, please. It's about my order."}


@pytest.mark.parametrize("at", [OPEN, NIGHT], ids=["adviser", "callback"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_waiting_caller_who_asks_when_the_order_read_out_arrives_hears_it_from_the_order(
    engine: BotEngine, lang: str, at: dict[str, datetime]
) -> None:
    _, (read, asked, when) = _call(
        engine, lang, WHERE[lang], ASK_ORDER[lang], WHEN[lang], at=at, orders=[SHIPPED[lang]]
    )
    assert read.reply is not None and SHIPPED[lang].id in read.reply.text
    assert asked.decided in (Outcome.TRANSFERRED, Outcome.CALLBACK)
    assert when.reply is not None and not _noted(when.reply.text, lang)
    assert ("11月26日" if lang == "zh" else "26 November") in when.reply.text


ANGRY = {
    "zh": "气死我了！流量又用完了，你们这什么破服务！怎么加流量包？",
    "en": "This is ridiculous, I'm furious, my data has run out again! How do I buy a data add-on?",
}
FOLLOW_UP = {
    "zh": "20块那个是到月底就没了吗？",
    "en": "And the monthly packs, are they valid until month end?",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_angry_caller_off_hours_hears_the_answer_with_the_callback_and_follow_ups_are_answered(
    engine: BotEngine, lang: str
) -> None:
    _, (angry, follow_up) = _call(engine, lang, ANGRY[lang], FOLLOW_UP[lang], at=NIGHT)
    assert angry.decided is Outcome.CALLBACK and angry.ticket is not None
    assert angry.reply is not None and DAY_PACK[lang] in angry.reply.text  # nobody else can tonight
    assert follow_up.reply is not None and not _noted(follow_up.reply.text, lang)
    assert ("当月底失效" if lang == "zh" else "valid until month end") in follow_up.reply.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_angry_caller_in_hours_hears_empathy_and_the_transfer_not_an_article(
    engine: BotEngine, lang: str
) -> None:
    _, (angry,) = _call(engine, lang, ANGRY[lang], at=OPEN)
    assert angry.decided is Outcome.TRANSFERRED
    assert angry.reply is not None and DAY_PACK[lang] not in angry.reply.text


@pytest.mark.parametrize("at", [OPEN, NIGHT], ids=["adviser", "callback"])
@pytest.mark.parametrize(("lang", "hesitation"), [("zh", "嗯……那个……呃……"), ("en", "uh... um... hmm")])
def test_a_waiting_caller_who_only_hesitates_is_told_to_take_their_time_not_that_it_was_noted(
    engine: BotEngine, lang: str, hesitation: str, at: dict[str, datetime]
) -> None:
    state, (_, hesitates) = _call(engine, lang, ASK[lang], hesitation, at=at)
    assert hesitates.reply is not None
    assert hesitates.reply.text.startswith(replies.say("take_your_time", lang))
    assert not _noted(hesitates.reply.text, lang)
    assert all("hmm" not in n.text and "呃" not in n.text for t in state.tickets for n in t.notes)
