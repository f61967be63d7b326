"""The ticket editor: a compact form that drafts the call's ticket; the desk saves it during a call."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, TextArea

from agentdesk.domain.models import Ticket, TicketPriority, TicketType
from agentdesk.domain.tickets import draft_from_transfer
from agentdesk.domain.transfers import Transfer
from agentdesk.tui.i18n import Catalog


def draft_for(transfer: Transfer) -> Ticket:
    """The draft the editor starts from (see `domain.tickets.draft_from_transfer`)."""
    return draft_from_transfer(transfer)


class TicketEditor(Vertical):
    """Edits one draft; posts `SaveRequested` and lets the screen do the write."""

    @dataclass
    class SaveRequested(Message):
        editor: TicketEditor
        ticket: Ticket
        note: str

        @property
        def control(self) -> TicketEditor:
            return self.editor

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.draft: Ticket | None = None
        self.customer_name = ""

    def compose(self) -> ComposeResult:
        t = self.t
        with Horizontal(id="ticket-row"):
            yield Select(
                [(t(f"type.{x}"), x) for x in TicketType],
                value=TicketType.CONSULTATION,
                allow_blank=False,
                id="ticket-type",
                compact=True,
            )
            yield Select(
                [(t(f"priority.{x}"), x) for x in TicketPriority],
                value=TicketPriority.NORMAL,
                allow_blank=False,
                id="ticket-priority",
                compact=True,
            )
        yield Input(placeholder=t("ticket.subject.placeholder"), id="ticket-subject", compact=True)
        yield TextArea(id="ticket-notes", compact=True, placeholder=t("ticket.notes.placeholder"))
        with Horizontal(id="ticket-actions"):
            yield Label("", id="ticket-status")
            yield Button(t("ticket.save"), id="ticket-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.border_title = self.t("ticket.title")

    def load(self, draft: Ticket, customer_name: str, summary: str = "", *, status: str = "") -> None:
        """Start editing `draft`; `summary` pre-fills the first note, `status` says what saving does."""
        self.draft = draft
        self.customer_name = customer_name
        self.border_subtitle = self.t("ticket.customer", name=customer_name)
        self.query_one("#ticket-type", Select).value = draft.type
        self.query_one("#ticket-priority", Select).value = draft.priority
        self.query_one("#ticket-subject", Input).value = draft.subject
        self.query_one("#ticket-notes", TextArea).text = summary
        self.query_one("#ticket-status", Label).update(status)

    def current(self) -> tuple[Ticket, str] | None:
        """The edited ticket and first note, or None (with a message shown) when incomplete."""
        subject = self.query_one("#ticket-subject", Input).value.strip()
        if not subject:
            self.query_one("#ticket-status", Label).update(self.t("ticket.subject_required"))
            return None
        base = self.draft or Ticket(subject=subject)
        ticket = base.model_copy(
            update={
                "subject": subject,
                "type": TicketType(self.query_one("#ticket-type", Select).value),
                "priority": TicketPriority(self.query_one("#ticket-priority", Select).value),
            }
        )
        return ticket, self.query_one("#ticket-notes", TextArea).text.strip()

    def append_note(self, text: str) -> None:
        """Add a suggested answer or script to the note being written."""
        notes = self.query_one("#ticket-notes", TextArea)
        notes.text = f"{notes.text.rstrip()}\n{text}".strip()
        notes.move_cursor(notes.document.end)

    def focus_notes(self) -> None:
        """Focus the notes with the cursor after the last character, ready to add to them."""
        notes = self.query_one("#ticket-notes", TextArea)
        notes.focus()
        notes.move_cursor(notes.document.end)

    def saved(self, ticket: Ticket, note: str = "") -> None:
        """Show the saved id and keep editing that ticket: the next save updates it.

        `note` went into the ticket's history, so it leaves the notes box; text typed
        after it while the save was on its way stays.
        """
        self.query_one("#ticket-status", Label).update(self.t("ticket.saved", id=ticket.id))
        self.draft = ticket
        notes = self.query_one("#ticket-notes", TextArea)
        if note and notes.text.strip().startswith(note):
            notes.text = notes.text.strip()[len(note) :].strip()
            notes.move_cursor(notes.document.end)

    @on(Button.Pressed, "#ticket-save")
    def action_save(self) -> None:
        current = self.current()
        if current:
            self.post_message(self.SaveRequested(self, *current))
