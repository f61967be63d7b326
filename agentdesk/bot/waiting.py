"""What the bot says to a caller waiting for an adviser or a callback, once either is decided.

Never its own goodbye while an adviser is coming: the caller would hang up and lose their
place. A caller who says they are going is let go politely (what they said is on record); at
peak a callback is offered first, so giving up on the queue need not mean ringing again, and
booked only if they take it up (SPEC 4 and 5 promise no callback nobody asked for). A caller
who asks to be rung back instead is booked one. A question about the wait is answered with
the queue; a question the KB answers (or asked again: "what was the day pack price?") is
answered, and one their own order answers ("so when will it get here?"); a new problem is
added for the adviser; hesitation ("uh… hmm") is met with "take your time"; anything else is
noted. Each ends with a hold line that fits the queue: no instant adviser is promised in a
busy one.

Waiting for a callback (off hours), "nobody can do it now?" is answered with the callback's
promise, and "can you ring my other number?" with a yes and a request for the number; a number
the caller gives goes on the callback ticket. A time the caller names ("after two on Monday",
明天下午两点以后) moves the callback there when advisers are on then (otherwise the bot says
the soonest it can be; "after five is best", naming no day, is kept on the first day advisers
are on then), and goes on the ticket in their words; a time too vague to read is
noted, never guessed (`callback_time`). A question the KB answers is answered; for a procedure
only a person can do, the bot reads the steps the caller can take and leaves the rest to the
callback. What else the caller adds goes on the ticket as they said it.

Off hours, a caller who asks for a person before saying what about is told nobody is on and
asked what it is about (`offer_before_booking`): the bot may answer it now; the callback is
booked on their next line unless they say goodbye. A procedure only a person can do, whose
steps the bot has read, is offered a callback the same way rather than booked one.

A caller who speaks again and again while waiting hears a different wording each time
(`replies.vary`), never the same sentence twice in a row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from agentdesk.bot import replies
from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.callback_request import asks_for_callback, declines_callback
from agentdesk.bot.callback_time import CallbackTime, asks_callback, read_callback_time
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain import callback_window, hours
from agentdesk.domain.callback_window import WindowKind
from agentdesk.domain.models import Speaker, Ticket, TicketNote, TicketType
from agentdesk.domain.transfers import HandoffPacket, TriggerEntry, TriggerRule
from agentdesk.nlp.kb import KBMatch, without_handover
from agentdesk.nlp.moves import asks_nobody_now, asks_other_number, asks_wait, confirm_reply, says_leaving
from agentdesk.nlp.text import search_terms

UPSET = 2
"""Emotion level (0 calm .. 4) from which a waiting caller's line is met with empathy first."""
BUSY_QUEUE = 10
"""Waiting transfers from which the bot warns of a wait."""


@dataclass
class Meanwhile:
    """What the engine lends the lines said to a waiting caller."""

    at: datetime
    """When the caller spoke."""
    hours: hours.HoursByLine
    """Opening hours, for the time a callback is promised."""
    read: Callable[[KBMatch], str]
    """Reads a KB answer out (the article then counts as heard)."""
    packet: Callable[[], HandoffPacket]
    """The call's handoff packet as it stands, for a callback ticket."""
    booked: Ticket | None = None
    """A callback ticket booked on this line; the engine files it with the turn."""
    account: str = ""
    """What the caller's own account says to the line (when the order just read arrives, what a
    charge was for), or ""."""


def answers_meanwhile(a: LineAnalysis) -> bool:
    """A question the KB answers (not a procedure only a person can do), or a request to say
    again what it answers ("Can you say the daily price again?"): answered while the caller
    waits for an adviser or a callback."""
    answer = a.kb.answer
    asked = a.is_question or (a.again is not None and not a.dissatisfied.found)
    return answer is not None and not answer.article.procedure and asked


