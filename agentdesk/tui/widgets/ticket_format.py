"""Renderers for ticket fields shared by the tickets and customers screens: labels, SLA, times."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Survey, SurveyStatus, Ticket, TicketPriority, TicketStatus
from agentdesk.domain.tickets import OPEN_STATUSES
from agentdesk.tui.i18n import Catalog

if TYPE_CHECKING:
    from agentdesk.config import Settings

STATUS_STYLE: dict[TicketStatus, str] = {
    TicketStatus.NEW: "bold cyan",
    TicketStatus.ASSIGNED: "cyan",
    TicketStatus.IN_PROGRESS: "bold yellow",
    TicketStatus.WAITING_CUSTOMER: "magenta",
    TicketStatus.RESOLVED: "green",
    TicketStatus.CLOSED: "dim",
    TicketStatus.REOPENED: "bold dark_orange",
}
PRIORITY_STYLE: dict[TicketPriority, str] = {
    TicketPriority.URGENT: "bold white on red",
    TicketPriority.HIGH: "bold dark_orange",
    TicketPriority.NORMAL: "",
    TicketPriority.LOW: "dim",
}
SLA_WARN_SHARE = 0.25
"""An open ticket turns amber when less than this share of its SLA window is left."""

STATUS_ORDER = tuple(TicketStatus)
"""Lifecycle order, used wherever statuses are listed for a person to pick from."""


def status_label(status: TicketStatus | str, t: Catalog) -> str:
    """The status in the UI language: the one word for it in lists, filters, editor and history."""
    return t(f"tickets.status.{status}")


def status_text(status: TicketStatus | str, t: Catalog) -> Text:
    return Text(status_label(status, t), style=STATUS_STYLE[TicketStatus(status)])


def type_label(ticket_type: str, t: Catalog) -> str:
    """The ticket type from the shared `type.*` keys, the words the desk and wrap-up use too."""
    return t(f"type.{ticket_type}")


def priority_text(priority: TicketPriority | str, t: Catalog) -> Text:
    label = t(f"priority.{priority}")
    style = PRIORITY_STYLE[TicketPriority(priority)]
    return Text(f" {label} " if "on " in style else label, style=style)


def span(delta: timedelta, t: Catalog, *, compact: bool = False) -> str:
    """A duration as its two largest units: `2d 4h`, `3h 20m`, `45m` (`2天4时` in Chinese);
    `compact` keeps only the largest (`2d`, `3h`) for narrow tables."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rem = divmod(minutes, 24 * 60)
    hours, mins = divmod(rem, 60)
    d, h, m = t("tickets.span.d"), t("tickets.span.h"), t("tickets.span.m")
    sep = t("tickets.span.sep")
    if days:
        return f"{days}{d}" if compact else f"{days}{d}{sep}{hours}{h}"
    if hours:
        return f"{hours}{h}" if compact else f"{hours}{h}{sep}{mins}{m}"
    return f"{mins}{m}"


def sla_text(ticket: Ticket, now: datetime, t: Catalog, *, compact: bool = False) -> Text:
    """Time left to the SLA due time, or how late the ticket is; only open tickets count down.
    `compact` gives the largest unit only (`late 19d`), for narrow tables."""
    if ticket.sla_due is None or ticket.status not in OPEN_STATUSES:
        return Text("—", style="dim")
    left = ticket.sla_due - now
    if left < timedelta(0):
        return Text(t("tickets.sla.late", span=span(-left, t, compact=compact)), style="bold red")
    window = ticket.sla_due - ticket.created_at
    style = "yellow" if window.total_seconds() > 0 and left / window < SLA_WARN_SHARE else "green"
    return Text(t("tickets.sla.in", span=span(left, t, compact=compact)), style=style)


SCORE_STYLE = {1: "bold red", 2: "red", 3: "yellow", 4: "green", 5: "bold green"}


def survey_text(survey: Survey | None, t: Catalog, now: datetime, zone: tzinfo) -> Text:
    """`★★☆☆☆ 2/5  answered 11-21` and the customer's comment, or where the survey stands."""
    if survey is None:
        return Text(t("tickets.survey.none"), style="dim")
    if survey.status != SurveyStatus.ANSWERED or survey.score is None:
        return Text(t(f"tickets.survey.status.{survey.status}"), style="dim")
    score = survey.score
    out = Text.assemble(
        ("★" * score + "☆" * (5 - score), SCORE_STYLE[score]),
        f" {score}/5",
        ("  " + t("tickets.survey.answered", when=when(survey.answered_at, now, zone)), "dim"),
    )
    if survey.comment:
        out.append("\n“" + mask_text(survey.comment) + "”", style="italic")
    return out


def display_zone(zone_name: str | None) -> tzinfo:
    """The zone times are shown in; unknown names fall back to UTC rather than failing."""
    try:
        return ZoneInfo(zone_name) if zone_name else ZoneInfo("UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def ui_zone(settings: Settings) -> tzinfo:
    """The contact centre's own zone (`hours.centre_timezone`), whatever the UI language, so two
    agents reading a time to each other see the same figure, as the supervisor's reports do."""
    return display_zone(settings.hours.centre_timezone)


def when(at: datetime | None, now: datetime, zone: tzinfo, *, short: bool = False) -> str:
    """`11-20 14:28` this year, `2025-11-20` before; `short` drops the time of day."""
    if at is None:
        return "—"
    local, today = at.astimezone(zone), now.astimezone(zone)
    if local.year != today.year:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%m-%d" if short else "%m-%d %H:%M")


def cell(text: str | Text, width: int) -> Text:
    """Text cut to `width` terminal cells (CJK counts double) with an ellipsis."""
    out = text.copy() if isinstance(text, Text) else Text(text)
    out.truncate(width, overflow="ellipsis")
    return out
