"""The bot's dialogue engine: one customer line in, one bot line out, rules applied on the way.

Pure over its inputs (KB index, settings, the call's state): the desk's demo, the
replay CLI, the trainer and the tests all drive the same engine. After a transfer
or callback is decided the bot keeps listening in collect mode, so the packet and
the ledger keep improving while the customer waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from agentdesk.bot import account, offers, replies, say_again
from agentdesk.bot.analysis import LineAnalysis, analyze
from agentdesk.bot.callback_request import with_callback_request
from agentdesk.bot.details import merge_details, order_id_started
from agentdesk.bot.handoff import build_packet, complaint_intent, complaint_subject
from agentdesk.bot.policy import TransferPolicy, answer_did_not_help
from agentdesk.bot.state import CallState, Outcome
from agentdesk.bot.waiting import (
    BUSY_QUEUE,
    Meanwhile,
    callback_booked,
    offer_before_booking,
    while_callback,
    while_waiting,
)
from agentdesk.config import Settings
from agentdesk.domain import complaints, hours
from agentdesk.domain.models import BotMode, Customer, Speaker, Ticket, TicketNote, Utterance
from agentdesk.domain.routing_policy import COMPLAINT_REQUEST_TYPES
from agentdesk.domain.transfers import HandoffPacket, TriggerEntry, TriggerRule
from agentdesk.nlp.categories import category_matcher
from agentdesk.nlp.kb import KBIndex, KBMatch, details_promise, without_handover
from agentdesk.nlp.moves import asks, opens_with_connective

CONTEXT_LINES = 2


def call_topic(state: CallState) -> str | None:
    """What the caller's own words said the call is about (a KB category: their bill, a refund),
    latest first; None when no line named one. A KB match alone does not name it."""
    for a in reversed(state.analyses):
        named = any(not e.startswith("kb:") for e in a.request.evidence)
        if named and a.request.category in replies.TOPICS:
            return a.request.category
    return None


"""Earlier customer lines searched with a new one, so follow-ups ("paid by card") find their topic."""


@dataclass
class BotTurn:
    """What happened on one customer line."""

    heard: Utterance
    analysis: LineAnalysis
    reply: Utterance | None
    entries: list[TriggerEntry] = field(default_factory=list)
    decided: Outcome | None = None
    """Set on the line where a transfer or callback was decided."""
    ticket: Ticket | None = None
    """A ticket the bot filed on this line (contained complaint or callback)."""


def _one_issue_left(state: CallState, a: LineAnalysis) -> LineAnalysis:
    """`a` as one issue when the bot deals with the other itself: "what's my balance, and also
    why was I charged twice?" (the caller's own figure, read from their account, answers the
    line), or "while I've got you, ..." after a question the bot answered. Several issues are
    complex only while a person has them all; an answer that only informs ("roaming costs …"
    beside "merge three numbers onto my name") leaves the other issue's weight."""
    before = state.analyses[-1] if state.analyses else None
    if "multiple_issues" not in a.complexity.kinds:
        return a
    looked_up = a.kb.answer is not None and a.kb.answer.article.lookup is not None
    # after an answered question, a line that raises one new issue ("while I've got you, I'd like
    # to complain about order …"), not two ("also charged twice, and the phone hasn't come")
    one_new = before is not None and before.kb.answer is not None and len(_topics(a.text)) <= 1
    return replace(a, complexity=a.complexity.one_issue()) if looked_up or one_new else a


def _topics(text: str) -> set[str]:
    """The request categories a line names, complaining itself not counted as one."""
    return {c.kind for c in category_matcher().search(text)} - set(COMPLAINT_REQUEST_TYPES)


