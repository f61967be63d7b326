"""The trainer's call list and the preview of the highlighted call.

The preview tells the trainee the situation (customer, time of day, queue, length) but
never the expected outcome: that is what they practise. The lesson appears once tried.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from agentdesk.calls.training import difficulty
from agentdesk.domain.models import Customer
from agentdesk.domain.scripts import CallScript
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import duration, tier_badge

FIXED = {"call": 6, "lang": 4, "level": 5, "best": 5}
"""Widths of the columns around the title; the title takes the rest of the pane."""
LEVEL_STYLE = {1: "green", 2: "yellow", 3: "bold red"}


def stars(level: int) -> Text:
    """Difficulty as ●●○ (basic ●○○ .. advanced ●●●)."""
    return Text("●" * level + "○" * (3 - level), style=LEVEL_STYLE[level])


def percent(score: float | None) -> Text:
    if score is None:
        return Text("—", style="dim", justify="right")
    style = "bold green" if score >= 0.999 else "yellow" if score >= 0.5 else "red"
    return Text(f"{score:.0%}", style=style, justify="right")


def when(script: CallScript, timezone: str, lines_open: bool, t: Catalog) -> Text:
    """`Fri 25 Dec 11:20 London · off hours: no human on duty` (`12月25日 周五 11:20 伦敦 · ...`)."""
    at = script.at
    city = timezone.rsplit("/", 1)[-1].replace("_", " ")
    named = t(f"trainer.city.{city}")
    city = city if named == f"trainer.city.{city}" else named
    if t.lang == "zh":
        day = f"{at.month}月{at.day}日 周{'一二三四五六日'[at.weekday()]} {at:%H:%M}"
    else:
        day = f"{at:%a} {at.day} {at:%b %H:%M}"
    hours = (t("trainer.hours.open"), "green") if lines_open else (t("trainer.hours.closed"), "bold yellow")
    return Text.assemble(f"{day} {city}".rstrip(), ("  ·  ", "dim"), hours)


class CallPicker(Widget):
    """The sample calls with difficulty and the trainee's best score; Enter replays one."""

    @dataclass
    class Highlighted(Message):
        script: CallScript

    @dataclass
    class Chosen(Message):
        script: CallScript

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.scripts: list[CallScript] = []
        self.best: dict[str, float] = {}
        self._title_width = 0

    def compose(self) -> ComposeResult:
        yield DataTable(id="trainer-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.border_title = self.t("trainer.list.title")

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#trainer-table", DataTable)

    @property
    def current(self) -> CallScript | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self.scripts if s.id == key), None)

    def show(self, scripts: list[CallScript], best: dict[str, float]) -> None:
        """Replace the list, keeping the cursor on the same call."""
        keep = self.current.id if self.current else None
        self.scripts, self.best = scripts, best
        self._rebuild(force=True)
        self.border_subtitle = self.t.count("trainer.list.count", len(scripts), count=len(scripts))
        if keep and any(s.id == keep for s in scripts):
            self.table.move_cursor(row=self.table.get_row_index(keep), animate=False)
        elif scripts:
            self.post_message(self.Highlighted(scripts[0]))

    def on_resize(self) -> None:
        keep = self.current.id if self.current else None
        if self._rebuild() and keep:
            self.table.move_cursor(row=self.table.get_row_index(keep), animate=False)

    def _rebuild(self, *, force: bool = False) -> bool:
        title = max(12, (self.size.width or 60) - sum(FIXED.values()) - 2 * (len(FIXED) + 1) - 2)
        if not force and title == self._title_width:
            return False
        self._title_width = title
        table = self.table
        table.clear(columns=True)  # columns never shrink otherwise
        table.add_column(self.t("trainer.col.call"), key="call", width=FIXED["call"])
        table.add_column(self.t("trainer.col.title"), key="title", width=title)
        table.add_column(self.t("trainer.col.lang"), key="lang", width=FIXED["lang"])
        table.add_column(self.t("trainer.col.level"), key="level", width=FIXED["level"])
        table.add_column(self.t("trainer.col.best"), key="best", width=FIXED["best"])
        for s in self.scripts:
            name = Text(s.title)
            name.truncate(title, overflow="ellipsis")
            table.add_row(
                Text(s.id[:5], style="bold"),
                name,
                Text(s.language.upper(), style="dim"),
                stars(difficulty(s)),
                percent(self.best.get(s.id)),
                key=s.id,
            )
        return True

    @on(DataTable.RowHighlighted, "#trainer-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        script = self.current
        if script is not None:
            self.post_message(self.Highlighted(script))

    @on(DataTable.RowSelected, "#trainer-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        script = self.current
        if script is not None:
            self.post_message(self.Chosen(script))


class CallPreview(VerticalScroll):
    """The highlighted call's situation and lesson; the screen calls `show`."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._body = Static(Text(catalog("trainer.preview.none"), style="dim"), id="trainer-preview-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("trainer.preview.title")

    def show(
        self,
        script: CallScript,
        customer: Customer | None,
        best: float | None,
        *,
        lines_open: bool,
        timezone: str,
    ) -> None:
        """Render `script`'s situation; `lines_open` and `timezone` describe its line at the call's time."""
        t = self.t
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        who = Text(customer.name if customer else script.customer)
        if customer is not None:
            who.append("  ").append_text(tier_badge(customer.tier, t))
        grid.add_row(t("trainer.preview.customer"), who)
        grid.add_row(t("trainer.preview.when"), when(script, timezone, lines_open, t))
        waiting = script.context.get("queue_waiting", 0)
        grid.add_row(
            t("trainer.preview.queue"), t.count("trainer.preview.queue_value", waiting, count=waiting)
        )
        grid.add_row(
            t("trainer.preview.length"),
            t("trainer.preview.length_value", length=duration(script.duration), turns=len(script.turns)),
        )
        level = difficulty(script)
        grid.add_row(
            t("trainer.preview.level"),
            Text.assemble(stars(level), " ", t(f"trainer.difficulty.{level}")),
        )
        grid.add_row(
            t("trainer.preview.best"),
            percent(best) if best is not None else Text(t("trainer.preview.best_none"), style="dim"),
        )
        if script.notes and best is not None:
            grid.add_row(t("trainer.preview.teaches"), Text(script.notes.strip(), style="italic"))
        elif script.notes:
            # The lesson names the right decision, so it waits until the trainee has made one.
            grid.add_row(t("trainer.preview.teaches"), Text(t("trainer.preview.teaches_later"), style="dim"))
        head = Text(script.id, style="dim", no_wrap=True, overflow="ellipsis")
        head.append("\n").append(script.title, style="bold")
        hint = Text(t("trainer.preview.hint"), style="dim")
        self._body.update(Group(head, Text(""), grid, Text(""), hint))
        self.scroll_home(animate=False)
