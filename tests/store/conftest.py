"""The backends every store contract test runs against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.store.base import Store
from agentdesk.store.sqlite import SqliteStore


def _memory(tmp_path: Path) -> Store:
    return SqliteStore(":memory:", actor="tester")


def _file(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "sub" / "desk.db", actor="tester")


def _remote(tmp_path: Path) -> Store:
    """A RemoteStore talking to a real uvicorn server on 127.0.0.1, backed by a fresh SqliteStore."""
    from agentdesk.server.app import create_app
    from agentdesk.server.runner import ServerThread
    from agentdesk.store.remote import RemoteStore

    class ServedRemoteStore(RemoteStore):
        """Closing it also stops its server and the server's store."""

        def __init__(self) -> None:
            self.backing = SqliteStore(tmp_path / "server.db", actor="server")
            app = create_app(self.backing)
            _, token = app.state.agentdesk.users.add("tester", "supervisor")
            self.served = ServerThread(app).start()
            super().__init__(self.served.url, token, outbox=tmp_path / "outbox.db")

        def close(self) -> None:
            try:
                super().close()
            finally:
                self.served.stop()
                self.backing.close()

    return ServedRemoteStore()


BACKENDS = {"sqlite-memory": _memory, "sqlite-file": _file, "remote": _remote}


@pytest.fixture(params=sorted(BACKENDS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = BACKENDS[request.param](tmp_path)
    yield s
    s.close()
