"""`agentdesk demo`: the desk with the built-in bot playing the sample calls as live traffic."""

from __future__ import annotations

import click

from agentdesk.commands.common import database_path, lang_option, settings_from


@click.command()
@click.option(
    "--transcription",
    type=click.Choice(["whisper", "scripted"]),
    default="whisper",
    show_default=True,
    help="Transcribe accepted calls with the offline model, or replay their scripts' text (no model).",
)
@click.option(
    "--speed", type=float, default=1.0, show_default=True, help="Pace of the bot's part of each call."
)
@click.option("--gap", type=float, default=8.0, show_default=True, help="Seconds between incoming calls.")
@click.option("--agent", "agent_id", help="Sign in as this demo agent (default A01).")
@lang_option
@click.pass_context
def demo(ctx: click.Context, transcription: str, speed: float, gap: float, agent_id: str | None) -> None:
    """Open the desk on fresh demo data while the bot takes sample calls: the inbox fills live.

    Accept a transfer and the rest of its recording plays through live transcription, with
    suggestions on every customer line. Nothing is written to your own database unless
    --db is given.
    """
    from agentdesk.store.base import StoreError
    from agentdesk.store.seed import seed_store
    from agentdesk.store.sqlite import SqliteStore

    settings = settings_from(ctx)
    if agent_id:
        settings.ui.agent_id = agent_id
    # Only a --db given on the command line: the demo never writes to the desk's own database.
    db = (ctx.find_root().obj or {}).get("db")
    path = database_path(settings, db) if db else ":memory:"
    try:
        store = SqliteStore(path, actor=settings.ui.agent_id)
        if store.is_empty():
            seed_store(store, waiting=False)  # the inbox fills with the bot's live transfers
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    from agentdesk.tui.app import DemoOptions, make_app  # textual is heavy: only when the desk opens

    app = make_app(settings, store)
    app.demo = DemoOptions(speed=speed, gap=gap)
    app.live_transcription = transcription  # type: ignore[assignment]
    try:
        app.run()
    finally:
        store.close()
