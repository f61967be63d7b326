"""The desk's keys. Call keys that do not apply right now have hidden twins that explain why."""

from __future__ import annotations

from textual.binding import Binding

DESK_BINDINGS = [
    Binding("a", "accept_transfer", "Accept", tooltip="Accept the selected transfer", id="accept-transfer"),
    Binding("b", "hand_back", "Hand back", tooltip="Hand the customer to the bot for a task", id="hand-back"),
    Binding("f", "flag_bot", "Flag bot", tooltip="Flag a wrong bot line for review", id="flag-bot"),
    Binding(
        "w",
        "wrap_up",
        "Wrap up",
        tooltip="Disposition and notes into a ticket; end the call",
        id="wrap-up",
    ),
    Binding("s", "cycle_status", "Status", tooltip="Available, busy, away or offline", id="cycle-status"),
    Binding(
        "0",
        "insert(0)",
        "Insert script",
        tooltip="Insert the next-best-action script into the notes",
        id="insert-0",
        show=False,
    ),
    *(
        Binding(
            str(n),
            f"insert({n})",
            f"Insert {n}",
            tooltip=f"Insert KB suggestion {n} into the notes",
            id=f"insert-{n}",
            show=False,
        )
        for n in (1, 2, 3)
    ),
    Binding("t", "edit_ticket", "Ticket", tooltip="Jump to the ticket notes", id="edit-ticket"),
    Binding(
        "escape",
        "leave_ticket",
        "Leave ticket",
        tooltip="Leave the ticket editor; the call keys work again",
        id="leave-ticket",
    ),
    Binding("ctrl+s", "save_ticket", "Save", tooltip="Save the ticket", id="save-ticket", priority=True),
    Binding("i", "focus_inbox", "Inbox", tooltip="Jump to the transfer inbox", id="focus-inbox", show=False),
    Binding("r", "refresh", "Refresh", tooltip="Reload from the store", id="refresh", show=False),
    Binding("q", "app.quit", "Quit", tooltip="Leave AgentDesk", id="quit"),
    # Twins of call keys that do not apply right now: out of the footer (it keeps room for
    # the keys that do), but pressing one still says why nothing happens. Same ids, so a
    # remapped key keeps its explanation.
    Binding(
        "a",
        "explain('accept')",
        "Accept",
        tooltip="Accept the selected transfer",
        id="accept-transfer",
        show=False,
    ),
    Binding(
        "b",
        "explain('hand_back')",
        "Hand back",
        tooltip="Hand the customer to the bot for a task",
        id="hand-back",
        show=False,
    ),
    Binding(
        "w",
        "explain('wrap_up')",
        "Wrap up",
        tooltip="Disposition and notes into a ticket; end the call",
        id="wrap-up",
        show=False,
    ),
    Binding(
        "ctrl+s",
        "explain('save')",
        "Save",
        tooltip="Save the ticket",
        id="save-ticket",
        priority=True,
        show=False,
    ),
]
"""Every key of the desk screen; `DeskScreen.check_action` decides which of each pair is live."""

DESK_FOOTER_PRIORITY = (
    "hand-back",
    "flag-bot",
    "wrap-up",
    "save-ticket",
    "leave-ticket",
    "accept-transfer",
    "edit-ticket",
    "cycle-status",
    "quit",
)
"""The desk's keys by importance: on a narrow terminal the footer keeps these first (after help),
so an agent on a call always sees hand back, flag, wrap up and save."""
