"""The ticket form: the fields an agent may change, offering only the statuses the lifecycle allows."""

from __future__ import annotations

from dataclasses import dataclass, fields

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from agentdesk.domain.models import Ticket, TicketPriority, TicketStatus
from agentdesk.domain.tickets import DISPOSITIONS, NEEDS_ASSIGNEE, NEEDS_DISPOSITION, TRANSITIONS, missing_for
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.ticket_format import STATUS_ORDER, status_label, type_label
from agentdesk.tui.widgets.toggles import MarkedCheckbox


@dataclass(frozen=True)
class TicketChanges:
    """What the agent changed; None means unchanged. Maps one-to-one onto `Store.update_ticket`."""

    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    subject: str | None = None
    assignee_id: str | None = None
    disposition: str | None = None
    note: str | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))


def next_statuses(current: TicketStatus) -> list[TicketStatus]:
    """The statuses a ticket may move to from `current`, in lifecycle order."""
    return [s for s in STATUS_ORDER if s in TRANSITIONS[current]]


def disposition_options(t: Catalog, stored: str | None) -> list[tuple[str, str]]:
    """The wrap-up codes to pick from, labelled in the UI language, as the wrap-up dialog offers
    them; a code the ticket already holds from elsewhere (imported history) stays pickable as is."""
    options = [(t("tickets.edit.disposition.none"), "")]
    options += [(t(f"disposition.{code}"), code) for code in DISPOSITIONS]
    if stored and stored not in DISPOSITIONS:
        options.append((stored.replace("_", " "), stored))
    return options


