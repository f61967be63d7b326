"""The Textual application: a thin shell that owns the store and the settings."""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from agentdesk.config import Settings
from agentdesk.store.base import Store
from agentdesk.tui.i18n import Catalog, detect_language


class AgentDeskApp(App[None]):
    """AgentDesk's terminal UI. Build it with `make_app`."""

    CSS_PATH = "agentdesk.tcss"
    TITLE = "AgentDesk"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave AgentDesk", id="quit-app", priority=True, show=False)
    ]

    def __init__(self, settings: Settings, store: Store, lang: str) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.t = Catalog(lang)
        self.title = self.t("app.title")

    def on_mount(self) -> None:
        from agentdesk.tui.screens.desk import DeskScreen  # screens import widgets; keep app import light

        if self.settings.ui.keymap:
            self.set_keymap(self.settings.ui.keymap)
        agent_id = self.settings.ui.agent_id
        self.sub_title = f"{agent_id} · {self.store.describe()}"
        self.push_screen(DeskScreen(self.store, agent_id, self.t))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """One place where background failures become a message, never a crash."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(self.t("error.store", message=str(error)), severity="error", timeout=10)


def make_app(
    settings: Settings | None = None, store: Store | None = None, *, lang: str | None = None
) -> AgentDeskApp:
    """Build the app; the CLI, Pilot tests and snapshot tests all come through here."""
    from agentdesk.config import load_settings

    settings = settings or load_settings()
    if store is None:
        from agentdesk.store.sqlite import SqliteStore

        store = SqliteStore(":memory:")
    lang = lang or settings.ui.lang or detect_language()
    return AgentDeskApp(settings, store, lang)
