"""What the bot says to a caller waiting for an adviser or a callback, once either is decided.

Never its own goodbye while an adviser is coming: the caller would hang up and lose their
place. A caller who says they are going is let go politely (what they said is on record); at
peak a callback is booked for them first, so giving up on the queue does not mean ringing
again. A question about the wait is answered with the queue; a question the KB answers is
answered; a new problem is added for the adviser; anything else is noted. Each ends with a
hold line that fits the queue: no instant adviser is promised in a busy one.

Waiting for a callback (off hours), "nobody can do it now?" is answered with the callback's
promise, and "can you ring my other number?" with a yes and a request for the number; a number
the caller gives goes on the callback ticket.

A caller who speaks again and again while waiting hears a different wording each time
(`replies.vary`), never the same sentence twice in a row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agentdesk.bot import replies
from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.state import CallState
from agentdesk.domain import hours
from agentdesk.domain.models import Speaker, Ticket, TicketNote, TicketType
from agentdesk.domain.transfers import HandoffPacket
from agentdesk.nlp.kb import KBMatch
from agentdesk.nlp.moves import asks_nobody_now, asks_other_number, asks_wait, says_leaving

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


def answers_meanwhile(a: LineAnalysis) -> bool:
    """A question the KB answers (not a procedure only a person can do): answered while the
    caller waits for an adviser or a callback."""
    answer = a.kb.answer
    return answer is not None and not answer.article.procedure and a.is_question


def while_waiting(state: CallState, a: LineAnalysis, m: Meanwhile) -> str:
    """The bot's line to a caller waiting for an adviser."""
    lang = state.language
    waiting = state.context.get("queue_waiting", 0)
    busy = waiting >= BUSY_QUEUE
    if says_leaving(a.text):
        state.closed = True
        if not busy:
            return replies.say("wait_goodbye", lang)
        # at peak the queue may well outlast the caller's patience again: the callback spares
        # them another try, and the promise tells them when
        return replies.say("wait_callback", lang, promise=_promise(_book(state, m), lang, m))
    again = said_while_waiting(state)
    hold = replies.vary("adviser_busy" if busy else "adviser_soon", lang, again)
    if asks_wait(a.text):
        return replies.say("queue_position", lang, n=waiting) if waiting else hold
    if answers_meanwhile(a) and a.kb.answer is not None:
        return replies.join(lang, m.read(a.kb.answer), hold)
    if a.is_small_talk and a.closing.found:
        lead = replies.say("welcome", lang)
    else:
        lead = replies.vary("added_for_adviser" if new_problem(state, a) else "noted", lang, again)
    return replies.join(lang, lead, hold)


def while_callback(state: CallState, a: LineAnalysis, m: Meanwhile) -> str:
    """The bot's line to a caller whose callback is booked (no adviser is on)."""
    lang = state.language
    ticket = next((t for t in reversed(state.tickets) if t.type is TicketType.CALLBACK), None)
    leaving = (a.is_small_talk and a.closing.found) or says_leaving(a.text)
    goodbye = replies.say("goodbye", lang) if leaving else ""
    state.closed = state.closed or leaving
    phone = a.details.get("phone")
    if phone and ticket is not None:
        _note_number(state, ticket, phone, m.at)
        last4 = re.sub(r"\D", "", phone)[-4:]
        number = replies.say("callback_number", lang, last4=last4, promise=_promise(ticket, lang, m))
        return replies.join(lang, number, goodbye)
    if leaving:
        return goodbye
    if asks_other_number(a.text):
        return replies.say("callback_other_number", lang)
    if asks_nobody_now(a.text) and ticket is not None:
        return replies.say("callback_nobody_now", lang, promise=_promise(ticket, lang, m))
    if answers_meanwhile(a) and a.kb.answer is not None:
        return m.read(a.kb.answer)
    return replies.vary("callback_noted", lang, said_while_waiting(state))


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
    """The ticket's promise as the bot says it ("call back by 10:00 tomorrow", 明天上午10:00前回电)."""
    line = hours.line_for(m.hours, lang)
    promise = hours.promise_text(ticket.sla_due or m.at, lang, line.timezone, now=m.at)
    return promise[0].lower() + promise[1:]


def _note_number(state: CallState, ticket: Ticket, phone: str, at: datetime) -> None:
    """Keep the number the caller gave as the callback number: in the details (so the packet
    shows it) and as a note on the callback ticket (the server masks it by role)."""
    state.details["callback_phone"] = phone
    label = "回电号码：" if ticket.language == "zh" else "Callback number: "
    ticket.notes.append(TicketNote(at=at, author="bot", kind="system", text=label + phone))