def while_waiting(state: CallState, a: LineAnalysis, m: Meanwhile) -> str:
    """The bot's line to a caller waiting for an adviser."""
    lang = state.language
    waiting = state.context.get("queue_waiting", 0)
    busy = waiting >= BUSY_QUEUE
    if state.callback_offered:  # the caller's answer to "shall I book you a callback?"
        state.callback_offered = False
        taken = taken_up(state, a)
        if taken is not None:
            state.closed = True
        if taken == "yes":
            return replies.say("callback_accepted", lang, promise=_promise(_book(state, m), lang, m))
        if taken == "no":
            return replies.say("wait_goodbye", lang)
    if asks_for_callback(a.text):  # "could someone ring me back instead?": asked, so booked
        state.closed = True
        return replies.say("callback_accepted", lang, promise=_promise(_book(state, m), lang, m))
    if says_leaving(a.text):
        state.closed = not busy
        if not busy:
            return replies.say("wait_goodbye", lang)
        # at peak the queue may well outlast the caller's patience again: a callback would spare
        # them another try, so it is offered; booked only if they take it up
        state.callback_offered = True
        return replies.say("wait_callback_offer", lang)
    again = said_while_waiting(state)
    hold = replies.vary("adviser_busy" if busy else "adviser_soon", lang, again)
    if asks_wait(a.text):
        return replies.say("queue_position", lang, n=waiting) if waiting else hold
    if answers_meanwhile(a) and a.kb.answer is not None:
        return replies.join(lang, m.read(a.kb.answer), hold)
    if m.account:  # their own order or bill answers it ("so when will it get here?")
        return replies.join(lang, m.account, hold)
    if a.aside:  # "uh… hmm", "hang on, love": nothing said to note
        return replies.join(lang, replies.say("take_your_time", lang), hold)
    if a.is_small_talk and a.closing.found:
        lead = replies.say("welcome", lang)
    elif a.emotion.level >= UPSET:  # an upset caller hears that they are heard, not a flat "noted"
        lead = replies.vary("noted_upset", lang, again)
    else:
        lead = replies.vary("added_for_adviser" if new_problem(state, a) else "noted", lang, again)
    return replies.join(lang, lead, hold)


def while_callback(state: CallState, a: LineAnalysis, m: Meanwhile) -> str:
    """The bot's line to a caller whose callback is booked (no adviser is on)."""
    lang = state.language
    ticket = next((t for t in reversed(state.tickets) if t.type is TicketType.CALLBACK), None)
    if ticket is not None and _turns_down(state, a, ticket, m):
        return _cancel_callback(state, ticket, m)
    leaving = (a.is_small_talk and a.closing.found) or says_leaving(a.text)
    goodbye = replies.say("goodbye", lang) if leaving else ""
    state.closed = state.closed or leaving
    phone = a.details.get("phone")
    if phone and ticket is not None:
        _note_number(state, ticket, phone, m.at)
        last4 = re.sub(r"\D", "", phone)[-4:]
        number = replies.say("callback_number", lang, last4=last4, promise=_promise(ticket, lang, m))
        return replies.join(lang, number, goodbye)
    if asks_nobody_now(a.text) and ticket is not None:  # "no one tonight?" names no time to call
        return replies.say("callback_nobody_now", lang, promise=_promise(ticket, lang, m))
    named = named_time(state, a, ticket, m) if ticket is not None else None
    if ticket is not None and named is not None and (moved := _move_callback(state, ticket, named, m)):
        return replies.join(lang, moved, goodbye)
    if leaving:
        return goodbye
    if asks_other_number(a.text):
        return replies.say("callback_other_number", lang)
    answer = a.kb.answer
    if answers_meanwhile(a) and answer is not None:
        return m.read(answer)
    if m.account:
        return m.account
    if a.aside:
        return replies.say("take_your_time", lang)
    if ticket is not None and named is None and len(set(search_terms(a.text))) >= 2:  # not "hmm ok"
        _note_line(ticket, a.text, m.at)
    procedure = answer is not None and answer.article.procedure and a.is_question
    # the steps the article gives the caller now; the person-only part is the callback's
    if procedure and answer is not None and (steps := without_handover(m.read(answer), lang)):
        return replies.join(lang, steps, replies.say("callback_rest", lang))
    if named is not None and named.window is not None:  # "明天上午我都方便": the time promised suits
        when = callback_window.window_text(named.window, lang, now=m.at)
        return replies.say("callback_time_set", lang, when=when)
    return replies.vary("callback_noted", lang, said_while_waiting(state))


