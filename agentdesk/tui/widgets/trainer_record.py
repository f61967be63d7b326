"""The trainee's record under the call list: recent runs, newest first, with their scores."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.domain.models import TrainingResult
from agentdesk.domain.scripts import CallScript
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.trainer_calls import percent

SHOWN = 50


class TrainingRecord(VerticalScroll, can_focus=False):
    """Read-only; the screen calls `show` after loading or saving results."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._body = Static(Text(catalog("trainer.record.none"), style="dim"), id="trainer-record-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("trainer.record.title")

    def show(self, results: list[TrainingResult], scripts: list[CallScript]) -> None:
        """Finished runs, newest first; the subtitle sums them up."""
        done = [r for r in results if r.finished_at is not None][:SHOWN]
        if not done:
            self.border_subtitle = ""
            self._body.update(Text(self.t("trainer.record.none"), style="dim"))
            return
        average = sum(r.score for r in done) / len(done)
        self.border_subtitle = self.t.count(
            "trainer.record.summary", len(done), runs=len(done), average=f"{average:.0%}"
        )
        titles = {s.id: s.title for s in scripts}
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right", style="dim")
        grid.add_column(no_wrap=True, justify="right", width=4)
        for r in done:
            right = sum(d.correct for d in r.decisions)
            grid.add_row(
                f"{r.finished_at.astimezone():%m-%d %H:%M}",  # the trainee's own clock
                r.script_id[:5],
                titles.get(r.script_id, r.script_id),
                f"{right}/{len(r.decisions)}",
                percent(r.score),
            )
        self._body.update(grid)
