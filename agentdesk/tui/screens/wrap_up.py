"""Wrap-up: disposition and notes into the call's ticket, then the call ends (SPEC section 10).

The call's ticket is the one saved during the call or the customer's open ticket for the
case; wrap-up finalises it. Only for the customer's open ticket does the dialog offer a
new ticket instead (the call is linked to the open one either way).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, TextArea

from agentdesk.domain.models import Ticket, TicketPriority, TicketStatus, TicketType
from agentdesk.domain.tickets import DISPOSITIONS
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.ticket_editor import SubjectInput
from agentdesk.tui.widgets.toggles import MarkedCheckbox


def is_repeat_contact(*, case_ticket: bool, repeats_a_call: bool) -> bool:
    """The customer has been in touch about this before, so the call cannot be a first-contact
    resolution: it repeats an earlier call by the rule the KPIs count repeats with
    (`domain.kpis.repeats_an_earlier_call`), or it works on the customer's open ticket for the case."""
    return case_ticket or repeats_a_call


def default_disposition(ticket_type: str, *, repeat: bool) -> str:
    """The wrap-up code offered first; never "resolved first contact" for a repeat contact."""
    if not repeat:
        return "resolved_first_contact"
    return "complaint_logged" if ticket_type == TicketType.COMPLAINT else "info_given"


@dataclass(frozen=True)
class WrapUp:
    ticket: Ticket
    note: str
    resolved: bool
    """The issue is settled on this call: the ticket is resolved and a survey goes out."""
    new_ticket: bool = False
    """Open a new ticket instead of updating the customer's open one."""
    finish: bool = True
    """False: the agent left the dialog (Esc) to go on with the call; what they chose and
    typed is kept for when they open it again, and nothing is saved yet."""


class WrapUpModal(ModalScreen[WrapUp | None]):
    BINDINGS = [
        Binding(
            "escape",
            "keep",
            "Back",
            tooltip="Back to the call; what you typed here is kept",
            id="cancel-wrap-up",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save the ticket and end the call",
            id="save-wrap-up",
            priority=True,
        ),
    ]

    def __init__(
        self,
        catalog: Catalog,
        draft: Ticket,
        note: str,
        *,
        saved: bool = False,
        case: bool = False,
        repeat: bool = False,
        kept: WrapUp | None = None,
        saved_notes: list[str] | None = None,
    ) -> None:
        """`saved`: the draft is in the store already (the call's ticket); `case`: it is the
        customer's open ticket, which the agent may keep (the default) or replace with a new one;
        `repeat`: a repeat contact (`is_repeat_contact`), so first-contact resolution starts off;
        `kept`: the choices of this dialog when the agent last left it with Esc;
        `saved_notes`: notes saved into the ticket earlier in the call (shown, not saved again)."""
        super().__init__(id="wrap-up")
        self.t = catalog
        self.draft = draft
        self.note = note
        self.saved = saved or case
        self.case = case
        self.repeat = repeat
        self.kept = kept
        self.saved_notes = saved_notes or []

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="wrap-up-box", classes="modal-box"):
            yield Label(t("wrapup.title"), classes="modal-title")
            with Horizontal(classes="modal-row"):
                yield Select(
                    [(t(f"type.{x}"), x) for x in TicketType],
                    value=self.draft.type,
                    allow_blank=False,
                    id="wrap-type",
                    compact=True,
                )
                yield Select(
                    [(t(f"priority.{x}"), x) for x in TicketPriority],
                    value=self.draft.priority,
                    allow_blank=False,
                    id="wrap-priority",
                    compact=True,
                )
                yield Select(
                    [(t(f"disposition.{d}"), d) for d in DISPOSITIONS],
                    value=self.kept.ticket.disposition
                    if self.kept and self.kept.ticket.disposition in DISPOSITIONS
                    else default_disposition(self.draft.type, repeat=self.repeat),
                    allow_blank=False,
                    id="wrap-disposition",
                    compact=True,
                )
            yield SubjectInput(
                self.draft.subject,
                placeholder=t("ticket.subject.placeholder"),
                id="wrap-subject",
                compact=True,
            )
            if self.saved_notes:
                saved = "\n".join(f"· {' '.join(n.split())}" for n in self.saved_notes[-3:])
                yield Label(f"{t('keep_typed.wrapup_saved')}\n{saved}", id="wrap-saved", classes="modal-hint")
            yield TextArea(self.note, id="wrap-notes", compact=True)
            if self.case:
                yield MarkedCheckbox(
                    t("wrapup.update_case", id=self.draft.id),
                    value=not (self.kept and self.kept.new_ticket),
                    id="wrap-update-case",
                    compact=True,
                )
            elif self.saved:
                yield Label(t("wrapup.updates", id=self.draft.id), id="wrap-target", classes="modal-hint")
            if self.repeat:
                yield Label(t("wrapup.repeat"), id="wrap-repeat", classes="modal-hint")
            with Horizontal(classes="modal-row modal-actions"):
                yield MarkedCheckbox(
                    t("wrapup.resolved"),
                    value=self.kept.resolved if self.kept else not self.repeat,
                    id="wrap-resolved",
                    compact=True,
                )
                yield Label("", id="wrap-status")
                yield Button(t("wrapup.save"), id="wrap-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#wrap-disposition").focus()

    @on(Button.Pressed, "#wrap-save")
    def action_save(self) -> None:
        subject = self.query_one("#wrap-subject", SubjectInput).value.strip()
        if not subject:
            self.query_one("#wrap-status", Label).update(self.t("ticket.subject_required"))
            return
        self.dismiss(self._chosen(subject))

    def action_keep(self) -> None:
        """Back to the call, keeping what was chosen and typed (an agent steps out of wrap-up
        to check something with the customer; their notes must not be lost for that)."""
        subject = self.query_one("#wrap-subject", SubjectInput).value.strip()
        self.dismiss(replace(self._chosen(subject), finish=False))

    def _chosen(self, subject: str) -> WrapUp:
        resolved = self.query_one("#wrap-resolved", Checkbox).value
        new_ticket = self.case and not self.query_one("#wrap-update-case", Checkbox).value
        ticket = self.draft.model_copy(
            update={
                "subject": subject,
                "type": TicketType(self.query_one("#wrap-type", Select).value),
                "priority": TicketPriority(self.query_one("#wrap-priority", Select).value),
                "disposition": str(self.query_one("#wrap-disposition", Select).value),
                "status": TicketStatus.RESOLVED if resolved else TicketStatus.IN_PROGRESS,
            }
        )
        note = self.query_one("#wrap-notes", TextArea).text.strip()
        return WrapUp(ticket, note, resolved, new_ticket=new_ticket)
