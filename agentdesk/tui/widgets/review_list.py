"""The review queue: flags on bot lines, filtered by status, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static, Tab, Tabs

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import BotFeedback, FeedbackStatus
from agentdesk.tui.i18n import Catalog

COLUMNS = ("age", "reason", "by", "said")
REASON_STYLE = {
    "misheard": "cyan",
    "wrong_answer": "bold red",
    "wrong_transfer": "dark_orange",
    "unneeded_transfer": "yellow",
    "other": "",
}


def age_label(seconds: float, t: Catalog) -> str:
    """A coarse age for flags: `12 min`, `5 h`, `3 d` (`刚刚` / `just now` under a minute)."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return t("review.age.now")
    if seconds < 3600:
        return t("review.age.minutes", n=seconds // 60)
    if seconds < 2 * 86400:
        return t("review.age.hours", n=seconds // 3600)
    return t("review.age.days", n=seconds // 86400)


class FlagList(Widget):
    """Status tabs over a table of flags; the screen loads the flags of the chosen status."""

    @dataclass
    class FilterChanged(Message):
        """Another status tab was chosen."""

        flags: FlagList
        status: FeedbackStatus

        @property
        def control(self) -> FlagList:
            return self.flags

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a flag."""

        flags: FlagList
        feedback: BotFeedback

        @property
        def control(self) -> FlagList:
            return self.flags

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.flags: list[BotFeedback] = []
        self.names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Tabs(
            *(Tab(self.t(f"review.status.{s.value}"), id=f"tab-{s.value}") for s in FeedbackStatus),
            id="review-tabs",
        )
        table: DataTable[Text | str] = DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        for col in COLUMNS:
            table.add_column(self.t(f"review.col.{col}"), key=col)
        yield table
        yield Static(self.t("review.list.empty"), id="review-empty")

    def on_mount(self) -> None:
        self.border_title = self.t("review.list.title")

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#review-table", DataTable)

    @property
    def status(self) -> FeedbackStatus:
        """The status whose flags are listed."""
        active = self.query_one(Tabs).active or "tab-open"
        return FeedbackStatus(active.removeprefix("tab-"))

    @property
    def current(self) -> BotFeedback | None:
        """The flag under the cursor."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((f for f in self.flags if f.id == key), None)

    def next_filter(self) -> None:
        statuses = list(FeedbackStatus)
        following = statuses[(statuses.index(self.status) + 1) % len(statuses)]
        self.query_one(Tabs).active = f"tab-{following.value}"

    def counts(self, counts: dict[FeedbackStatus, int], capped: int) -> None:
        """Show how many flags each status holds (`capped` and more shows as `capped+`)."""
        tabs = self.query_one(Tabs)
        for status, n in counts.items():
            shown = f"{capped}+" if n >= capped else str(n)
            tabs.query_one(f"#tab-{status.value}", Tab).label = Text(
                f"{self.t(f'review.status.{status.value}')} {shown}"
            )

    def show(self, flags: list[BotFeedback], now: datetime, names: dict[str, str]) -> None:
        """Replace the rows, keeping the cursor on the same flag when it is still listed."""
        table = self.table
        keep = self.current.id if self.current else None
        self.flags, self.names = flags, names
        table.clear()
        for f in flags:
            table.add_row(*self._cells(f, now), key=f.id)
        self.set_class(not flags, "-empty")
        self.border_subtitle = self.t("review.list.count", count=len(flags))
        if keep and any(f.id == keep for f in flags):
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        elif flags:
            table.move_cursor(row=0, animate=False)
            self.post_message(self.Highlighted(self, flags[0]))

    def _cells(self, f: BotFeedback, now: datetime) -> tuple[Text | str, ...]:
        said = Text(mask_text(f.utterance_text) or "—", style="dim")
        said.truncate(36, overflow="ellipsis")
        who = Text(self.names.get(f.flagged_by, f.flagged_by))
        who.truncate(12, overflow="ellipsis")
        return (
            Text(age_label((now - f.created_at).total_seconds(), self.t), justify="right"),
            Text(self.t(f"review.reason.short.{f.reason.value}"), style=REASON_STYLE.get(f.reason.value, "")),
            who,
            said,
        )

    @on(Tabs.TabActivated, "#review-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        event.stop()
        self.post_message(self.FilterChanged(self, self.status))

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        flag = next((f for f in self.flags if f.id == event.row_key.value), None)
        if flag is not None:
            self.post_message(self.Highlighted(self, flag))

    @on(DataTable.RowSelected, "#review-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
