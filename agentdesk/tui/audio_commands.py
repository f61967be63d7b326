"""Command palette entries that transcribe the call on the desk: microphone, recording, stop.

Offered only on the desk during a call; each hands a `LiveSpec` to the call workspace,
whose transcription worker turns the audio into the call's lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from agentdesk.calls.live import LiveSpec, for_call

if TYPE_CHECKING:
    from agentdesk.tui.app import AgentDeskApp
    from agentdesk.tui.widgets.call_workspace import CallWorkspace


def _workspace(screen: Screen[object]) -> CallWorkspace | None:
    from agentdesk.tui.widgets.call_workspace import CallWorkspace

    found = screen.query(CallWorkspace)
    workspace = found.first() if found else None
    return workspace if workspace is not None and workspace.active is not None else None


def mic_spec(app: AgentDeskApp) -> LiveSpec:
    """The microphone to use: the desk's own (`--audio mic:DEVICE`), else `[speech] input_device`."""
    if app.desk_audio is not None and app.desk_audio.kind == "mic":
        return app.desk_audio
    return LiveSpec("mic", device=app.settings.speech.input_device)


def audio_commands(app: AgentDeskApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Transcribe from the microphone, transcribe a recording, stop: on a call only."""
    workspace = _workspace(screen)
    if workspace is None or workspace.active is None:
        return
    t = app.t
    language = workspace.active.transfer.packet.language

    def listen(spec: LiveSpec) -> None:
        if workspace.active is not None:
            workspace.listen(for_call(spec, language), app.settings.speech)

    def chosen(path: Path | None) -> None:
        if path is not None:
            listen(LiveSpec("recording", path=path))

    def ask_for_recording() -> None:
        from agentdesk.tui.screens.recording_path import RecordingPathModal

        app.push_screen(RecordingPathModal(t), chosen)

    yield SystemCommand(t("audio.palette.mic"), t("audio.palette.mic.help"), lambda: listen(mic_spec(app)))
    yield SystemCommand(t("audio.palette.file"), t("audio.palette.file.help"), ask_for_recording)
    if workspace.listening is not None:
        yield SystemCommand(t("audio.palette.stop"), t("audio.palette.stop.help"), workspace.stop_listening)
