"""The Textual application: a thin shell owning the store, settings and the places (modes)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.worker import get_current_worker

from agentdesk.calls.live import LiveSpec, Transcription, for_call, spec_for_sample
from agentdesk.config import Settings
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import Store
from agentdesk.store.sqlite_base import MEMORY
from agentdesk.tui.i18n import Catalog, detect_language, localize_bindings
from agentdesk.tui.messages import WorkFailed
from agentdesk.tui.navigation import PLACE_COMMANDS, available_places, screen_commands
from agentdesk.tui.screens.palette import LocalCommandPalette
from agentdesk.tui.unsaved_lines import UnsavedLinesFile, unsaved_lines_file
from agentdesk.tui.worker_failures import ReportsWorkerFailures, failure_text

if TYPE_CHECKING:
    from agentdesk.store.remote_client import ConnectionState  # httpx: only a team desk loads it

QUIT_CONFIRM_SECONDS = 5.0
"""During a call, a second quit key within this many seconds of the first one quits."""
FAILURE_NOTICE_SECONDS = 10.0
"""How long a background failure stays on screen; the same failure again meanwhile is not repeated."""


@dataclass(frozen=True)
class DemoOptions:
    speed: float = 1.0
    """How fast the bot's part of each sample call plays (2.0 = twice as fast as recorded)."""
    gap: float = 8.0
    """Seconds between demo calls."""
    waiting: int = 3
    """Transferred calls already waiting in the inbox when the demo opens."""


@dataclass
class DemoCallHandled(Message):
    """The demo bot finished a call without a transfer (contained, or a callback booked)."""

    title: str
    outcome: str


