"""Changes the team server refused: what each one was, why it was refused, and what to do now.

A team desk sends changes made offline when the server is back; one the server refuses
(the ticket moved on meanwhile, a permission) is set aside and counted in the header
("2 refused by the server"). This dialog, opened from the command palette, lists them
with the text the agent typed and the server's reason, and lets the agent send one
again (`r`), copy its text to type it anew (`c`), or dismiss it once handled (`d`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from agentdesk.domain.masking import mask_text
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from agentdesk.store.outbox import FailedWrite
    from agentdesk.tui.app import AgentDeskApp

_TEXT_FIELDS = ("text", "note", "subject", "answer", "title", "status", "disposition", "reason")
"""Body fields that say what a change was, in the order they are shown."""
_ENTITIES = {"tickets", "calls", "transfers", "agents", "customers", "feedback", "articles", "surveys"}


class RefusedWrites(Protocol):
    """What a store that sets refused changes aside offers (the team server's `RemoteStore`)."""

    def failed_writes(self) -> list[FailedWrite]: ...
    def dismiss_failed(self, entry_id: int) -> None: ...
    def retry_failed(self, entry_id: int) -> None: ...


def refused_writes(store: object) -> RefusedWrites | None:
    """The store's refused-change list, or None for a store that never refuses later (SQLite)."""
    needed = ("failed_writes", "dismiss_failed", "retry_failed")
    return store if all(hasattr(store, n) for n in needed) else None  # type: ignore[return-value]


def change_text(body: str) -> str:
    """What the change said, from its JSON body: the note, the line, the subject..."""
    try:
        data: Any = json.loads(body) if body else {}
    except ValueError:
        return body[:300]
    if not isinstance(data, dict):
        return body[:300]
    parts = [str(data[k]).strip() for k in _TEXT_FIELDS if isinstance(data.get(k), str) and data[k].strip()]
    notes = data.get("notes")
    if isinstance(notes, list):
        parts += [str(n.get("text", "")).strip() for n in notes if isinstance(n, dict) and n.get("text")]
    return " · ".join(parts) or body[:300]


def change_target(path: str, t: Catalog) -> str:
    """`/tickets/TK-1` -> "ticket TK-1" in the UI language."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return path
    kind = "kb" if segments[0] == "kb" else segments[0]
    ident = next((s for s in segments[1:] if s not in _ENTITIES and s != "articles"), "")
    label = t(f"refused.entity.{kind}")
    if label == f"refused.entity.{kind}":
        label = kind
    return f"{label} {ident}".strip()


@dataclass
class RefusedLoaded(Message):
    writes: list[FailedWrite]


class RefusedChangesScreen(ReportsWorkerFailures, ModalScreen[None]):
    """The refused changes, oldest first; works on the app's store in workers."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", tooltip="Back to where you were", id="refused-close"),
        Binding(
            "r",
            "retry",
            "Send again",
            tooltip="Send the selected change to the server once more",
            id="refused-retry",
        ),
        Binding("c", "copy", "Copy", tooltip="Copy the text of the selected change", id="refused-copy"),
        Binding(
            "d",
            "dismiss_change",
            "Dismiss",
            tooltip="Forget the selected change; it is not sent",
            id="refused-dismiss",
        ),
    ]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(id="refused")
        self.t = catalog
        self.writes: list[FailedWrite] = []
        localize_bindings(self, catalog)

    @property
    def source(self) -> RefusedWrites:
        found = refused_writes(self.app_store)
        assert found is not None, "opened only for a team-server store"
        return found

    @property
    def app_store(self) -> object:
        return getattr(self.app, "store", None)

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="refused-box", classes="modal-box"):
            yield Label(t("refused.title"), classes="modal-title")
            yield OptionList(id="refused-list")
            yield Label(t("refused.hint"), classes="modal-hint", id="refused-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="refused", exit_on_error=False)
    def load(self) -> None:
        self.post_message(RefusedLoaded(self.source.failed_writes()))

    @work(thread=True, group="refused-change", exit_on_error=False)
    def change(self, entry_id: int, retry: bool) -> None:
        if retry:
            self.source.retry_failed(entry_id)
        else:
            self.source.dismiss_failed(entry_id)
        self.post_message(RefusedLoaded(self.source.failed_writes()))

    @on(RefusedLoaded)
    def _loaded(self, message: RefusedLoaded) -> None:
        self.writes = message.writes
        options = self.query_one(OptionList)
        kept = options.highlighted
        options.clear_options()
        if not self.writes:
            options.add_option(Option(Text(self.t("refused.none"), style="dim"), disabled=True))
            return
        options.add_options([Option(self._row(w), id=str(w.entry.id)) for w in self.writes])
        options.highlighted = min(kept or 0, len(self.writes) - 1)

    def _row(self, write: FailedWrite) -> Text:
        t, entry = self.t, write.entry
        when = (entry.created_at or write.failed_at)[:16].replace("T", " ")
        row = Text.assemble((f"{when} UTC  ", "dim"), (change_target(entry.path, t), "bold"), "\n")
        row.append(mask_text(change_text(entry.body)))
        row.append("\n")
        row.append(t("refused.reason", status=write.status, reason=write.error), style="red")
        return row

    @property
    def selected(self) -> FailedWrite | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.writes or index >= len(self.writes):
            return None
        return self.writes[index]

    def action_retry(self) -> None:
        write = self.selected
        if write is not None:
            self.change(write.entry.id, retry=True)
            self.notify(self.t("refused.retried", what=change_target(write.entry.path, self.t)))

    def action_dismiss_change(self) -> None:
        write = self.selected
        if write is not None:
            self.change(write.entry.id, retry=False)

    def action_copy(self) -> None:
        write = self.selected
        if write is not None:
            self.app.copy_to_clipboard(mask_text(change_text(write.entry.body)))
            self.notify(self.t("refused.copied"))


def refused_commands(app: AgentDeskApp) -> Iterator[SystemCommand]:
    """The palette entry for the refused changes; only a team desk has any."""
    if refused_writes(app.store) is None:
        return
    t = app.t
    yield SystemCommand(
        t("palette.refused"),
        t("palette.refused.help"),
        lambda: app.push_screen(RefusedChangesScreen(t)),
    )
