"""`agentdesk users`: team-mode accounts (add prints the token once; only its hash is stored)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from agentdesk.commands.common import database_path, settings_from
from agentdesk.store.base import StoreError

if TYPE_CHECKING:
    from agentdesk.server.users import UserStore

ROLE_NAMES = ("agent", "supervisor", "trainer", "bot")


@contextmanager
def _users(ctx: click.Context) -> Iterator[UserStore]:
    from agentdesk.server.db import ServerDb
    from agentdesk.server.users import UserStore
    from agentdesk.store.sqlite import SqliteStore

    db = ctx.obj.get("users_db") if ctx.obj else None
    path = database_path(settings_from(ctx), db)
    try:
        with SqliteStore(path, actor="users") as store:
            yield UserStore(ServerDb(store))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.option(
    "--db", "db", type=click.Path(dir_okay=False), help="The server's database (default: as the desk)."
)
@click.pass_context
def users(ctx: click.Context, db: str | None) -> None:
    """Add, list and revoke the users of the team server (in the server's database)."""
    ctx.ensure_object(dict)
    ctx.obj["users_db"] = db


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True, help="What the user may do.")
@click.option("--agent-id", help="The agent this user works as at a desk (agents: default NAME).")
@click.pass_context
def add(ctx: click.Context, name: str, role: str, agent_id: str | None) -> None:
    """Create user NAME and print its token (shown only this once)."""
    with _users(ctx) as store:
        try:
            user, token = store.add(name, role, agent_id=agent_id)
        except (StoreError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    works_as = f", works as agent {user.agent_id}" if user.agent_id else ""
    click.echo(f"Added {user.name} ({user.role}{works_as}). Token, shown only now:", err=True)
    click.echo(token)


@users.command("list")
@click.pass_context
def list_users(ctx: click.Context) -> None:
    """List users with their roles (tokens are never shown again)."""
    with _users(ctx) as store:
        found = store.list()
    if not found:
        click.echo("No users. Add one with: agentdesk users add NAME --role supervisor")
        return
    for u in found:
        state = f"revoked {u.revoked_at:%Y-%m-%d %H:%M}" if u.revoked_at else "active"
        agent = u.agent_id or "-"
        click.echo(f"{u.name:<24} {u.role:<11} agent {agent:<10} {state}")


@users.command("revoke")
@click.argument("name")
@click.pass_context
def revoke(ctx: click.Context, name: str) -> None:
    """Revoke NAME's token at once (the user stays listed, for the audit trail)."""
    with _users(ctx) as store:
        try:
            store.revoke(name)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Revoked {name}; a running server stops accepting the token within 2 seconds.")
