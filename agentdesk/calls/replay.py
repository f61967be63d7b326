"""Run a scripted sample call through the bot and routing, headless, and check its outcome.

The customer's lines go to the bot engine until the recording shows a human taking
over (the first agent line); then the transfer is routed over the store's agents.
Agent lines that hand a task back to the bot run that task against the customer's
data. The recorded bot lines are the reference audio; the engine speaks for itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import CallState, Outcome
from agentdesk.bot.tasks import TaskResult, answer_task, run_task
from agentdesk.calls.affinity import with_affinity
from agentdesk.config import Settings
from agentdesk.domain import routing
from agentdesk.domain.masking import mask_quoting, mask_speakers
from agentdesk.domain.models import Agent, Speaker, Ticket, TicketType
from agentdesk.domain.scripts import CallScript
from agentdesk.domain.tickets import draft_from_transfer
from agentdesk.domain.transfers import HandoffPacket, Transfer, TriggerEntry
from agentdesk.nlp.kb import KBIndex
from agentdesk.store.base import Store


@dataclass
class ReplayTurn:
    """One script line and what the system did with it."""

    index: int
    speaker: Speaker
    text: str
    at: datetime
    phase: str
    """`bot` while the bot handles the call, `agent` once a human has it."""
    reply: str | None = None
    emotion: int | None = None
    kb: tuple[str, str, float] | None = None
    """(article id, title, confidence) of the best match, for customer lines in the bot phase."""
    answered: bool = False
    entries: list[TriggerEntry] = field(default_factory=list)
    decided: Outcome | None = None
    task: TaskResult | None = None


@dataclass
class ReplayResult:
    script: CallScript
    turns: list[ReplayTurn]
    state: CallState
    packet: HandoffPacket | None
    assignment: routing.Assignment | None
    agent: Agent | None
    ticket_type: TicketType | None
    tickets: list[Ticket]

    @property
    def outcome(self) -> Outcome:
        return self.state.outcome

    @property
    def rules(self) -> list[str]:
        """Rules that fired, in firing order, once each."""
        return list(dict.fromkeys(str(e.rule) for e in self.state.ledger))

    @property
    def said(self) -> list[str]:
        """Each line's text as people see it: masked, a number read over two lines as one."""
        return mask_speakers([(t.speaker, t.text) for t in self.turns])

    def _evidence(self, entry: TriggerEntry, said: list[str]) -> dict[str, Any]:
        data = entry.model_dump(mode="json")
        data["evidence"] = mask_quoting(entry.evidence, [t.text for t in self.turns], said)
        return data

    @property
    def hand_back(self) -> TaskResult | None:
        """The first task handed back, as it ended: a check that asked the caller is judged by
        the result their answers led to (still pending if the call moved on without one)."""
        results = [t.task for t in self.turns if t.task]
        if not results:
            return None
        first = results[0]
        if first.pending is None:
            return first
        return next((r for r in results[1:] if r.task == first.task and r.pending is None), first)

    def mismatches(self) -> list[str]:
        """How the run differs from the script's expected outcome; empty when it matches."""
        exp, problems = self.script.expected, []
        if self.outcome != exp.outcome:
            problems.append(f"outcome {self.outcome}, expected {exp.outcome}")
        missing = [str(r) for r in exp.triggers if str(r) not in self.rules]
        if missing:
            problems.append(f"triggers {self.rules} lack {missing}")
        if exp.agent_level is not None:
            got = self.agent.level if self.agent else None
            if got != exp.agent_level:
                problems.append(f"routed to {got or 'nobody'}, expected a {exp.agent_level} agent")
        if self.ticket_type != exp.ticket_type:
            problems.append(f"ticket type {self.ticket_type}, expected {exp.ticket_type}")
        if exp.hand_back is not None:
            task = self.hand_back
            if task is None or task.task != exp.hand_back:
                problems.append(f"hand-back {exp.hand_back} did not run")
            elif task.awaiting_answer:  # an unanswered question neither passes nor fails a check
                problems.append(f"hand-back {exp.hand_back} was still waiting for the caller's answer")
            elif task.ok != exp.hand_back_ok:
                problems.append(
                    f"hand-back {exp.hand_back} {'succeeded' if task.ok else 'did not run successfully'}"
                    + ("" if exp.hand_back_ok else ", expected it to fail")
                )
        return problems

    def to_json(self) -> dict[str, Any]:
        """A machine-readable record of the run, sensitive numbers masked."""
        said = self.said
        return {
            "call": self.script.id,
            "language": self.script.language,
            "outcome": str(self.outcome),
            "triggers": [self._evidence(e, said) for e in self.state.ledger],
            "agent": {"id": self.agent.id, "name": self.agent.name, "level": str(self.agent.level)}
            if self.agent
            else None,
            "rationale": self.assignment.rationale.model_dump(mode="json") if self.assignment else None,
            "ticket_type": str(self.ticket_type) if self.ticket_type else None,
            "tickets": [t.model_dump(mode="json") for t in self.tickets],
            "packet": self.packet.model_dump(mode="json", exclude={"transcript"}) if self.packet else None,
            "turns": [
                {
                    "index": t.index,
                    "speaker": str(t.speaker),
                    "text": said[i],
                    "phase": t.phase,
                    "reply": t.reply,
                    "emotion": t.emotion,
                    "kb": {"id": t.kb[0], "title": t.kb[1], "confidence": t.kb[2], "answered": t.answered}
                    if t.kb
                    else None,
                    "triggers": [str(e.rule) for e in t.entries],
                    "decided": str(t.decided) if t.decided else None,
                    "task": {
                        "task": t.task.task,
                        "ok": t.task.ok,
                        "text": t.task.text,
                        "awaiting_answer": t.task.awaiting_answer,
                        "note": t.task.note,
                    }
                    if t.task
                    else None,
                }
                for i, t in enumerate(self.turns)
            ],
            "expected": self.script.expected.model_dump(mode="json"),
            "mismatches": self.mismatches(),
        }


