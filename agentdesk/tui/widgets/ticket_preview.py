"""A glance at the highlighted ticket under the list: whole subject, who, and the latest history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Ticket, Tier
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import tier_badge
from agentdesk.tui.widgets.ticket_format import sla_text, status_text, type_label
from agentdesk.tui.widgets.ticket_history import history_table

LATEST = 2
"""History entries the preview shows; the editor shows them all."""


class TicketPreview(Static):
    """Rendered from the ticket already in the list's window: moving the cursor never reads the store."""

    def __init__(self, catalog: Catalog, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(Text(catalog("tickets.preview.none"), style="dim"), id=id)
        self.t = catalog
        self.zone = zone
        self.ticket: Ticket | None = None

    def on_mount(self) -> None:
        self.border_title = self.t("tickets.preview.title")

    def _assignee(self, ticket: Ticket, agents: Mapping[str, str]) -> str:
        if not ticket.assignee_id:
            return self.t("tickets.edit.unassigned")
        return agents.get(ticket.assignee_id, ticket.assignee_id)

    def show(
        self,
        ticket: Ticket | None,
        customer: tuple[str, Tier] | None = None,
        agents: Mapping[str, str] | None = None,
    ) -> None:
        self.ticket = ticket
        if ticket is None:
            self.update(Text(self.t("tickets.preview.none"), style="dim"))
            self.border_subtitle = ""
            return
        t, now, agents = self.t, utcnow(), agents or {}
        name, tier = customer or (ticket.customer_id or "—", Tier.STANDARD)
        badge = tier_badge(tier, t) if tier != Tier.STANDARD else Text("")
        who = Text.assemble(
            (name, "bold"),
            " " if badge.plain else "",
            badge,
            ("  ·  ", "dim"),
            type_label(ticket.type, t),
            ("  ·  ", "dim"),
            status_text(ticket.status, t),
            ("  ·  ", "dim"),
            t(
                "tickets.preview.assignee",
                who=self._assignee(ticket, agents),
            ),
        )
        if ticket.promise:
            who.append("  ·  ", style="dim")
            who.append(t("tickets.preview.promise", promise=mask_text(ticket.promise)), style="italic")
        subject = Text(mask_text(ticket.subject), style="bold", no_wrap=True, overflow="ellipsis")
        parts: list[object] = [subject, who]
        if ticket.notes:
            parts.append(history_table(ticket.notes[-LATEST:], t, now=now, zone=self.zone, agents=agents))
        self.update(Group(*parts))
        self.border_subtitle = Text.assemble(ticket.id, "  ", sla_text(ticket, now, t))
