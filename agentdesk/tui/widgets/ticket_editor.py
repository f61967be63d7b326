"""The ticket editor: a compact form that drafts the call's ticket; the desk saves it during a call."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, TextArea

from agentdesk.domain.models import Ticket, TicketPriority, TicketType
from agentdesk.domain.tickets import draft_from_transfer
from agentdesk.domain.transfers import Transfer
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.unsaved_notes import NotesDraft


def draft_for(transfer: Transfer) -> Ticket:
    """The draft the editor starts from (see `domain.tickets.draft_from_transfer`)."""
    return draft_from_transfer(transfer)


class SubjectInput(Input):
    """A one-line input that, focused, puts the cursor after the text instead of selecting it,
    so typing adds to a subject rather than replacing it."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value, select_on_focus=False, **kwargs)  # type: ignore[arg-type]

    def _on_focus(self, event: events.Focus) -> None:
        # `Input._on_focus` runs too (Textual calls each class's); unselecting, it keeps this cursor.
        self.cursor_position = len(self.value)


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

    @dataclass
    class Edited(Message):
        """The agent changed a field; what they typed may need keeping (`unsaved_notes`)."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.draft: Ticket | None = None
        self.customer_name = ""
        self.saved_notes: list[str] = []
        """Notes this call put into the ticket's history, oldest first; the last one shows."""
        self.baseline: NotesDraft | None = None
        """The fields as loaded or last saved: typing that leaves them so has nothing to keep."""

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
        yield SubjectInput(placeholder=t("ticket.subject.placeholder"), id="ticket-subject", compact=True)
        saved_note = Label("", id="ticket-saved-note")
        saved_note.display = False  # until this call saves a note
        yield saved_note
        yield TextArea(id="ticket-notes", compact=True, placeholder=t("ticket.notes.placeholder"))
        with Horizontal(id="ticket-actions"):
            yield Label("", id="ticket-status")
            yield Button(t("ticket.save"), id="ticket-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.border_title = self.t("ticket.title")

    def load(
        self,
        draft: Ticket,
        customer_name: str,
        summary: str = "",
        *,
        status: str = "",
        saved_notes: list[str] | None = None,
    ) -> None:
        """Start editing `draft`; `summary` pre-fills the first note, `status` says what saving
        does, `saved_notes` are notes this call saved into it before (a resumed call)."""
        self.draft = draft
        self.customer_name = customer_name
        self.border_subtitle = self.t("ticket.customer", name=customer_name)
        self.query_one("#ticket-type", Select).value = draft.type
        self.query_one("#ticket-priority", Select).value = draft.priority
        self.query_one("#ticket-subject", Input).value = draft.subject
        self.query_one("#ticket-notes", TextArea).text = summary
        self.query_one("#ticket-status", Label).update(status)
        self.saved_notes = list(saved_notes or [])
        self._show_saved_note()
        self.baseline = self.typed()

    def _show_saved_note(self) -> None:
        """The last note saved on this call, above the box it left: the agent sees what went in."""
        label = self.query_one("#ticket-saved-note", Label)
        label.display = bool(self.saved_notes)
        if self.saved_notes:
            last = " ".join(self.saved_notes[-1].split())
            n = len(self.saved_notes)
            label.update(self.t.count("keep_typed.saved_note", n, count=n, note=last))

    def typed(self) -> NotesDraft:
        """The fields as they stand on screen."""
        return NotesDraft(
            subject=self.query_one("#ticket-subject", Input).value,
            type=str(self.query_one("#ticket-type", Select).value),
            priority=str(self.query_one("#ticket-priority", Select).value),
            notes=self.query_one("#ticket-notes", TextArea).text,
        )

    def unsaved(self) -> NotesDraft | None:
        """What the agent typed and has not saved, or None: nothing beyond the loaded fields."""
        typed = self.typed()
        return None if typed == self.baseline else typed

    def restore(self, draft: NotesDraft) -> None:
        """Put back what the agent typed before the desk closed (the loaded fields stay the baseline)."""
        if draft.type in set(TicketType):
            self.query_one("#ticket-type", Select).value = draft.type
        if draft.priority in set(TicketPriority):
            self.query_one("#ticket-priority", Select).value = draft.priority
        self.query_one("#ticket-subject", Input).value = draft.subject
        notes = self.query_one("#ticket-notes", TextArea)
        notes.text = draft.notes
        notes.move_cursor(notes.document.end)

    @on(Input.Changed, "#ticket-subject")
    @on(TextArea.Changed, "#ticket-notes")
    @on(Select.Changed)
    def _edited(self) -> None:
        self.post_message(self.Edited())

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
        if note and note not in self.saved_notes[-1:]:
            self.saved_notes.append(note)
            self._show_saved_note()
        # What was saved needs no keeping; text typed after it, still in the box, does.
        self.baseline = NotesDraft(ticket.subject, str(ticket.type), str(ticket.priority), "")
        self.post_message(self.Edited())

    @on(Button.Pressed, "#ticket-save")
    def action_save(self) -> None:
        current = self.current()
        if current:
            self.post_message(self.SaveRequested(self, *current))
