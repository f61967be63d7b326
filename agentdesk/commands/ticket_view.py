"""`agentdesk tickets show`: one ticket with what the desk's editor shows beside it.

`TicketView.load` reads what the editor reads (customer, linked calls, survey) plus the
transfers that led to the ticket; `render_ticket` prints it for people, `to_json` for
machines. Every text goes through the desk's masking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agentdesk.commands.output import console, masked
from agentdesk.store.base import NotFound

if TYPE_CHECKING:
    from agentdesk.config import Settings
    from agentdesk.domain.models import Agent, Call, Customer, Survey, Ticket
    from agentdesk.domain.transfers import Transfer
    from agentdesk.store.base import Store

TRANSFER_SCAN = 1000
"""Transfers of the ticket's customer looked through for the ones linked to the ticket."""


@dataclass(frozen=True)
class TicketView:
    """A ticket and the records around it."""

    ticket: Ticket
    customer: Customer | None
    assignee: Agent | None
    calls: list[Call]
    transfers: list[Transfer]
    survey: Survey | None
    agents: dict[str, str]
    """Agent id -> name, for the authors of notes."""

    @classmethod
    def load(cls, store: Store, ticket: Ticket) -> TicketView:
        """Read the customer, assignee, linked calls, transfers and survey of `ticket`."""
        from agentdesk.domain.transfers import TransferStatus
        from agentdesk.store.base import TransferQuery

        customer = _get(store.get_customer, ticket.customer_id)
        assignee = _get(store.get_agent, ticket.assignee_id)
        calls = [c for c in (_get(store.get_call, i) for i in ticket.linked_call_ids) if c is not None]
        query = TransferQuery(
            statuses=frozenset(TransferStatus), customer_id=ticket.customer_id, limit=TRANSFER_SCAN
        )
        linked = set(ticket.linked_call_ids)
        transfers = [
            t for t in store.list_transfers(query) if t.ticket_id == ticket.id or (t.call_id in linked)
        ]
        # As the editor: the ticket's own survey, else the latest sent for it.
        survey = _get(store.get_survey, ticket.survey_id)
        if survey is None:
            surveys = store.list_surveys(ticket_id=ticket.id)
            survey = surveys[-1] if surveys else None
        agents = {agent.id: agent.name for agent in store.list_agents()}
        return cls(ticket, customer, assignee, calls, transfers, survey, agents)

    def to_json(self, now: datetime) -> dict[str, Any]:
        """The ticket's fields plus the records around it (customer and agent by id and name only)."""
        c, a = self.customer, self.assignee
        return {
            **ticket_json(self.ticket, now),
            "customer": {"id": c.id, "name": c.name, "tier": str(c.tier)} if c else None,
            "assignee": {"id": a.id, "name": a.name, "level": str(a.level)} if a else None,
            "calls": [call.model_dump(mode="json") for call in self.calls],
            "transfers": [_transfer_json(t) for t in self.transfers],
            "survey": self.survey.model_dump(mode="json") if self.survey else None,
        }


def ticket_json(ticket: Ticket, now: datetime) -> dict[str, Any]:
    """A ticket as JSON, with whether it is past its SLA right now."""
    from agentdesk.domain.tickets import is_overdue

    return {**ticket.model_dump(mode="json"), "overdue": is_overdue(ticket, now)}


def _get(read: Any, record_id: str | None) -> Any:
    """`read(record_id)`, or None when there is no id or no such record."""
    if not record_id:
        return None
    try:
        return read(record_id)
    except NotFound:
        return None


def _transfer_json(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.id,
        "call_id": t.call_id,
        "status": str(t.status),
        "created_at": t.created_at.isoformat(),
        "claimed_by": t.claimed_by,
        "completed_at": t.completed_at.isoformat() if t.completed_at else None,
        "rules": [str(r) for r in t.packet.rules],
        "intent": t.packet.intent,
        "summary": t.packet.summary,
        "emotion_level": int(t.packet.emotion_level),
    }


def render_ticket(view: TicketView, settings: Settings, now: datetime) -> None:
    """Print the ticket for a person: header, fields, history, calls, transfers, survey."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from agentdesk.tui.i18n import Catalog
    from agentdesk.tui.widgets.ticket_format import (
        PRIORITY_STYLE,
        STATUS_STYLE,
        sla_text,
        survey_text,
        ui_zone,
        when,
    )

    lang = settings.ui.lang or "en"
    t, catalog, zone = view.ticket, Catalog(lang), ui_zone(settings)
    out = console()
    out.print(Text.assemble((t.id, "bold cyan"), "  ", (masked(t.subject), "bold")))

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="dim", no_wrap=True)
    fields.add_column(overflow="fold")
    fields.add_row(
        "ticket",
        Text.assemble(
            str(t.type),
            " · ",
            (str(t.status), STATUS_STYLE[t.status]),
            " · priority ",
            (str(t.priority), PRIORITY_STYLE[t.priority]),
            f" · {t.language}",
        ),
    )
    c = view.customer
    fields.add_row("customer", f"{c.id} {c.name} ({c.tier})" if c else t.customer_id or "—")
    a = view.assignee
    fields.add_row("assignee", f"{a.id} {a.name} ({a.level})" if a else t.assignee_id or "unassigned")
    if t.intent:
        fields.add_row("intent", masked(t.intent))
    fields.add_row("created", when(t.created_at, now, zone))
    fields.add_row("updated", when(t.updated_at, now, zone))
    fields.add_row("SLA due", Text.assemble(when(t.sla_due, now, zone), "  ", sla_text(t, now, catalog)))
    if t.promise:
        fields.add_row("promise", masked(t.promise))
    if t.disposition:
        fields.add_row("wrap-up", masked(t.disposition))
    out.print(fields)

    out.print(Text(f"history ({len(t.notes)})", style="bold"))
    notes = Table.grid(padding=(0, 2))
    notes.add_column(style="dim", no_wrap=True)
    notes.add_column(style="bold", no_wrap=True)
    notes.add_column(overflow="fold")
    for note in t.notes:
        notes.add_row(
            "  " + when(note.at, now, zone),
            view.agents.get(note.author, note.author),
            Text(masked(note.text), style="italic" if note.kind != "note" else ""),
        )
    if t.notes:
        out.print(notes)

    out.print(Text(f"linked calls ({len(view.calls)})", style="bold"))
    for call in view.calls:
        out.print(
            f"  {call.id}  {when(call.started_at, now, zone)}  {call.language}  {call.status}"
            f"  outcome {call.outcome or '—'}  agent {call.agent_id or '—'}"
        )
    missing = len(t.linked_call_ids) - len(view.calls)
    if missing:
        out.print(Text(f"  ({missing} linked call(s) no longer in the store)", style="dim"))

    out.print(Text(f"transfers ({len(view.transfers)})", style="bold"))
    for tr in view.transfers:
        rules = ", ".join(str(r) for r in tr.packet.rules) or "—"
        out.print(
            f"  {tr.id}  {when(tr.created_at, now, zone)}  {tr.status}"
            f"  claimed by {tr.claimed_by or '—'}  rules: {rules}"
        )
        if tr.packet.summary:
            out.print(Text("    " + masked(tr.packet.summary), style="dim"))

    out.print(Text("survey", style="bold"))
    out.print(Padding(survey_text(view.survey, catalog, now, zone), (0, 0, 0, 2), expand=False))
    out.print(Text(f"times in {getattr(zone, 'key', zone)}", style="dim"))
