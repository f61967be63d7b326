"""Calls as a small table (date, outcome, agent) whose enter key opens the transcript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from agentdesk.domain.models import Call
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.ticket_format import when

OUTCOME_STYLE = {"contained": "green", "transferred": "cyan", "callback": "magenta", "abandoned": "red"}


def outcome_text(call: Call, t: Catalog) -> Text:
    outcome = call.outcome or call.status
    return Text(t(f"tickets.outcome.{outcome}"), style=OUTCOME_STYLE.get(str(outcome), "dim"))


class CallTable(DataTable[Text | str]):
    """Read-only list of calls; posts `Chosen` so the screen can open the transcript."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Transcript",
            tooltip="Read the call's transcript",
            id="tickets-open-call",
        )
    ]

    @dataclass
    class Chosen(Message):
        """The agent pressed enter on a call."""

        table: CallTable
        call: Call

        @property
        def control(self) -> CallTable:
            return self.table

    def __init__(self, catalog: Catalog, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, show_header=True)
        self.t = catalog
        self.zone = zone
        self.calls: list[Call] = []
        localize_bindings(self, catalog)

    def on_mount(self) -> None:
        for key in ("date", "outcome", "agent"):
            self.add_column(self.t(f"tickets.calls.col.{key}"), key=key)

    def show(self, calls: Sequence[Call], agents: Mapping[str, str]) -> None:
        self.clear()
        self.calls = list(calls)
        now = utcnow()
        for call in self.calls:
            agent = agents.get(call.agent_id or "", call.agent_id or "—")
            self.add_row(
                Text(when(call.started_at, now, self.zone)),
                outcome_text(call, self.t),
                Text(agent, style="" if call.agent_id else "dim"),
                key=call.id,
            )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.calls):
            self.post_message(self.Chosen(self, self.calls[event.cursor_row]))


class CallList(Vertical):
    """A bordered `CallTable`, with a line in its place when there are no calls."""

    def __init__(self, catalog: Catalog, zone: tzinfo, *, empty: str, id: str | None = None) -> None:
        super().__init__(id=id, classes="-empty")
        self.t = catalog
        self.zone = zone
        self.empty = empty
        """Catalog key of the line shown when there are no calls."""

    def compose(self) -> ComposeResult:
        yield CallTable(self.t, self.zone)
        yield Static(Text(self.t(self.empty), style="dim"), classes="call-list-empty")

    @property
    def table(self) -> CallTable:
        return self.query_one(CallTable)

    def show(self, calls: Sequence[Call], agents: Mapping[str, str]) -> None:
        self.table.show(calls, agents)
        self.set_class(not calls, "-empty")
