"""A DataTable that holds one window of a long result, and the ticket list built on it.

The table never holds the whole result (100k tickets would take seconds to add, see
performance-anchors section 4). It shows `page_size` rows starting at `offset` of
`total`; when the cursor runs off either end, or jumps to the first or last row of
the whole result, it posts `WindowRequested` with the absolute row the cursor should
land on. The owner loads that window in a worker and calls `show` again, so a key
press never waits for the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Ticket, TicketPriority, TicketStatus, TicketType, Tier
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.format import tier_badge
from agentdesk.tui.widgets.ticket_format import (
    cell,
    priority_text,
    sla_text,
    span,
    status_label,
    status_text,
    type_label,
    when,
)

PAGE_SIZE = 100
"""Rows a windowed table holds at once: plenty to scroll through, quick to (re)build."""


def paging_bindings(prefix: str, noun: str) -> list[BindingType]:
    """Open, first, last and jump keys for a paged table; ids are `<prefix>-open` and so on."""
    return [
        Binding("enter", "select_cursor", "Open", tooltip=f"Open the selected {noun}", id=f"{prefix}-open"),
        Binding(
            "home,ctrl+home", "first", "First", tooltip=f"First {noun}", id=f"{prefix}-first", show=False
        ),
        Binding("end,ctrl+end", "last", "Last", tooltip=f"Last {noun}", id=f"{prefix}-last", show=False),
        Binding(
            "right_square_bracket",
            "jump(1)",
            "Next",
            tooltip="Jump a page on",
            id=f"{prefix}-next",
            show=False,
        ),
        Binding(
            "left_square_bracket",
            "jump(-1)",
            "Back",
            tooltip="Jump a page back",
            id=f"{prefix}-prev",
            show=False,
        ),
    ]


class PagedTable(DataTable[Text | str]):
    """A row-cursor DataTable holding rows `first_row .. first_row + row_count` of `result_size`."""

    @dataclass
    class WindowRequested(Message):
        """The cursor wants absolute row `target`, which lies outside the rows held."""

        table: PagedTable
        target: int

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, catalog: Catalog, *, page_size: int = PAGE_SIZE, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.page_size = page_size
        self.first_row = 0
        """Absolute index (in the whole result) of the first row held."""
        self.result_size = 0
        """Rows in the whole result."""
        localize_bindings(self, catalog)

    @property
    def absolute_row(self) -> int:
        """The cursor's position in the whole result."""
        return self.first_row + self.cursor_row

    def _request(self, target: int) -> bool:
        """Ask for the window around `target` when it is not held; True when asked."""
        target = max(0, min(target, self.result_size - 1))
        if self.first_row <= target < self.first_row + self.row_count:
            return False
        self.post_message(self.WindowRequested(self, target))
        return True

    def action_cursor_down(self) -> None:
        if not (self.cursor_row == self.row_count - 1 and self._request(self.absolute_row + 1)):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not (self.cursor_row == 0 and self._request(self.absolute_row - 1)):
            super().action_cursor_up()

    def action_page_down(self) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        if not (self.cursor_row == self.row_count - 1 and self._request(self.absolute_row + step)):
            super().action_page_down()

    def action_page_up(self) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        if not (self.cursor_row == 0 and self._request(self.absolute_row - step)):
            super().action_page_up()

    def action_first(self) -> None:
        """The first row of the whole result."""
        if not self._request(0):
            self.move_cursor(row=0)

    def action_last(self) -> None:
        """The last row of the whole result."""
        if not self._request(self.result_size - 1):
            self.move_cursor(row=self.row_count - 1)

    def action_jump(self, pages: int) -> None:
        """Move the cursor a whole window on or back."""
        target = max(0, min(self.absolute_row + pages * self.page_size, self.result_size - 1))
        if not self._request(target) and self.row_count:
            self.move_cursor(row=target - self.first_row)


