"""`agentdesk doctor`: one screen saying what works on this machine, what does not, and the fix.

The checks live in `doctor_checks`; this module gathers their inputs and renders them.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import click

from agentdesk import locations
from agentdesk.commands import doctor_checks as checks
from agentdesk.commands.doctor_checks import Check

if TYPE_CHECKING:
    from agentdesk.config import Settings

MARKS = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "red")}
SIZE_SPECS = ("auto", "tiny.en", "base")
"""Model names the base and tiny.en checks already cover; anything else is a directory to check."""


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as a JSON list.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check this machine: Python, config, store, speech models, audio and terminal.

    Exits with 1 when something AgentDesk needs is broken; warnings alone exit with 0.
    """
    results = run_checks(ctx)
    if as_json:
        click.echo(json.dumps([c.as_dict() for c in results], ensure_ascii=False, indent=2))
    else:
        render(results)
    if any(c.status == "fail" for c in results):
        ctx.exit(1)


def run_checks(ctx: click.Context) -> list[Check]:
    """Every check, in the order they are shown."""
    from agentdesk.commands.common import db_path

    settings, config_error = _settings(ctx)
    results = [
        checks.check_python(),
        checks.check_agentdesk(),
        checks.check_config(locations.config_file(), config_error),
    ]
    if settings.store.server:
        token = settings.store.token.get_secret_value() if settings.store.token else None
        results += checks.check_server(settings.store.server, token)
    else:
        results.append(checks.check_database(db_path(settings)))
    cache = locations.model_cache_dir()
    results += [checks.check_whisper(), checks.check_model("tiny.en", cache), checks.check_base_model(cache)]
    if settings.speech.model not in SIZE_SPECS:
        results.append(checks.check_model(settings.speech.model, cache))
    results += [
        *_check_audio(settings),
        checks.check_terminal(os.environ, checks.terminal_size()),
        checks.check_locale(os.environ),
    ]
    return results


def _check_audio(settings: Settings) -> list[Check]:
    """The microphone, the one the desk transcribes calls from when `[ui] audio` names it; and
    the recording the desk transcribes when `[ui] audio` is a file's path."""
    desk = (settings.ui.audio or "").strip()
    if desk == "mic" or desk.startswith("mic:"):
        return [checks.check_audio(desk[4:].strip() or settings.speech.input_device, desk=desk)]
    mic = checks.check_audio(settings.speech.input_device)
    return [mic, checks.check_desk_recording(desk)] if desk else [mic]


def _settings(ctx: click.Context) -> tuple[Settings, str | None]:
    """The settings, and the config error if they could not be read.

    A broken config must not stop the other checks, so they then run on the defaults
    with the command-line options (--db, --server, --token) applied.
    """
    from agentdesk.commands.common import settings_from, with_cli_options
    from agentdesk.config import Settings

    try:
        return settings_from(ctx), None
    except click.ClickException as exc:
        # Defaults, without reading the file again.
        return with_cli_options(Settings.model_construct(), ctx), exc.message


def render(results: list[Check]) -> None:
    """One line per check, its fix hint indented under it, and a summary line."""
    width = max(len(c.check) for c in results)
    for c in results:
        mark, colour = MARKS[c.status]
        click.echo(f"{click.style(mark, fg=colour, bold=True)}  {c.check:<{width}}  {c.detail}")
        if c.hint and c.status != "ok":
            click.echo(f"{'':<{width + 3}}  → {c.hint}")
    failed = sum(c.status == "fail" for c in results)
    warned = sum(c.status == "warn" for c in results)
    if failed:
        summary = f"{failed} broken, {warned} warning(s): fix the ✗ lines first."
    elif warned:
        summary = f"Nothing broken; {warned} warning(s)."
    else:
        summary = "All good."
    click.echo(f"\n{summary}")