class AgentDeskApp(ReportsWorkerFailures, App[None]):
    """AgentDesk's terminal UI. Build it with `make_app`."""

    CSS_PATH = "agentdesk.tcss"
    TITLE = "AgentDesk"
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", "Quit", tooltip="Leave AgentDesk", id="quit-app", priority=True, show=False
        ),
        Binding("f1", "goto('desk')", "Desk", tooltip="The desk: inbox and the call", id="goto-desk"),
        Binding("f2", "goto('tickets')", "Tickets", tooltip="Search and work tickets", id="goto-tickets"),
        Binding(
            "f3",
            "goto('customers')",
            "Customers",
            tooltip="Customer profiles and history",
            id="goto-customers",
        ),
        Binding(
            "f4",
            "goto('supervisor')",
            "Supervisor",
            tooltip="Queue, agents, alerts and KPIs",
            id="goto-supervisor",
        ),
        Binding(
            "f5",
            "goto('trainer')",
            "Trainer",
            tooltip="Replay sample calls and practise decisions",
            id="goto-trainer",
        ),
        Binding("f6", "goto('review')", "Review", tooltip="Bot mistakes flagged by agents", id="goto-review"),
        Binding("question_mark", "help", "Help", tooltip="Every key on this screen", id="help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            tooltip="Open the command palette",
            id="command-palette",
            show=False,
            priority=True,
        ),
    ]

    def __init__(self, settings: Settings, store: Store, lang: str) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.t = Catalog(lang)
        self.agent_id = settings.ui.agent_id
        self.title = self.t("app.title")
        self.demo: DemoOptions | None = None
        """Set by `agentdesk demo`: the built-in bot plays sample calls into the store."""
        self.accept_on_start: str | None = None
        """A transfer to accept as soon as the desk opens (`agentdesk desk --accept`)."""
        self.live_speed = 1.0
        """Playback speed of accepted demo recordings (tests and trainers speed them up)."""
        self.live_transcription: Transcription | None = "whisper"
        """How accepted calls that have a sample recording are transcribed; None: follow the store."""
        self.desk_audio: LiveSpec | None = None
        """Audio transcribed into every call the agent takes (`agentdesk desk --audio`, `[ui] audio`)."""
        self.unsaved_lines: UnsavedLinesFile | None = unsaved_lines_file(store, self.agent_id)
        """Where transcript lines the store has not taken yet outlast the desk (None: nowhere)."""
        self.on_call_with: str | None = None
        """The customer of the call in progress on the desk; quitting then asks first."""
        self._quit_asked_at: float | None = None
        self._last_failure: tuple[str, float] | None = None
        """The last background failure told, and when (a polling screen may fail every second)."""
        self.places = {p.mode: p for p in available_places()}
        for place in self.places.values():
            self.add_mode(place.mode, place.factory())
        localize_bindings(self, self.t)

    def on_mount(self) -> None:
        if self.settings.ui.keymap:
            self.set_keymap(self.settings.ui.keymap)
        self.agent_label = self.agent_id
        """Who is signed in and their status; the desk fills it in once the agent is loaded."""
        self._show_status()
        if self.connection is not None:  # a team-server store: show whether it is reachable
            self.set_interval(1.0, self._show_status)
        self.switch_mode("desk")
        if self.demo is not None:
            self._demo_traffic(self.demo)

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _demo_traffic(self, options: DemoOptions) -> None:
        """The built-in bot answering sample calls; its transfers reach the inbox via the store."""
        from agentdesk.calls.demo import DemoTraffic, interleave
        from agentdesk.calls.library import load_all

        worker = get_current_worker()
        traffic = DemoTraffic(
            self.store,
            self.settings,
            interleave(load_all()),
            speed=options.speed,
            gap=options.gap,
            sleep=worker.cancelled_event.wait,
        )
        traffic.prefill(options.waiting)
        for call in traffic.run(loop=True):
            if call.transfer_id is None:
                self.post_message(DemoCallHandled(call.script.title, str(call.outcome)))

    @on(DemoCallHandled)
    def _demo_call_handled(self, message: DemoCallHandled) -> None:
        self.notify(
            self.t("demo.handled", title=message.title, outcome=self.t(f"demo.outcome.{message.outcome}")),
            timeout=4,
        )

    def set_call(self, customer_name: str | None) -> None:
        """The desk took (or resumed) a call with `customer_name`, or None: it ended."""
        self.on_call_with = customer_name
        self._quit_asked_at = None

    async def action_quit(self) -> None:
        """Quit; during a call the first press only warns, and a second one soon after quits.

        The call stays claimed by this agent and the desk resumes it when it opens again.
        """
        if self.on_call_with is not None:
            pressed = time.monotonic()
            asked = self._quit_asked_at
            if asked is None or pressed - asked > QUIT_CONFIRM_SECONDS:
                self._quit_asked_at = pressed
                warning = self.t("quit.on_call", name=self.on_call_with, seconds=int(QUIT_CONFIRM_SECONDS))
                self.notify(
                    ("" if self.t.lang == "zh" else " ").join(
                        (warning, self.t("keep_typed.quit_notes_kept"))
                    ),
                    title=self.t("quit.on_call.title"),
                    severity="warning",
                    timeout=QUIT_CONFIRM_SECONDS,
                )
                return
        self.exit()

    @property
    def connection(self) -> ConnectionState | None:
        """How the desk stands with the team server; None for an embedded store."""
        return getattr(self.store, "connection", None)

    @property
    def server_offline(self) -> bool:
        """The team server cannot be reached (an embedded store never is offline)."""
        conn = self.connection
        return conn is not None and conn.offline

    def set_agent_label(self, label: str) -> None:
        self.agent_label = label
        self._show_status()

    def _show_status(self) -> None:
        """Header line: the agent, then where the data lives or how the team server stands."""
        conn = self.connection
        if conn is None:
            path = getattr(self.store, "path", None)  # an embedded SQLite store: say which file
            if path is None:
                where = self.store.describe()
            else:
                where = self.t("store.memory") if path == MEMORY else self.t("store.file", path=path)
        else:
            where = self.t(f"conn.{conn.status}", server=conn.server)
            if conn.pending:
                where += " · " + self.t.count("conn.pending", conn.pending, count=conn.pending)
            if conn.failed:
                where += " · " + self.t("conn.failed", count=conn.failed)
        self.sub_title = f"{self.agent_label} · {where}"

    def action_goto(self, mode: str) -> None:
        """Show one of the places, keeping each place's own state."""
        if mode in self.places and self.current_mode != mode:
            self.switch_mode(mode)

    async def run_in_place(self, mode: str, action: str) -> None:
        """Show the place `mode`, then run `action` on its screen (a palette command)."""
        if self.current_mode != mode:
            await self.switch_mode(mode)
        await self.run_action(action, self.screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "goto":
            return parameters[0] in self.places
        return True

    def action_help(self) -> None:
        from agentdesk.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        """The command palette, with its search prompt in the UI language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                LocalCommandPalette(
                    self.t("palette.no_matches"), id="--command-palette", placeholder=self.t("palette.search")
                )
            )

    def action_change_theme(self) -> None:
        self.push_screen(
            LocalCommandPalette(
                self.t("palette.no_matches"), providers=[ThemeProvider], placeholder=self.t("palette.themes")
            )
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's commands in the UI language: the places, this screen's keys, then
        Textual's own (theme, help, maximize, screenshot, quit) with our wording."""
        t = self.t
        for place in self.places.values():
            if place.mode == self.current_mode:
                continue
            label = t(place.label)
            yield SystemCommand(label, t("nav.goto", place=label), partial(self.action_goto, place.mode))
        yield from screen_commands(screen)
        for command in PLACE_COMMANDS:
            # on its own screen the screen's key (listed above) already does it
            if command.mode in self.places and command.mode != self.current_mode:
                yield SystemCommand(
                    t(command.label),
                    t(f"{command.label}.help"),
                    partial(self.run_in_place, command.mode, command.action),
                )
        from agentdesk.tui.screens.refused import refused_commands  # team desks only

        yield from refused_commands(self)
        from agentdesk.tui.audio_commands import audio_commands

        yield from audio_commands(self, screen)
        yield SystemCommand(t("palette.keys"), t("palette.keys.help"), self.action_help)
        if screen.maximized is not None:
            yield SystemCommand(t("palette.minimize"), t("palette.minimize.help"), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("palette.maximize"), t("palette.maximize.help"), screen.action_maximize)
        yield SystemCommand(t("palette.theme"), t("palette.theme.help"), self.action_change_theme)
        yield SystemCommand(
            t("palette.screenshot"),
            t("palette.screenshot.help"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )
        yield SystemCommand(t("palette.quit"), t("palette.quit.help"), self.action_quit)

    def live_spec_for(self, transfer: Transfer) -> LiveSpec | None:
        """The audio to transcribe when this transfer is accepted or resumed: the desk's own
        audio if it has one (`desk_audio`: a microphone or a recording of the call), else the
        call's sample recording (demo calls); None: the desk follows the lines in the store.

        Blocking (reads the store): call it from a worker.
        """
        if self.desk_audio is not None:
            return for_call(self.desk_audio, transfer.packet.language)
        return self._sample_spec(transfer)

    def _sample_spec(self, transfer: Transfer) -> LiveSpec | None:
        if self.live_transcription is None or not transfer.call_id:
            return None
        call = self.store.get_call(transfer.call_id)
        if not call.source.startswith("sample:"):
            return None
        from agentdesk.calls.library import audio_path, find_script, load_script

        script = load_script(find_script(call.source.split(":", 1)[1]))
        audio = audio_path(script)
        if audio is None:
            return None
        return spec_for_sample(script, audio, transcription=self.live_transcription, speed=self.live_speed)

    @on(WorkFailed)
    def _work_failed(self, message: WorkFailed) -> None:
        """One place where background failures, from any screen or widget, become a message."""
        text, at = failure_text(self.t, message.error), time.monotonic()
        last = self._last_failure
        if last is not None and last[0] == text and at - last[1] < FAILURE_NOTICE_SECONDS:
            return  # still on screen
        self._last_failure = (text, at)
        self.notify(text, severity="error", timeout=FAILURE_NOTICE_SECONDS)


def make_app(
    settings: Settings | None = None, store: Store | None = None, *, lang: str | None = None
) -> AgentDeskApp:
    """Build the app; the CLI, Pilot tests and snapshot tests all come through here."""
    from agentdesk.config import load_settings
    from agentdesk.tui.wide_chars import mend_wide_characters

    mend_wide_characters()  # Chinese toasts over pane edges keep every character

    settings = settings or load_settings()
    if store is None:
        from agentdesk.store.sqlite import SqliteStore

        store = SqliteStore(":memory:")
    lang = lang or settings.ui.lang or detect_language()
    return AgentDeskApp(settings, store, lang)
