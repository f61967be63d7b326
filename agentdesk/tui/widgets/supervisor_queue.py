"""The live queue for the supervisor: waiting transfers by priority, and who would get each one.

The screen loads a window of the queue with the routing decisions for it (`routing.assign`);
this widget shows them and ticks the wait and priority columns every second on its own.
Column widths follow the pane's width, so the table reads well at 100 and at 160 columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Agent
from agentdesk.domain.routing import Assignment, priority_at
from agentdesk.domain.routing_policy import RoutingRules
from agentdesk.domain.transfers import RoutingRationale, Transfer, TransferStatus
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import emotion_dots, reasons, tier_badge, waited
from agentdesk.tui.widgets.supervisor_rationale import RationaleDialog

RANKED_FROM = 70
"""Pane width from which the rank column is shown (row order is queue order anyway)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Which columns fit, and how wide the three text columns may be."""

    columns: tuple[str, ...]
    customer: int
    reason: int
    next: int

    @classmethod
    def for_width(cls, width: int) -> Layout:
        ranked = width >= RANKED_FROM
        columns = ("rank",) * ranked + ("customer", "reason", "emotion", "wait", "priority", "next")
        # Mood, wait and priority take 18 cells with padding, the rank 3; the three text
        # columns' padding, the border and the scrollbar take 9 more.
        spare = max(27, width - 27 - 3 * ranked)
        return cls(columns, min(18, spare * 4 // 10), min(18, spare * 3 // 10), min(16, spare * 3 // 10))


class QueueTable(Widget):
    """A window of the queue, highest priority first; the screen calls `show` with fresh data."""

    total: reactive[int] = reactive(0)
    """How many transfers wait in the whole queue (the table holds a window of them)."""

    def __init__(self, catalog: Catalog, routing: RoutingRules, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.routing = routing
        self.transfers: list[Transfer] = []
        self._plan: dict[str, Assignment] = {}
        self._names: dict[str, str] = {}
        self._layout = Layout.for_width(80)

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="queue-why")
        yield Static(self.t("supervisor.queue.empty"), id="queue-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("supervisor.queue.title")
        self._rebuild()
        self.set_interval(1.0, self._tick)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#queue-table", DataTable)

    @property
    def current(self) -> Transfer | None:
        """The transfer under the cursor."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((t for t in self.transfers if t.id == key), None)

    def show(
        self, transfers: list[Transfer], total: int, plan: dict[str, Assignment], agents: list[Agent]
    ) -> None:
        """Replace the window, keeping the cursor on the same transfer while it waits."""
        keep = self.current.id if self.current else None
        self.transfers = transfers
        self._plan = plan
        self._names = {a.id: a.name for a in agents}
        self._rebuild()
        self.total = total
        self.watch_total(total)  # the window size may change while the total stays
        self.set_class(not transfers, "-empty")
        if keep:
            self.select(keep)
        self._explain()

    def select(self, transfer_id: str) -> bool:
        """Move the cursor to a transfer; False when it is not in the window."""
        if not any(t.id == transfer_id for t in self.transfers):
            return False
        self.table.move_cursor(row=self.table.get_row_index(transfer_id), animate=False)
        return True

    def on_resize(self) -> None:
        if Layout.for_width(self.size.width) != self._layout:
            keep = self.current.id if self.current else None
            self._rebuild()
            if keep:
                self.select(keep)

    def _rebuild(self) -> None:
        table, now = self.table, utcnow()
        self._layout = Layout.for_width(self.size.width or 80)
        table.clear(columns=True)  # columns keep their widest width otherwise, and never shrink
        for col in self._layout.columns:
            table.add_column(self.t(f"supervisor.queue.col.{col}"), key=col)
        for rank, t in enumerate(self.transfers, start=1):
            cells = self._cells(rank, t, now)
            table.add_row(*(cells[c] for c in self._layout.columns), key=t.id)

    def _cells(self, rank: int, t: Transfer, now: datetime) -> dict[str, Text | str]:
        p, layout = t.packet, self._layout
        who = Text.assemble(
            tier_badge(p.tier, self.t, short=True),
            " " if p.tier != "standard" else "",
            mask_text(p.customer_name or p.customer_id or "?"),
        )
        who.truncate(layout.customer, overflow="ellipsis")
        why = Text(reasons(p.rules, self.t) or p.intent)
        why.truncate(layout.reason, overflow="ellipsis")
        return {
            "rank": Text(str(rank), style="dim"),
            "customer": who,
            "reason": why,
            "emotion": emotion_dots(p.emotion_level),
            "wait": waited(p.wait_started_at, now),
            "priority": self._priority(t, now),
            "next": self._next_agent(t),
        }

    def _priority(self, t: Transfer, now: datetime) -> Text:
        return Text(f"{priority_at(t, now, self.routing):.0f}", justify="right")

    def _goes_to(self, t: Transfer) -> Text:
        """Who has it on offer, or who routing would offer it to now, or that nobody is free."""
        if t.status is TransferStatus.OFFERED and t.offered_to:
            return Text("→ " + self._names.get(t.offered_to, t.offered_to), style="bold green")
        decision = self._plan.get(t.id)
        if decision is not None and decision.agent_id:
            return Text(self._names.get(decision.agent_id, decision.agent_id))
        return Text(self.t("supervisor.queue.nobody"), style="dim italic")

    def _next_agent(self, t: Transfer) -> Text:
        text = self._goes_to(t)
        text.truncate(self._layout.next, overflow="ellipsis")
        return text

    def _rationale(self, t: Transfer | None) -> RoutingRationale | None:
        decision = self._plan.get(t.id) if t else None
        return decision.rationale if decision else (t.rationale if t else None)

    def _explain(self) -> None:
        """One line under the table: the highlighted transfer's rationale (Enter shows all of it)."""
        rationale = self._rationale(self.current)
        line = " · ".join(rationale.lines(self.t.lang)) if rationale else ""
        text = Text.assemble(("⏎ ", "bold"), (line, "dim")) if line else Text("")
        self.query_one("#queue-why", Static).update(text)

    def show_rationale(self) -> None:
        """The highlighted transfer's whole rationale in a dialog."""
        t = self.current
        if t is not None:
            goes_to = self._goes_to(t).plain.removeprefix("→ ")
            self.app.push_screen(RationaleDialog(t, self._rationale(t), goes_to, self.t))

    def _tick(self) -> None:
        now = utcnow()
        table = self.table
        for t in self.transfers:
            table.update_cell(t.id, "wait", waited(t.packet.wait_started_at, now))
            table.update_cell(t.id, "priority", self._priority(t, now))

    def watch_total(self, total: int) -> None:
        shown = len(self.transfers)
        key = "supervisor.queue.count" if shown >= total else "supervisor.queue.window"
        self.border_subtitle = self.t(key, count=total, shown=shown)

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._explain()

    @on(DataTable.RowSelected, "#queue-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.show_rationale()
