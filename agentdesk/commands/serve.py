"""`agentdesk serve`: the team server (FastAPI on uvicorn) over the SQLite store."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from agentdesk.commands.common import database_path, settings_from
from agentdesk.store.base import StoreError

if TYPE_CHECKING:
    from agentdesk.config import Settings
    from agentdesk.store.sqlite import SqliteStore


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port), as uvicorn would open it, or a clear reason why not.

    Opened before anything is seeded or announced, and handed to uvicorn as it is: the
    address is bound once, so the port printed is the real one (`--port 0`: any free port).

    Raises:
        click.ClickException: the port is taken or the host is not an address of this machine.
    """
    import errno

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {port} on {host} is already in use (another `agentdesk serve`?); "
                "pick another with --port or server.port"
            ) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


@click.command()
@click.option("--host", help="Address to listen on (default: server.host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on (default: server.port, 8765).")
@click.option(
    "--db", "db", type=click.Path(dir_okay=False), help="SQLite database to serve (default: as the desk)."
)
@click.option("--seed-demo", is_flag=True, help="Seed the bilingual demo data when the database is empty.")
@click.option(
    "--idempotency-hours",
    type=click.FloatRange(min=0.1),
    default=72.0,
    show_default=True,
    help="How long write answers are kept for clients retrying them; longer than a desk stays offline.",
)
@click.option(
    "--http",
    "http",
    type=click.Choice(["auto", "h11", "httptools"]),
    default="auto",
    show_default=True,
    help="HTTP parser; auto takes httptools when installed (faster), else h11.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    db: str | None,
    seed_demo: bool,
    idempotency_hours: float,
    http: str,
    log_level: str,
) -> None:
    """Serve the store over HTTP (/api/v1) for many desks and the voice bot.

    Every call needs a token: create users with `agentdesk users add NAME --role ROLE`.
    The OpenAPI document is at /api/v1/openapi.json, interactive docs at /api/v1/docs.
    """
    # Imported here: fastapi and uvicorn are heavy and only this command needs them.
    import uvicorn

    from agentdesk.server.app import create_app

    settings = settings_from(ctx)
    path = database_path(settings, db)
    host = host or settings.server.host
    port = settings.server.port if port is None else port
    # Bound before anything is seeded or announced, and only once: uvicorn serves this socket.
    with listen(host, port) as listening, _open(path, settings, seed_demo=seed_demo) as store:
        app = create_app(
            store,
            routing=settings.routing,
            idempotency_retention=timedelta(hours=idempotency_hours),
            kb_threshold=settings.bot.kb_threshold,
        )
        if not store.list_agents():
            click.echo(
                "No agents yet: transfers cannot be routed and agent users cannot be added. Seed the demo\n"
                f"data (agentdesk seed --db {path}, or serve --seed-demo) or create agents with PUT /api/v1/agents/ID",
                err=True,
            )
        users = app.state.agentdesk.users.count()
        if not users:
            click.echo(
                "No users yet: every request will be refused. Create one with\n"
                f"  agentdesk users --db {path} add NAME --role supervisor",
                err=True,
            )
        port = listening.getsockname()[1]
        click.echo(
            f"AgentDesk server on http://{host}:{port}/api/v1 ({store.describe()}, {users} users)", err=True
        )
        # A short graceful timeout: open event streams would otherwise hold the shutdown forever.
        config = uvicorn.Config(
            app, host=host, port=port, http=http, log_level=log_level, timeout_graceful_shutdown=3
        )
        uvicorn.Server(config).run(sockets=[listening])


def _open(path: Path, settings: Settings, *, seed_demo: bool) -> SqliteStore:
    """The database to serve, seeded with the demo data when asked and empty.

    Raises:
        click.ClickException: the store cannot be opened or seeded, with the reason.
    """
    from agentdesk.store.sqlite import SqliteStore

    try:
        store = SqliteStore(path, actor="server", busy_timeout_ms=settings.store.busy_timeout_ms)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        if seed_demo and store.is_empty():
            from agentdesk.store.seed import seed_store

            click.echo(f"Seeding demo data into {path} ...", err=True)
            click.echo(f"Seeded {seed_store(store)}.", err=True)
    except StoreError as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    return store
