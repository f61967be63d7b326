"""The bot's "Is it about <article>?": when to ask it, and how the caller's answer is read.

A match the bot is not sure enough to answer (below `bot.kb_threshold`) but that is plausible
(from `bot.confirm_threshold`) is offered back rather than met with a general clarify
question. A yes answers it, unless the line goes on to ask for a person or a callback instead;
a no is neither dissatisfaction with an answer nor, when bare, another miss; an okay opening a line that goes on to ask something else is not a yes.
"""

from __future__ import annotations

from dataclasses import replace

from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.state import CallState
from agentdesk.nlp.detection import Detection
from agentdesk.nlp.kb import KBMatch
from agentdesk.nlp.moves import ConfirmReply, confirm_reply

_NOT_FOUND = Detection(False, 0.0)


def read_reply(a: LineAnalysis, offered: KBMatch | None) -> tuple[LineAnalysis, ConfirmReply | None]:
    """The line read as an answer to the bot's offer of `offered` (None: nothing was offered).

    Returns the analysis as the rules should see it (a yes answers the offered article; a yes
    or no is no verdict on an answer; a bare no asks the KB nothing) and the reply, whose
    `answer` is None when the line does not answer the offer.
    """
    if offered is None:
        return a, None
    reply = confirm_reply(a.text)
    if reply.answer == "yes" and a.human.found and not offered.article.procedure:
        # "Yes please. Can someone ring me back?": the person is what the line asks for, not the
        # article read out; a yes to what only a person can do ("Okay. Can someone do it for me
        # now?") still says what the call is about
        reply = replace(reply, answer=None)
    if reply.soft and a.kb.answer is not None and a.kb.answer.article.id != offered.article.id:
        # "Okay, and what about roaming?": the rest asks about something the KB answers itself
        reply = replace(reply, answer=None)
    if reply.answer is None:
        return a, reply
    a = replace(a, dissatisfied=_NOT_FOUND, unresolved=_NOT_FOUND)
    if reply.answer == "yes":
        threshold = min(a.kb.threshold, offered.confidence)
        return replace(a, kb=replace(a.kb, matches=(offered,), threshold=threshold)), reply
    if not reply.rest:
        return replace(a, kb=replace(a.kb, matches=())), reply
    return a, reply


def heard_with_offer(answered: list[str], offered: KBMatch | None, text: str) -> list[str]:
    """The articles a line may follow up on: those read in the call, and the one just offered
    when the caller goes on about it without a yes or a no ("Is it about autopay?" -> "And
    if there's not enough money on it that day, what happens then?")."""
    if offered is None or confirm_reply(text).answer is not None:
        return answered
    return [*answered, offered.article.id]


def is_bare_no(reply: ConfirmReply | None) -> bool:
    """A plain no, saying nothing else: the miss the offer was about stays counted once."""
    return reply is not None and reply.answer == "no" and not reply.rest


def to_offer(state: CallState, a: LineAnalysis, confirm_threshold: float) -> KBMatch | None:
    """The match to offer back for a question the KB did not answer, or None. An article the
    caller has already heard is not offered: asking about it again helps nobody."""
    best = a.kb.best
    if not a.is_question or best is None or best.confidence < confirm_threshold:
        return None
    return None if best.article.id in state.answered else best
