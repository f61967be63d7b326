"""The transfer inbox: waiting transfers by priority, with tier and emotion badges and wait timers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static

from agentdesk.domain.transfers import Transfer
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import emotion_dots, reasons, tier_badge, waited

COLUMNS = ("customer", "reason", "emotion", "wait")
"""Queue order is the row order, so no rank column is needed."""


class TransferInbox(Widget):
    """Shows a window of the queue; the screen loads it and tells it what changed."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a transfer."""

        inbox: TransferInbox
        transfer: Transfer

        @property
        def control(self) -> TransferInbox:
            return self.inbox

    @dataclass
    class Chosen(Message):
        """The agent pressed enter on a transfer."""

        inbox: TransferInbox
        transfer: Transfer

        @property
        def control(self) -> TransferInbox:
            return self.inbox

    total: reactive[int] = reactive(0)
    """How many transfers wait in the whole queue (the table shows a window of them)."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._transfers: dict[str, Transfer] = {}

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = DataTable(id="inbox-table", cursor_type="row", zebra_stripes=True)
        for col in COLUMNS:
            table.add_column(self.t(f"inbox.col.{col}"), key=col)
        yield table
        yield Static(self.t("inbox.empty"), id="inbox-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("inbox.title")
        self.set_interval(1.0, self._tick)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#inbox-table", DataTable)

    @property
    def current(self) -> Transfer | None:
        """The transfer under the cursor."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._transfers.get(str(key))

    def show(self, transfers: list[Transfer], total: int) -> None:
        """Replace the window, keeping the cursor on the same transfer when it is still there."""
        table = self.table
        keep = self.current.id if self.current else None
        table.clear()
        self._transfers = {t.id: t for t in transfers}
        now = utcnow()
        for t in transfers:
            table.add_row(*self._cells(t, now), key=t.id)
        self.total = total
        self.set_class(not transfers, "-empty")
        if keep in self._transfers:
            table.move_cursor(row=table.get_row_index(keep))
        elif transfers:
            self.post_message(self.Highlighted(self, transfers[0]))

    def _cells(self, t: Transfer, now: datetime) -> tuple[Text | str, ...]:
        p = t.packet
        who = Text.assemble(
            tier_badge(p.tier, self.t, short=True),
            " " if p.tier != "standard" else "",
            p.customer_name or p.customer_id or "?",
        )
        who.truncate(16, overflow="ellipsis")
        why = Text(reasons(p.rules, self.t) or p.intent)
        why.truncate(13, overflow="ellipsis")
        return (
            who,
            why,
            emotion_dots(p.emotion_level),
            waited(p.wait_started_at, now),
        )

    def _tick(self) -> None:
        now = utcnow()
        table = self.table
        for tid, t in self._transfers.items():
            table.update_cell(tid, "wait", waited(t.packet.wait_started_at, now))

    def watch_total(self, total: int) -> None:
        self.border_subtitle = self.t("inbox.count", count=total)

    @on(DataTable.RowHighlighted, "#inbox-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        transfer = self._transfers.get(str(event.row_key.value))
        if transfer:
            self.post_message(self.Highlighted(self, transfer))

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        transfer = self._transfers.get(str(event.row_key.value))
        if transfer:
            self.post_message(self.Chosen(self, transfer))
