"""`agentdesk bench store`: the claim race and basic store latencies on a real SQLite file."""

from __future__ import annotations

import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from agentdesk.bench.stats import Figure, report


def _race(
    stores, pool: ThreadPoolExecutor, threads: int, agents: list[str], claim_ms: Figure
) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """One round: `threads` claimants start together on a new transfer. Returns (winners, errors).

    `stores[i]` is the store claimant i uses: one shared store, or one connection each.
    """
    from agentdesk.domain.transfers import HandoffPacket, Transfer
    from agentdesk.store.base import AlreadyClaimed

    transfer = stores[0].create_transfer(Transfer(packet=HandoffPacket()))
    barrier = threading.Barrier(threads)

    def claim(i: int) -> str:
        barrier.wait()
        start = time.perf_counter()
        try:
            stores[i].claim_transfer(transfer.id, agents[i])
            outcome = "won"
        except AlreadyClaimed:
            outcome = "lost"
        except Exception:  # any other failure is exactly what the bench must count
            outcome = "error"
        claim_ms.samples.append((time.perf_counter() - start) * 1000)
        return outcome

    outcomes = list(pool.map(claim, range(threads)))
    return outcomes.count("won"), outcomes.count("error")


@click.command()
@click.option("--threads", default=32, show_default=True, help="Claimants racing for each transfer.")
@click.option("--rounds", default=1000, show_default=True, help="Transfers raced for.")
@click.option(
    "--connections",
    type=click.Choice(["own", "shared"]),
    default="own",
    show_default=True,
    help="Each claimant with its own connection (like separate desks), or one shared store.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def store(threads: int, rounds: int, connections: str, as_json: bool) -> None:
    """Race THREADS claimants for the same transfer ROUNDS times on a fresh SQLite file.

    Reports how many rounds had exactly one winner (must be all), errors (must be none),
    and claim and ticket write/read latency.
    """
    from agentdesk.domain.models import Agent, Ticket
    from agentdesk.store.base import TicketQuery
    from agentdesk.store.sqlite import SqliteStore

    with tempfile.TemporaryDirectory() as tmp:
        db = SqliteStore(Path(tmp) / "bench.db", busy_timeout_ms=30000)
        agents = [f"A{i}" for i in range(threads)]
        db.bulk_load([Agent(id=a, name=a, capacity=rounds) for a in agents])
        if connections == "own":
            stores = [SqliteStore(Path(tmp) / "bench.db", busy_timeout_ms=30000) for _ in agents]
        else:
            stores = [db] * threads
        claim_ms = Figure("claim (contended)", "ms")
        one_winner = errors = 0
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            for _ in range(rounds):
                winners, errs = _race(stores, pool, threads, agents, claim_ms)
                one_winner += winners == 1
                errors += errs
        race_s = time.perf_counter() - started

        write_ms, read_ms, search_ms = (
            Figure("ticket create", "ms"),
            Figure("ticket get", "ms"),
            Figure("ticket search (zh)", "ms"),
        )
        for i in range(500):
            t0 = time.perf_counter()
            t = db.create_ticket(Ticket(subject=f"申请退款 订单 {i}", customer_id="C1"))
            t1 = time.perf_counter()
            db.get_ticket(t.id)
            t2 = time.perf_counter()
            db.list_tickets(TicketQuery(text="退款", limit=50))
            t3 = time.perf_counter()
            write_ms.samples.append((t1 - t0) * 1000)
            read_ms.samples.append((t2 - t1) * 1000)
            search_ms.samples.append((t3 - t2) * 1000)
        for s in {id(x): x for x in [db, *stores]}.values():
            s.close()

    extra = {
        "rounds": rounds,
        "threads": threads,
        "connections": connections,
        "rounds with exactly one winner": one_winner,
        "errors": errors,
        "race wall time (s)": round(race_s, 2),
    }
    click.echo(
        report("store (SQLite file, WAL)", [claim_ms, write_ms, read_ms, search_ms], extra, as_json=as_json)
    )
    if one_winner != rounds or errors:
        raise SystemExit(1)
