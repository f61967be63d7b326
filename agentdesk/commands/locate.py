"""`agentdesk locate`: where config, data and models live."""

from __future__ import annotations

import click

from agentdesk import locations


@click.command()
@click.argument("what", type=click.Choice(["all", "config", "db", "models", "assets"]), default="all")
@click.pass_context
def locate(ctx: click.Context, what: str) -> None:
    """Print the path of the config file, database, model cache or bundled assets."""
    from agentdesk.commands.common import db_path, settings_from

    try:
        db = db_path(settings_from(ctx))  # --db, AGENTDESK_DB, then store.db in the config file
    except click.ClickException:  # a broken config must not hide where the config file is
        db = (ctx.find_root().obj or {}).get("db") or locations.default_db_path()
    paths = {
        "config": locations.config_file(),
        "db": db,
        "models": locations.model_cache_dir(),
        "assets": locations.assets_dir(),
    }
    if what == "all":
        for name, path in paths.items():
            click.echo(f"{name:<7} {path}")
    else:
        click.echo(paths[what])
