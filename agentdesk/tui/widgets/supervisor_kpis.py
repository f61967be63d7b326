"""KPI tiles for the supervisor: one small box per KPI, its definition in the tooltip.

Also gathers what the KPIs are measured over from the store, so the worker that
computes them and the CSV export read exactly the same records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from agentdesk.domain import kpis
from agentdesk.domain.kpis import Kpi, KpiReport
from agentdesk.domain.models import BotFeedback, Call, Survey, Ticket
from agentdesk.domain.transfers import Transfer, TransferStatus
from agentdesk.store.base import Store, TicketQuery, TransferQuery
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import duration


@dataclass(frozen=True, slots=True)
class KpiSpec:
    """How one KPI of `KpiReport` is shown."""

    name: str
    """The `KpiReport` field."""
    unit: Literal["share", "seconds"]
    target: float | None = None
    """Where the tile turns green; None for figures without a usual target."""
    higher_is_better: bool = True


KPIS: tuple[KpiSpec, ...] = (
    # Containment's target is the SPEC's peak-load goal; the others are common contact-centre
    # service levels. They only colour the tiles and are shown in each tooltip.
    KpiSpec("containment_rate", "share", 0.80),
    KpiSpec("transfer_rate", "share", 0.20, higher_is_better=False),
    KpiSpec("transfer_accuracy", "share", 0.90),
    KpiSpec("average_wait_seconds", "seconds", 60, higher_is_better=False),
    KpiSpec("handle_time_seconds", "seconds"),
    KpiSpec("first_contact_resolution", "share", 0.70),
    KpiSpec("csat", "share", 0.80),
    KpiSpec("sla_compliance", "share", 0.90),
    KpiSpec("repeat_contact_rate", "share", 0.15, higher_is_better=False),
)


def format_value(spec: KpiSpec, value: float | None) -> str:
    """`61.1%`, `4:05`, or `—` when there is nothing to measure."""
    if value is None:
        return "—"
    return f"{value:.1%}" if spec.unit == "share" else duration(value)


def meets_target(spec: KpiSpec, value: float | None) -> bool | None:
    """Whether the value is on the right side of its target; None when either is missing."""
    if value is None or spec.target is None:
        return None
    return value >= spec.target if spec.higher_is_better else value <= spec.target


@dataclass(frozen=True)
class KpiInputs:
    """Every record the KPIs are measured over."""

    calls: list[Call]
    transfers: list[Transfer]
    tickets: list[Ticket]
    surveys: list[Survey]
    feedback: list[BotFeedback]

    def report(self, now: datetime) -> KpiReport:
        """`domain.kpis.compute` over these records."""
        return kpis.compute(self.calls, self.transfers, self.tickets, self.surveys, self.feedback, now)


T = TypeVar("T")
PAGE = 2000


def _paged(fetch: Callable[[int, int], Sequence[T]], key: Callable[[T], str]) -> list[T]:
    """Every record of a paged listing; ids seen twice (rows moving between pages) count once."""
    seen: dict[str, T] = {}
    offset = 0
    while True:
        page = fetch(PAGE, offset)
        for item in page:
            seen.setdefault(key(item), item)
        if len(page) < PAGE:
            return list(seen.values())
        offset += PAGE


def gather(store: Store) -> KpiInputs:
    """Read the KPI inputs from the store (blocking: call it from a worker)."""
    every = frozenset(TransferStatus)
    return KpiInputs(
        calls=_paged(lambda n, o: store.list_calls(limit=n, offset=o), lambda c: c.id),
        transfers=_paged(
            lambda n, o: store.list_transfers(TransferQuery(statuses=every, limit=n, offset=o)),
            lambda t: t.id,
        ),
        tickets=_paged(lambda n, o: store.list_tickets(TicketQuery(limit=n, offset=o)), lambda t: t.id),
        surveys=store.list_surveys(),
        # list_feedback has no offset; a limit far above any review backlog reads them all.
        feedback=store.list_feedback(limit=1_000_000),
    )


class KpiTile(Static):
    """One KPI: its label, its value coloured by the target, and how many items it covers."""

    def __init__(self, spec: KpiSpec, catalog: Catalog) -> None:
        super().__init__(id=f"kpi-{spec.name.replace('_', '-')}", classes="kpi-tile")
        self.spec = spec
        self.t = catalog
        self.kpi: Kpi | None = None
        """The figure shown; None until the first report arrives."""

    def on_mount(self) -> None:
        self._render_tile()

    @property
    def value_text(self) -> str:
        """The value as shown on the tile."""
        return format_value(self.spec, self.kpi.value if self.kpi else None)

    def show(self, kpi: Kpi) -> None:
        """Show a new figure, coloured by its target."""
        self.kpi = kpi
        good = meets_target(self.spec, kpi.value)
        self.set_class(good is True, "-good")
        self.set_class(good is False, "-off")
        self._render_tile()

    def _render_tile(self) -> None:
        t, kpi = self.t, self.kpi
        label = Text(t(f"supervisor.kpi.{self.spec.name}"), style="dim", no_wrap=True, overflow="ellipsis")
        value = Text(
            self.value_text if kpi else "…", style="bold" if kpi and kpi.value is not None else "dim"
        )
        count = Text(t("supervisor.kpi.n", n=kpi.n) if kpi else "", style="dim")
        self.update(Text("\n").join([label, value, count]))
        self.tooltip = self._describe()

    def _describe(self) -> str:
        """The tooltip: full name, definition, target and what it was measured over."""
        t, spec = self.t, self.spec
        lines = [t(f"supervisor.kpi.{spec.name}.name"), t(f"supervisor.kpi.{spec.name}.tip")]
        if spec.target is not None:
            key = "supervisor.kpi.target_min" if spec.higher_is_better else "supervisor.kpi.target_max"
            lines.append(t(key, target=format_value(spec, spec.target)))
        if self.kpi is not None:
            lines.append(t("supervisor.kpi.measured", n=self.kpi.n))
        return "\n".join(lines)


class KpiTiles(Horizontal):
    """The row of KPI tiles; the screen passes it each new report."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog

    def compose(self) -> ComposeResult:
        for spec in KPIS:
            yield KpiTile(spec, self.t)

    def tile(self, name: str) -> KpiTile:
        """The tile of one `KpiReport` field."""
        return self.query_one(f"#kpi-{name.replace('_', '-')}", KpiTile)

    def show(self, report: KpiReport) -> None:
        for spec in KPIS:
            self.tile(spec.name).show(getattr(report, spec.name))
