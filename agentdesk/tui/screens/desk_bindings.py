"""The desk's keys. Call keys that do not apply right now have hidden twins that explain why."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

_KEYS = [
    Binding("a", "accept_transfer", "Accept", tooltip="Accept the selected transfer", id="accept-transfer"),
    Binding(
        "b",
        "hand_back",
        "Hand back",
        tooltip="Hand the customer to the bot for a task, or cancel one waiting for an answer",
        id="hand-back",
    ),
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
]
"""The desk's own keys, in footer order."""

EXPLAINED = {
    "accept_transfer": "accept",
    "hand_back": "hand_back",
    "wrap_up": "wrap_up",
    "save_ticket": "save",
}
"""Call keys that apply only on a call (or, accept, only off one), by action, with what
`DeskScreen.action_explain` is told when one is pressed while it does not apply."""


def _twin(binding: Binding) -> Binding:
    """The hidden twin of a call key: out of the footer (it keeps room for the keys that do
    apply), but pressing it still says why nothing happens. Same id, so a remapped key keeps
    its explanation."""
    return replace(binding, action=f"explain('{EXPLAINED[binding.action]}')", show=False)


DESK_BINDINGS = [*_KEYS, *(_twin(b) for b in _KEYS if b.action in EXPLAINED)]
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