def _turns_down(state: CallState, a: LineAnalysis, ticket: Ticket, m: Meanwhile) -> bool:
    """The caller turns the booked callback down ("No, please don't book anything", 不用给我回电了),
    rather than moving it ("don't ring me before ten", 上午不要给我打，下午两点以后可以), sending
    it to another number (别给我打座机，打我手机) or asking for a call ("don't book the engineer,
    just have someone call me")."""
    if asks_other_number(a.text) or asks_for_callback(a.text):
        return False
    if declines_callback(a.text, timed=True) is not None:  # "don't book anything", 不用给我回电
        return True
    timed = named_time(state, a, ticket, m) is not None or bool(a.details.get("phone"))
    return not timed and declines_callback(a.text) is not None


def _cancel_callback(state: CallState, ticket: Ticket, m: Meanwhile) -> str:
    """The caller turns down the callback booked for them: it is withdrawn (no ticket is filed,
    the call is the bot's again, the ledger keeps why a person was wanted) and the caller is
    told when advisers are in and let go."""
    state.tickets.remove(ticket)
    state.outcome, state.decided_at_turn, state.closed = Outcome.CONTAINED, None, True
    line = hours.line_for(m.hours, state.language)
    opens = hours.next_opening(line, m.at)
    if opens is None:
        return replies.say("callback_cancelled", state.language)
    when = hours.opening_text(opens, state.language, line.timezone, now=m.at)
    return replies.say("callback_cancelled_opening", state.language, opening=when)


OFFERS = ("callback_offer_procedure", "wait_callback_offer")
"""The bot's lines offering a callback nobody asked for yet."""


def taken_up(state: CallState, a: LineAnalysis) -> str | None:
    """The caller's answer to the bot's offer of a callback: `yes` (a yes, "please call me
    back"), `no` (a no, goodbye, "I'll sort it myself"), or None when the line answers neither.
    A yes counts right after the offer ("Okay, Monday is fine. Thank you."); once the bot has
    answered something else, "好的，谢谢，再见" thanks it for that and says goodbye."""
    reply = confirm_reply(a.text)
    leaving = (a.is_small_talk and a.closing.found) or says_leaving(a.text)
    said = [u.text for u in state.utterances[:-1] if u.speaker is Speaker.BOT]
    just_offered = bool(said) and any(said[-1].endswith(replies.say(k, state.language)) for k in OFFERS)
    if asks_for_callback(a.text) or (reply.answer == "yes" and (just_offered or not leaving)):
        return "yes"
    if reply.answer == "no" or leaving:
        return "no"
    return None


