"""The sample-call script format (sample_calls/README.md): a recorded call's reference
transcript plus the outcome the bot and routing must reach. Pure data; loading from
files lives in `agentdesk.calls`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agentdesk.domain.models import AgentLevel, Model, Speaker, TicketType
from agentdesk.domain.transfers import TriggerRule

Task = Literal["bill_lookup", "order_status", "balance", "identity_check", "send_survey"]
"""Bounded tasks an agent can hand back to the bot (SPEC section 7)."""


class ScriptTurn(Model):
    """One line of the recorded call."""

    speaker: Speaker
    text: str
    start: float | None = None
    """Seconds from the start of the recording (written by sample_calls/build_audio.py)."""
    end: float | None = None
    task: Task | None = None
    """On an agent line: the task handed back to the bot at this point."""


class ExpectedOutcome(Model):
    """What must happen when the call runs through the bot and routing."""

    outcome: Literal["contained", "transferred", "callback"]
    triggers: list[TriggerRule] = Field(default_factory=list)
    agent_level: AgentLevel | None = None
    ticket_type: TicketType | None = None
    hand_back: Task | None = None
    hand_back_ok: bool = True
    """Whether `hand_back` must succeed; False: it must run and fail (an identity check the
    caller cannot pass)."""


class CallScript(Model):
    """A scripted sample call."""

    id: str
    title: str
    language: Literal["zh", "en"]
    customer: str
    """A demo customer id; the tier of that customer matters (VIP calls use a VIP)."""
    at: datetime
    """Wall-clock time of the call, with offset: it decides business or off hours."""
    context: dict[str, int] = Field(default_factory=dict)
    """e.g. `queue_waiting`: transfers already waiting when the call comes in."""
    turns: list[ScriptTurn]
    expected: ExpectedOutcome
    notes: str = ""

    @property
    def has_audio_timings(self) -> bool:
        """Whether every turn carries start/end offsets into the recording."""
        return all(t.start is not None and t.end is not None for t in self.turns)

    @property
    def duration(self) -> float:
        """Length of the recording in seconds (0 without timings)."""
        return max((t.end or 0.0) for t in self.turns) if self.turns else 0.0
