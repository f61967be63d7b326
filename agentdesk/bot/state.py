"""The bot's memory of one call: what was said, read, answered and decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from agentdesk.bot.analysis import LineAnalysis
from agentdesk.domain.models import BotMode, Customer, EmotionLevel, Speaker, Ticket, Tier, Utterance
from agentdesk.domain.transfers import TriggerEntry, TriggerRule
from agentdesk.nlp.kb import KBMatch


class Outcome(StrEnum):
    """Where the call is heading."""

    CONTAINED = "contained"
    """The bot handles it (so far)."""
    TRANSFERRED = "transferred"
    """Waiting for, or with, a human."""
    CALLBACK = "callback"
    """Off hours: a callback ticket carries the promise to the next opening."""


@dataclass
class CallState:
    """Mutable per-call memory; the engine is the only writer."""

    call_id: str
    language: str
    started_at: datetime
    customer: Customer | None = None
    context: dict[str, int] = field(default_factory=dict)
    utterances: list[Utterance] = field(default_factory=list)
    analyses: list[LineAnalysis] = field(default_factory=list)
    """One per customer line, in order."""
    ledger: list[TriggerEntry] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    answered: list[str] = field(default_factory=list)
    """KB article ids the bot answered from, in order, without repeats."""
    dissatisfied: int = 0
    unanswered: int = 0
    clarified: int = 0
    """How many times the bot has asked the caller to say more: each time in other words."""
    outcome: Outcome = Outcome.CONTAINED
    decided_at_turn: int | None = None
    tickets: list[Ticket] = field(default_factory=list)
    """Tickets the bot filed (a contained complaint, an off-hours callback)."""
    complaint: bool = False
    """The customer made a complaint during the call."""
    awaiting_facts: bool = False
    """The bot asked for the complaint's core facts and the next line answers it."""
    offered: KBMatch | None = None
    """The KB match the bot asked the caller about ("Is it about data rollover?"): a yes to it
    on the next line answers it."""
    asked_by: str | None = None
    """The KB article whose answer, just read, asked the caller for details ("Tell me your
    address ... and I'll log a ticket"; `kb.details_promise`): the next line may give them."""
    callback_offered: bool = False
    """The bot offered a callback nobody has asked for yet (a procedure off hours, a caller giving
    up on a busy queue): the caller's next line takes it up or turns it down."""
    mode: BotMode = BotMode.NORMAL
    closed: bool = False

    @property
    def tier(self) -> Tier:
        return self.customer.tier if self.customer else Tier.STANDARD

    @property
    def emotion_levels(self) -> list[EmotionLevel]:
        return [a.emotion.level for a in self.analyses]

    @property
    def customer_lines(self) -> list[str]:
        return [u.text for u in self.utterances if u.speaker == Speaker.CUSTOMER]

    @property
    def rules(self) -> set[TriggerRule]:
        return {e.rule for e in self.ledger}

    @property
    def decided(self) -> bool:
        """A transfer or callback has been decided; the bot now only collects details."""
        return self.outcome is not Outcome.CONTAINED

    def add(self, speaker: Speaker, text: str, at: datetime, **extra: object) -> Utterance:
        """Append a line to the call transcript and return it."""
        u = Utterance(
            call_id=self.call_id,
            seq=len(self.utterances) + 1,
            speaker=speaker,
            text=text,
            at=at,
            language=self.language if self.language in ("zh", "en") else None,
            **extra,
        )  # type: ignore[arg-type]
        self.utterances.append(u)
        return u
