"""`agentdesk bench routing`: rank and assign N waiting transfers over M agents.

The population is random but seeded and shaped like a busy centre at peak: most agents
junior, a few gold; most customers standard tier and calm; request types skewed towards
billing and data plans; some transfers already declined once, some offers timed out; a
share of customers (`--affinity`) were served before, so routing looks for their previous
agents (a third of those ask for a dedicated adviser).
Each repeat times one full `routing.assign` pass (queue ranking included) on the same
population; building the population is not timed.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import click

from agentdesk.bench.stats import Figure, report
from agentdesk.config import RoutingSettings
from agentdesk.domain.models import Agent, AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.routing import assign
from agentdesk.domain.routing_affinity import CustomerAffinity
from agentdesk.domain.transfers import HandoffPacket, Transfer, TransferStatus, TriggerEntry, TriggerRule

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
REQUEST_TYPES = ["billing", "data_plans", "orders_delivery", "refunds", "account_security", "general"]
REQUEST_WEIGHTS = [30, 25, 15, 12, 8, 10]


def make_agents(n: int, rng: random.Random) -> list[Agent]:
    """`n` agents: 60% junior, 30% senior, 10% gold; 2-4 skills; zh, en or both."""
    agents = []
    for i in range(n):
        level = rng.choices(list(AgentLevel), weights=[60, 30, 10])[0]
        skills = set(rng.sample(REQUEST_TYPES, rng.randint(2, 4)))
        if level is not AgentLevel.JUNIOR and rng.random() < 0.6:
            skills.add("complaints")
        if level is AgentLevel.GOLD or rng.random() < 0.1:
            skills.add("vip")
        languages = rng.choices([["zh"], ["en"], ["zh", "en"]], weights=[65, 20, 15])[0]
        status = rng.choices(list(AgentStatus), weights=[55, 30, 10, 5])[0]
        capacity = rng.randint(1, 3)
        agents.append(
            Agent(
                id=f"A{i:04d}",
                name=f"Agent {i}",
                level=level,
                skills=sorted(skills),
                languages=languages,
                status=status,
                capacity=capacity,
                active_calls=rng.randint(0, capacity) if status is AgentStatus.BUSY else 0,
            )
        )
    return agents


def make_transfers(n: int, agent_ids: list[str], rng: random.Random) -> list[Transfer]:
    """`n` open transfers queued over the last 15 minutes; ~5% declined once, ~3% timed-out offers."""
    transfers = []
    for i in range(n):
        tier = rng.choices(list(Tier), weights=[80, 15, 5])[0]
        emotion = rng.choices(list(EmotionLevel), weights=[55, 25, 12, 8])[0]
        complaint = rng.random() < 0.12
        ledger = (
            [TriggerEntry(rule=TriggerRule.COMPLEX_COMPLAINT, turn=3)]
            if complaint and rng.random() < 0.5
            else []
        )
        packet = HandoffPacket(
            customer_id=f"C{i:05d}",
            tier=tier,
            language=rng.choices(["zh", "en", "mixed"], weights=[70, 25, 5])[0],
            request_type="complaint_policy" if complaint else rng.choices(REQUEST_TYPES, REQUEST_WEIGHTS)[0],
            emotion_level=emotion,
            complexity=rng.choices([0, 1, 2, 3], weights=[40, 30, 20, 10])[0],
            ledger=ledger,
        )
        created = NOW - timedelta(seconds=rng.uniform(0, 900))
        transfer = Transfer(id=f"TR-{i:06d}", packet=packet, created_at=created)
        roll = rng.random()
        if roll < 0.05:
            transfer.declined_by = [rng.choice(agent_ids)]
        elif roll < 0.08:
            transfer.status = TransferStatus.OFFERED
            transfer.offered_to = rng.choice(agent_ids)
            transfer.offered_at = NOW - timedelta(seconds=rng.uniform(0, 60))
        transfers.append(transfer)
    return transfers


def add_affinity(transfers: list[Transfer], agent_ids: list[str], share: float, rng: random.Random) -> None:
    """Give `share` of the transfers' customers one to three previous agents."""
    for transfer in transfers:
        if rng.random() < share:
            transfer.packet.affinity = CustomerAffinity(
                agent_ids=rng.sample(agent_ids, rng.randint(1, 3)),
                handled=rng.randint(1, 3),
                dedicated=rng.random() < 1 / 3,
            )


@click.command()
@click.option("--transfers", "n_transfers", default=10_000, show_default=True, help="Waiting transfers.")
@click.option("--agents", "n_agents", default=500, show_default=True, help="Agents (all statuses).")
@click.option("--repeat", default=5, show_default=True, help="Timed passes.")
@click.option("--affinity", default=0.3, show_default=True, help="Share of customers with previous agents.")
@click.option("--seed", default=7, show_default=True, help="Random seed for the population.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def routing(n_transfers: int, n_agents: int, repeat: int, affinity: float, seed: int, as_json: bool) -> None:
    """Rank and assign N waiting transfers over M agents; report median/p95 of one pass."""
    rng = random.Random(seed)
    agents = make_agents(n_agents, rng)
    transfers = make_transfers(n_transfers, [a.id for a in agents], rng)
    # its own generator, so the population without affinity stays the same for any share
    add_affinity(transfers, [a.id for a in agents], affinity, random.Random(seed + 1))
    settings = RoutingSettings()
    figure = Figure(f"rank+assign {n_transfers} transfers x {n_agents} agents", "ms")
    result = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = assign(transfers, agents, NOW, settings)
        figure.samples.append((time.perf_counter() - start) * 1000)
    queued = Counter(a.rationale.reasons[-1].code for a in result if a.queued)
    extra = {
        "decisions": len(result),
        "offered": sum(1 for a in result if not a.queued),
        "queued": sum(queued.values()),
        "queued by reason": dict(queued.most_common()),
        "with previous agents": sum(1 for t in transfers if t.packet.affinity is not None),
        "offered to a previous agent": sum(
            1 for a in result if any(r.code == "match.affinity" for r in a.rationale.reasons)
        ),
        "free slots before": sum(
            max(0, a.capacity - a.active_calls)
            for a in agents
            if a.status in (AgentStatus.AVAILABLE, AgentStatus.BUSY)
        ),
        "seed": seed,
    }
    click.echo(report("routing", [figure], extra, as_json=as_json))
