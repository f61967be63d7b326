"""The places of the workstation: each is a Textual mode with its own screen stack and key.

Screens are imported only when first shown, so opening the desk never pays for the
supervisor's charts or the trainer's audio.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen


@dataclass(frozen=True)
class Place:
    mode: str
    """Textual mode name and the id of its binding (`goto-<mode>`)."""
    target: str
    """`module:ScreenClass`; the class takes no arguments and reads store and settings from the app."""
    key: str
    label: str
    """Catalog key of the label shown in the footer and the command palette."""

    @property
    def available(self) -> bool:
        return importlib.util.find_spec(self.target.split(":")[0]) is not None

    def factory(self) -> Callable[[], Screen[None]]:
        def build() -> Screen[None]:
            module, name = self.target.split(":")
            return getattr(importlib.import_module(module), name)()

        return build


PLACES: tuple[Place, ...] = (
    Place("desk", "agentdesk.tui.screens.desk:DeskScreen", "f1", "nav.desk"),
    Place("tickets", "agentdesk.tui.screens.tickets:TicketsScreen", "f2", "nav.tickets"),
    Place("customers", "agentdesk.tui.screens.customers:CustomersScreen", "f3", "nav.customers"),
    Place("supervisor", "agentdesk.tui.screens.supervisor:SupervisorScreen", "f4", "nav.supervisor"),
    Place("trainer", "agentdesk.tui.screens.trainer:TrainerScreen", "f5", "nav.trainer"),
    Place("review", "agentdesk.tui.screens.review:ReviewScreen", "f6", "nav.review"),
)


@dataclass(frozen=True)
class PlaceCommand:
    """A command palette entry that opens a place and runs one of its actions, from anywhere."""

    mode: str
    action: str
    """An action of the place's screen, e.g. `search` on the tickets screen."""
    label: str
    """Catalog key of the command's name; `<label>.help` explains it."""


PLACE_COMMANDS: tuple[PlaceCommand, ...] = (
    PlaceCommand("tickets", "search", "palette.search_tickets"),
    PlaceCommand("customers", "search", "palette.find_customer"),
    PlaceCommand("supervisor", "export", "palette.export_report"),
)
"""What agents look for in the palette that lives on another screen (typing "export" on the desk)."""


def available_places() -> list[Place]:
    """The places this build has a screen for."""
    return [p for p in PLACES if p.available]


def screen_commands(screen: Screen[object]) -> Iterator[SystemCommand]:
    """The screen's own footer keys as command palette entries (e.g. Export on the supervisor).

    Named and explained as the footer and help show them (already in the UI language);
    keys that are off right now (accepting while on a call) are left out.
    """
    seen: set[str] = set()
    for node, binding, enabled, tooltip in screen.active_bindings.values():
        if isinstance(node, App) or not (binding.show and enabled) or binding.action == "app.quit":
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        yield SystemCommand(
            binding.description,
            tooltip or binding.tooltip or binding.description,
            partial(screen.app.run_action, binding.action, node),
        )
