"""`agentdesk seed`: create the demo database, or rebuild it with --reset."""

from __future__ import annotations

import click

from agentdesk.commands.common import database_path, settings_from
from agentdesk.store.base import StoreError


@click.command()
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the database and seed it again (refused while a server or desk has it open).",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting.")
@click.option(
    "--db", "db", type=click.Path(dir_okay=False), help="The database to seed (default: as the desk)."
)
@click.pass_context
def seed(ctx: click.Context, reset: bool, yes: bool, db: str | None) -> None:
    """Seed the embedded database (or a team server's, with --db) with the bilingual demo data."""
    from agentdesk.store.seed import SeedError, seed_store
    from agentdesk.store.sqlite import SqliteStore
    from agentdesk.store.sqlite_files import check_not_in_use, delete_database

    settings = settings_from(ctx)
    path = database_path(settings, db)
    try:
        if reset and path.exists():
            # Checked before asking, and again while deleting: a program that has the file
            # open would go on writing to the deleted file, and lose everything it writes.
            check_not_in_use(path)
            if not yes:
                click.confirm(f"Delete {path} and everything in it, then seed demo data?", abort=True)
            delete_database(path)
        with SqliteStore(path, actor="seed") as store:
            if not store.is_empty():
                raise click.ClickException(f"{path} already holds data; use --reset to rebuild it")
            summary = seed_store(store)
    except (StoreError, SeedError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Seeded {path}: {summary}.")
