"""The transfer inbox: waiting transfers by priority, with tier and emotion badges and wait timers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
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
from agentdesk.tui.widgets.format import emotion_dots, reasons, tier_badge, transfer_wait

COLUMNS = ("customer", "reason", "emotion", "wait")
"""Queue order is the row order, so no rank column is needed."""
NAME_SHARE = 0.55
"""The customer column's share of the width left after mood and wait; the reason gets the rest."""
NAME_WIDTH = (8, 24)
"""Narrowest and widest customer column; a wide inbox gives the rest to the reason."""
MIN_REASON_WIDTH = 6


@dataclass(frozen=True)
class ColumnWidths:
    """Widths of the inbox columns in cells; mood and wait always fit whole."""

    customer: int = 16
    reason: int = 13
    emotion: int = 4
    wait: int = 5


def fit_columns(width: int, headers: dict[str, str], longest_wait: int) -> ColumnWidths:
    """Column widths for a table `width` cells wide (cell padding and scrollbar taken off).

    Mood and wait are never cut; the customer name and the reason share what is left.
    """
    emotion = max(4, cell_len(headers["emotion"]))
    wait = max(longest_wait, cell_len(headers["wait"]), 4)
    rest = max(0, width - emotion - wait)
    customer = max(NAME_WIDTH[0], min(NAME_WIDTH[1], int(rest * NAME_SHARE)))
    reason = max(MIN_REASON_WIDTH, rest - customer)
    return ColumnWidths(customer, reason, emotion, wait)


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
        self.widths = ColumnWidths()
        """Current column widths; `fit` recomputes them from the table's width."""

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = DataTable(id="inbox-table", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield Static(self.t("inbox.empty"), id="inbox-empty")

    def _add_columns(self, table: DataTable[Text | str]) -> None:
        for col in COLUMNS:
            table.add_column(self.t(f"inbox.col.{col}"), key=col, width=getattr(self.widths, col))

    def on_mount(self) -> None:
        self.border_title = self.t("inbox.title")

    def on_resize(self) -> None:
        self.fit()

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

    def fit(self, now: datetime | None = None) -> None:
        """Size the columns to the table's width: mood and wait whole, name and reason cut to fit."""
        now = now or utcnow()
        keep = self.current.id if self.current else None
        if self._refit(now):  # the same rows, cursor and transfer: nothing new to announce
            self._fill(list(self._transfers.values()), keep, now, announce=False)

    def _refit(self, now: datetime) -> bool:
        """New column widths for the table's width; True when they changed (the table is then
        empty, with its columns made again, and needs filling)."""
        table = self.table
        if not table.size.width:
            return False
        longest = max((cell_len(transfer_wait(t, now)) for t in self._transfers.values()), default=0)
        # Each column has cell padding on both sides; room is kept for the vertical scrollbar.
        inner = (
            table.size.width - 2 * table.cell_padding * len(COLUMNS) - table.styles.scrollbar_size_vertical
        )
        headers = {col: self.t(f"inbox.col.{col}") for col in COLUMNS}
        widths = fit_columns(inner, headers, longest)
        if widths == self.widths:
            return False
        self.widths = widths
        table.clear(columns=True)
        self._add_columns(table)
        return True

    def show(self, transfers: list[Transfer], total: int, *, top: bool = False) -> None:
        """Replace the window, keeping the cursor on the same transfer when it is still there.

        `top`: put the cursor on the first (highest-priority) transfer instead. The columns
        are sized for the new rows first, so the table is filled once.
        """
        keep = None if top or self.current is None else self.current.id
        now = utcnow()
        self._transfers = {t.id: t for t in transfers}
        self.total = total
        self.set_class(not transfers, "-empty")
        if not self._refit(now):
            self.table.clear()
        self._fill(transfers, keep, now)

    def _fill(
        self, transfers: list[Transfer], keep: str | None, now: datetime, *, announce: bool = True
    ) -> None:
        """Add the rows, cursor on `keep` if present, else on the first row; `announce`: then
        post one `Highlighted` for the transfer under the cursor."""
        table = self.table
        # The table says a row is highlighted when the first row arrives and again when the
        # cursor moves to `keep`: the screen hears of the fill once, below, not for each step.
        with self.prevent(DataTable.RowHighlighted):
            for t in transfers:
                table.add_row(*self._cells(t, now), key=t.id)
            if keep in self._transfers:
                table.move_cursor(row=table.get_row_index(keep))
            elif transfers:
                table.move_cursor(row=0)
        current = self.current
        if announce and current is not None:
            self.post_message(self.Highlighted(self, current))

    def _cells(self, t: Transfer, now: datetime) -> tuple[Text | str, ...]:
        p = t.packet
        who = Text.assemble(
            tier_badge(p.tier, self.t, short=True),
            " " if p.tier != "standard" else "",
            p.customer_name or p.customer_id or "?",
        )
        who.truncate(self.widths.customer, overflow="ellipsis")
        why = Text(reasons(p.rules, self.t) or p.intent)
        why.truncate(self.widths.reason, overflow="ellipsis")
        return (
            who,
            why,
            emotion_dots(p.emotion_level),
            transfer_wait(t, now),
        )

    def tick(self, now: datetime) -> None:
        """Count every wait on; the desk calls this with the same `now` as the handoff card."""
        table = self.table
        if any(cell_len(transfer_wait(t, now)) > self.widths.wait for t in self._transfers.values()):
            self.fit(now)  # a wait passed the hour: the column widens, the name gives way
        for tid, t in self._transfers.items():
            table.update_cell(tid, "wait", transfer_wait(t, now))

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
