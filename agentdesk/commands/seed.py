"""`agentdesk seed`: create the demo database, or rebuild it with --reset."""

from __future__ import annotations

from pathlib import Path

import click

from agentdesk.commands.common import db_path, settings_from
from agentdesk.store.base import StoreError


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@click.command()
@click.option("--reset", is_flag=True, help="Delete the database and seed it again.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting.")
@click.pass_context
def seed(ctx: click.Context, reset: bool, yes: bool) -> None:
    """Seed the embedded database with the bilingual demo data."""
    from agentdesk.store.seed import SeedError, seed_store
    from agentdesk.store.sqlite import SqliteStore

    settings = settings_from(ctx)
    path = db_path(settings)
    if reset and path.exists():
        if not yes:
            click.confirm(f"Delete {path} and everything in it, then seed demo data?", abort=True)
        _remove(path)
    try:
        with SqliteStore(path, actor="seed") as store:
            if not store.is_empty():
                raise click.ClickException(f"{path} already holds data; use --reset to rebuild it")
            summary = seed_store(store)
    except (StoreError, SeedError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Seeded {path}: {summary}.")
