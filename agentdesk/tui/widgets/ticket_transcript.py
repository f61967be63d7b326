"""A call's transcript, read-only, over whichever screen opened it (ticket editor or customer profile)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from agentdesk.domain.models import Call, Utterance
from agentdesk.tui.clock import now
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.ticket_calls import outcome_text
from agentdesk.tui.widgets.ticket_format import when
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from agentdesk.tui.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from agentdesk.tui.app import AgentDeskApp


@dataclass
class TranscriptLoaded(Message):
    """The call's lines were read from the store."""

    utterances: list[Utterance]


class TranscriptScreen(ReportsWorkerFailures, ModalScreen[None]):
    """Shows every line of one call; nothing here writes."""

    BINDINGS = [
        Binding(
            "escape,q", "dismiss", "Close", tooltip="Back to where you were", id="tickets-close-transcript"
        )
    ]

    def __init__(self, call: Call, zone: tzinfo) -> None:
        super().__init__(id="tickets-transcript")
        self.call = call
        self.zone = zone
        localize_bindings(self, self.t)

    @property
    def t(self) -> Catalog:
        return self.desk_app.t

    @property
    def desk_app(self) -> AgentDeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t, call = self.t, self.call
        head = Text.assemble(
            (call.id, "bold"),
            ("  ·  ", "dim"),
            when(call.started_at, now(), self.zone),
            ("  ·  ", "dim"),
            outcome_text(call, t),
        )
        if call.agent_id:
            head.append("  ·  ", style="dim")
            head.append(t("tickets.transcript.agent", agent=call.agent_id))
        with Vertical(id="tickets-transcript-box") as box:
            box.border_title = head
            yield TranscriptPane(t, id="tickets-transcript-pane")
            yield Static(Text(t("tickets.transcript.hint"), style="dim"), id="tickets-transcript-hint")

    def on_mount(self) -> None:
        self.query_one(TranscriptPane).focus()
        self.load()

    @work(thread=True, exclusive=True, group="transcript", exit_on_error=False)
    def load(self) -> None:
        self.post_message(TranscriptLoaded(self.desk_app.store.list_utterances(self.call.id)))

    @on(TranscriptLoaded)
    def _loaded(self, message: TranscriptLoaded) -> None:
        pane = self.query_one(TranscriptPane)
        pane.show(message.utterances)
        box = self.query_one("#tickets-transcript-box")
        box.border_subtitle = self.t("tickets.transcript.count", count=len(message.utterances))
        pane.call_after_refresh(pane.scroll_home, animate=False)