def offer_before_booking(state: CallState, a: LineAnalysis, entries: list[TriggerEntry]) -> str | None:
    """Off hours, the bot's line instead of booking a callback, or None to book it.

    A procedure only a person can do, whose steps the bot has just read ("过户要怎么办"), is
    offered a callback rather than booked one: the caller may not need it. Their next line
    books it (a yes, a request for a person, a question the bot cannot answer), turns it down
    (a no, goodbye: let go politely) or asks something the KB answers (answered, the offer
    stands).

    A caller who asks for a person before saying anything about what ("Agent, please.",
    给我转人工) is told nobody is on and asked what it is about: the bot may answer it now, and
    the callback then carries the problem. A line that names a topic ("... about a double
    charge") is booked at once. A caller told so who then says goodbye is let go without a
    callback.
    """
    rules = {e.rule for e in state.ledger}
    lang = state.language
    if state.callback_offered:
        state.callback_offered = False
        taken = taken_up(state, a)
        if taken == "no":
            state.closed = True
            return replies.say("wait_goodbye", lang)
        if taken is None and not a.human.found and answers_meanwhile(a):
            state.callback_offered = True
            return ""  # the answer read on this line is all it needs
        if taken is None and not a.human.found and a.aside:
            state.callback_offered = True  # "um… hmm", "hang on, love": the offer still stands
            return replies.say("take_your_time", lang)
        return None
    answer = a.kb.answer
    first = all(e in entries for e in state.ledger)
    if (
        first
        and rules == {TriggerRule.NO_ANSWER}
        and answer is not None
        and answer.article.procedure
        and answer.article.id in state.answered
    ):
        state.callback_offered = True
        return replies.say("callback_offer_procedure", lang)
    if rules != {TriggerRule.ASKED_FOR_HUMAN}:
        return None
    if any(e not in entries for e in state.ledger):  # told already: now it is booked, or goodbye
        if a.is_small_talk and a.closing.found and not a.human.found:
            state.closed = True
            return replies.say("goodbye", state.language)
        return None
    earlier = [x for x in state.analyses if x is not a]
    said_what = any(x.is_question or x.request.category != "general" for x in earlier) or any(
        x.kb.answer is not None or x.complaint.found or x.details or x.request.category != "general"
        for x in (*earlier, a)
    )
    return None if said_what else replies.say("callback_offer", state.language)


def callback_booked(state: CallState, a: LineAnalysis, ticket: Ticket, m: Meanwhile) -> str:
    """What the bot says on booking `ticket`: the usual promise, or the time the caller names on
    the same line ("can someone ring me tomorrow after three?"). A bare day on that line is
    not read: "I paid on Friday" says when something happened, not when to call."""
    lang = state.language
    named = named_time(state, a, ticket, m, days=False)
    if named is not None and (moved := _move_callback(state, ticket, named, m)):
        return replies.join(lang, replies.say("callback_booked", lang), moved)
    booked = replies.say("callback", lang, promise=_promise(ticket, lang, m))
    # "a person about a parcel" as the first words: the problem itself is still to come, and
    # the bot may answer it before the callback does
    first = all(x is a for x in state.analyses)
    if first and a.human.found and a.kb.answer is None and state.rules == {TriggerRule.ASKED_FOR_HUMAN}:
        return replies.join(lang, booked, replies.say("callback_tell_me", lang))
    return booked


def named_time(
    state: CallState, a: LineAnalysis, ticket: Ticket, m: Meanwhile, *, days: bool = True
) -> CallbackTime | None:
    """The callback time the caller's line names, if any; a time without a day is on the day
    already promised. A bare day ("Monday's fine") counts only on a line about the call, and
    only with `days`."""
    line = hours.line_for(m.hours, state.language)
    promised = ticket.sla_due.astimezone(ZoneInfo(line.timezone)).date() if ticket.sla_due else None
    named = read_callback_time(a.text, state.language, now=m.at, timezone=line.timezone, default_day=promised)
    if named is not None and named.window is not None and named.window.kind is WindowKind.DAY:
        about_the_call = asks_callback(a.text, state.language) or a.is_small_talk
        return named if days and about_the_call else None
    return named


