"""`agentdesk` / `agentdesk desk`: open the agent desk."""

from __future__ import annotations

import click

from agentdesk.commands.common import lang_option, open_store, settings_from


@click.command()
@click.option("--agent", "agent_id", help="Sign in as this agent id (default from config: ui.agent_id).")
@click.option(
    "--accept",
    "accept_id",
    metavar="TRANSFER",
    help="Accept this transfer as the desk opens (a softphone or CTI 'screen pop').",
)
@lang_option
@click.pass_context
def desk(ctx: click.Context, agent_id: str | None, accept_id: str | None) -> None:
    """Open the agent desk on the embedded store (or the team server)."""
    settings = settings_from(ctx)
    if agent_id:
        settings.ui.agent_id = agent_id
    store = open_store(settings)
    from agentdesk.tui.app import make_app  # textual is heavy: import only when the desk opens

    app = make_app(settings, store)
    app.accept_on_start = accept_id
    try:
        app.run()
    finally:
        store.close()
