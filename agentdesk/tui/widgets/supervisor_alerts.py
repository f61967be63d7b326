"""Alerts for the supervisor: angry or rising-emotion callers waiting, long waits, overdue tickets.

`find_alerts` is pure, so the screen can re-run it every second over the queue it holds
(waits cross the threshold with time alone) without touching the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import EmotionLevel, Ticket
from agentdesk.domain.transfers import Transfer
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import duration

AlertKind = Literal["angry", "rising", "long_wait", "sla"]
KIND_STYLE: dict[str, str] = {
    "angry": "bold white on red3",
    "rising": "bold black on dark_orange",
    "long_wait": "bold black on yellow",
    "sla": "bold white on magenta",
}


@dataclass(frozen=True, slots=True)
class Alert:
    """Something a supervisor should look at now: one per transfer or ticket."""

    kind: AlertKind
    """The most pressing condition: angry, then rising, then a long wait; `sla` for tickets."""
    entity_id: str
    """The transfer or ticket it is about."""
    since: datetime
    """When the condition began; alerts are listed newest first by it."""
    subject: str
    """Customer name or ticket subject, masked."""
    started: datetime
    """When the wait began, or when the ticket fell due: the age column counts from here."""
    long_wait: bool = False
    """The customer has also waited past the long-wait limit."""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.entity_id}"


def rose_by(trend: list[EmotionLevel]) -> int:
    """The largest rise in emotion within the call: a later level minus an earlier one."""
    rise, low = 0, None
    for level in trend:
        low = int(level) if low is None else min(low, int(level))
        rise = max(rise, int(level) - low)
    return rise


def find_alerts(
    transfers: Iterable[Transfer],
    overdue: Iterable[Ticket],
    now: datetime,
    *,
    long_wait_seconds: float,
    rise: int,
) -> list[Alert]:
    """Every alert, newest first.

    Args:
        transfers: waiting transfers (the queue window the screen holds).
        overdue: open tickets past their SLA due time.
        now: the time of the check.
        long_wait_seconds: waits longer than this raise a long-wait alert.
        rise: an emotion rise of this many levels within the call raises a rising alert.
    """
    alerts: list[Alert] = []
    for t in transfers:
        p = t.packet
        who = mask_text(p.customer_name or p.customer_id or t.id)
        limit = p.wait_started_at + timedelta(seconds=long_wait_seconds)
        long_wait = now >= limit
        if p.emotion_level >= EmotionLevel.ANGRY:
            alerts.append(Alert("angry", t.id, p.wait_started_at, who, p.wait_started_at, long_wait))
        elif rose_by(p.emotion_trend) >= rise:
            alerts.append(Alert("rising", t.id, p.wait_started_at, who, p.wait_started_at, long_wait))
        elif long_wait:
            alerts.append(Alert("long_wait", t.id, limit, who, p.wait_started_at, long_wait))
    for ticket in overdue:
        if ticket.sla_due is not None and ticket.sla_due < now:
            alerts.append(Alert("sla", ticket.id, ticket.sla_due, mask_text(ticket.subject), ticket.sla_due))
    alerts.sort(key=lambda a: (a.since, a.key), reverse=True)
    return alerts


def ago(seconds: float) -> str:
    """A compact age: `m:ss` under an hour, then `5h`, then `3d`."""
    seconds = max(0, int(seconds))
    if seconds < 3600:
        return duration(seconds)
    if seconds < 2 * 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


class AlertList(Widget):
    """The alerts, newest first, highlighted by kind; enter jumps to a transfer's queue row."""

    @dataclass
    class Chosen(Message):
        """The supervisor pressed enter on an alert."""

        alerts: AlertList
        alert: Alert

        @property
        def control(self) -> AlertList:
            return self.alerts

    count: reactive[int] = reactive(0)
    """How many alerts are shown."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.alerts: list[Alert] = []

    def compose(self) -> ComposeResult:
        table: DataTable[Text | str] = DataTable(id="alerts-table", cursor_type="row")
        self._add_columns(table)
        yield table
        yield Static(self.t("supervisor.alerts.none"), id="alerts-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("supervisor.alerts.title")
        self.watch_count(0)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#alerts-table", DataTable)

    def show(self, alerts: list[Alert], now: datetime) -> None:
        """Show `alerts`; rows are rebuilt only when the set of alerts changed."""
        table = self.table
        if [a.key for a in alerts] != [a.key for a in self.alerts]:
            self.alerts = alerts
            self._rebuild(now)
        else:
            for a in alerts:
                table.update_cell(a.key, "age", self._age(a, now))
        self.alerts = alerts
        self.count = len(alerts)
        self.set_class(not alerts, "-empty")

    def _current_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _rebuild(self, now: datetime) -> None:
        table = self.table
        # Follow the head of the list (newest first) unless the supervisor moved down it.
        keep = self._current_key() if table.cursor_row > 0 else None
        table.clear(columns=True)  # columns keep their widest width otherwise, and never shrink
        self._add_columns(table)
        width = self._subject_width()
        for a in self.alerts:
            table.add_row(*self._cells(a, now, width), key=a.key)
        if keep in {a.key for a in self.alerts}:
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def _add_columns(self, table: DataTable[Text | str]) -> None:
        for col in ("kind", "subject", "age"):
            table.add_column(self.t(f"supervisor.alerts.col.{col}"), key=col)

    def _subject_width(self) -> int:
        """What is left for the subject column once the badge and age columns are laid out."""
        badge = max(Text(self.t(f"supervisor.alert.{k}")).cell_len for k in KIND_STYLE) + 2
        # The age column (`⏱ 12:34`), cell padding, the border and the scrollbar take 16 cells.
        return max(8, min(28, self.size.width - badge - 16))

    def on_resize(self) -> None:
        if self.alerts:
            self._rebuild(utcnow())

    def _cells(self, a: Alert, now: datetime, width: int) -> tuple[Text, Text, Text]:
        badge = Text(f" {self.t(f'supervisor.alert.{a.kind}')} ", style=KIND_STYLE[a.kind])
        subject = Text(a.subject, style="bold" if a.kind in ("angry", "rising") else "")
        subject.truncate(width, overflow="ellipsis")
        return badge, subject, self._age(a, now)

    def _age(self, a: Alert, now: datetime) -> Text:
        """How long the customer has waited (red past the limit), or how long the ticket is overdue."""
        age = ago((now - a.started).total_seconds())
        return Text(
            ("⏱ " if a.long_wait else "") + age, style="bold red" if a.long_wait else "", justify="right"
        )

    def watch_count(self, count: int) -> None:
        self.border_subtitle = self.t("supervisor.alerts.count", count=count)
        self.set_class(count > 0, "-alerting")

    @on(DataTable.RowSelected, "#alerts-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        alert = next((a for a in self.alerts if a.key == event.row_key.value), None)
        if alert is not None:
            self.post_message(self.Chosen(self, alert))

    @on(DataTable.RowHighlighted, "#alerts-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
