"""`agentdesk` / `agentdesk desk`: open the agent desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from agentdesk.commands.common import lang_option, open_store, settings_from

if TYPE_CHECKING:
    from agentdesk.calls.live import LiveSpec

_AUDIO_PROBLEMS = {
    "missing": "no such file: {path}",
    "not_file": "{path} is a folder, not a recording",
    "unreadable": "{path} cannot be read (no permission)",
    "empty": "{path} is empty (0 bytes)",
}


def desk_audio_spec(
    choice: str | None, input_device: str | None, *, given_as: str = "--audio"
) -> LiveSpec | None:
    """The `LiveSpec` for `--audio` / `[ui] audio`, or None; a recording that cannot be
    opened at all stops the desk from opening, with the reason.

    Raises:
        click.BadParameter: the recording is missing, a folder, unreadable or empty.
    """
    if not choice or not choice.strip():
        return None
    from agentdesk.calls.live import desk_audio, recording_problem

    spec = desk_audio(choice, input_device=input_device)
    if spec.path is not None and (problem := recording_problem(spec.path)) is not None:
        raise click.BadParameter(_AUDIO_PROBLEMS[problem].format(path=spec.path), param_hint=given_as)
    return spec


@click.command()
@click.option("--agent", "agent_id", help="Sign in as this agent id (default from config: ui.agent_id).")
@click.option(
    "--accept",
    "accept_id",
    metavar="TRANSFER",
    help="Accept this transfer as the desk opens (a softphone or CTI 'screen pop').",
)
@click.option(
    "--audio",
    metavar="mic|mic:DEVICE|FILE",
    help="Transcribe each call you take live: the microphone, or a recording of the call "
    "(stereo: customer left, agent right). Default from config: ui.audio.",
)
@lang_option
@click.pass_context
def desk(ctx: click.Context, agent_id: str | None, accept_id: str | None, audio: str | None) -> None:
    """Open the agent desk on the embedded store (or the team server)."""
    settings = settings_from(ctx)
    if agent_id:
        settings.ui.agent_id = agent_id
    spec = desk_audio_spec(
        audio or settings.ui.audio, settings.speech.input_device, given_as="--audio" if audio else "ui.audio"
    )
    store = open_store(settings)
    from agentdesk.tui.app import make_app  # textual is heavy: import only when the desk opens

    app = make_app(settings, store)
    app.accept_on_start = accept_id
    app.desk_audio = spec
    try:
        app.run()
    finally:
        store.close()
