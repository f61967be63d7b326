"""Agents and their load for the supervisor, and the picker that changes an agent's status."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.models import Agent, AgentLevel, AgentStatus
from agentdesk.tui.i18n import Catalog, localize_bindings

COLUMNS = ("agent", "level", "status", "load", "languages", "skills")
STATUS_STYLE = {
    AgentStatus.AVAILABLE: "bold green",
    AgentStatus.BUSY: "bold yellow",
    AgentStatus.AWAY: "dark_orange",
    AgentStatus.OFFLINE: "dim",
}


def skill_label(skill: str, t: Catalog) -> str:
    """A skill slug as a label: from the catalog when known, else `data_plans` -> `data plans`."""
    label = t(f"supervisor.skill.{skill}")
    return skill.replace("_", " ") if label == f"supervisor.skill.{skill}" else label


def skills_text(labels: list[str], width: int, sep: str = ", ") -> str:
    """As many skills as fit in `width` cells, then `+n` for the rest (the export lists them all)."""
    for shown in range(len(labels), 0, -1):
        more = f" +{len(labels) - shown}" if shown < len(labels) else ""
        text = sep.join(labels[:shown]) + more
        if Text(text).cell_len <= width:
            return text
    if not labels:
        return ""
    more = f" +{len(labels) - 1}" if len(labels) > 1 else ""
    first = Text(labels[0])
    first.truncate(max(1, width - len(more)), overflow="ellipsis")
    return first.plain + more


def load_gauge(agent: Agent, *, slots: bool = True) -> Text:
    """`●●○ 2/3`: a slot per unit of capacity, filled for each call held; just `2/3` without slots."""
    style = "dim" if agent.status is AgentStatus.OFFLINE else ("yellow" if not agent.free_slots else "green")
    held = min(agent.active_calls, agent.capacity)
    count = Text(f"{agent.active_calls}/{agent.capacity}", style="" if slots else style)
    if not slots:
        return count
    return Text.assemble(("●" * held + "○" * (agent.capacity - held), style), " ", count)


SLOTS_FROM = 80
"""Board width from which the load column draws a slot per unit of capacity."""
WIDE_NAMES_FROM = 66
"""Board width from which names get 14 cells rather than 12."""


class AgentBoard(Widget):
    """Every agent with status, level, skills and load; the screen saves status changes."""

    @dataclass
    class StatusRequested(Message):
        """The supervisor picked a new status for an agent."""

        board: AgentBoard
        agent: Agent
        status: AgentStatus

        @property
        def control(self) -> AgentBoard:
            return self.board

    available: reactive[int] = reactive(0)
    """Agents with a free slot and status available."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.agents: list[Agent] = []
        self._skills_width = 20
        self._slots = True
        self._name_width = 14

    def compose(self) -> ComposeResult:
        yield DataTable(id="agents-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.border_title = self.t("supervisor.agents.title")
        self._rebuild()
        self.watch_available(0)

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#agents-table", DataTable)

    @property
    def current(self) -> Agent | None:
        """The agent under the cursor."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((a for a in self.agents if a.id == key), None)

    def show(self, agents: list[Agent]) -> None:
        """Replace the rows, keeping the cursor on the same agent."""
        self.agents = agents
        self._rebuild()
        self.available = sum(1 for a in agents if a.status is AgentStatus.AVAILABLE and a.free_slots)
        self.watch_available(self.available)  # the total may change while the count stays

    def on_resize(self) -> None:
        if self.agents and self._fit() != (self._slots, self._name_width, self._skills_width):
            self._rebuild()

    def _fit(self) -> tuple[bool, int, int]:
        """Load slots or not, name width and skills width for the board's width.

        The skills column gets what the others leave: each column is as wide as its header
        or its widest cell, plus two cells of padding; the scrollbar takes one more.
        """
        width = self.size.width
        slots, name = width >= SLOTS_FROM, 14 if width >= WIDE_NAMES_FROM else 12
        used = sum(self._widths(slots, name).values()) + 2 * 5
        return slots, name, max(6, width - used - 2 - 1)

    def _widths(self, slots: bool, name: int) -> dict[str, int]:
        """Content width of every column but skills: its header or its widest cell."""
        t = self.t

        def column(key: str, cells: list[int]) -> int:
            return max([Text(t(f"supervisor.agents.col.{key}")).cell_len, *cells])

        return {
            "agent": column("agent", [min(name, Text(a.name).cell_len) for a in self.agents]),
            "level": column("level", [Text(t(f"level.{lv}")).cell_len for lv in AgentLevel]),
            "status": column("status", [Text(t(f"status.{st}")).cell_len for st in AgentStatus]),
            "load": column("load", [load_gauge(a, slots=slots).cell_len for a in self.agents]),
            "languages": column("languages", [Text("/".join(a.languages)).cell_len for a in self.agents]),
        }

    def _rebuild(self) -> None:
        table = self.table
        keep = self.current.id if self.current else None
        self._slots, self._name_width, self._skills_width = self._fit()
        table.clear(columns=True)  # columns keep their widest width otherwise, and never shrink
        # Explicit widths: left to measure its cells, a table rebuilt during a resize kept
        # header-wide columns ("senio", "availa") until the next refresh.
        widths = {**self._widths(self._slots, self._name_width), "skills": self._skills_width}
        for col in COLUMNS:
            table.add_column(self.t(f"supervisor.agents.col.{col}"), key=col, width=widths.get(col))
        for a in self.agents:
            table.add_row(*self._cells(a), key=a.id)
        if keep and any(a.id == keep for a in self.agents):
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def _cells(self, a: Agent) -> tuple[Text | str, ...]:
        t = self.t
        name = Text(a.name, style="bold" if a.status is not AgentStatus.OFFLINE else "dim")
        name.truncate(self._name_width, overflow="ellipsis")
        return (
            name,
            t(f"level.{a.level}"),
            Text(t(f"status.{a.status}"), style=STATUS_STYLE[a.status]),
            load_gauge(a, slots=self._slots),
            "/".join(a.languages),
            Text(
                skills_text(
                    [skill_label(s, t) for s in a.skills], self._skills_width, t("supervisor.skill.sep")
                ),
                style="dim",
            ),
        )

    def watch_available(self, available: int) -> None:
        total = len(self.agents)
        self.border_subtitle = self.t("supervisor.agents.count", available=available, total=total)

    def pick_status(self) -> None:
        """Open the status picker for the agent under the cursor."""
        agent = self.current
        if agent is None:
            return

        def chosen(status: AgentStatus | None) -> None:
            if status is not None and status is not agent.status:
                self.post_message(self.StatusRequested(self, agent, status))

        self.app.push_screen(AgentStatusPicker(agent, self.t), chosen)


class AgentStatusPicker(ModalScreen[AgentStatus | None]):
    """A short list of statuses; enter sets the highlighted one, escape leaves it as it was."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Keep the status", id="supervisor-status-cancel")
    ]

    def __init__(self, agent: Agent, catalog: Catalog) -> None:
        super().__init__(id="agent-status-picker")
        self.agent = agent
        self.t = catalog
        localize_bindings(self, catalog)

    def compose(self) -> ComposeResult:
        t = self.t
        options = [Option(Text(t(f"status.{s}"), style=STATUS_STYLE[s]), id=s.value) for s in AgentStatus]
        with Vertical(id="agent-status-box"):
            yield Static(
                t("supervisor.status.title", name=self.agent.name, id=self.agent.id), id="agent-status-title"
            )
            yield OptionList(*options, id="agent-status-options")
            yield Static(Text(t("supervisor.status.hint"), style="dim"), id="agent-status-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = list(AgentStatus).index(self.agent.status)
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(AgentStatus(str(event.option.id)))