def _move_callback(state: CallState, ticket: Ticket, named: CallbackTime, m: Meanwhile) -> str:
    """Move the callback to the time the caller named, or say why not; the wish goes on the
    ticket in the caller's words either way. Empty when the time named is the one promised
    ("tomorrow morning's fine"): nothing to announce."""
    lang, zh = state.language, ticket.language == "zh"
    line = hours.line_for(m.hours, lang)
    window = named.window
    asked = ("客户希望回电时间：" if zh else "Callback time asked: ") + f"“{named.words}”"
    if window is None:
        check = "（无法换算，请与客户确认）" if zh else " (not read as a time: please check with the caller)"
        _note(ticket, asked + check, m.at)
        return replies.say("callback_time_noted", lang, words=named.words, promise=_promise(ticket, lang, m))
    due = callback_window.fit(window, line, m.at)
    if due is None and not named.day_named and (later := callback_window.fit_any_day(window, line, m.at)):
        window, due = later  # "after five is best": closed at five that day, so the next day open then
    wish = callback_window.window_text(window, ticket.language)
    if due is not None:
        span = callback_window.open_span(window, line, due)
        _note(ticket, f"{asked} → {wish}" + (f"（{span}）" if zh else f" ({span})"), m.at)
        if due == ticket.sla_due:
            return ""
        ticket.sla_due, ticket.promise = due, callback_window.promise(window, ticket.language)
        state.details["callback_time"] = wish
        return replies.say(
            "callback_time_set", lang, when=callback_window.window_text(window, lang, now=m.at)
        )
    soonest = callback_window.soonest(window, line, m.at)
    instead = callback_window.from_text(soonest, ticket.language)
    ticket.sla_due = soonest
    ticket.promise = f"{instead}回电" if zh else f"Call back {instead}"
    closed = "；该时段无人工服务，改为" if zh else "; advisers are not on then, promised "
    _note(ticket, f"{asked} → {wish}{closed}{instead}", m.at)
    state.details["callback_time"] = instead
    return replies.say(
        "callback_time_outside",
        lang,
        wish=callback_window.window_text(window, lang, now=m.at),
        when=callback_window.from_text(soonest, lang, now=m.at),
    )


def said_while_waiting(state: CallState) -> int:
    """How many lines the bot has said since it announced the transfer or callback."""
    since = state.utterances[state.decided_at_turn or 0 :]
    return max(0, sum(u.speaker is Speaker.BOT for u in since) - 1)


def new_problem(state: CallState, a: LineAnalysis) -> bool:
    """The line raises something the call was not about so far: a first complaint, or a request
    whose own words (宽带, "charged") name a KB category none of the caller's earlier lines was
    in. A KB match alone is too weak a sign ("my daughter is with me" is no new problem);
    reactions (thanks, "that's not it") and requests for a person are not new problems."""
    if not a.is_question:
        return False
    earlier = state.analyses[:-1] if state.analyses and state.analyses[-1] is a else state.analyses
    if a.complaint.found and not any(e.complaint.found for e in earlier):
        return True
    category = a.request.category
    named = any(not e.startswith("kb:") for e in a.request.evidence)
    return named and category != "general" and all(e.request.category != category for e in earlier)


def _book(state: CallState, m: Meanwhile) -> Ticket:
    """A callback ticket for the call, with the promise the hours allow."""
    line = hours.line_for(m.hours, state.language)
    ticket = hours.callback_ticket(m.packet(), line, m.at, call_id=state.call_id)
    state.tickets.append(ticket)
    m.booked = ticket
    return ticket


def _promise(ticket: Ticket, lang: str, m: Meanwhile) -> str:
    """The ticket's promise as the bot says it ("call back by 10:00 tomorrow", 明天上午10:00前回电);
    a time the caller asked for, as the ticket has it ("call back on Monday 30 November after 14:00")."""
    line = hours.line_for(m.hours, lang)
    due = ticket.sla_due or m.at
    usual = hours.promise_text(due, ticket.language, line.timezone)
    if ticket.promise and ticket.promise != usual and ticket.language == lang:
        promise = ticket.promise
    else:
        promise = hours.promise_text(due, lang, line.timezone, now=m.at)
    return promise[0].lower() + promise[1:]


def _note(ticket: Ticket, text: str, at: datetime) -> None:
    ticket.notes.append(TicketNote(at=at, author="bot", kind="system", text=text))


def _note_line(ticket: Ticket, text: str, at: datetime) -> None:
    """What the caller added while waiting for the callback, in their words, for the adviser."""
    _note(ticket, ("客户补充：" if ticket.language == "zh" else "Caller added: ") + text, at)


def _note_number(state: CallState, ticket: Ticket, phone: str, at: datetime) -> None:
    """Keep the number the caller gave as the callback number: in the details (so the packet
    shows it) and as a note on the callback ticket (the server masks it by role)."""
    state.details["callback_phone"] = phone
    label = "回电号码：" if ticket.language == "zh" else "Callback number: "
    ticket.notes.append(TicketNote(at=at, author="bot", kind="system", text=label + phone))
