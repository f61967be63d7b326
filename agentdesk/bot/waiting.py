"""What the bot says to a caller waiting for an adviser, once a transfer is decided.

Never its own goodbye: the caller would hang up and lose their place. A caller who says they
are going is let go politely (what they said is on record); a question about the wait is
answered with the queue; a question the KB answers is answered; anything else is noted. Each
ends with a hold line that fits the queue: no instant adviser is promised in a busy one.
"""

from __future__ import annotations

from collections.abc import Callable

from agentdesk.bot import replies
from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.state import CallState
from agentdesk.nlp.kb import KBMatch
from agentdesk.nlp.moves import asks_wait, says_leaving

BUSY_QUEUE = 10
"""Waiting transfers from which the bot warns of a wait."""


def answers_meanwhile(a: LineAnalysis) -> bool:
    """A question the KB answers (not a procedure only a person can do): answered while the
    caller waits for an adviser or a callback."""
    answer = a.kb.answer
    return answer is not None and not answer.article.procedure and a.is_question


def while_waiting(state: CallState, a: LineAnalysis, read: Callable[[KBMatch], str]) -> str:
    """The bot's line to a caller waiting for an adviser; `read` reads a KB answer out."""
    lang = state.language
    if says_leaving(a.text):
        state.closed = True
        return replies.say("wait_goodbye", lang)
    waiting = state.context.get("queue_waiting", 0)
    hold = replies.say("adviser_busy" if waiting >= BUSY_QUEUE else "adviser_soon", lang)
    if asks_wait(a.text):
        return replies.say("queue_position", lang, n=waiting) if waiting else hold
    if answers_meanwhile(a) and a.kb.answer is not None:
        return replies.join(lang, read(a.kb.answer), hold)
    lead = "welcome" if a.is_small_talk and a.closing.found else "noted"
    return replies.join(lang, replies.say(lead, lang), hold)
