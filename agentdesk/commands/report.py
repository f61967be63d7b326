"""`agentdesk report`: the supervisor's KPIs for a period, as a table, JSON or CSV.

The figures are the supervisor screen's (`domain.kpis` over `store.kpi_inputs`), each
with the number of items it was measured over and its target.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import click

from agentdesk.commands.common import lang_option, open_store, settings_from

if TYPE_CHECKING:
    from agentdesk.domain.kpis import KpiReport

MIN_YEAR, MAX_YEAR = 1970, 2999
"""Dates a report accepts; far-off ones (9999-12-31) cannot be shifted into UTC."""
MAX_BUCKETS = 1000
"""The longest per-day or per-hour series a report prints."""


class _When(click.ParamType):
    """A date (`2026-11-23`) or a local date and time (`2026-11-23 14:00`, `2026-11-23T14:00`)."""

    name = "DATE[ TIME]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, (date, datetime)):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            if not MIN_YEAR <= parsed.year <= MAX_YEAR:
                self.fail(f"{value!r} is outside the years {MIN_YEAR} to {MAX_YEAR}", param, ctx)
            return parsed.date() if fmt == "%Y-%m-%d" else parsed
        self.fail(f"{value!r} is not a date (2026-11-23) or date and time (2026-11-23 14:00)", param, ctx)


def _local(value: date | datetime, tz: tzinfo, *, end: bool = False) -> datetime:
    """A date is its local midnight (the next one for an end: the whole day counts)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time(0), tzinfo=tz)


