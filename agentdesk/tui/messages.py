"""App-wide messages; workers post them, handlers own the state. Names are past tense."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from agentdesk.domain.models import AuditEvent, Ticket
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import KBHit


@dataclass
class StoreChanged(Message):
    """New events arrived on the store's change feed."""

    events: list[AuditEvent]


@dataclass
class TransfersLoaded(Message):
    """The inbox's window of waiting transfers was (re)loaded."""

    transfers: list[Transfer]
    total: int
    seq: int
    """The change-feed position read just before the transfers."""


@dataclass
class TransferClaimed(Message):
    """This agent now holds the transfer."""

    transfer: Transfer


@dataclass
class TicketSaved(Message):
    """A ticket was written to the store."""

    ticket: Ticket
    note: str = ""
    """The note this save appended to the ticket's history."""


@dataclass
class SuggestionsReady(Message):
    """KB suggestions for a customer line."""

    line: str
    hits: list[KBHit]


@dataclass
class WorkFailed(Message):
    """Background work of a screen or widget failed; the app tells the agent (`worker_failures`)."""

    error: BaseException
    work: str = ""
    """The worker's name (its method), for the log."""
