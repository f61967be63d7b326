"""Off hours with a callback booked: the time the caller names is what the ticket promises (or
the bot says the soonest the centre can do), a vague time is noted rather than guessed, the
bot still reads out what the KB tells the caller to do, and a bare request for a person is
asked what it is about before a callback is booked."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from agentdesk.bot import replies
from agentdesk.bot.engine import BotEngine, BotTurn
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain import hours
from agentdesk.domain.models import Customer, Ticket, TicketType

AT = {
    "en": datetime.fromisoformat("2026-11-28T15:30:00+00:00"),  # Saturday afternoon, London closed
    "zh": datetime.fromisoformat("2026-11-25T22:15:00+08:00"),  # Wednesday night, Shanghai closed
}
# a request for a person that names the topic: booked at once
BOOK = {"en": "I want to speak to a person about my parcel", "zh": "我要找人工，问下快递的事"}
PARCEL = {
    "en": "it says delivered but it never came, I've checked with the neighbours and everything",
    "zh": "显示已经签收了，但我根本没收到包裹，邻居那儿也问过了",
}


def _call(engine: BotEngine, lang: str, *lines: str) -> tuple[CallState, list[BotTurn]]:
    customer = Customer(id="C900", name="李娜" if lang == "zh" else "Jane Doe", language=lang)
    state, _ = engine.start("CALL-CB", lang, AT[lang], customer=customer)
    turns = [
        engine.hear(state, line, AT[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


def _callback(state: CallState) -> Ticket:
    [ticket] = state.tickets
    assert ticket.type is TicketType.CALLBACK
    return ticket


def _said(turn: BotTurn) -> str:
    assert turn.reply is not None
    return turn.reply.text


@pytest.mark.parametrize(
    ("lang", "line", "due", "when", "promise"),
    [
        (
            "en",
            "could they ring after two on Monday instead, I'm at work in the morning",
            "2026-11-30T14:00:00+00:00",
            "on Monday after 14:00",
            "Call back on Monday 30 November after 14:00",
        ),
        (
            "zh",
            "上午我在开会接不了 明天下午两点以后打吧",
            "2026-11-26T14:00:00+08:00",
            "明天下午两点后",
            "11月26日（周四）下午两点后回电",
        ),
    ],
)
def test_a_callback_time_the_caller_names_becomes_the_tickets_promise_and_due_time(
    engine: BotEngine, lang: str, line: str, due: str, when: str, promise: str
) -> None:
    state, (booked, named) = _call(engine, lang, BOOK[lang], line)
    assert booked.decided is Outcome.CALLBACK
    ticket = _callback(state)
    assert ticket.sla_due == datetime.fromisoformat(due)
    assert ticket.promise == promise
    assert _said(named) == replies.say("callback_time_set", lang, when=when)
    wish = ticket.notes[-1].text  # their words for it, and the window advisers can call in
    assert (words := line.split(",")[0] if lang == "en" else line.split()[-1]) in wish, words
    assert "14:00–18:00" in wish
    assert not state.closed


@pytest.mark.parametrize(
    ("lang", "line", "wish", "instead", "due"),
    [
        (
            "en",
            "could they ring after 7pm on Monday",
            "on Monday after 19:00",
            "on Tuesday from 09:00",
            "2026-12-01T09:00:00+00:00",
        ),
        ("zh", "明天晚上八点以后打吧", "明天晚上八点后", "后天上午九点起", "2026-11-27T09:00:00+08:00"),
    ],
)
def test_a_callback_time_outside_opening_hours_gets_the_soonest_time_the_centre_can_call(
    engine: BotEngine, lang: str, line: str, wish: str, instead: str, due: str
) -> None:
    state, (_, named) = _call(engine, lang, BOOK[lang], line)
    ticket = _callback(state)
    assert _said(named) == replies.say("callback_time_outside", lang, wish=wish, when=instead)
    assert ticket.sla_due == datetime.fromisoformat(due)
    assert line in ticket.notes[-1].text  # the wish itself stays on record for the adviser


@pytest.mark.parametrize(("lang", "line"), [("en", "could you call after work"), ("zh", "下班后再打吧")])
def test_a_callback_time_too_vague_to_read_is_noted_for_the_adviser_and_the_promise_stands(
    engine: BotEngine, lang: str, line: str
) -> None:
    state, (booked, vague) = _call(engine, lang, BOOK[lang], line)
    ticket = _callback(state)
    assert booked.ticket is not None and ticket.sla_due == booked.ticket.sla_due
    promise = "call back by 10:00 on Monday 30 November" if lang == "en" else "明天上午10:00前回电"
    assert _said(vague) == replies.say("callback_time_noted", lang, words=line, promise=promise)
    assert line in ticket.notes[-1].text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_off_hours_a_question_only_a_person_can_finish_hears_the_first_steps_and_keeps_the_callback(
    engine: BotEngine, lang: str
) -> None:
    state, (booked, asked) = _call(engine, lang, BOOK[lang], PARCEL[lang])
    assert booked.decided is Outcome.CALLBACK
    answer = asked.analysis.kb.answer
    assert answer is not None and answer.article.procedure
    said = _said(asked)
    assert ("parcel lockers" in said) if lang == "en" else ("快递柜" in said)
    assert said.endswith(replies.say("callback_rest", lang))
    assert "put you through" not in said and "转接" not in said
    assert state.outcome is Outcome.CALLBACK and PARCEL[lang] in _callback(state).notes[-1].text


@pytest.mark.parametrize(("lang", "bare"), [("en", "Agent, please."), ("zh", "给我转人工。")])
def test_off_hours_a_bare_request_for_a_person_is_asked_what_it_is_about_before_a_callback(
    engine: BotEngine, lang: str, bare: str
) -> None:
    _, (asked, told) = _call(engine, lang, bare, PARCEL[lang])
    assert _said(asked) == replies.say("callback_offer", lang)
    assert asked.decided is None and asked.ticket is None
    assert told.decided is Outcome.CALLBACK and told.ticket is not None
    said = _said(told)
    assert ("parcel lockers" in said) if lang == "en" else ("快递柜" in said)
    assert PARCEL[lang] in told.ticket.notes[0].text  # the callback carries the problem


@pytest.mark.parametrize(
    ("lang", "bare", "bye"),
    [("en", "Agent, please.", "No, that's fine. Bye."), ("zh", "给我转人工。", "那算了，再见。")],
)
def test_a_caller_told_advisers_are_closed_who_says_goodbye_gets_no_callback(
    engine: BotEngine, lang: str, bare: str, bye: str
) -> None:
    state, (_, left) = _call(engine, lang, bare, bye)
    assert _said(left) == replies.say("goodbye", lang)
    assert not state.tickets and state.closed and state.outcome is Outcome.CONTAINED


@pytest.mark.parametrize(
    ("lang", "line", "due", "when"),
    [
        (
            "en",
            "I want to speak to a person about my parcel, can they ring me on Monday after 3pm",
            "2026-11-30T15:00:00+00:00",
            "on Monday after 15:00",
        ),
        (
            "zh",
            "我要找人工，问下快递的事，明天下午三点左右打给我吧",
            "2026-11-26T14:30:00+08:00",
            "明天下午三点左右",
        ),
    ],
)
def test_a_callback_time_named_with_the_request_for_a_person_is_booked_for_that_time(
    engine: BotEngine, lang: str, line: str, due: str, when: str
) -> None:
    state, (booked,) = _call(engine, lang, line)
    assert booked.decided is Outcome.CALLBACK
    assert _callback(state).sla_due == datetime.fromisoformat(due)
    expected = replies.join(
        lang, replies.say("callback_booked", lang), replies.say("callback_time_set", lang, when=when)
    )
    assert _said(booked) == expected


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "I want to speak to a person, I called on Friday and nobody rang me back"),
        ("zh", "我要找人工，我周五打过电话了，到现在都没人回"),
    ],
)
def test_a_day_the_caller_mentions_in_passing_does_not_move_the_callback(
    engine: BotEngine, lang: str, line: str
) -> None:
    state, (booked,) = _call(engine, lang, line)
    ticket = _callback(state)
    line_hours = hours.line_for(engine.settings.hours, lang)
    assert ticket.sla_due == hours.callback_due(line_hours, AT[lang])
    assert booked.reply is not None and ticket.promise == hours.promise_text(
        ticket.sla_due, lang, line_hours.timezone
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_first_request_for_a_person_that_names_only_a_topic_is_booked_and_asked_what_happened(
    engine: BotEngine, lang: str
) -> None:
    _, (booked,) = _call(engine, lang, BOOK[lang])
    assert booked.decided is Outcome.CALLBACK
    said = _said(booked)
    assert said.endswith(replies.say("callback_tell_me", lang))
    assert said.startswith(replies.say("callback", lang, promise="")[:12])


@pytest.mark.parametrize(
    ("lang", "suits"), [("en", "Monday morning suits me."), ("zh", "好，明天上午我都方便。")]
)
def test_a_caller_who_says_the_promised_time_suits_hears_it_confirmed_and_the_promise_stands(
    engine: BotEngine, lang: str, suits: str
) -> None:
    state, (booked, confirmed) = _call(engine, lang, BOOK[lang], suits)
    ticket = _callback(state)
    assert booked.ticket is not None and ticket.sla_due == booked.ticket.sla_due
    when = "on Monday morning" if lang == "en" else "明天上午"
    assert _said(confirmed) == replies.say("callback_time_set", lang, when=when)
    assert suits.removeprefix("好，").rstrip("。.") in ticket.notes[-1].text  # the clause naming it


@pytest.mark.parametrize(
    ("lang", "declined", "opening"),
    [
        (
            "en",
            "No, please don't book anything. I'll ring back tomorrow myself.",
            "at 09:00 on Monday 30 November",
        ),
        ("zh", "不用了，不用给我回电，我明天自己打过来。", "明天上午9:00"),
    ],
)
def test_a_caller_who_turns_down_the_callback_just_booked_has_it_cancelled_and_hears_when_advisers_are_in(
    engine: BotEngine, lang: str, declined: str, opening: str
) -> None:
    state, (booked, cancelled) = _call(engine, lang, BOOK[lang], declined)
    assert booked.decided is Outcome.CALLBACK and booked.ticket is not None
    assert not state.tickets, "no callback is filed against the caller's wishes"
    assert state.outcome is Outcome.CONTAINED and state.closed
    assert "asked-for-human" in {str(r) for r in state.rules}, "the ledger still says why a person was wanted"
    assert _said(cancelled) == replies.say("callback_cancelled_opening", lang, opening=opening)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "No, that's all, thanks."),
        ("zh", "没有了，谢谢。"),
        ("en", "They promised me a callback last week and nobody rang."),
        # a time, another number or a call wanted: the callback moves, it is not turned down
        ("en", "Please don't call me before ten, I'm on the school run"),
        ("en", "Tomorrow afternoon is best, don't ring me in the morning"),
        ("zh", "上午不要给我打，下午两点以后可以"),
        ("zh", "别给我打座机，打我手机就行"),
        ("en", "Don't book the engineer yet, just have someone call me"),
    ],
)
def test_a_no_that_is_not_about_the_callback_keeps_it_booked(engine: BotEngine, lang: str, line: str) -> None:
    state, _ = _call(engine, lang, BOOK[lang], line)
    assert _callback(state).type is TicketType.CALLBACK and state.outcome is Outcome.CALLBACK
