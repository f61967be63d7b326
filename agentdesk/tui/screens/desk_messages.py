"""Messages the desk's workers post to the desk screen; its handlers own the state."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from agentdesk.calls.live import LiveSpec
from agentdesk.domain.models import Agent, BotMode, Customer
from agentdesk.domain.transfers import Transfer
from agentdesk.nlp.kb import KBIndex
from agentdesk.tui.call_tickets import CallTicket
from agentdesk.tui.unsaved_notes import NotesDraft


@dataclass
class HistoryLoaded(Message):
    transfer: Transfer
    prior_tickets: int
    prior_calls: int
    repeat: bool = False
    """The call repeats an earlier call of the customer (`domain.kpis.repeats_an_earlier_call`)."""


@dataclass
class ClaimLost(Message):
    """Someone else took the transfer first, or (`offline`) the team server could not be asked."""

    reason: str
    offline: bool = False
    """`reason` is the full message to show: claims need the server, which is unreachable."""


@dataclass
class CallReady(Message):
    """A claimed transfer with what the call needs: the customer, where its audio is, its ticket."""

    transfer: Transfer
    customer: Customer | None
    spec: LiveSpec | None
    ticket: CallTicket | None = None
    """The ticket the call works on, when one exists already (see `call_tickets`)."""
    resumed: bool = False
    """The agent held this call when the desk last closed; it was not accepted just now."""
    notes: NotesDraft | None = None
    """What the agent had typed into the call's ticket, unsaved, when the desk closed."""
    bot_mode: BotMode = BotMode.NORMAL
    """The bot's mode stored with the call (set earlier, perhaps by a desk since closed)."""


@dataclass
class KBReady(Message):
    kb: KBIndex


@dataclass
class AgentLoaded(Message):
    agent: Agent
    announce: bool = False
    """The agent changed their status just now; say the new one."""
