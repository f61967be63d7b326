"""A caller waiting for an adviser or a callback: never the same line twice in a row, a new
problem is added for the adviser, a caller who gives up at peak gets a callback, and a caller
waiting for a callback has their questions about it answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from agentdesk.bot import replies
from agentdesk.bot.engine import BotEngine, BotTurn
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain import hours
from agentdesk.domain.models import Customer, TicketType
from agentdesk.nlp.moves import asks_nobody_now, asks_other_number

OPEN = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}
NIGHT = {"zh": datetime(2026, 11, 24, 15, 0, tzinfo=UTC), "en": datetime(2026, 11, 24, 22, 0, tzinfo=UTC)}
ASK = {"zh": "给我转人工。", "en": "Agent, please."}
# Off hours a bare request for a person is first asked what it is about; one that names it is booked.
ASK_NIGHT = {"zh": "给我转人工，是账单的事。", "en": "Agent, please. It's about my bill."}
# Lines that are neither a question the KB answers nor a new problem.
ASIDES = {
    "zh": ["我现在在车上。", "外面在下雨。", "我四点还要去接孩子。", "我现在在车上。"],
    "en": [
        "I'm in the car at the moment.",
        "It's raining here.",
        "I need to pick the kids up at four.",
        "Hmm.",
    ],
}
PEAK = {"queue_waiting": 40}
TOMORROW_10 = {"zh": "明天上午10:00前回电", "en": "call back by 10:00 tomorrow"}


def _call(
    engine: BotEngine, lang: str, *lines: str, at: dict[str, datetime] = OPEN, **start: object
) -> tuple[CallState, list[BotTurn]]:
    customer = Customer(id="C900", name="李娜" if lang == "zh" else "Jane Doe", language=lang)
    state, _ = engine.start("CALL-W", lang, at[lang], customer=customer, **start)  # type: ignore[arg-type]
    turns = [
        engine.hear(state, line, at[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


def _replies(turns: list[BotTurn]) -> list[str]:
    return [t.reply.text if t.reply else "" for t in turns]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("context", "hold"), [(PEAK, "adviser_busy"), ({}, "adviser_soon")])
def test_a_caller_who_speaks_again_while_waiting_never_hears_the_same_line_twice_in_a_row(
    engine: BotEngine, lang: str, context: dict[str, int], hold: str
) -> None:
    state, (asked, *waiting) = _call(engine, lang, ASK[lang], *ASIDES[lang], context=context)
    assert asked.decided is Outcome.TRANSFERRED
    said = _replies(waiting)
    assert said[0] == replies.join(lang, replies.say("noted", lang), replies.say(hold, lang))
    assert len(set(said[:3])) == 3  # three wordings in turn
    for before, after in pairwise(said):
        assert not set(_sentences(before)) & set(_sentences(after)), (before, after)
    assert not state.closed


def _sentences(line: str) -> list[str]:
    return [s for s in line.replace("。", "。|").replace(". ", ".|").split("|") if s.strip()]


@pytest.mark.parametrize(
    ("lang", "problem"),
    [("zh", "另外我家宽带每天晚上都掉线。"), ("en", "Also my broadband keeps dropping out every evening.")],
)
def test_a_new_problem_while_waiting_is_added_to_what_the_adviser_will_see(
    engine: BotEngine, lang: str, problem: str
) -> None:
    state, (_, aside, added) = _call(engine, lang, ASK[lang], ASIDES[lang][0], problem)
    assert aside.reply is not None and replies.say("added_for_adviser", lang) not in aside.reply.text
    assert added.analysis.kb.answer is None
    assert added.reply is not None
    assert any(added.reply.text.startswith(replies.vary("added_for_adviser", lang, n)) for n in range(2))
    assert problem in engine.packet(state).key_sentences


GIVE_UP = {
    "zh": "算了，我不等了，我自己去营业厅弄吧，拜拜。",
    "en": "You know what, forget it. I'll sort it at the shop. Bye.",
}
TAKE_UP = {"zh": "好的，那麻烦给我回个电话吧。", "en": "Yes please, do that."}
TURN_DOWN = {"zh": "不用了，谢谢，再见。", "en": "No thanks, bye."}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_caller_who_gives_up_on_a_busy_queue_is_offered_a_callback_not_booked_one(
    engine: BotEngine, lang: str
) -> None:
    state, (_, leaving) = _call(engine, lang, ASK[lang], GIVE_UP[lang], context=PEAK)
    assert leaving.reply is not None and leaving.reply.text == replies.say("wait_callback_offer", lang)
    assert not state.tickets and leaving.ticket is None
    assert state.outcome is Outcome.TRANSFERRED


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_caller_who_takes_up_the_callback_offered_at_peak_is_booked_one_with_its_promise(
    engine: BotEngine, lang: str
) -> None:
    state, (_, _, accepted) = _call(engine, lang, ASK[lang], GIVE_UP[lang], TAKE_UP[lang], context=PEAK)
    [ticket] = state.tickets
    assert ticket.type is TicketType.CALLBACK and accepted.ticket is ticket
    assert ticket.linked_call_ids == ["CALL-W"] and ticket.customer_id == "C900"
    line = hours.line_for(engine.settings.hours, lang)
    promise = hours.promise_text(ticket.sla_due, lang, line.timezone, now=accepted.heard.at)  # type: ignore[arg-type]
    expected = replies.say("callback_accepted", lang, promise=promise[0].lower() + promise[1:])
    assert accepted.reply is not None and accepted.reply.text == expected
    assert ticket.sla_due is not None and ticket.sla_due > accepted.heard.at
    assert state.closed and state.outcome is Outcome.TRANSFERRED


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_caller_who_turns_down_the_callback_offered_at_peak_is_let_go_without_one(
    engine: BotEngine, lang: str
) -> None:
    state, (_, _, declined) = _call(engine, lang, ASK[lang], GIVE_UP[lang], TURN_DOWN[lang], context=PEAK)
    assert declined.reply is not None and declined.reply.text == replies.say("wait_goodbye", lang)
    assert not state.tickets and state.closed


@pytest.mark.parametrize(
    ("lang", "ask"),
    [("zh", "排队太久了，能不能让人晚点给我打个电话？"), ("en", "Could someone just ring me back instead?")],
)
def test_a_waiting_caller_who_asks_for_a_callback_is_booked_one(
    engine: BotEngine, lang: str, ask: str
) -> None:
    state, (_, asked) = _call(engine, lang, ASK[lang], ask, context=PEAK)
    [ticket] = state.tickets
    assert ticket.type is TicketType.CALLBACK and asked.ticket is ticket
    assert asked.reply is not None and asked.reply.text.startswith(
        replies.say("callback_accepted", lang, promise="")[:4]
    )


@pytest.mark.parametrize(
    ("lang", "leave"),
    [("zh", "算了，我不等了，晚点再打吧，拜拜。"), ("en", "Forget it, I'll ring back later. Bye.")],
)
def test_a_caller_who_leaves_a_short_queue_is_let_go_without_a_callback(
    engine: BotEngine, lang: str, leave: str
) -> None:
    state, (_, leaving) = _call(engine, lang, ASK[lang], leave, context={"queue_waiting": 2})
    assert leaving.reply is not None and leaving.reply.text == replies.say("wait_goodbye", lang)
    assert not state.tickets and leaving.ticket is None and state.closed


@pytest.mark.parametrize(
    ("lang", "nobody"), [("zh", "那现在没人能弄是吧？"), ("en", "So there's no one who can do it tonight?")]
)
def test_a_caller_asking_whether_nobody_can_do_it_now_hears_when_the_callback_comes(
    engine: BotEngine, lang: str, nobody: str
) -> None:
    state, (booked, asked) = _call(engine, lang, ASK_NIGHT[lang], nobody, at=NIGHT)
    assert booked.decided is Outcome.CALLBACK
    assert asked.reply is not None
    assert asked.reply.text == replies.say("callback_nobody_now", lang, promise=TOMORROW_10[lang])
    assert asked.reply.text != replies.say("callback_noted", lang) and not state.closed


@pytest.mark.parametrize(
    ("lang", "other", "number", "last4"),
    [
        ("zh", "行吧，明早我都在，打我另一个号码也行吗？", "号码是139 1234 5678。", "5678"),
        (
            "en",
            "Could you ring my work phone instead?",
            "It's oh seven seven double oh, nine double oh three five nine.",
            "0359",
        ),
    ],
)
def test_a_caller_asking_to_be_called_on_another_number_is_asked_for_it_and_it_goes_on_the_callback(
    engine: BotEngine, lang: str, other: str, number: str, last4: str
) -> None:
    state, (_, asked, given) = _call(engine, lang, ASK_NIGHT[lang], other, number, at=NIGHT)
    assert asked.reply is not None and asked.reply.text == replies.say("callback_other_number", lang)
    assert given.reply is not None
    assert given.reply.text == replies.say("callback_number", lang, last4=last4, promise=TOMORROW_10[lang])
    [ticket] = state.tickets
    assert state.details["callback_phone"].endswith(last4) and last4 in ticket.notes[-1].text
    assert "callback_phone" in engine.packet(state).details


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lines_noted_with_a_callback_are_not_noted_in_the_same_words_twice_in_a_row(
    engine: BotEngine, lang: str
) -> None:
    _, (_, *noted) = _call(engine, lang, ASK_NIGHT[lang], *ASIDES[lang][:3], at=NIGHT)
    said = _replies(noted)
    assert said[0] == replies.say("callback_noted", lang)
    assert len(set(said)) == 3


@pytest.mark.parametrize(
    ("line", "nobody", "other"),
    [
        ("那现在没人能弄是吧？", True, False),
        ("So nobody can sort it until tomorrow?", True, False),
        ("打我另一个号码也行吗？", False, True),
        ("Can you ring my landline instead?", False, True),
        ("我的号码被冻结了，现在能用了吗？", False, False),
        ("Can you call me on Monday instead?", False, False),
    ],
)
def test_only_lines_about_the_callback_itself_are_read_as_nobody_now_or_another_number(
    line: str, nobody: bool, other: bool
) -> None:
    assert (asks_nobody_now(line), asks_other_number(line)) == (nobody, other)
