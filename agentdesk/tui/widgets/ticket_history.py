"""A ticket's append-only history: notes with author and time, status changes set apart."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import TicketNote, TicketStatus
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.ticket_format import STATUS_STYLE, status_label, when

# `domain.tickets.transition` writes status entries as `old -> new` or `old -> new: note`.
_STATUS_NOTE = re.compile(r"^(?P<old>[a-z_]+) -> (?P<new>[a-z_]+)(?::\s*(?P<rest>.*))?$", re.S)
_STATUSES = {str(s) for s in TicketStatus}


def status_change(note: TicketNote, t: Catalog) -> Text | None:
    """`▸ new → assigned  to A01` for a status entry, or None when the text is not a status move."""
    match = _STATUS_NOTE.match(note.text.strip())
    if note.kind != "status" or not match or not {match["old"], match["new"]} <= _STATUSES:
        return None
    old, new = TicketStatus(match["old"]), TicketStatus(match["new"])
    out = Text.assemble(
        ("▸ ", "bold"),
        (status_label(old, t), STATUS_STYLE[old]),
        " → ",
        (status_label(new, t), STATUS_STYLE[new]),
    )
    if match["rest"]:
        out.append("  " + mask_text(match["rest"]), style="dim")
    return out


def author_name(author: str, t: Catalog, agents: Mapping[str, str]) -> str:
    """An agent's name, `Bot`/`System` in the UI language, or the id as written."""
    if author in agents:
        return agents[author]
    if author in ("bot", "system", "customer"):
        return t(f"speaker.{author}")
    return author


def history_table(
    notes: Sequence[TicketNote],
    t: Catalog,
    *,
    now: datetime,
    zone: tzinfo,
    agents: Mapping[str, str] | None = None,
) -> Table:
    """Entries oldest first: time and author in the margin, the text (masked) beside them."""
    agents = agents or {}
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1, overflow="fold")
    for note in notes:
        author = author_name(note.author, t, agents)
        body = status_change(note, t)
        if body is None:
            style = "italic dim" if note.kind == "system" else ""
            body = Text(mask_text(note.text), style=style)
        grid.add_row(when(note.at, now, zone), Text(author, overflow="ellipsis"), body)
    return grid


class TicketHistory(VerticalScroll):
    """Scrollable history of the ticket being edited; newest entry in view."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._body = Static(Text(catalog("tickets.history.none"), style="dim"), id="tickets-history-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("tickets.history.title")

    def show(
        self, notes: Sequence[TicketNote], *, now: datetime, zone: tzinfo, agents: Mapping[str, str]
    ) -> None:
        if not notes:
            self._body.update(Text(self.t("tickets.history.none"), style="dim"))
            return
        self._body.update(history_table(notes, self.t, now=now, zone=zone, agents=agents))
        self.border_subtitle = self.t("tickets.history.count", count=len(notes))
        self.call_after_refresh(self.scroll_end, animate=False)
