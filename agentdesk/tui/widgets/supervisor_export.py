"""CSV export of the supervisor's view: the KPI report, the whole queue and the agents.

One file, three blocks separated by a blank line; each block starts with its own header
row and every row names its block in the first column, so a spreadsheet filter or `grep`
pulls one block out. Free text is masked (SPEC section 13): exports leave the desk.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from agentdesk import locations
from agentdesk.domain.kpi_targets import KPIS
from agentdesk.domain.kpis import KpiReport
from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Agent
from agentdesk.domain.routing import Assignment, priority_at
from agentdesk.domain.routing_policy import RoutingRules
from agentdesk.domain.transfers import Transfer
from agentdesk.tui.i18n import Catalog, localize_bindings

QUEUE_HEADER = (
    "rank", "transfer_id", "status", "customer", "tier", "language", "rules", "intent",
    "emotion", "waited_seconds", "priority", "next_agent", "summary", "details",
)  # fmt: skip
AGENT_HEADER = ("id", "name", "level", "status", "active_calls", "capacity", "languages", "skills")


def default_report_path(now: datetime, tz: tzinfo) -> Path:
    """`reports/supervisor-<local time>.csv` in the user data directory."""
    return locations.data_dir() / "reports" / f"supervisor-{now.astimezone(tz):%Y%m%d-%H%M%S}.csv"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return mask_text(str(value))


def _block(writer: csv.writer, section: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:  # type: ignore[valid-type]
    writer.writerow(["section", *header])
    for row in rows:
        writer.writerow([section, *(_cell(v) for v in row)])
    writer.writerow([])


def write_report(
    path: Path,
    *,
    report: KpiReport,
    queue: Sequence[Transfer],
    plan: dict[str, Assignment],
    agents: Sequence[Agent],
    now: datetime,
    routing: RoutingRules,
    t: Catalog,
) -> Path:
    """Write the CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese right).

    Args:
        path: the file to write; missing folders are created.
        report: the KPIs.
        queue: open transfers in queue order.
        plan: routing decisions by transfer id (who would get each).
        agents: every agent.
        now: the time of the report (waits and priorities are as of then).
        routing: routing settings, for priorities.
        t: the catalog; KPI labels and definitions are in the UI language.

    Raises:
        OSError: the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    names = {a.id: a.name for a in agents}
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        _block(writer, "report", ("generated_at",), [(now.isoformat(timespec="seconds"),)])
        _block(
            writer,
            "kpi",
            ("kpi", "label", "value", "n", "unit", "target", "definition"),
            (
                (
                    s.name,
                    t(f"supervisor.kpi.{s.name}.name"),
                    getattr(report, s.name).value,
                    getattr(report, s.name).n,
                    s.unit,
                    None if s.target is None else float(s.target),
                    t(f"supervisor.kpi.{s.name}.tip"),
                )
                for s in KPIS
            ),
        )
        _block(writer, "queue", QUEUE_HEADER, _queue_rows(queue, plan, names, now, routing))
        _block(
            writer,
            "agent",
            AGENT_HEADER,
            (
                (
                    a.id,
                    a.name,
                    a.level.value,
                    a.status.value,
                    a.active_calls,
                    a.capacity,
                    " ".join(a.languages),
                    " ".join(a.skills),
                )
                for a in agents
            ),
        )
    return path


def _queue_rows(
    queue: Sequence[Transfer],
    plan: dict[str, Assignment],
    names: dict[str, str],
    now: datetime,
    routing: RoutingRules,
) -> Iterable[Sequence[object]]:
    for rank, tr in enumerate(queue, start=1):
        p = tr.packet
        decision = plan.get(tr.id)
        agent = tr.offered_to or (decision.agent_id if decision else None)
        yield (
            rank,
            tr.id,
            tr.status.value,
            p.customer_name or p.customer_id,
            p.tier.value,
            p.language,
            " ".join(r.value for r in p.rules),
            p.intent,
            int(p.emotion_level),
            int((now - p.wait_started_at).total_seconds()),
            round(priority_at(tr, now, routing), 2),
            names.get(agent, agent) if agent else None,
            p.summary,
            "; ".join(f"{k}={v}" for k, v in p.details.items()),
        )


class ExportDialog(ModalScreen[Path | None]):
    """Asks where to write the report; enter writes to the path shown, escape cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Do not export", id="supervisor-export-cancel")
    ]

    def __init__(self, default: Path, catalog: Catalog) -> None:
        super().__init__(id="export-dialog")
        self.default = default
        self.t = catalog
        localize_bindings(self, catalog)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(self.t("supervisor.export.title"), id="export-title")
            yield Input(str(self.default), id="export-path")
            yield Static(self.t("supervisor.export.hint"), id="export-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else self.default)
