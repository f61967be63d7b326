"""Background work that fails reaches the agent, whichever screen or widget ran it.

Textual posts `Worker.StateChanged` to the node that started the worker only (it does not
bubble), so an app-level handler never hears about a widget's or a screen's failed worker.
Every node that runs workers mixes in `ReportsWorkerFailures`, which hands the failure to
the app as `WorkFailed`; the app says it in the UI language (`failure_text`).
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from agentdesk.domain.models import BlankLine
from agentdesk.store.base import (
    Conflict,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.messages import WorkFailed

# Most specific first: the first class the error is an instance of names its message.
_KEYS: tuple[tuple[type[BaseException], str], ...] = (
    (StoreLocked, "error.locked"),
    (StoreUnavailable, "error.unavailable"),
    (StoreCorrupt, "error.corrupt"),
    (NotFound, "error.not_found"),
    (Conflict, "error.conflict"),
    (BlankLine, "error.blank_line"),
    (StoreError, "error.store"),
)


def failure_text(t: Catalog, error: BaseException) -> str:
    """What the agent reads about `error`: its cause in the UI language, then the detail."""
    key = next((k for kind, k in _KEYS if isinstance(error, kind)), "error.unexpected")
    return t(key, message=str(error) or type(error).__name__)


def is_retryable(error: BaseException) -> bool:
    """Whether the same write may succeed later (a lock freed, a server back, a disk hiccup).

    A refusal that depends on the request itself (a blank line, a missing record, a state
    that forbids it) fails the same way every time.
    """
    return isinstance(error, StoreError) and not isinstance(error, NotFound | Conflict)


class ReportsWorkerFailures:
    """Mix into a screen, widget or the app that runs workers: their failures reach the agent."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            self.app.post_message(WorkFailed(error, event.worker.name))  # type: ignore[attr-defined]
