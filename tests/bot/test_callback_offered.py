"""Off hours a callback is booked when the caller asks for one or the bot cannot help, not
imposed: a procedure the bot has just explained is offered a callback; a request to be rung
back (with a topic, or after a yes) is a request for a person; a time said without a day is
kept on the first day advisers are on then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot import replies
from agentdesk.bot.callback_request import asks_for_callback
from agentdesk.bot.engine import BotEngine, BotTurn
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain.models import Customer, TicketType
from agentdesk.domain.transfers import TriggerRule

NIGHT = {"zh": datetime(2026, 11, 24, 15, 0, tzinfo=UTC), "en": datetime(2026, 11, 24, 22, 0, tzinfo=UTC)}
SATURDAY_0859 = {
    "zh": datetime(2026, 11, 28, 0, 59, tzinfo=UTC),
    "en": datetime(2026, 11, 28, 8, 59, tzinfo=UTC),
}
PROCEDURE = {
    "zh": "我想把号码过户给我女儿，要怎么办？",
    "en": "How do I transfer my number to a new account holder?",
}


def _call(
    engine: BotEngine, lang: str, *lines: str, at: dict[str, datetime] = NIGHT
) -> tuple[CallState, list[BotTurn]]:
    customer = Customer(id="C900", name="李娜" if lang == "zh" else "Jane Doe", language=lang)
    state, _ = engine.start("CALL-CB", lang, at[lang], customer=customer)
    turns = [
        engine.hear(state, line, at[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_off_hours_a_procedure_the_bot_explained_is_offered_a_callback_not_booked_one(
    engine: BotEngine, lang: str
) -> None:
    state, (explained,) = _call(engine, lang, PROCEDURE[lang])
    answer = explained.analysis.kb.answer
    assert answer is not None and answer.article.procedure
    assert explained.reply is not None
    assert explained.reply.text.endswith(replies.say("callback_offer_procedure", lang))
    assert not state.tickets and explained.ticket is None and explained.decided is None
    assert TriggerRule.NO_ANSWER in state.rules  # why a person is needed stays on record


@pytest.mark.parametrize(
    ("lang", "asks"),
    [
        ("zh", "能不能找人帮我电话里办？"),
        ("zh", "好的，麻烦给我回个电话。"),
        ("en", "Can someone ring me back?"),
        ("en", "Okay, Monday is fine. Thank you."),
    ],
)
def test_a_caller_who_takes_up_the_callback_offered_for_a_procedure_is_booked_it(
    engine: BotEngine, lang: str, asks: str
) -> None:
    state, (_, took) = _call(engine, lang, PROCEDURE[lang], asks)
    assert took.decided is Outcome.CALLBACK
    [ticket] = state.tickets
    assert ticket.type is TicketType.CALLBACK and took.ticket is ticket


@pytest.mark.parametrize(
    ("lang", "bye"), [("zh", "不用了，我自己去营业厅，再见。"), ("en", "No thanks, bye.")]
)
def test_a_caller_who_turns_down_the_callback_offered_for_a_procedure_is_let_go_without_one(
    engine: BotEngine, lang: str, bye: str
) -> None:
    state, (_, declined) = _call(engine, lang, PROCEDURE[lang], bye)
    assert declined.reply is not None and declined.reply.text == replies.say("wait_goodbye", lang)
    assert not state.tickets and state.closed and state.outcome is Outcome.CONTAINED


QUESTION = {"zh": "20块的流量包多少流量？", "en": "How do I buy a data add-on?"}
THANKS = {"zh": "好的，谢谢，再见。", "en": "Okay thanks, bye."}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_question_after_the_offer_is_answered_and_thanks_for_it_books_nothing(
    engine: BotEngine, lang: str
) -> None:
    state, (_, asked, thanks) = _call(engine, lang, PROCEDURE[lang], QUESTION[lang], THANKS[lang])
    answer = asked.analysis.kb.answer
    assert (
        answer is not None
        and asked.reply is not None
        and asked.reply.text.startswith(answer.article.answer[:12])
    )
    assert asked.ticket is None and thanks.ticket is None and not state.tickets


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "能不能让人明天给我打个电话，说一下新家装宽带的事？"),
        ("en", "Can someone ring me back about home broadband at my new flat?"),
    ],
)
def test_a_callback_request_that_names_its_topic_is_booked_off_hours(
    engine: BotEngine, lang: str, line: str
) -> None:
    state, (asked,) = _call(engine, lang, line)
    assert TriggerRule.ASKED_FOR_HUMAN in state.rules
    assert asked.decided is Outcome.CALLBACK and asked.ticket is not None


OFFERED = {
    "zh": "我想问一下流量结转的事。",
    "en": "Hi, I'm moving house next month. Can you get home broadband put in at the new flat?",
}
YES_RING = {"zh": "对，能不能让人明天给我打个电话？", "en": "Yes please. Can someone ring me back?"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yes_with_a_callback_request_after_is_it_about_books_the_callback_not_the_article(
    engine: BotEngine, lang: str
) -> None:
    state, (offered, asked) = _call(engine, lang, OFFERED[lang], YES_RING[lang])
    assert offered.reply is not None and offered.analysis.kb.best is not None
    title = offered.analysis.kb.best.article.title
    assert offered.reply.text == replies.confirm_topic(title, lang)
    assert asked.decided is Outcome.CALLBACK and asked.ticket is not None
    article = offered.analysis.kb.best.article.answer
    assert asked.reply is not None and article[:20] not in asked.reply.text
    # the question the bot could not answer is on record too, not only the request for a person
    assert {(e.rule, e.evidence) for e in state.ledger} >= {
        (TriggerRule.ASKED_FOR_HUMAN, YES_RING[lang]),
        (TriggerRule.NO_ANSWER, OFFERED[lang]),
    }


@pytest.mark.parametrize(
    "line",
    [
        "还有个骗子冒充你们客服给我打电话，要验证码，我没给。",
        "好的，那大概多久会有人联系我？",
        "算了，我晚上再打吧。",
        "不用回电了，谢谢。",
        "Forget it, I'll ring back later. Bye.",
        "No need to call me back, thanks.",
        "Could you ring my work phone instead?",
    ],
)
def test_lines_about_being_called_that_ask_for_no_callback_are_not_callback_requests(line: str) -> None:
    assert asks_for_callback(line) is None


AFTER_FIVE = {"zh": "下午五点以后比较方便。", "en": "After five is best for me, on this mobile."}
RING = {
    "zh": "能不能让人给我回个电话？我想问新家装宽带的事。",
    "en": "Can someone ring me back about home broadband at my new flat?",
}
MONDAY_17 = datetime(2026, 11, 30, 17, 0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_time_said_without_a_day_is_kept_on_the_first_day_advisers_are_on_then(
    engine: BotEngine, lang: str
) -> None:
    # Saturday the line closes at 12:00: "after five" is met on Monday at 17:00, not Monday at 09:00
    state, (booked, wish) = _call(engine, lang, RING[lang], AFTER_FIVE[lang], at=SATURDAY_0859)
    [ticket] = state.tickets
    assert booked.decided is Outcome.CALLBACK
    assert ticket.sla_due is not None and ticket.sla_due.replace(tzinfo=None) == MONDAY_17
    assert wish.reply is not None and ("下午五点后" if lang == "zh" else "after 17:00") in wish.reply.text
    assert [e for e in state.ledger if e.turn > booked.heard.seq - 1] == []  # the wish is no miss


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("zh", ["我想问个事。", "就是那个东西。", "那个什么来着。", "我现在在车上，信号不太好。"]),
        (
            "en",
            [
                "I've got a question.",
                "It's about the thing.",
                "You know, that thing.",
                "I'm in the car at the moment.",
            ],
        ),
    ],
)
def test_lines_said_while_waiting_after_two_misses_add_no_new_misses_to_the_ledger(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    _, turns = _call(
        engine,
        lang,
        *lines,
        at={"zh": NIGHT["zh"] - timedelta(hours=8), "en": NIGHT["en"] - timedelta(hours=10)},
    )
    decided = next(i for i, t in enumerate(turns) if t.decided is not None)
    assert all(not t.entries for t in turns[decided + 1 :])


@pytest.mark.parametrize(("lang", "pause"), [("zh", "呃……那个……"), ("en", "Um... hmm.")])
def test_a_hesitation_after_the_callback_offer_books_nothing_and_the_offer_stands(
    engine: BotEngine, lang: str, pause: str
) -> None:
    yes = {"zh": "好的，麻烦给我回个电话。", "en": "Yes please."}[lang]
    _, (_, paused, took) = _call(engine, lang, PROCEDURE[lang], pause, yes)
    assert paused.reply is not None and paused.reply.text == replies.say("take_your_time", lang)
    assert paused.decided is None and paused.ticket is None
    assert took.decided is Outcome.CALLBACK


@pytest.mark.parametrize(
    ("lang", "report"),
    [
        ("en", "I was promised a callback last week and nobody rang."),
        ("zh", "上次说给我回电话结果没人打。"),
    ],
)
def test_a_caller_waiting_who_mentions_a_callback_that_never_came_keeps_their_place(
    engine: BotEngine, lang: str, report: str
) -> None:
    open_hours = {"zh": NIGHT["zh"] - timedelta(hours=8), "en": NIGHT["en"] - timedelta(hours=10)}
    person = {"zh": "我要转人工。", "en": "I want to speak to an agent please."}[lang]
    state, (_, said) = _call(engine, lang, person, report, at=open_hours)
    assert state.outcome is Outcome.TRANSFERRED and not state.closed
    assert said.ticket is None and not any(t.type is TicketType.CALLBACK for t in state.tickets)
