"""`agentdesk tickets`: list, search and read tickets from the terminal, masked as on the desk.

Lists come from the store's ticket query (`Store.list_tickets`), the same one the desk's
ticket place (F2) pages through, so search matches 2-character Chinese words and English
stems alike. Field renderers (SLA countdown, times, survey stars) are the desk's own.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from agentdesk.commands.output import console, echo_json, masked, store_session
from agentdesk.domain.models import TicketStatus, TicketType

if TYPE_CHECKING:
    from agentdesk.config import Settings
    from agentdesk.domain.models import Ticket
    from agentdesk.store.base import TicketQuery

STATUSES = click.Choice([s.value for s in TicketStatus])
TYPES = click.Choice([t.value for t in TicketType])
LIMIT = click.IntRange(1, 1000)


@click.group()
def tickets() -> None:
    """List, search and read tickets (sensitive numbers masked, as on the desk)."""


COLUMNS = ("id", "type", "status", "prio", "customer", "assignee", "sla")
"""The list's columns before the title, which takes the rest of the line."""
TITLE_MIN = 20
"""Narrower than this, the title goes on its own line under each ticket's fields."""


def _print_tickets(found: list[Ticket], total: int, settings: Settings, now: datetime, order: str) -> None:
    """The list for people; `order` names the sort (`changed` or `matches`).

    In English the type, status and priority are the values scripts and `--status` use; in
    another UI language (`--lang zh`) every header and value is that language's, as `report`.
    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from agentdesk.tui.i18n import Catalog
    from agentdesk.tui.widgets.ticket_format import (
        PRIORITY_STYLE,
        STATUS_STYLE,
        sla_text,
        status_label,
        type_label,
    )

    out = console()
    t = Catalog(settings.ui.lang or "en")
    if not found:
        out.print(Text(t("tickets.cli.none"), style="yellow"))
        return
    local = t.lang != "en"
    rows = [
        (
            Text(x.id, style="cyan"),
            Text(type_label(x.type, t) if local else str(x.type)),
            Text(status_label(x.status, t) if local else str(x.status), style=STATUS_STYLE[x.status]),
            Text(t(f"priority.{x.priority}") if local else str(x.priority), style=PRIORITY_STYLE[x.priority]),
            Text(x.customer_id or "—"),
            Text(x.assignee_id or "—"),
            sla_text(x, now, t),
            Text(masked(x.subject)),
        )
        for x in found
    ]
    names = [t(f"tickets.cli.col.{name}") for name in COLUMNS]
    fields = [max(cell_len(name), *(row[i].cell_len for row in rows)) + 2 for i, name in enumerate(names)]
    if out.width - sum(fields) >= TITLE_MIN:
        table = Table(box=None, pad_edge=False)
        for name in names:
            table.add_column(name, no_wrap=True)
        table.add_column(t("tickets.cli.col.title"), overflow="fold")
        for row in rows:
            table.add_row(*row)
    else:  # a narrow terminal: fields on one line, the title under them
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for row in rows:
            ticket_type, status, prio, customer, assignee, sla, title = row[1:]
            assignee = (
                Text(t("tickets.cli.with")).append_text(assignee)
                if assignee.plain != "—"
                else Text(t("tickets.cli.unassigned"))
            )
            line = Text(" · ").join([ticket_type, status, prio, customer, assignee, sla])
            table.add_row(row[0], line.append("\n").append_text(title))
    out.print(table)
    out.print(
        Text(
            t("tickets.cli.count", shown=len(found), total=total, order=t(f"tickets.cli.order.{order}")),
            style="dim",
        )
    )


def _run_query(ctx: click.Context, query: TicketQuery, as_json: bool, order: str) -> None:
    from agentdesk.commands.ticket_view import ticket_json
    from agentdesk.domain.models import utcnow

    with store_session(ctx) as (settings, store):
        found = store.list_tickets(query)
        total = len(found) if len(found) < query.limit else store.count_tickets(query)
    now = utcnow()
    if as_json:
        echo_json([ticket_json(t, now) for t in found])
    else:
        _print_tickets(found, total, settings, now, order)


@tickets.command(name="list")
@click.option("--status", "statuses", type=STATUSES, multiple=True, help="Only this status (repeatable).")
@click.option("--type", "ticket_type", type=TYPES, help="Only this ticket type.")
@click.option("--customer", "customer_id", metavar="ID", help="Only this customer's tickets (e.g. C001).")
@click.option(
    "--assignee", "assignee_id", metavar="ID", help="Only tickets assigned to this agent (e.g. A01)."
)
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_(
    ctx: click.Context,
    statuses: tuple[str, ...],
    ticket_type: str | None,
    customer_id: str | None,
    assignee_id: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Tickets, most recently changed first: id, type, status, priority, customer, assignee, SLA, title.

    SLA is the time left to the due time of an open ticket, or how late it is (`late 2d 4h`);
    `--json` carries the due time itself (`sla_due`) and `overdue`.
    """
    from agentdesk.store.base import TicketQuery

    query = TicketQuery(
        statuses=frozenset(TicketStatus(s) for s in statuses) or None,
        type=TicketType(ticket_type) if ticket_type else None,
        customer_id=customer_id,
        assignee_id=assignee_id,
        limit=limit,
    )
    _run_query(ctx, query, as_json, "changed")


@tickets.command()
@click.argument("query")
@click.option("--limit", type=LIMIT, default=20, show_default=True, help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Tickets whose id, subject, notes, promise or wrap-up contain every word of QUERY.

    The desk's ticket search: Chinese words of two characters (退款, 漫游) and English
    words in any form (refund, refunds, refunded) match, and the last word also matches
    the words it begins (refu, TK-H01); best matches first.
    """
    from agentdesk.nlp.terms import match_expression
    from agentdesk.store.base import TicketQuery

    if match_expression(query) is None:
        # The store ignores text it cannot search and would list every ticket instead.
        raise click.UsageError(f"nothing to search for in {query!r}: give a word in Chinese or English")
    _run_query(ctx, TicketQuery(text=query, limit=limit), as_json, "matches")


@tickets.command()
@click.argument("ticket_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def show(ctx: click.Context, ticket_id: str, as_json: bool) -> None:
    """One ticket: every field, its history of notes, linked calls and transfers, survey result."""
    from agentdesk.commands.ticket_view import TicketView, render_ticket
    from agentdesk.domain.models import utcnow

    with store_session(ctx) as (settings, store):
        view = TicketView.load(store, store.get_ticket(ticket_id))
    now = utcnow()
    if as_json:
        echo_json(view.to_json(now))
    else:
        render_ticket(view, settings, now)