def window_offset(target: int, total: int, page_size: int) -> int:
    """Where a window should start so `target` sits in its middle (clamped to the result)."""
    return max(0, min(target - page_size // 2, total - page_size))


@dataclass
class TicketWindow:
    """One window of the ticket list, as a worker loaded it."""

    tickets: list[Ticket]
    offset: int
    total: int
    customers: dict[str, tuple[str, Tier]] = field(default_factory=dict)
    """Customer id -> (name, tier) for the tickets shown."""
    cursor: int | None = None
    """Absolute row to put the cursor on; None keeps it on the same ticket (or row)."""


class TicketTable(PagedTable):
    BINDINGS = paging_bindings("tickets", "ticket")


COLUMNS = ("id", "customer", "type", "status", "priority", "subject", "sla", "updated")
MIN_SUBJECT = 20
"""The subject keeps at least this much room; narrower, the layout gives up other things first."""
NARROW_CUSTOMER = 10


@dataclass(frozen=True)
class Layout:
    """The columns a width allows, in order, with their widths; the subject takes what is left."""

    columns: tuple[tuple[str, int], ...]
    short_time: bool = False
    """`updated` shows the date only."""
    compact_sla: bool = False
    """SLA shows its largest unit only (`late 19d`)."""

    def width(self, key: str) -> int:
        return dict(self.columns)[key]


class TicketList(Widget):
    """The bordered ticket list: a window of tickets, their count, and an empty state."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a ticket."""

        ticket_list: TicketList
        ticket: Ticket

        @property
        def control(self) -> TicketList:
            return self.ticket_list

    @dataclass
    class Chosen(Message):
        """The agent pressed enter on a ticket."""

        ticket_list: TicketList
        ticket: Ticket

        @property
        def control(self) -> TicketList:
            return self.ticket_list

    total: reactive[int] = reactive(-1)
    """Tickets matching the filters (-1 until the first load)."""
    searching: reactive[bool] = reactive(False)
    """The search box has the focus: keys are text there, so the empty state says so."""
    unreachable: reactive[bool] = reactive(False)
    """The team server cannot be reached: the rows (if any) are as last read."""

    def __init__(self, catalog: Catalog, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.zone = zone
        self.window = TicketWindow([], 0, 0)
        self._layout_shown = Layout(())

    def compose(self) -> ComposeResult:
        yield TicketTable(self.t, id="tickets-table")
        yield Static(self.t("tickets.loading"), id="tickets-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("tickets.list.title")

    @property
    def table(self) -> TicketTable:
        return self.query_one(TicketTable)

    @property
    def current(self) -> Ticket | None:
        """The ticket under the cursor."""
        rows = self.window.tickets
        row = self.table.cursor_row
        return rows[row] if self.table.row_count and 0 <= row < len(rows) else None

    def show(self, window: TicketWindow) -> None:
        """Replace the rows held; the cursor goes to `window.cursor` or stays on its ticket."""
        table = self.table
        keep = self.current.id if self.current else None
        old_row = table.cursor_row
        self.window = window
        table.first_row, table.result_size = window.offset, window.total
        self._fill(force=True)
        ids = [t.id for t in window.tickets]
        if window.cursor is not None:
            row = window.cursor - window.offset
        elif keep in ids:
            row = ids.index(keep)
        else:
            row = min(old_row, len(ids) - 1)
        if ids:
            table.move_cursor(row=max(0, row), animate=False)
        self.total = window.total
        self._update_position()
        self._post_current()

    def _layout(self, width: int) -> Layout:
        """What fits `width` cells. Step by step until the subject has `MIN_SUBJECT`: the time
        of day goes, then the type column (the preview shows it), the customer narrows, the SLA
        keeps one unit, the customer column goes. Id, status, priority, SLA and updated stay."""
        t, cjk = self.t, cell_len
        natural = {
            "id": max([7, *(len(x.id) for x in self.window.tickets)]),
            "customer": 14,
            "type": max(cjk(type_label(x, t)) for x in TicketType),
            "status": max(cjk(status_label(x, t)) for x in TicketStatus),
            "priority": max(cjk(t(f"priority.{x}")) for x in TicketPriority) + 2,
            "sla": cjk(t("tickets.sla.late", span=span(timedelta(days=99, hours=23), t))),
            "updated": 11,
        }
        header = {c: cjk(t(f"tickets.col.{c}")) for c in COLUMNS}
        steps: list[dict[str, object]] = [
            {},
            {"updated": 5},
            {"type": None},
            {"customer": NARROW_CUSTOMER},
            {"sla": cjk(t("tickets.sla.late", span=span(timedelta(days=99), t, compact=True)))},
            {"customer": None},
        ]
        sizes: dict[str, int | None] = dict(natural)
        layout = Layout(())
        for i, step in enumerate(steps):
            sizes.update(step)  # type: ignore[arg-type]
            shown = [(c, max(w, header[c])) for c, w in sizes.items() if w is not None]
            padding = 2 * (len(shown) + 1) + 1  # one cell each side of every column, and the scrollbar
            subject = width - sum(w for _, w in shown) - padding
            order = [c for c in COLUMNS if c == "subject" or sizes.get(c) is not None]
            widths = dict(shown) | {"subject": max(8, subject)}
            layout = Layout(
                tuple((c, widths[c]) for c in order),
                short_time=sizes["updated"] == 5,
                compact_sla=i >= 4,
            )
            if subject >= MIN_SUBJECT:
                break
        return layout

    def _fill(self, *, force: bool = False) -> None:
        """(Re)build columns and rows for the current width; cheap because only a window is held."""
        table = self.table
        layout = self._layout(self.size.width or 100)
        if not force and layout == self._layout_shown:
            return
        row = table.cursor_row
        self._layout_shown = layout
        table.clear(columns=True)
        for key, width in layout.columns:
            table.add_column(self.t(f"tickets.col.{key}"), width=width, key=key)
        now = utcnow()
        for ticket in self.window.tickets:
            table.add_row(*self._cells(ticket, now, layout), key=ticket.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        empty = not self.window.tickets
        self.set_class(empty, "-empty")
        if empty:
            self._say_empty()
        elif self.screen.focused is None:  # hiding the empty table dropped focus: give it back
            table.focus()

    def _cells(self, ticket: Ticket, now: datetime, layout: Layout) -> list[Text]:
        t = self.t
        cells: dict[str, Callable[[int], Text]] = {
            "id": lambda w: Text(ticket.id, style="bold"),
            "customer": lambda w: cell(self._customer(ticket), w),
            "type": lambda w: cell(type_label(ticket.type, t), w),
            "status": lambda w: cell(status_text(ticket.status, t), w),
            "priority": lambda w: priority_text(ticket.priority, t),
            "subject": lambda w: cell(mask_text(ticket.subject), w),
            "sla": lambda w: sla_text(ticket, now, t, compact=layout.compact_sla),
            "updated": lambda w: Text(
                when(ticket.updated_at, now, self.zone, short=layout.short_time), style="dim"
            ),
        }
        return [cells[key](width) for key, width in layout.columns]

    def _customer(self, ticket: Ticket) -> Text:
        name, tier = self.window.customers.get(
            ticket.customer_id or "", (ticket.customer_id or "—", Tier.STANDARD)
        )
        badge = tier_badge(tier, self.t, short=True)
        return Text.assemble(badge, " " if badge.plain else "", name)

    def tick(self) -> None:
        """Refresh the SLA countdowns of the rows held."""
        now, compact = utcnow(), self._layout_shown.compact_sla
        for ticket in self.window.tickets:
            self.table.update_cell(ticket.id, "sla", sla_text(ticket, now, self.t, compact=compact))

    def on_resize(self) -> None:
        self._fill()

    def watch_total(self, total: int) -> None:
        self._update_position()

    def watch_searching(self) -> None:
        if not self.window.tickets and self.total >= 0:
            self._say_empty()

    def watch_unreachable(self, unreachable: bool) -> None:
        self._update_position()
        if unreachable and self.total < 0:  # never loaded: say why instead of "Loading…"
            self.set_class(True, "-empty")
        if not self.window.tickets:
            self._say_empty()

    def _say_empty(self) -> None:
        """Why the list is empty and what to do, for where the keys go now."""
        if self.unreachable:
            key = "tickets.unreachable"
        else:
            key = "tickets.none.typing" if self.searching else "tickets.none"
        self.query_one("#tickets-empty", Static).update(self.t(key))

    def _update_position(self) -> None:
        """`57 of 5,000` under the list: where the cursor is in the whole result."""
        if self.unreachable:
            self.border_subtitle = self.t("tickets.list.unreachable")
            return
        if self.total < 0:
            return
        row = self.table.absolute_row + 1 if self.window.tickets else 0
        self.border_subtitle = self.t("tickets.list.count", row=f"{row:,}", total=f"{self.total:,}")

    def _post_current(self) -> None:
        if (ticket := self.current) is not None:
            self.post_message(self.Highlighted(self, ticket))

    @on(DataTable.RowHighlighted, "#tickets-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._post_current()
        self._update_position()

    @on(DataTable.RowSelected, "#tickets-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if (ticket := self.current) is not None:
            self.post_message(self.Chosen(self, ticket))
