"""What every AgentDesk screen shares: access to the app's store, settings and catalog."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.screen import Screen
from textual.timer import Timer

from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from agentdesk.config import Settings
    from agentdesk.store.base import Store
    from agentdesk.tui.app import AgentDeskApp


class AgentDeskScreen(ReportsWorkerFailures, Screen[None]):
    """Base for the workstation's screens; built with no arguments by the navigation table."""

    FOOTER_PRIORITY: ClassVar[tuple[str, ...]] = ()
    """Binding ids, most important first, that a narrow footer keeps before the others."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localize_bindings(self, self.t)
        self._follow: tuple[Timer, Callable[[], object]] | None = None

    def follow_store(self, interval: float, poll: Callable[[], object]) -> None:
        """Call `poll` every `interval` seconds while this place is shown, and once on coming back."""
        self._follow = (self.set_interval(interval, poll), poll)

    def on_screen_suspend(self) -> None:
        if self._follow is not None:
            self._follow[0].pause()  # another place is shown; catch up when this one comes back

    def on_screen_resume(self) -> None:
        if self._follow is not None:
            timer, poll = self._follow
            timer.resume()
            poll()

    @property
    def desk_app(self) -> AgentDeskApp:
        return cast("AgentDeskApp", self.app)

    @property
    def store(self) -> Store:
        return self.desk_app.store

    @property
    def settings(self) -> Settings:
        return self.desk_app.settings

    @property
    def t(self) -> Catalog:
        return self.desk_app.t

    @property
    def agent_id(self) -> str:
        return self.desk_app.agent_id
