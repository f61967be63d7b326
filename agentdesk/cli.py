"""The `agentdesk` command line.

Subcommands live in `agentdesk.commands.*` and are imported only when invoked,
so `agentdesk --help` never pays for textual, pydantic, jieba or whisper.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from agentdesk.lazy import LazyGroup

# name -> (module:attribute, one-line help shown by --help without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "desk": ("agentdesk.commands.desk:desk", "Open the agent desk (the default)."),
    "seed": ("agentdesk.commands.seed:seed", "Create or rebuild the demo database."),
    "locate": ("agentdesk.commands.locate:locate", "Print where config, data and models live."),
    "kb": ("agentdesk.commands.kb:kb", "Search and inspect the knowledge base."),
    "tickets": ("agentdesk.commands.tickets:tickets", "List and search tickets."),
    "transcribe": ("agentdesk.commands.transcribe:transcribe", "Transcribe a recording offline."),
    "listen": ("agentdesk.commands.transcribe:listen", "Live transcription from the microphone."),
    "replay": ("agentdesk.commands.replay:replay", "Run a sample call through the bot, headless."),
    "eval": ("agentdesk.commands.evaluate:evaluate", "Accuracy figures on real corpora."),
    "bench": ("agentdesk.bench.cli:bench", "Measure speed on this machine (median/p95)."),
    "demo": ("agentdesk.commands.demo:demo", "The desk with the bot playing sample calls live."),
    "report": ("agentdesk.commands.report:report", "The supervisor's KPIs for a period (table, JSON, CSV)."),
    "serve": ("agentdesk.commands.serve:serve", "Run the AgentDesk team server."),
    "users": ("agentdesk.commands.users:users", "Manage team-mode users and tokens."),
    "doctor": ("agentdesk.commands.doctor:doctor", "Check this machine: store, models, audio."),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    envvar="AGENTDESK_DB",
    help="SQLite database file (default: in the user data directory).",
)
@click.option("--server", envvar="AGENTDESK_SERVER", help="Team server URL; the desk then syncs with it.")
@click.option(
    "--token",
    envvar="AGENTDESK_TOKEN",
    help="Token for the team server. Prefer setting AGENTDESK_TOKEN: other users of this machine"
    " can read a --token value in the process list.",
)
@click.option("--lang", type=click.Choice(["en", "zh"]), help="User interface language.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    envvar="AGENTDESK_CONFIG_FILE",
    help="Config file (TOML).",
)
@click.version_option(package_name="agentdesk")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    server: str | None,
    token: str | None,
    lang: str | None,
    config_file: str | None,
) -> None:
    """AgentDesk: the agent's workstation for a contact centre with a voice bot in front.

    Run with no command to open the desk on the embedded store (seeded demo data on first run).
    """
    named = ctx.get_parameter_source("config_file") is ParameterSource.COMMANDLINE
    if config_file and named and not Path(config_file).is_file():
        # Defaults in place of a file the user named would hide a typo in the path.
        raise click.BadParameter(f"there is no file {config_file}", param_hint="'--config'")
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, server=server, token=token, lang=lang, config_file=config_file)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.get_command(ctx, "desk"))


def main() -> None:
    """Entry point of the `agentdesk` script."""
    cli(prog_name="agentdesk")
