"""`agentdesk bench server`: the team server under many desks at once, and the exactly-once claim check.

A real `agentdesk serve` process on a temporary database; N client threads in this process,
each with its own keep-alive connection and agent token, like N desks. Three phases, each
started together:

- list: every client loads the head of the queue (`GET /transfers?limit=20`, the inbox window).
- claim: every client loads the head of the queue (20, as the desk's inbox window) and tries
  to claim each of those transfers in random order, then loads it again, until it is empty.
  Fifty desks choosing from the same head collide all the time (409 for the losers), so the
  race is as hot as it gets; afterwards the database is checked: every transfer claimed
  exactly once, none lost.
- append: every client streams utterances into its own call (as a bot transcribing does).
"""

from __future__ import annotations

import http.client
import json
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click

from agentdesk.bench.stats import Figure, report

T = TypeVar("T")


def _prepare(db: Path, clients: int, transfers: int) -> tuple[list[str], set[str]]:
    from agentdesk.domain.models import Agent, Call
    from agentdesk.domain.transfers import HandoffPacket, Transfer
    from agentdesk.server.db import ServerDb
    from agentdesk.server.users import UserStore
    from agentdesk.store.sqlite import SqliteStore

    with SqliteStore(db, actor="bench") as store:
        agents = [Agent(id=f"A{i:03d}", name=f"Agent {i}", capacity=transfers) for i in range(clients)]
        calls = [Call(id=f"CALL-{i:03d}") for i in range(clients)]
        queue = [
            Transfer(
                packet=HandoffPacket(customer_id=f"C{i}", summary="客户要求退款，订单未发货"),
                queue_rank=float(i),
            )
            for i in range(transfers)
        ]
        store.bulk_load([*agents, *calls, *queue])
        users = UserStore(ServerDb(store))
        tokens = [users.add(a.id, "agent")[1] for a in agents]
    return tokens, {t.id for t in queue}


def _phase(clients: int, work: Callable[[int], None]) -> float:
    """Run `work(i)` for every client at once; returns the wall time in seconds."""
    start = threading.Barrier(clients + 1)

    def run(i: int) -> None:
        start.wait()
        work(i)

    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(run, i) for i in range(clients)]
        start.wait()
        began = time.perf_counter()
        for f in futures:
            f.result()
    return time.perf_counter() - began


class _Client:
    """One desk's keep-alive connection. The standard library's client, not httpx: it costs the
    client process far less CPU per request, so on a small machine the figures describe the
    server rather than the load generator sharing its cores."""

    def __init__(self, port: int, token: str) -> None:
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        payload = json.dumps(body) if body is not None else None
        self._conn.request(method, "/api/v1" + path, body=payload, headers=self._headers)
        response = self._conn.getresponse()
        return response.status, json.loads(response.read())

    def close(self) -> None:
        self._conn.close()


def _timed(figure: Figure, call: Callable[[], T]) -> T:
    began = time.perf_counter()
    result = call()
    figure.samples.append((time.perf_counter() - began) * 1000)
    return result


@click.command()
@click.option("--clients", default=50, show_default=True, help="Concurrent desks.")
@click.option("--transfers", default=1000, show_default=True, help="Transfers raced for.")
@click.option("--lists", default=20, show_default=True, help="Queue loads per client.")
@click.option("--appends", default=20, show_default=True, help="Utterances each client appends.")
@click.option(
    "--http",
    type=click.Choice(["auto", "h11", "httptools"]),
    default="auto",
    show_default=True,
    help="The server's HTTP parser (auto: httptools when installed).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def server(clients: int, transfers: int, lists: int, appends: int, http: str, as_json: bool) -> None:
    """CLIENTS desks list the queue, race to claim TRANSFERS transfers, and stream transcript lines.

    Reports requests/s and median/p95 per operation, and whether every transfer was claimed
    exactly once (the command fails when not).
    """
    from agentdesk.server.runner import ServerProcess
    from agentdesk.store.base import TransferQuery
    from agentdesk.store.sqlite import SqliteStore

    list_ms, claim_ms, append_ms = (
        Figure("list queue (20)", "ms"),
        Figure("claim", "ms"),
        Figure("append utterance", "ms"),
    )
    won: list[list[str]] = [[] for _ in range(clients)]
    errors: Counter[int] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        tokens, ids = _prepare(db, clients, transfers)
        with ServerProcess(db, extra=[] if http == "auto" else ["--http", http]) as process:
            desks = [_Client(process.port, token) for token in tokens]

            def listing(i: int) -> None:
                for _ in range(lists):
                    status, _ = _timed(list_ms, lambda: desks[i].call("GET", "/transfers?limit=20"))
                    if status != 200:
                        errors[status] += 1

            def claiming(i: int) -> None:
                rng = random.Random(i)
                body = {"agent_id": f"A{i:03d}"}
                while snapshot := [t["id"] for t in desks[i].call("GET", "/transfers?limit=20")[1]["items"]]:
                    rng.shuffle(snapshot)
                    for tid in snapshot:
                        path = f"/transfers/{tid}/claim"
                        status, _ = _timed(claim_ms, lambda p=path: desks[i].call("POST", p, body))
                        if status == 200:
                            won[i].append(tid)
                        elif status != 409:
                            errors[status] += 1

            def appending(i: int) -> None:
                for n in range(appends):
                    line = {"id": f"U-{i}-{n}", "speaker": "customer", "text": f"我想查一下上个月的账单 {n}"}
                    path = f"/calls/CALL-{i:03d}/utterances"
                    status, _ = _timed(append_ms, lambda p=path, b=line: desks[i].call("POST", p, b))
                    if status != 200:
                        errors[status] += 1

            walls = {
                name: _phase(clients, work)
                for name, work in (("list", listing), ("claim", claiming), ("append", appending))
            }
            http_impl = process.http
            for desk in desks:
                desk.close()
        with SqliteStore(db) as store:
            claimed = store.count_transfers(TransferQuery(statuses=frozenset({"claimed"})))
            events = Counter(
                e.entity_id
                for e in store.events_since(0, limit=10 * transfers + 10_000)
                if e.kind == "transfer.claimed"
            )
    wins = [tid for w in won for tid in w]
    exactly_once = (
        len(wins) == transfers and set(wins) == ids and claimed == transfers and set(events.values()) == {1}
    )
    counts = {"list": len(list_ms.samples), "claim": len(claim_ms.samples), "append": len(append_ms.samples)}
    extra = {
        "clients": clients,
        "HTTP parser": http_impl,
        "transfers": transfers,
        "requests/s": {name: round(counts[name] / walls[name], 1) for name in walls},
        "claims won / attempted": f"{len(wins)} / {counts['claim']}",
        "every transfer claimed exactly once": exactly_once,
        "lost": len(ids - set(wins)),
        "claimed twice": sum(1 for n in events.values() if n > 1),
        "unexpected HTTP statuses": dict(errors) or "none",
    }
    click.echo(
        report("team server (uvicorn, SQLite WAL)", [list_ms, claim_ms, append_ms], extra, as_json=as_json)
    )
    if not exactly_once or errors:
        raise SystemExit(1)
