"""KPI charts for the supervisor: transfers over time, bot containment, transfers by hour of day.

Containment comes from `domain.kpis.series`, so a point here and the KPI tile count calls the
same way. plotext is imported with this module, which only the supervisor screen loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static
from textual_plotext import PlotextPlot

from agentdesk.domain import kpis
from agentdesk.store.kpi_inputs import KpiInputs
from agentdesk.tui.i18n import Catalog

CHARTS = ("transfers", "containment", "hours")
"""The charts, in the order the next-chart key shows them."""
MAX_BUCKETS = 16
"""Bars a chart shows at most; older history is left off the left edge."""
WEEKLY_AFTER = timedelta(days=28)
"""Histories longer than this are charted per week instead of per day."""
CONTAINMENT_TARGET = 0.80
GREEN, ORANGE, CYAN = 70, 208, 38
"""xterm-256 colour numbers: plotext and Rich both take them, so the key matches the bars."""
COLUMNS_PER_BAR = 4
"""Terminal columns per bucket in the bar charts: a three-column bar and a gap."""


@dataclass(frozen=True)
class ChartData:
    """What the charts plot, ready to draw."""

    step: Literal["day", "week"] = "day"
    labels: list[str] = field(default_factory=list)
    """One `MM-DD` label per bucket (the bucket's first day)."""
    transfers: list[int] = field(default_factory=list)
    """Contacts that reached the agent queue, per bucket (see `queued_at`)."""
    containment: list[float | None] = field(default_factory=list)
    """Bot containment per bucket (`kpis.containment_rate`), None where no call ended."""
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    """Contacts that reached the agent queue per hour of the day (local time), whole history."""


def queued_at(inputs: KpiInputs) -> list[datetime]:
    """When each contact reached the agent queue: every transfer, and every call with outcome
    `transferred` that has no transfer record (history imported without its transfers)."""
    queued = {t.call_id for t in inputs.transfers if t.call_id}
    times = [t.created_at for t in inputs.transfers]
    times += [c.started_at for c in inputs.calls if c.outcome == "transferred" and c.id not in queued]
    return times


def chart_data(inputs: KpiInputs, now: datetime, tz: tzinfo) -> ChartData:
    """Bucket the history per day (or week, for long histories) in the centre's time zone."""
    calls = inputs.calls
    if not calls:
        return ChartData()
    first = min(c.started_at for c in calls)
    weekly = now - first > WEEKLY_AFTER

    def bucket(at: datetime) -> datetime:
        day = kpis.bucket_start(at, "day", tz)
        return day - timedelta(days=day.weekday()) if weekly else day

    # Only the buckets shown are computed: a year of history costs no more than a month.
    start = bucket(max(first, now - timedelta(days=MAX_BUCKETS * (7 if weekly else 1))))
    daily = kpis.series(
        calls,
        inputs.transfers,
        inputs.tickets,
        inputs.surveys,
        inputs.feedback,
        start=start,
        end=now,
        now=now,
        step="day",
        tz=tz,
    )
    ended: dict[datetime, list[int]] = {}
    for day, report in daily:
        rate = report.containment_rate
        counts = ended.setdefault(bucket(day), [0, 0])
        counts[0] += round((rate.value or 0) * rate.n)  # contained calls, back from the share
        counts[1] += rate.n
    queued: dict[datetime, int] = {}
    hours = [0] * 24
    for at in queued_at(inputs):
        hours[at.astimezone(tz).hour] += 1
        queued[bucket(at)] = queued.get(bucket(at), 0) + 1
    starts = sorted(ended)[-MAX_BUCKETS:]
    return ChartData(
        step="week" if weekly else "day",
        labels=[s.strftime("%m-%d") for s in starts],
        transfers=[queued.get(s, 0) for s in starts],
        containment=[ended[s][0] / ended[s][1] if ended[s][1] else None for s in starts],
        by_hour=hours,
    )


def _ticks(top: int) -> list[int]:
    """About four whole-number ticks from 0 to at least `top`."""
    step = max(1, -(-top // 4))
    return list(range(0, top + step, step)) if top else [0, 1]


def canvas_width(plot_width: int, tick_labels: list[str]) -> int:
    """Columns plotext leaves for the data: the plot less the y-axis labels and the frame."""
    return plot_width - max(len(label) for label in tick_labels) - 2


class KpiCharts(Vertical):
    """One chart at a time, with a colour key above it; `next_chart` shows the next one."""

    chart: reactive[str] = reactive("transfers")
    """Which chart of `CHARTS` is shown."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.data: ChartData | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-key")
        yield PlotextPlot(id="chart-plot")

    def on_mount(self) -> None:
        self.border_subtitle = self.t("supervisor.chart.next_hint")

    def next_chart(self) -> None:
        self.chart = CHARTS[(CHARTS.index(self.chart) + 1) % len(CHARTS)]

    def show(self, data: ChartData) -> None:
        self.data = data
        self._draw()

    def watch_chart(self, chart: str) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        t, data = self.t, self.data
        self.border_title = t(f"supervisor.chart.{self.chart}.{data.step if data else 'day'}")
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        if data is None or not data.labels:
            self.query_one("#chart-key", Static).update(Text(t("supervisor.chart.empty"), style="dim"))
        elif plot.size.width > 12:
            getattr(self, f"_draw_{self.chart}")(plt, data, plot.size.width)
        plot.refresh()

    def _key(self, *items: tuple[str, int]) -> None:
        key = Text()
        for label, color in items:
            key.append("■ ", style=f"color({color})")
            key.append(label + "  ")
        self.query_one("#chart-key", Static).update(key)

    def _draw_transfers(self, plt, data: ChartData, width: int) -> None:  # type: ignore[no-untyped-def]
        ticks = _ticks(max(data.transfers))
        canvas = canvas_width(width, [str(v) for v in ticks])
        keep = max(1, canvas // COLUMNS_PER_BAR)
        labels, values = data.labels[-keep:], data.transfers[-keep:]
        self._key(
            (
                self.t.count(f"supervisor.chart.transfers.bar.{data.step}", sum(values), count=sum(values)),
                ORANGE,
            )
        )
        plt.bar(list(range(len(values))), values, color=ORANGE, width=0.5)
        # Exactly COLUMNS_PER_BAR columns per bucket: plotext rounds bar edges, so only an
        # integer scale keeps every bar as wide as the next, with a gap between them.
        plt.xlim(len(values) - (canvas - 1) / COLUMNS_PER_BAR - 0.5, len(values) - 0.5)
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks)
        self._x_labels(plt, labels)

    def _draw_containment(self, plt, data: ChartData, width: int) -> None:  # type: ignore[no-untyped-def]
        self._key(
            (self.t("supervisor.chart.containment.line"), CYAN),
            (self.t("supervisor.chart.containment.target", target=f"{CONTAINMENT_TARGET:.0%}"), GREEN),
        )
        keep = max(2, canvas_width(width, ["100%"]) // COLUMNS_PER_BAR)
        values = data.containment[-keep:]
        points = [(i, v * 100) for i, v in enumerate(values) if v is not None]
        if points:
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille", color=CYAN)
            plt.scatter([p[0] for p in points], [p[1] for p in points], marker="●", color=CYAN)
        plt.hline(CONTAINMENT_TARGET * 100, GREEN)
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        plt.xlim(-0.5, len(values) - 0.5)
        self._x_labels(plt, data.labels[-keep:])

    def _draw_hours(self, plt, data: ChartData, width: int) -> None:  # type: ignore[no-untyped-def]
        self._key(
            (self.t.count("supervisor.chart.hours.bar", sum(data.by_hour), count=sum(data.by_hour)), ORANGE)
        )
        ticks = _ticks(max(data.by_hour))
        plt.bar(list(range(24)), data.by_hour, color=ORANGE, width=0.6)
        plt.xlim(-0.5, 23.5)
        plt.xticks([0, 3, 6, 9, 12, 15, 18, 21], ["00", "03", "06", "09", "12", "15", "18", "21"])
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks)

    @staticmethod
    def _x_labels(plt, labels: list[str]) -> None:  # type: ignore[no-untyped-def]
        every = max(1, -(-len(labels) // 4))
        picks = list(range(len(labels) - 1, -1, -every))[::-1]  # always label the newest bucket
        plt.xticks(picks, [labels[i] for i in picks])
