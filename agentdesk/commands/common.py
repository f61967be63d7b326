"""What several commands share: settings, opening the store, turning errors into messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from pydantic import SecretStr

from agentdesk import locations
from agentdesk.config import ConfigError, Settings, load_settings
from agentdesk.store.base import Store, StoreError


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        root = ctx.find_root()
        root.ensure_object(dict)
        root.obj["lang"] = value


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    expose_value=False,
    callback=_remember_lang,
    help="User interface language (also accepted before the command).",
)
"""`--lang` after a command name too (`agentdesk demo --lang zh`), as users type it."""


def settings_from(ctx: click.Context) -> Settings:
    """Settings from the config file and environment, with the global CLI options applied."""
    obj: dict[str, Any] = ctx.find_root().obj or {}
    if obj.get("config_file"):
        import os

        os.environ["AGENTDESK_CONFIG_FILE"] = obj["config_file"]
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return with_cli_options(settings, ctx)


def with_cli_options(settings: Settings, ctx: click.Context) -> Settings:
    """The global options (--db, --server, --token, --lang) applied over `settings`."""
    obj: dict[str, Any] = ctx.find_root().obj or {}
    if obj.get("db"):
        settings.store.db = Path(obj["db"])
    if obj.get("server"):
        settings.store.server = obj["server"]
    if obj.get("token"):
        settings.store.token = SecretStr(obj["token"])
    if obj.get("lang"):
        settings.ui.lang = obj["lang"]
    return settings


def db_path(settings: Settings) -> Path:
    """The embedded database: --db / AGENTDESK_DB, then the config file, then the data directory."""
    return Path(settings.store.db) if settings.store.db else locations.default_db_path()


def database_path(settings: Settings, given: str | Path | None = None) -> Path:
    """The database file a command opens, checked by the one rule every command follows.

    Args:
        settings: where the path comes from by default: --db / AGENTDESK_DB, then the
            config file, then the data directory (see `db_path`).
        given: the command's own `--db`, when it has one and it was given.

    Raises:
        click.ClickException: the folder of the database does not exist (see `missing_folder`).
    """
    path = Path(given) if given else db_path(settings)
    if (problem := missing_folder(path)) is not None:
        raise click.ClickException(problem)
    return path


def missing_folder(path: Path) -> str | None:
    """Why no database may be opened at `path`, or None when it may.

    A database named anywhere (--db, AGENTDESK_DB, store.db) must be in a folder that
    exists: creating the folder would leave a fresh empty database at a mistyped path.
    Only the data directory is created on first use.
    """
    if path.parent.exists() or path.parent == locations.data_dir():
        return None
    return (
        f"the folder {path.parent} does not exist; check the path given for the database ({path}),"
        " or create the folder first"
    )


def open_store(settings: Settings, *, seed_if_empty: bool = True, actor: str | None = None) -> Store:
    """Open the configured store: the team server when `store.server` is set (`--server`,
    `AGENTDESK_SERVER`), else the embedded SQLite file, seeded with demo data on first run.

    Raises:
        click.ClickException: the store cannot be opened (locked, corrupt, bad path, a folder
            that does not exist), with the reason.
    """
    if settings.store.server:
        return open_remote(settings)
    from agentdesk.store.sqlite import SqliteStore

    path = database_path(settings)
    try:
        store = SqliteStore(
            path, actor=actor or settings.ui.agent_id, busy_timeout_ms=settings.store.busy_timeout_ms
        )
        if seed_if_empty and store.is_empty():
            from agentdesk.store.seed import seed_store

            click.echo(f"First run: seeding demo data into {path} ...", err=True)
            summary = seed_store(store)
            click.echo(f"Seeded {summary}.", err=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    return store


def open_remote(settings: Settings) -> Store:
    """The team server as the store, the desk working as the user its token belongs to.

    An agent's desk works as their agent; a supervisor's or trainer's as the user itself,
    which has no agent record and so no calls of its own.

    Writes made while the server is unreachable wait in the data directory, in an outbox file
    of this user on this server (`outbox-<digest>.db`), and are replayed only by this user's desks.

    Unreachable at start, the desk opens offline and catches up later; a refused token
    or an address that is not an AgentDesk server stops it with the reason instead of a
    desk that shows "online" and does nothing.

    Raises:
        click.ClickException: no token, a URL that is not http(s), a refused token, or an
            address that does not answer as an AgentDesk server.
    """
    from agentdesk.store.base import StoreUnavailable
    from agentdesk.store.remote import NotAuthenticated, RemoteStore
    from agentdesk.store.remote_client import API

    # The integration guide's "base URL" ends in /api/v1; the desk wants the server's address.
    server = settings.store.server.rstrip("/")
    if server.endswith(API):
        settings.store.server = server[: -len(API)]
    token = settings.store.token.get_secret_value() if settings.store.token else ""
    if not token:
        raise click.ClickException(
            f"--server {settings.store.server} needs a token: --token, AGENTDESK_TOKEN or store.token "
            "(a supervisor creates one with `agentdesk users add NAME --role agent`)"
        )
    try:
        store = RemoteStore(settings.store.server, token)  # this user's outbox in the data directory
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        me = store.whoami()
        # A supervisor or trainer is no agent: the desk works as the user, never as the
        # configured agent, whose calls and name would otherwise be theirs.
        agent_id = me.get("agent_id") or me.get("name")
    except StoreUnavailable as exc:  # offline at start: keep the configured agent, and say why
        click.echo(f"Team server: {exc}", err=True)
        agent_id = None
    except NotAuthenticated:
        store.close()
        raise click.ClickException(
            f"the team server {settings.store.server} refused the token (unknown or revoked); "
            "ask a supervisor for a new one (`agentdesk users add NAME --role agent`)"
        ) from None
    except StoreError as exc:  # answered, but not as an AgentDesk server does (a wrong path, a proxy)
        store.close()
        raise click.ClickException(
            f"{settings.store.server} did not answer as an AgentDesk team server ({exc}); "
            "give the address `agentdesk serve` printed, such as http://HOST:8765"
        ) from None
    if agent_id:
        settings.ui.agent_id = agent_id
    return store


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error to stderr and exit."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)
