"""Background work that fails reaches the agent, whichever screen or widget ran it.

Textual posts `Worker.StateChanged` to the node that started the worker only (it does not
bubble), so an app-level handler never hears about a widget's or a screen's failed worker.
Every node that runs workers mixes in `ReportsWorkerFailures`, which hands the failure to
the app as `WorkFailed`; the app says it in the UI language (`failure_text`).
"""

from __future__ import annotations

import re
import sys

from textual.worker import Worker, WorkerState

from agentdesk.domain.models import BlankLine
from agentdesk.store.base import (
    AlreadyClaimed,
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


_REFUSAL = re.compile(r"role (?P<role>\w+) may not (?P<what>.+?) \(needs [\w:]+: (?P<roles>[\w, ]+)\)")
"""How the team server words a refusal by role (`server.auth`): who may not, what, who may."""


def is_not_allowed(error: BaseException) -> bool:
    """The team server refused because the user's role may not do this."""
    client = sys.modules.get("agentdesk.store.remote_client")  # only a team desk loads it (and httpx)
    return client is not None and isinstance(error, client.NotAllowed)


def _refusal_text(t: Catalog, error: BaseException) -> str:
    """A role refusal in plain words: "Not done: only supervisors or trainers may …"."""
    m = _REFUSAL.search(str(error))
    if m is None:
        return t("error.not_allowed", what=str(error))
    roles = [t(f"role.{r.strip()}") for r in m["roles"].split(",") if r.strip()]
    return t(
        "error.not_allowed.roles",
        role=t(f"role.{m['role']}"),
        roles=t("error.not_allowed.or").join(roles),
        what=m["what"],
    )


def claim_lost_reason(t: Catalog, error: AlreadyClaimed, store: object) -> str:
    """Why a claim lost, naming the agent who holds the call (blocking: call from a worker).

    "王芳 has already taken this call", not "transfer TR-D001 is already claimed by A01".
    """
    holder = error.holder
    if not holder:
        return t("error.claim.finished")
    try:
        name = store.get_agent(holder).name  # type: ignore[attr-defined]
    except StoreError:
        name = holder
    return t("error.claim.taken", name=name)


def failure_text(t: Catalog, error: BaseException) -> str:
    """What the agent reads about `error`: its cause in the UI language, then the detail."""
    if is_not_allowed(error):
        return _refusal_text(t, error)
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