class Replayer:
    """Replays scripts against one store (customers, agents, KB) with one engine."""

    def __init__(self, store: Store, settings: Settings, kb: KBIndex | None = None) -> None:
        self.store = store
        self.settings = settings
        self.engine = BotEngine(kb or KBIndex(store.list_articles()), settings)

    def run(self, script: CallScript) -> ReplayResult:
        customer = self.store.get_customer(script.customer)
        lang = script.language
        state, _ = self.engine.start(
            f"CALL-{script.id}", lang, script.at, customer=customer, context=script.context
        )
        turns: list[ReplayTurn] = []
        transfer: Transfer | None = None
        assignment: routing.Assignment | None = None
        phase = "bot"
        decided_at = script.at
        waiting: TaskResult | None = None
        """A task that asked the caller something: their next lines answer it."""
        for i, line in enumerate(script.turns):
            at = script.at + timedelta(seconds=line.start if line.start is not None else 6 * i)
            turn = ReplayTurn(i, line.speaker, line.text, at, phase)
            if line.speaker == Speaker.CUSTOMER and waiting is not None:
                turn.task = waiting = answer_task(waiting, line.text, lang)
                waiting = waiting if waiting.pending else None
            elif line.speaker == Speaker.CUSTOMER and phase == "bot":
                bt = self.engine.hear(state, line.text, at)
                best = bt.analysis.kb.best
                turn.reply = bt.reply.text if bt.reply else None
                turn.emotion = int(bt.analysis.emotion.level)
                turn.kb = (best.article.id, best.article.title, round(best.confidence, 2)) if best else None
                turn.answered = bt.analysis.kb.answer is not None
                turn.entries, turn.decided = bt.entries, bt.decided
                if bt.decided:
                    decided_at = at
            elif line.speaker == Speaker.AGENT:
                waiting = None  # the agent speaks again: a question still open is left unanswered
                if phase == "bot":
                    phase = turn.phase = "agent"
                    transfer, assignment = self._route(state, decided_at, at)
                if line.task:
                    hint = " ".join(t.text for t in turns[-3:]) + " " + line.text
                    turn.task = run_task(
                        line.task,
                        customer,
                        lang,
                        self.store,
                        hint=hint,
                        caller=customer.phone,
                        call_id=state.call_id,
                        now=at,
                    )
                    waiting = turn.task if turn.task.pending else None
            turns.append(turn)
        if phase == "bot" and state.outcome is Outcome.TRANSFERRED:
            end = turns[-1].at if turns else script.at
            transfer, assignment = self._route(state, decided_at, end)
        agent = self.store.get_agent(assignment.agent_id) if assignment and assignment.agent_id else None
        return ReplayResult(
            script=script,
            turns=turns,
            state=state,
            packet=transfer.packet if transfer else (self.engine.packet(state) if state.ledger else None),
            assignment=assignment,
            agent=agent,
            ticket_type=self._ticket_type(state, transfer),
            tickets=list(state.tickets),
        )

    def _route(
        self, state: CallState, decided_at: datetime, now: datetime
    ) -> tuple[Transfer, routing.Assignment]:
        """Queue the transfer at the decision time and route it when the human picks up."""
        packet = with_affinity(self.store, self.engine.packet(state, wait_started_at=decided_at), decided_at)
        rank = routing.queue_rank(packet, decided_at, self.settings.routing)
        transfer = Transfer(call_id=state.call_id, packet=packet, created_at=decided_at, queue_rank=rank)
        [assignment] = routing.assign([transfer], self.store.list_agents(), now, self.settings.routing)
        return transfer, assignment

    @staticmethod
    def _ticket_type(state: CallState, transfer: Transfer | None) -> TicketType | None:
        if transfer is not None:
            return draft_from_transfer(transfer, complaint=state.complaint).type
        return state.tickets[-1].type if state.tickets else None