class TicketForm(Vertical):
    """Edits one loaded ticket; `changes` reads the edits, the screen writes them."""

    @dataclass
    class SaveRequested(Message):
        """The agent asked to save (button or key) and the edits are complete."""

        form: TicketForm
        changes: TicketChanges

        @property
        def control(self) -> TicketForm:
            return self.form

    def __init__(self, catalog: Catalog, agent_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.agent_id = agent_id
        self.ticket: Ticket | None = None
        """The ticket as last loaded from the store; edits are compared against it."""

    def compose(self) -> ComposeResult:
        t = self.t
        with Horizontal(classes="tickets-form-row"):
            yield Label(t("tickets.edit.subject"), classes="tickets-form-label")
            yield Input(id="tickets-edit-subject", compact=True)
        with Horizontal(classes="tickets-form-row"):
            yield Label(t("tickets.edit.status"), classes="tickets-form-label")
            yield Select(
                [(t("tickets.loading"), "")], allow_blank=False, id="tickets-edit-status", compact=True
            )
            yield Label(t("tickets.edit.priority"), classes="tickets-form-label -inline")
            yield Select(
                [(t(f"priority.{p}"), p) for p in reversed(TicketPriority)],
                allow_blank=False,
                id="tickets-edit-priority",
                compact=True,
            )
            yield Label(t("tickets.edit.type"), classes="tickets-form-label -inline")
            yield Static("", id="tickets-edit-type")
        with Horizontal(classes="tickets-form-row"):
            yield Label(t("tickets.edit.assignee"), classes="tickets-form-label")
            yield Static("", id="tickets-edit-assignee")
            yield MarkedCheckbox(t("tickets.edit.take"), id="tickets-edit-take", compact=True)
        with Horizontal(classes="tickets-form-row"):
            yield Label(t("tickets.edit.disposition"), classes="tickets-form-label")
            yield Select(
                disposition_options(t, None), allow_blank=False, id="tickets-edit-disposition", compact=True
            )
        with Horizontal(classes="tickets-form-row -note"):
            yield Label(t("tickets.edit.note"), classes="tickets-form-label")
            yield TextArea(
                id="tickets-edit-note", compact=True, placeholder=t("tickets.edit.note.placeholder")
            )
        with Horizontal(classes="tickets-form-row", id="tickets-edit-actions"):
            yield Label("", id="tickets-edit-message")
            yield Button(t("tickets.edit.save"), id="tickets-edit-save", variant="primary", compact=True)

    def load(self, ticket: Ticket, agents: dict[str, str], *, keep_note: bool = False) -> None:
        """Show `ticket` as stored; the note draft survives a reload when `keep_note`."""
        t = self.t
        self.ticket = ticket
        self.query_one("#tickets-edit-subject", Input).value = ticket.subject
        current = [(t("tickets.edit.status.current", status=status_label(ticket.status, t)), ticket.status)]
        moves = [
            (t("tickets.edit.status.move", status=status_label(s, t)), s)
            for s in next_statuses(ticket.status)
        ]
        status = self.query_one("#tickets-edit-status", Select)
        status.set_options(current + moves)
        status.value = ticket.status
        # set_options leaves the old label up when the first option has the value already
        # selected (a move just saved): force the watcher so "(now)" is shown.
        status.mutate_reactive(Select.value)
        self.query_one("#tickets-edit-priority", Select).value = ticket.priority
        self.query_one("#tickets-edit-type", Static).update(type_label(ticket.type, t))
        who = ticket.assignee_id
        assignee = Text(
            agents.get(who, who) if who else t("tickets.edit.unassigned"), style="" if who else "dim"
        )
        if who:
            assignee.append(f" ({who})", style="dim")
        self.query_one("#tickets-edit-assignee", Static).update(assignee)
        take = self.query_one("#tickets-edit-take", Checkbox)
        take.value = who == self.agent_id
        take.disabled = who == self.agent_id
        disposition = self.query_one("#tickets-edit-disposition", Select)
        disposition.set_options(disposition_options(t, ticket.disposition))
        disposition.value = ticket.disposition or ""
        if not keep_note:
            self.query_one("#tickets-edit-note", TextArea).text = ""

    def toggle_take(self) -> None:
        take = self.query_one("#tickets-edit-take", Checkbox)
        if not take.disabled:
            take.toggle()

    def changes(self, *, quiet: bool = False) -> TicketChanges | None:
        """The edits against the loaded ticket, or None when they cannot be saved (the reason shown unless `quiet`)."""
        ticket = self.ticket
        if ticket is None:
            return None
        subject = self.query_one("#tickets-edit-subject", Input).value.strip()
        if not subject:
            if not quiet:
                self.say(self.t("tickets.edit.subject_required"), error=True)
            return None
        status = self.query_one("#tickets-edit-status", Select).value
        priority = self.query_one("#tickets-edit-priority", Select).value
        chosen = self.query_one("#tickets-edit-disposition", Select).value
        disposition = chosen if isinstance(chosen, str) else ""
        note = self.query_one("#tickets-edit-note", TextArea).text.strip()
        take = self.query_one("#tickets-edit-take", Checkbox).value and ticket.assignee_id != self.agent_id
        target = TicketStatus(status) if isinstance(status, str) and status else ticket.status
        moved = take or (target, disposition) != (ticket.status, ticket.disposition or "")
        missing = missing_for(target, self.agent_id if take else ticket.assignee_id, disposition)
        if (
            moved and missing is not None
        ):  # the store's rule (`domain.tickets.check_complete`), said here first
            if not quiet:
                self.refuse(missing, target)
            return None
        return TicketChanges(
            status=TicketStatus(status) if isinstance(status, str) and status != ticket.status else None,
            priority=TicketPriority(priority) if priority != ticket.priority else None,
            subject=subject if subject != ticket.subject else None,
            assignee_id=self.agent_id if take else None,
            disposition=disposition if disposition != (ticket.disposition or "") else None,
            note=note or None,
        )

    def refuse(self, missing: str, status: TicketStatus) -> None:
        """Say what the status needs (`assignee_id`, `disposition`) and put the cursor on that field."""
        t = self.t
        self.say(t(f"tickets.edit.needs.{missing}", status=status_label(status, t)), error=True)
        field = "#tickets-edit-take" if missing == "assignee_id" else "#tickets-edit-disposition"
        self.query_one(field).focus()

    @on(Select.Changed, "#tickets-edit-status")
    def _status_picked(self, event: Select.Changed) -> None:
        """Fill in or ask for what the picked status needs, before the agent tries to save."""
        ticket, value = self.ticket, event.value
        if ticket is None or not isinstance(value, str) or not value or value == ticket.status:
            return
        status = TicketStatus(value)
        take = self.query_one("#tickets-edit-take", Checkbox)
        if status in NEEDS_ASSIGNEE and not ticket.assignee_id and not take.value:
            take.value = True
            self.say(self.t("tickets.edit.took"))
        elif status in NEEDS_DISPOSITION and not self.query_one("#tickets-edit-disposition", Select).value:
            self.say(self.t("tickets.edit.pick_disposition", status=status_label(status, self.t)))

    def say(self, message: str, *, error: bool = False) -> None:
        """A line under the form: what happened to the last save."""
        label = self.query_one("#tickets-edit-message", Label)
        label.update(message)
        label.set_class(error, "-error")

    @property
    def dirty(self) -> bool:
        """Whether anything differs from the ticket as loaded (a cleared subject counts)."""
        if self.ticket is None:
            return False
        changes = self.changes(quiet=True)
        return changes is None or bool(changes)

    @property
    def has_error(self) -> bool:
        return self.query_one("#tickets-edit-message", Label).has_class("-error")

    @property
    def message(self) -> str:
        return str(self.query_one("#tickets-edit-message", Label).render())

    @on(Button.Pressed, "#tickets-edit-save")
    def request_save(self) -> None:
        """Post `SaveRequested` when there is something valid to save."""
        changes = self.changes()
        if changes is None:
            return
        if not changes:
            self.say(self.t("tickets.edit.nothing"))
            return
        self.post_message(self.SaveRequested(self, changes))
