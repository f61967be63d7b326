"""KPI tiles for the supervisor: one small box per KPI, its definition in the tooltip."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from agentdesk.domain.kpi_targets import KPIS, KpiSpec, format_value, meets_target
from agentdesk.domain.kpis import Kpi, KpiReport
from agentdesk.tui.i18n import Catalog


class KpiTile(Static):
    """One KPI: its label, its value coloured by the target, and how many items it covers."""

    def __init__(self, spec: KpiSpec, catalog: Catalog) -> None:
        super().__init__(id=f"kpi-{spec.name.replace('_', '-')}", classes="kpi-tile")
        self.spec = spec
        self.t = catalog
        self.kpi: Kpi | None = None
        """The figure shown; None until the first report arrives."""

    def on_mount(self) -> None:
        self.tooltip = self._describe()

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
        self.tooltip = self._describe()
        self.refresh()

    def _label(self) -> str:
        """The KPI's name, or its short form when the tile is too narrow for it (80 columns)."""
        name = self.t(f"supervisor.kpi.{self.spec.name}")
        width = self.content_size.width
        if width and cell_len(name) > width:
            return self.t(f"supervisor.kpi.short.{self.spec.name}")
        return name

    def render(self) -> Text:
        # Drawn at the tile's current width. One line each for the label, the value and the
        # count: the CSS never wraps them, so the values stay in one row across the tiles.
        t, kpi = self.t, self.kpi
        label = Text(self._label(), style="dim")
        value = Text(
            self.value_text if kpi else "…", style="bold" if kpi and kpi.value is not None else "dim"
        )
        count = Text(t("supervisor.kpi.n", n=kpi.n) if kpi else "", style="dim")
        return Text("\n").join([label, value, count])

    def _describe(self) -> str:
        """The tooltip: full name, definition, target and what it was measured over."""
        t, spec = self.t, self.spec
        lines = [t(f"supervisor.kpi.{spec.name}.name"), t(f"supervisor.kpi.{spec.name}.tip")]
        if spec.target is not None:
            key = "supervisor.kpi.target_min" if spec.higher_is_better else "supervisor.kpi.target_max"
            lines.append(t(key, target=format_value(spec, spec.target)))
        if self.kpi is not None:
            lines.append(t.count("supervisor.kpi.measured", self.kpi.n, n=self.kpi.n))
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
