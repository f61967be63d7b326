"""The demo's waiting transfers carry their customers' previous agents, as a bot's transfer does."""

from __future__ import annotations

from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore


def test_a_seeded_waiting_transfer_names_the_agents_who_served_its_customer_before() -> None:
    store = SqliteStore(":memory:", actor="test")
    seed_store(store)
    waiting = {t.id: t for t in store.list_transfers()}
    affinity = waiting["TR-D001"].packet.affinity
    assert affinity is not None and affinity.agent_ids[0] == "A02"
    assert waiting["TR-D002"].packet.affinity is not None and waiting["TR-D002"].packet.affinity.dedicated
    store.close()
