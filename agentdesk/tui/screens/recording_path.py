"""Ask for the path of a call's recording to transcribe live (command palette on a call)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from agentdesk.calls.live import recording_problem
from agentdesk.tui.i18n import Catalog


class RecordingPathModal(ModalScreen[Path | None]):
    """Returns a path that names a readable file (decoding is tried when it plays), or None."""

    DEFAULT_CSS = """
    RecordingPathModal { align: center middle; }
    RecordingPathModal #recording-problem { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Keep the call as it is", id="cancel-recording")
    ]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(id="recording-path")
        self.t = catalog

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="modal-box"):
            yield Label(t("audio.path.title"), classes="modal-title")
            yield Input(placeholder=t("audio.path.placeholder"), id="recording-input")
            yield Label("", id="recording-problem")
            yield Label(t("audio.path.hint"), classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, message: Input.Submitted) -> None:
        text = message.value.strip()
        if not text:
            self.query_one("#recording-problem", Label).update(self.t("audio.path.none"))
            return
        path = Path(text).expanduser()
        problem = recording_problem(path)
        if problem is not None:
            self.query_one("#recording-problem", Label).update(self.t(f"audio.path.{problem}", path=path))
            return
        self.dismiss(path)