def period(
    now: datetime,
    tz: tzinfo,
    *,
    days: int | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> tuple[datetime | None, datetime | None]:
    """The report's [since, until) in the centre's time zone; None ends are open.

    `days` counts today: 1 is since local midnight, 7 the last seven calendar days.

    Raises:
        click.UsageError: `days` together with `since`, days reaching back before
            MIN_YEAR, a start in the future, or an empty period.
    """
    if days is not None:
        if since is not None:
            raise click.UsageError("give --days or --since, not both")
        if days < 1:
            raise click.UsageError("--days must be 1 or more")
        today = now.astimezone(tz).date()
        if days > (today - date(MIN_YEAR, 1, 1)).days + 1:
            raise click.UsageError(
                f"--days {days} reaches back before {MIN_YEAR}; leave --days out to count every record"
            )
        since = today - timedelta(days=days - 1)
    start = None if since is None else _local(since, tz)
    stop = None if until is None else _local(until, tz, end=True)
    if start is not None and start > now:
        raise click.UsageError(
            f"--since {start.strftime('%Y-%m-%d %H:%M')} lies in the future: nothing has happened yet"
        )
    if start is not None and stop is not None and stop <= start:
        raise click.UsageError("--until must be after --since")
    return start, stop


def _figures(report: Any) -> dict[str, dict[str, Any]]:
    from agentdesk.domain.kpi_targets import KPIS, meets_target

    out = {}
    for spec in KPIS:
        kpi = getattr(report, spec.name)
        out[spec.name] = {
            "value": kpi.value,
            "n": kpi.n,
            "unit": spec.unit,
            "target": spec.target,
            "higher_is_better": spec.higher_is_better,
            "meets_target": meets_target(spec, kpi.value),
        }
    return out


@click.command()
@click.option("--days", type=int, help="The last N calendar days, today included (1 = today).")
@click.option("--since", type=_When(), help="From this local date or time.")
@click.option("--until", type=_When(), help="Up to this local time, or the end of this date.")
@click.option("--by", "step", type=click.Choice(["day", "hour"]), help="Also show the KPIs per day or hour.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout (UTF-8), one row per KPI and period.")
@lang_option
@click.pass_context
def report(
    ctx: click.Context,
    days: int | None,
    since: date | datetime | None,
    until: date | datetime | None,
    step: Literal["day", "hour"] | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """The supervisor's KPIs: containment, transfers, waits, FCR, CSAT, SLA, repeats.

    Dates are in the centre's time zone (the first business-hours line). With no
    period, every record in the store counts, as on the supervisor screen.
    """
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    from agentdesk.domain import kpis
    from agentdesk.domain.models import utcnow
    from agentdesk.store.base import StoreError
    from agentdesk.store.kpi_inputs import gather

    settings = settings_from(ctx)
    tz = ZoneInfo(settings.hours.centre_timezone)
    now = utcnow()
    start, stop = period(now, tz, days=days, since=since, until=until)
    store = open_store(settings, seed_if_empty=False)  # a report never writes demo data
    try:
        inputs = gather(store)
    except StoreError as exc:
        raise click.ClickException(f"cannot read the store: {exc}") from None
    finally:
        store.close()
    if not (inputs.calls or inputs.tickets):
        click.echo(
            f"No calls or tickets in {store.describe()} yet (`agentdesk seed` loads the demo data).", err=True
        )
    chosen = inputs.between(start, stop)
    result = chosen.report(now)
    rows: list[tuple[datetime, Any]] = []
    if step:
        first = start or min((c.started_at for c in chosen.calls), default=now)
        if ((stop or now) - first) / timedelta(hours=1 if step == "hour" else 24) > MAX_BUCKETS:
            raise click.UsageError(
                f"--by {step} over this period makes more than {MAX_BUCKETS} rows: narrow it"
            )
        rows = kpis.series(
            chosen.calls,
            chosen.transfers,
            chosen.tickets,
            chosen.surveys,
            chosen.feedback,
            start=first,
            end=stop or now,
            now=now,
            step=step,
            tz=tz,
        )
    shown = _Report(result, rows, now, start, stop, tz)
    if as_json:
        click.echo(json.dumps(_as_json(shown), ensure_ascii=False, indent=2))
    elif as_csv:
        _write_csv(shown)
    else:
        _render(shown, settings.ui.lang or _detect_language(), step)


@dataclass(frozen=True)
class _Report:
    """What each output format shows."""

    result: KpiReport
    """The KPIs over the whole period."""
    rows: list[tuple[datetime, KpiReport]]
    """(bucket start, KPIs) per day or hour, with `--by`."""
    now: datetime
    start: datetime | None
    stop: datetime | None
    tz: tzinfo


def _detect_language() -> str:
    from agentdesk.tui.i18n import detect_language

    return detect_language()


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat(timespec="seconds")


def _as_json(r: _Report) -> dict[str, Any]:
    return {
        "at": _iso(r.now),
        "timezone": str(r.tz),
        "since": _iso(r.start),
        "until": _iso(r.stop),
        "kpis": _figures(r.result),
        "series": [
            {"start": _iso(bucket), "kpis": {k: v["value"] for k, v in _figures(kpis).items()}}
            for bucket, kpis in r.rows
        ],
    }


def _write_csv(r: _Report) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["period_start", "period_end", "kpi", "value", "n", "unit", "target", "meets_target"])
    periods = [(_iso(r.start) or "", _iso(r.stop) or "", r.result)]
    ends = [bucket for bucket, _ in r.rows[1:]] + [r.stop]
    periods += [
        (_iso(bucket) or "", _iso(last) or "", kpis)
        for (bucket, kpis), last in zip(r.rows, ends, strict=True)
    ]
    for first, last, report in periods:
        for name, f in _figures(report).items():
            value = "" if f["value"] is None else f"{f['value']:.4f}"
            target = "" if f["target"] is None else f["target"]
            met = "" if f["meets_target"] is None else str(f["meets_target"]).lower()
            writer.writerow([first, last, name, value, f["n"], f["unit"], target, met])


def _render(r: _Report, lang: str, step: str | None) -> None:
    from rich.table import Table
    from rich.text import Text

    from agentdesk.commands.output import console as make_console
    from agentdesk.domain.kpi_targets import KPIS, format_value, meets_target
    from agentdesk.tui.i18n import Catalog

    t = Catalog(lang)
    console = make_console()
    zh = lang == "zh"
    fmt = "%Y-%m-%d %H:%M"
    end = (r.stop or r.now).astimezone(r.tz).strftime(fmt)
    if r.start is None:
        heading = (
            f"KPI 报表：截至 {end} 的全部记录 ({r.tz})"
            if zh
            else f"KPI report: every record up to {end} ({r.tz})"
        )
    else:
        begin = r.start.astimezone(r.tz).strftime(fmt)
        heading = f"KPI 报表 {begin} — {end} ({r.tz})" if zh else f"KPI report from {begin} to {end} ({r.tz})"
    console.print(Text(heading, style="bold"))
    table = Table(box=None, pad_edge=False)
    for title, justify in (
        ("指标" if zh else "KPI", "left"),
        ("数值" if zh else "value", "right"),
        ("目标" if zh else "target", "right"),
        ("", "left"),
        ("样本数" if zh else "measured over", "right"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for spec in KPIS:
        kpi = getattr(r.result, spec.name)
        met = meets_target(spec, kpi.value)
        target = (
            ""
            if spec.target is None
            else ("≥ " if spec.higher_is_better else "≤ ") + format_value(spec, spec.target)
        )
        mark = Text("✓", style="green") if met else Text("✗", style="red") if met is False else Text("")
        table.add_row(
            t(f"supervisor.kpi.{spec.name}.name"), format_value(spec, kpi.value), target, mark, str(kpi.n)
        )
    console.print(table)
    if r.rows:
        series = Table(box=None, pad_edge=False)
        shape = "%m-%d" if step == "day" else "%m-%d %H:00"
        series.add_column("时段" if zh else "period", no_wrap=True)
        for spec in KPIS:
            series.add_column(t(f"supervisor.kpi.{spec.name}"), justify="right", overflow="fold", min_width=5)
        for bucket, kpis in r.rows:
            series.add_row(
                bucket.strftime(shape), *(format_value(s, getattr(kpis, s.name).value) for s in KPIS)
            )
        console.print()
        console.print(series)
