"""The supervisor's place (F4): KPI tiles on top; queue and agents left; alerts and charts right.

Live without being busy: a worker polls the change feed and only the parts an event
touches reload (transfers and agents: queue and agents; tickets: SLA alerts). KPIs and
charts read the whole history, so they recompute at most every `KPI_MIN_INTERVAL`
seconds however many events arrive. Waits, priorities and long-wait alerts tick locally.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header

from agentdesk.domain.kpis import KpiReport
from agentdesk.domain.models import Agent, AgentStatus, Ticket
from agentdesk.domain.routing import Assignment, assign
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import TicketQuery, TransferQuery
from agentdesk.store.kpi_inputs import gather
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.messages import StoreChanged
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.supervisor_agents import AgentBoard
from agentdesk.tui.widgets.supervisor_alerts import AlertList, find_alerts
from agentdesk.tui.widgets.supervisor_charts import ChartData, KpiCharts, chart_data
from agentdesk.tui.widgets.supervisor_export import ExportDialog, default_report_path, write_report
from agentdesk.tui.widgets.supervisor_kpis import KpiTiles
from agentdesk.tui.widgets.supervisor_queue import QueueTable

QUEUE_WINDOW = 50
"""How many of the highest-priority transfers the queue (and its alerts) hold at once."""
OVERDUE_WINDOW = 50
"""How many SLA-overdue tickets the alerts list at most (the count covers them all)."""
POLL_SECONDS = 1.5
KPI_MIN_INTERVAL = 15.0
"""Seconds between KPI recomputes triggered by the change feed."""
OVERDUE_REFRESH = 60.0
"""Tickets become overdue with time alone, so their alerts reload on this timer too."""
BOARD_EVENTS = ("transfer.", "agent.")
OVERDUE_EVENTS = ("ticket.",)
KPI_EVENTS = ("call.", "transfer.", "ticket.", "survey.", "feedback.")


@dataclass
class BoardLoaded(Message):
    """The queue window, the agents and who routing would give each transfer to."""

    transfers: list[Transfer]
    total: int
    agents: list[Agent]
    plan: dict[str, Assignment]
    seq: int


@dataclass
class OverdueLoaded(Message):
    """Open tickets past their SLA due time."""

    tickets: list[Ticket]
    total: int


@dataclass
class KpisLoaded(Message):
    report: KpiReport
    charts: ChartData


@dataclass
class AgentStatusSaved(Message):
    agent: Agent


@dataclass
class ReportExported(Message):
    path: Path


@dataclass
class ExportFailed(Message):
    reason: str


class SupervisorScreen(AgentDeskScreen):
    CSS_PATH = "supervisor.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding(
            "s",
            "agent_status",
            "Agent status",
            tooltip="Change the status of the highlighted agent",
            id="supervisor-agent-status",
        ),
        Binding("c", "next_chart", "Chart", tooltip="Show the next KPI chart", id="supervisor-next-chart"),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="Write KPIs, queue and agents to a CSV file",
            id="supervisor-export",
        ),
        Binding(
            "w", "focus_queue", "Queue", tooltip="Jump to the queue", id="supervisor-focus-queue", show=False
        ),
        Binding(
            "g",
            "focus_agents",
            "Agents",
            tooltip="Jump to the agents",
            id="supervisor-focus-agents",
            show=False,
        ),
        Binding(
            "l",
            "focus_alerts",
            "Alerts",
            tooltip="Jump to the alerts",
            id="supervisor-focus-alerts",
            show=False,
        ),
        Binding("r", "refresh", "Refresh", tooltip="Reload everything now", id="supervisor-refresh"),
        Binding("q", "app.quit", "Quit", tooltip="Leave AgentDesk", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="supervisor")
        self.seq = -1
        """Change-feed position this screen has seen; -1 until the first load."""
        self.transfers: list[Transfer] = []
        self.overdue: list[Ticket] = []
        self.report: KpiReport | None = None
        self._kpis_at = 0.0
        self._kpi_timer: Timer | None = None

    @property
    def tz(self) -> tzinfo:
        """The centre's time zone (its first business-hours line) for charts and file names."""
        return ZoneInfo(self.settings.hours.centre_timezone)

    @property
    def long_wait_seconds(self) -> float:
        """A wait past the last widening step has no wider agent pool left: a supervisor must act."""
        steps = self.settings.routing.widen_after_seconds
        return float(max(steps)) if steps else 180.0

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header()
        yield KpiTiles(t, id="kpis")
        with Horizontal(id="supervisor-body"):
            with Vertical(id="supervisor-left"):
                yield QueueTable(t, self.settings.routing, id="queue")
                yield AgentBoard(t, id="agents")
            with Vertical(id="supervisor-right"):
                yield AlertList(t, id="alerts")
                yield KpiCharts(t, id="charts")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load_board()
        self.load_overdue()
        self._kpis_at = time.monotonic()
        self.load_kpis()
        self.follow_store(POLL_SECONDS, self.poll_changes)
        self.set_interval(OVERDUE_REFRESH, self.load_overdue)
        self.set_interval(1.0, self._show_alerts)
        self.query_one("#queue-table").focus()

    # -- workers: blocking store calls, results posted as messages ------------------------
    @work(thread=True, exclusive=True, group="supervisor-board", exit_on_error=False)
    def load_board(self) -> None:
        seq = self.store.last_seq()  # read first: later changes show up in the next poll
        transfers = self.store.list_transfers(TransferQuery(limit=QUEUE_WINDOW))
        total = self.store.count_transfers(TransferQuery())
        agents = self.store.list_agents()
        decisions = assign(transfers, agents, utcnow(), self.settings.routing)
        plan = {d.work_id: d for d in decisions}
        self.post_message(BoardLoaded(transfers, total, agents, plan, seq))

    @work(thread=True, exclusive=True, group="supervisor-overdue", exit_on_error=False)
    def load_overdue(self) -> None:
        query = TicketQuery(overdue_at=utcnow(), limit=OVERDUE_WINDOW)
        self.post_message(OverdueLoaded(self.store.list_tickets(query), self.store.count_tickets(query)))

    @work(thread=True, exclusive=True, group="supervisor-kpis", exit_on_error=False)
    def load_kpis(self) -> None:
        inputs = gather(self.store)
        now = utcnow()
        self.post_message(KpisLoaded(inputs.report(now), chart_data(inputs, now, self.tz)))

    @work(thread=True, exclusive=True, group="supervisor-sync", exit_on_error=False)
    def poll_changes(self) -> None:
        if self.seq < 0:
            return
        events = self.store.events_since(self.seq)
        if events:
            self.post_message(StoreChanged(events))

    @work(thread=True, group="supervisor-store", exit_on_error=False)
    def save_status(self, agent: Agent, status: AgentStatus) -> None:
        saved = self.store.set_agent_status(agent.id, status, actor=self.agent_id)
        self.post_message(AgentStatusSaved(saved))

    @work(thread=True, exclusive=True, group="supervisor-export", exit_on_error=False)
    def export(self, path: Path) -> None:
        store, now = self.store, utcnow()
        queue: list[Transfer] = []
        while True:  # the whole queue, page by page: the export is not limited to the window
            page = store.list_transfers(TransferQuery(limit=1000, offset=len(queue)))
            queue.extend(page)
            if len(page) < 1000:
                break
        agents = store.list_agents()
        plan = {d.work_id: d for d in assign(queue, agents, now, self.settings.routing)}
        report = gather(store).report(now)
        try:
            written = write_report(
                path,
                report=report,
                queue=queue,
                plan=plan,
                agents=agents,
                now=now,
                routing=self.settings.routing,
                t=self.t,
            )
        except OSError as exc:
            self.post_message(ExportFailed(f"{path}: {exc.strerror or exc}"))
            return
        self.post_message(ReportExported(written.resolve()))

    # -- handlers: own the state ------------------------------------------------------------
    @on(BoardLoaded)
    def _board_loaded(self, message: BoardLoaded) -> None:
        self.seq = max(self.seq, message.seq)
        self.transfers = message.transfers
        self.query_one(QueueTable).show(message.transfers, message.total, message.plan, message.agents)
        self.query_one(AgentBoard).show(message.agents)
        self._show_alerts()

    @on(OverdueLoaded)
    def _overdue_loaded(self, message: OverdueLoaded) -> None:
        self.overdue = message.tickets
        self._show_alerts()

    @on(KpisLoaded)
    def _kpis_loaded(self, message: KpisLoaded) -> None:
        self.report = message.report
        self.query_one(KpiTiles).show(message.report)
        self.query_one(KpiCharts).show(message.charts)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        self.seq = max(self.seq, message.events[-1].seq)
        kinds = {e.kind for e in message.events}
        if any(k.startswith(BOARD_EVENTS) for k in kinds):
            self.load_board()
        if any(k.startswith(OVERDUE_EVENTS) for k in kinds):
            self.load_overdue()
        if any(k.startswith(KPI_EVENTS) for k in kinds):
            self._kpis_changed()

    def _kpis_changed(self) -> None:
        """Recompute now, or once when the interval is up if KPIs were computed just now."""
        wait = KPI_MIN_INTERVAL - (time.monotonic() - self._kpis_at)
        if wait <= 0:
            self._kpis_at = time.monotonic()
            self.load_kpis()
        elif self._kpi_timer is None:

            def later() -> None:
                self._kpi_timer = None
                self._kpis_changed()

            self._kpi_timer = self.set_timer(wait, later)

    def _show_alerts(self) -> None:
        now = utcnow()
        alerts = find_alerts(
            self.transfers,
            self.overdue,
            now,
            long_wait_seconds=self.long_wait_seconds,
            rise=self.settings.bot.emotion_rise,
        )
        self.query_one(AlertList).show(alerts, now)

    @on(AgentBoard.StatusRequested)
    def _status_requested(self, message: AgentBoard.StatusRequested) -> None:
        self.save_status(message.agent, message.status)

    @on(AgentStatusSaved)
    def _status_saved(self, message: AgentStatusSaved) -> None:
        agent = message.agent
        self.notify(
            self.t("supervisor.status.saved", name=agent.name, status=self.t(f"status.{agent.status}"))
        )
        self.load_board()

    @on(AlertList.Chosen)
    def _alert_chosen(self, message: AlertList.Chosen) -> None:
        alert = message.alert
        if alert.kind != "sla" and self.query_one(QueueTable).select(alert.entity_id):
            self.query_one("#queue-table").focus()
        elif alert.kind == "sla":
            self.notify(self.t("supervisor.alert.sla.open", id=alert.entity_id, subject=alert.subject))

    @on(ReportExported)
    def _exported(self, message: ReportExported) -> None:
        self.notify(self.t("supervisor.export.done", path=str(message.path)), timeout=10)

    @on(ExportFailed)
    def _export_failed(self, message: ExportFailed) -> None:
        self.notify(self.t("supervisor.export.failed", reason=message.reason), severity="error", timeout=10)

    # -- actions --------------------------------------------------------------------------
    def action_agent_status(self) -> None:
        self.query_one(AgentBoard).pick_status()

    def action_next_chart(self) -> None:
        self.query_one(KpiCharts).next_chart()

    def action_export(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export(path)

        self.app.push_screen(ExportDialog(default_report_path(utcnow(), self.tz), self.t), chosen)

    def action_focus_queue(self) -> None:
        self.query_one("#queue-table").focus()

    def action_focus_agents(self) -> None:
        self.query_one("#agents-table").focus()

    def action_focus_alerts(self) -> None:
        self.query_one("#alerts-table").focus()

    def action_refresh(self) -> None:
        self.load_board()
        self.load_overdue()
        self._kpis_at = time.monotonic()
        self.load_kpis()
