"""`agentdesk report`: the supervisor's KPIs for a period, for people, scripts and spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import pytest
from click.testing import CliRunner

from agentdesk.cli import cli
from agentdesk.commands.report import period
from agentdesk.domain.models import Call, utcnow
from agentdesk.store.sqlite import SqliteStore

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Five ended calls: three contained and one transferred in the last day, one contained 60 days ago."""
    path = tmp_path / "kpis.db"
    now = utcnow()
    outcomes = [
        ("contained", 1),
        ("contained", 2),
        ("contained", 3),
        ("transferred", 4),
        ("contained", 60 * 24),
    ]
    with SqliteStore(path) as store:
        for i, (outcome, hours_ago) in enumerate(outcomes):
            started = now - timedelta(hours=hours_ago)
            store.upsert_call(
                Call(
                    id=f"CALL-{i}",
                    customer_id=f"C{i}",
                    started_at=started,
                    ended_at=started + timedelta(minutes=3),
                    outcome=outcome,
                    status="ended",
                )
            )
    return path


def _run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_report_counts_every_call_without_a_period(db: Path) -> None:
    figures = json.loads(_run(db, "report", "--json"))["kpis"]
    assert figures["containment_rate"]["n"] == 5
    assert figures["containment_rate"]["value"] == pytest.approx(4 / 5)
    assert figures["transfer_rate"]["value"] == pytest.approx(1 / 5)
    assert figures["transfer_rate"]["meets_target"] is True  # 20% is at the 20% ceiling
    assert figures["csat"] == {
        "value": None,
        "n": 0,
        "unit": "share",
        "target": 0.8,
        "higher_is_better": True,
        "meets_target": None,
    }


def test_a_period_leaves_older_records_out(db: Path) -> None:
    report = json.loads(_run(db, "report", "--days", "7", "--json"))
    containment = report["kpis"]["containment_rate"]
    assert containment["n"] == 4 and containment["value"] == pytest.approx(3 / 4)
    assert report["timezone"] == "Asia/Shanghai" and report["until"] is None


def test_the_table_shows_values_targets_and_counts_in_english_and_chinese(db: Path) -> None:
    english = _run(db, "--lang", "en", "report")
    assert "Bot containment rate" in english and "80.0%" in english and "≥ 80.0%" in english
    chinese = _run(db, "--lang", "zh", "report")
    assert "机器人拦截率" in chinese and "样本数" in chinese


def test_csv_has_one_row_per_kpi_and_period(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(db, "report", "--csv", "--days", "2", "--by", "day"))))
    periods: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        periods.setdefault((row["period_start"], row["period_end"]), []).append(row["kpi"])
    (whole, yesterday, today) = periods  # the whole period first, then each day
    assert whole[1] == "" and today[1] == ""  # both run to now
    assert yesterday == (whole[0], today[0])
    assert all(len(kpis) == 9 and "csat" in kpis for kpis in periods.values())
    assert rows[0]["kpi"] == "containment_rate" and rows[0]["n"] == "4"


def test_per_day_series_has_a_row_for_each_day_in_the_period(db: Path) -> None:
    report = json.loads(_run(db, "report", "--days", "3", "--by", "day", "--json"))
    starts = [datetime.fromisoformat(row["start"]) for row in report["series"]]
    assert len(starts) == 3
    assert all(s.astimezone(SHANGHAI).hour == 0 for s in starts)


def test_a_date_that_is_not_a_date_is_refused_clearly(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "report", "--since", "yesterday"])
    assert result.exit_code == 2 and "is not a date" in result.output


def test_a_date_too_far_off_is_refused_clearly(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "report", "--until", "9999-12-31"])
    assert result.exit_code == 2 and "outside the years" in result.output


def test_an_hourly_series_over_all_history_asks_for_a_narrower_period(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "report", "--by", "hour"])
    assert result.exit_code == 2 and "narrow it" in result.output


def test_days_count_today_from_local_midnight() -> None:
    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    start, stop = period(now, SHANGHAI, days=1)
    assert start == datetime(2026, 11, 24, tzinfo=SHANGHAI) and stop is None
    start, _ = period(now, SHANGHAI, days=7)
    assert start == datetime(2026, 11, 18, tzinfo=SHANGHAI)


def test_an_until_date_includes_that_whole_day() -> None:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    start, stop = period(now, SHANGHAI, since=date(2026, 11, 1), until=date(2026, 11, 20))
    assert start == datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert stop == datetime(2026, 11, 21, tzinfo=SHANGHAI)
    _, stop = period(now, SHANGHAI, until=datetime(2026, 11, 20, 14, 30))
    assert stop == datetime(2026, 11, 20, 14, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 3, "since": date(2026, 11, 1)}, "not both"),
        ({"days": 0}, "1 or more"),
        ({"since": date(2026, 11, 20), "until": date(2026, 11, 19)}, "after --since"),
        ({"days": 100_000}, "reaches back before 1970"),
        ({"days": 10**12}, "reaches back before 1970"),
        ({"since": date(2027, 1, 1)}, "lies in the future"),
        ({"since": datetime(2026, 11, 24, 9, 0)}, "lies in the future"),  # 09:00 Shanghai is 01:00 UTC
    ],
)
def test_an_impossible_period_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(click.UsageError, match=message):
        period(datetime(2026, 11, 24, tzinfo=UTC), SHANGHAI, **kwargs)


def test_an_empty_store_reports_nothing_measured_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "report", "--json"])
    assert result.exit_code == 0
    assert "agentdesk seed" in result.stderr
    assert all(k["n"] == 0 for k in json.loads(result.stdout)["kpis"].values())
    with SqliteStore(db) as store:
        assert store.is_empty()


def test_lang_is_also_accepted_after_the_command_name(db: Path) -> None:
    assert "机器人拦截率" in _run(db, "report", "--lang", "zh")


def test_the_heading_says_what_period_the_figures_cover(db: Path) -> None:
    everything = _run(db, "--lang", "en", "report").splitlines()[0]
    assert everything.startswith("KPI report: every record up to ") and "the beginning" not in everything
    assert _run(db, "--lang", "zh", "report").splitlines()[0].startswith("KPI 报表：截至 ")
    week = _run(db, "--lang", "en", "report", "--since", "2026-11-01").splitlines()[0]
    assert week.startswith("KPI report from 2026-11-01 00:00 to ")


def test_the_oldest_days_back_still_reports(db: Path) -> None:
    today = datetime.now(SHANGHAI).date()
    days = (today - date(1970, 1, 1)).days + 1
    report = json.loads(_run(db, "report", "--days", str(days), "--json"))
    assert report["kpis"]["containment_rate"]["n"] == 5