class BotEngine:
    """Runs calls: greets, answers from the KB, applies the transfer policy, files tickets."""

    def __init__(self, kb: KBIndex, settings: Settings) -> None:
        self.kb = kb
        self.settings = settings
        self.policy = TransferPolicy(settings.bot)

    # -- call lifecycle -----------------------------------------------------------------
    def start(
        self,
        call_id: str,
        language: str,
        at: datetime,
        *,
        customer: Customer | None = None,
        context: dict[str, int] | None = None,
    ) -> tuple[CallState, Utterance]:
        """A new call's state and the bot's greeting."""
        state = CallState(
            call_id=call_id, language=language, started_at=at, customer=customer, context=dict(context or {})
        )
        return state, state.add(Speaker.BOT, replies.greeting(customer, language), at)

    def hear(self, state: CallState, text: str, at: datetime) -> BotTurn:
        """Take one customer line: read it, apply the rules, decide, reply."""
        offered, state.offered = state.offered, None
        a = analyze(
            text,
            kb=self.kb,
            language=state.language,
            threshold=self.settings.bot.kb_threshold,
            context=state.customer_lines[-CONTEXT_LINES:],
            heard=offers.heard_with_offer(state.answered, offered, text),
            follow_up=self.settings.bot.confirm_threshold,
        )
        if not state.decided:  # "can someone ring me back about ...?" asks for a person
            a = with_callback_request(a)
        a = _one_issue_left(state, a)
        a, reply = offers.read_reply(a, offered)
        reply_to_offer = reply.answer if reply is not None else None
        heard = state.add(Speaker.CUSTOMER, text, at, emotion=a.emotion.level)
        state.analyses.append(a)
        state.details = merge_details(state.details, a.details)
        # "I've looked there already, nothing" after an answer says the answer did not help, too
        state.dissatisfied += a.dissatisfied.found or answer_did_not_help(state, a)
        # the line answers the bot's own question (a complaint's facts, details an answer asked for)
        gives_details = self._gives_details(state, a)
        answering_bot = state.awaiting_facts or gives_details
        new_complaint = a.complaint.found and not state.complaint
        state.complaint = state.complaint or a.complaint.found
        # the caller's own order the line names, read once for the rules and the reply
        order_said = account.order_reply(state, a, asked=gives_details)
        # a charge on their bill the line asks about ("what's the 1.50 for?"), or when the order just
        # read out arrives ("so when's it getting here?"), read from the account
        account_said = "" if order_said else account.charge_reply(state, a) or account.arrival_reply(state, a)
        # more about a complaint already logged on this call ("主要是晚上", "手机是华为mate六十")
        adds_to = None if state.decided else self._complaint_to_add_to(state, a)
        # an order number read out in two goes: the bot waits for the rest, no miss is counted
        id_started = not order_said and not state.decided and order_id_started(a.text)
        if reply_to_offer == "yes":
            state.unanswered = 0
        elif offers.is_bare_no(reply):
            pass  # the miss the offer was about stays counted once
        elif order_said or account_said:  # their own account answers it ("It's L C two zero ...")
            state.unanswered = 0
        elif id_started or adds_to is not None:
            pass
        elif state.decided:
            pass  # the caller waits for a person: the bot no longer answers, so nothing is a miss
        elif a.is_question and a.kb.answer is None and not (answering_bot or new_complaint):
            state.unanswered += 1
        elif a.is_question and a.kb.answer is not None:
            # misses count in a row: after an answer, a new question gets its own chance to rephrase
            state.unanswered = 0

        entries = self.policy.evaluate(state, a, turn=len(state.utterances) - 1, at=at)
        state.ledger.extend(entries)
        turn = BotTurn(heard=heard, analysis=a, reply=None, entries=entries)
        text_out = self._respond(
            state,
            a,
            turn,
            at,
            gives_details=gives_details,
            reply_to_offer=reply_to_offer,
            order_said=order_said,
            account_said=account_said,
            id_started=id_started,
            adds_to=adds_to,
        )
        if a.aside and offered is not None and state.offered is None:
            state.offered = offered  # "uh… hmm", "hang on": the bot's "Is it about …?" still stands
        if text_out:
            turn.reply = state.add(Speaker.BOT, text_out, at)
        return turn

    def set_mode(self, state: CallState, mode: BotMode) -> None:
        """Switch what the bot does for the rest of the call (SPEC section 7)."""
        state.mode = BotMode(mode)

    def packet(self, state: CallState, **kwargs: object) -> HandoffPacket:
        """The handoff packet for the call as it stands (see `handoff.build_packet`)."""
        titles = {aid: art.title for aid in state.answered if (art := self.kb.get(aid))}
        return build_packet(state, titles=titles, **kwargs)  # type: ignore[arg-type]

    # -- decisions and replies ---------------------------------------------------------------
    def _respond(
        self,
        state: CallState,
        a: LineAnalysis,
        turn: BotTurn,
        at: datetime,
        *,
        gives_details: bool,
        reply_to_offer: str | None = None,
        order_said: str = "",
        account_said: str = "",
        id_started: bool = False,
        adds_to: Ticket | None = None,
    ) -> str:
        lang = state.language
        asked_by, state.asked_by = state.asked_by, None
        if state.mode is BotMode.END_POLITELY:
            state.closed = True
            return replies.say("end_politely", lang)
        if a.again is not None and state.decided and a.kb.answer is None:
            # "sorry, say that again? the number" while waiting: said again, not noted for the adviser
            return self._say_again(state, a.again)
        if state.outcome is Outcome.CALLBACK:
            # no adviser is on: what the caller adds goes with the callback (the call is linked to
            # it); a question the KB answers is answered now rather than in tomorrow's call
            return self._meanwhile(state, a, turn, at, while_callback, account=account_said)
        if state.mode is BotMode.COLLECT_ONLY:
            return replies.say("collecting", lang)
        if state.decided:
            return self._meanwhile(state, a, turn, at, while_waiting, account=account_said)
        answer = None if a.is_small_talk and a.closing.found else a.kb.answer  # a goodbye asks for no article

        def said() -> str:  # read out only where it is said: the article then counts as heard
            if answer is None:
                return ""
            first = self._answer_text(state, answer, a.text, asked=a.kb.query)
            if a.also is None or a.also.answer is None:
                return first
            return replies.join(lang, first, self._answer_text(state, a.also.answer, a.also.query))

        if state.ledger:
            # an angry caller or a complex complaint hears empathy and the transfer, not an article;
            # an article's own "I'll put you through" is left to the transfer or callback line
            urgent = state.rules & {TriggerRule.STRONG_EMOTION, TriggerRule.COMPLEX_COMPLAINT}
            if not hours.is_open(hours.line_for(self.settings.hours, lang), at):
                urgent -= {TriggerRule.STRONG_EMOTION}  # nobody takes over tonight: the answer is the help
            return self._decide(state, turn, at, "" if urgent else without_handover(said(), lang))
        if a.again is not None and (answer is None or answer.article.id in state.answered[-1:]):
            return self._say_again(state, a.again)
        if (
            gives_details
            and asked_by
            and (acted := self._act_on_details(state, turn, at, asked_by, order_said))
        ):
            return acted
        if reply_to_offer == "yes" and answer is not None:
            return said()

        if adds_to is not None:
            return self._add_to_complaint(state, adds_to, a, at)
        if state.complaint and not any(t.type == "complaint" for t in state.tickets):
            if state.awaiting_facts or (state.details and a.complaint.found):
                return self._contain_complaint(state, turn, at)
            if (
                answer is not None
                and answer.article.category in COMPLAINT_REQUEST_TYPES
                and details_promise(answer.article)
            ):
                return said()  # the article asks for the details its own team needs, and promises
            state.awaiting_facts = True
            return replies.say("complaint_facts", lang)
        if order_said:
            # "LC20261113-6620 shows as delivered but it never turned up": the status, and the
            # problem the line reports offered back rather than left out
            offer = offers.to_offer(state, a, self.settings.bot.confirm_threshold)
            if offer is None or offer.article.lookup == "order_status":
                return order_said
            state.offered = offer
            return replies.join(lang, order_said, replies.confirm_topic(offer.article.title, lang))
        if id_started:
            return replies.say("order_go_on", lang)
        if account_said:
            prefix = replies.say("sorry_again", lang) if a.dissatisfied.found else ""
            return replies.join(lang, prefix, account_said)
        if a.is_small_talk and a.closing.found:
            state.closed = True
            return replies.say("goodbye", lang)
        if a.is_greeting:
            return replies.say("greeting_back", lang)
        if a.aside:
            return replies.say("take_your_time", lang)
        if a.social is not None:  # "are you a robot?", who is calling, the weather
            follow = "anything_more" if state.answered else "how_can_i_help"
            return replies.join(lang, replies.say(f"social_{a.social}", lang), replies.say(follow, lang))
        if a.is_small_talk:
            return replies.say("anything_else", lang)
        if answer is not None:
            prefix = replies.say("sorry_again", lang) if a.dissatisfied.found else ""
            return replies.join(lang, prefix, said())
        topic = call_topic(state)
        if a.dissatisfied.found:  # one apology, then the question
            n = self._clarifying(state)
            return replies.join(lang, replies.vary("sorry_again", lang, n), replies.clarify(lang, n, topic))
        if reply_to_offer == "no":
            return replies.clarify(lang, self._clarifying(state), topic)
        if (offer := offers.to_offer(state, a, self.settings.bot.confirm_threshold)) is not None:
            state.offered = offer
            # "手机一点信号都没有，整整三天打不了电话": a problem reported first hears an apology
            troubled = a.complaint.found or int(a.emotion.level) >= 1
            sorry = replies.say("sorry_trouble", lang) if troubled and not state.answered else ""
            return replies.join(lang, sorry, replies.confirm_topic(offer.article.title, lang))
        n = self._clarifying(state)
        if n == 0 and topic is None:
            return replies.say("clarify", lang)
        return replies.clarify(lang, n, topic)

    @staticmethod
    def _clarifying(state: CallState) -> int:
        """How many times the bot asked the caller to say more before this one (counted)."""
        state.clarified += 1
        return state.clarified - 1

    @staticmethod
    def _say_again(state: CallState, how: str) -> str:
        """The bot's last line again for a caller who asks ("sorry, say that again?", 你说啥),
        or its first sentence for one who asks for it more simply (能说简单点吗); a caller who
        asks before the bot said anything but the greeting hears how it can help."""
        lang = state.language
        # "take your time" and the like say nothing to repeat: the last real line is meant
        stock = {replies.say(k, lang) for k in ("take_your_time", "anything_else", "greeting_back")}
        said = [u.text for u in state.utterances[:-1] if u.speaker is Speaker.BOT and u.text not in stock]
        if len(said) <= 1:  # nothing said yet but the greeting: "could you speak a bit slower?"
            return replies.say("slower_first" if how == "simpler" else "greeting_back", lang)
        last = said[-1]
        for lead in (replies.say("say_again", lang), replies.say("in_short", lang)):
            last = last.removeprefix(lead).strip()  # asked twice: the line itself, not the lead-in
        line, earlier = state.customer_lines[-1:], state.customer_lines[-CONTEXT_LINES:-1]
        if how == "repeat" and line and (part := say_again.asked_part(last, line[0], earlier)):
            last = part  # "say the daily price again": the prices, not the whole article
        if how == "simpler":
            return replies.join(lang, replies.say("in_short", lang), replies.first_sentence(last))
        return replies.join(lang, replies.say("say_again", lang), last)

    def _meanwhile(
        self,
        state: CallState,
        a: LineAnalysis,
        turn: BotTurn,
        at: datetime,
        respond: Callable[[CallState, LineAnalysis, Meanwhile], str],
        *,
        account: str = "",
    ) -> str:
        """The line to a caller waiting for an adviser or a callback (`bot/waiting.py`); a
        callback it books is filed with the turn."""
        meanwhile = Meanwhile(
            at=at,
            hours=self.settings.hours,
            read=lambda match: self._answer_text(state, match, a.text),
            packet=lambda: self.packet(state),
            account=account,
        )
        text = respond(state, a, meanwhile)
        turn.ticket = meanwhile.booked or turn.ticket
        return text

    def _answer_text(self, state: CallState, answer: KBMatch, line: str, *, asked: str = "") -> str:
        """What the bot reads from `answer`: the whole answer the first time, then the part
        that speaks to the line (a follow-up on an article the caller has heard). An article
        the caller's own account answers (`KBArticle.lookup`) starts with their figure; on a
        follow-up that names another order or month, the figure is the answer. `asked`: the
        part of the line that asks (the KB's query), which picks the part read on a follow-up."""
        article = answer.article
        heard = article.id in state.answered
        if not heard:
            state.answered.append(article.id)
            if details_promise(article) is not None:
                state.asked_by = article.id
        looked_up = account.figure(state, article, line, heard=heard)
        if heard:
            return looked_up or self.kb.answer_part(article, asked or line)
        if looked_up:
            # their own figure answers it: the article adds only what speaks to the question
            return replies.join(
                state.language, looked_up, self.kb.answer_part(article, asked or line, most=1)
            )
        return article.answer

    def _gives_details(self, state: CallState, a: LineAnalysis) -> bool:
        """The line gives the details the answer just read asked for: no new question the KB
        answers, no reaction (thanks, a person, not helped)."""
        if state.asked_by is None or a.is_small_talk or a.human.found:
            return False
        if a.dissatisfied.found or a.unresolved.found:
            return False
        return a.kb.answer is None or a.kb.answer.article.id == state.asked_by

    def _act_on_details(
        self, state: CallState, turn: BotTurn, at: datetime, asked_by: str, order_said: str
    ) -> str:
        """Do what the answer promised with the details given: read the caller's order
        (`order_said`), or log the complaint it asked about with the answer's own promise.
        Empty when neither fits (the line is then read as usual)."""
        article = self.kb.get(asked_by)
        if article is None:
            return ""
        if order_said:
            return order_said
        promise = details_promise(article)
        if article.category in COMPLAINT_REQUEST_TYPES and promise:
            state.complaint = True
            return self._contain_complaint(
                state, turn, at, promised=complaints.Remedy(f"kb:{article.id}", promise, promise)
            )
        return ""

    def _decide(self, state: CallState, turn: BotTurn, at: datetime, said: str) -> str:
        """A rule fired: transfer in business hours, otherwise book a callback."""
        lang = state.language
        line = hours.line_for(self.settings.hours, lang)
        state.decided_at_turn = len(state.utterances)
        if hours.is_open(line, at):
            state.outcome = turn.decided = Outcome.TRANSFERRED
            busy = state.context.get("queue_waiting", 0) >= BUSY_QUEUE
            answer = turn.analysis.kb.answer
            announce = replies.transfer_line(
                state.rules,
                state.tier,
                lang,
                busy=busy,
                procedure=answer is not None and answer.article.procedure,
                dissatisfied=state.dissatisfied > 0,
            )
            return replies.join(lang, said, announce)
        if (offer := offer_before_booking(state, turn.analysis, turn.entries)) is not None:
            state.decided_at_turn = None  # nobody asked for yet: what it is about comes first
            return replies.join(lang, said, offer)
        state.outcome = turn.decided = Outcome.CALLBACK
        ticket = hours.callback_ticket(self.packet(state), line, at, call_id=state.call_id)
        state.tickets.append(ticket)
        turn.ticket = ticket
        # the promise, or the time the caller names on this very line (`waiting.callback_booked`)
        meanwhile = Meanwhile(
            at=at, hours=self.settings.hours, read=lambda _: "", packet=lambda: self.packet(state)
        )
        return replies.join(lang, said, callback_booked(state, turn.analysis, ticket, meanwhile))

    @staticmethod
    def _complaint_to_add_to(state: CallState, a: LineAnalysis) -> Ticket | None:
        """The complaint ticket this call logged, when the line goes on describing the problem
        rather than asking something new, reacting or leaving; else None."""
        ticket = next((t for t in reversed(state.tickets) if t.type == "complaint"), None)
        if ticket is None or a.is_small_talk or a.human.found or a.dissatisfied.found or asks(a.text):
            return None
        if (
            a.complaint.found
            or any(k.startswith("amount") for k in a.details)
            or opens_with_connective(a.text)
        ):
            return None  # a complaint of its own ("还有 上个月多扣了五十块") is no detail of this one
        answer = a.kb.answer
        if answer is not None and answer.article.id not in state.answered:
            return None  # a new question the KB answers
        return ticket

    def _add_to_complaint(self, state: CallState, ticket: Ticket, a: LineAnalysis, at: datetime) -> str:
        """Put what the caller adds on the complaint ticket already logged, and say so."""
        label = "来电人补充：" if state.language == "zh" else "Caller added: "
        ticket.notes.append(TicketNote(at=at, author="bot", kind="system", text=label + a.text))
        state.details = merge_details(state.details, a.details)
        added = sum(n.text.startswith(label) for n in ticket.notes)
        return replies.vary("complaint_added", state.language, added - 1, ticket=ticket.id)

    def _contain_complaint(
        self, state: CallState, turn: BotTurn, at: datetime, *, promised: complaints.Remedy | None = None
    ) -> str:
        """A calm, simple complaint: the standard remedy (or what the KB answer `promised`) and a
        complaint ticket, no transfer."""
        state.awaiting_facts = False
        packet = self.packet(state)
        decision = complaints.classify_complaint(
            packet,
            angry_at=self.settings.bot.emotion_transfer_level,
            subject=complaint_subject(state.analyses),
            promised=promised,
        )
        about = complaint_intent(state.analyses) or packet.intent
        ticket = complaints.complaint_ticket(
            packet.model_copy(update={"intent": about}), decision, at, call_id=state.call_id
        )
        state.tickets.append(ticket)
        turn.ticket = ticket
        remedy = decision.remedy.text(state.language) if decision.remedy else ""
        return replies.say("complaint_filed", state.language, remedy=remedy, ticket=ticket.id)
