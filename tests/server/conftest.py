"""A real uvicorn server on 127.0.0.1 per test, over a fresh SQLite store, with one user per role."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from agentdesk.domain.models import Agent, Call, Contact, Customer, KBArticle, Tier
from agentdesk.server.app import create_app
from agentdesk.server.runner import ServerThread
from agentdesk.store.sqlite import SqliteStore

ROLES = ("agent", "bot", "supervisor", "trainer")
USERS = {"agent": "A1", "bot": "voicebot", "supervisor": "boss", "trainer": "coach"}
"""The user name of each role's test user; the agent works as agent A1."""

PHONE = "13812345678"
ID_NUMBER = "110101199003071234"


@dataclass
class Served:
    """A running server, the store behind it, and a token per role."""

    url: str
    store: SqliteStore
    app: FastAPI
    tokens: dict[str, str]
    thread: ServerThread

    def client(self, role: str | None = None, *, token: str | None = None) -> httpx.Client:
        """An HTTP client for `/api/v1`, authenticated as `role` (or with `token`, or with nothing)."""
        token = token or (self.tokens[role] if role else None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=10)


def seed_basics(store: SqliteStore) -> None:
    """Two agents, a VIP customer with a phone and an ID number, a call, an article."""
    store.bulk_load(
        [
            Agent(id="A1", name="Li", capacity=5),
            Agent(id="A2", name="Wang", capacity=5),
            Customer(
                id="C1",
                name="李娜",
                tier=Tier.VIP,
                contacts=[Contact(kind="phone", value=PHONE)],
                id_number=ID_NUMBER,
            ),
            Call(id="CALL-1", customer_id="C1"),
            KBArticle(id="zh-1", language="zh", category="refunds", title="退款时效", answer="3-5个工作日"),
        ]
    )


def start(tmp_path: Path, *, busy_timeout_ms: int = 5000, **app_options: object) -> Served:
    store = SqliteStore(tmp_path / "server.db", actor="server", busy_timeout_ms=busy_timeout_ms)
    seed_basics(store)
    app = create_app(store, **app_options)  # type: ignore[arg-type]
    users = app.state.agentdesk.users
    tokens = {role: users.add(name, role)[1] for role, name in USERS.items()}
    thread = ServerThread(app).start()
    return Served(url=thread.url, store=store, app=app, tokens=tokens, thread=thread)


def stop_server(served: Served) -> None:
    """The team server goes away (the desks' changes queue in their outboxes)."""
    served.thread.stop()


def restart_server(served: Served) -> None:
    """The team server comes back on the same port."""
    served.thread = ServerThread(served.app, port=served.thread.port).start()


def wait_until(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    """Wait for a background replay; the deadline only stops a broken test from hanging."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    s = start(tmp_path)
    try:
        yield s
    finally:
        s.thread.stop()
        s.store.close()
