"""Queue priority: tier, complexity and emotion give a head start; waiting ages everyone alike."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import EmotionLevel, Tier
from agentdesk.domain.routing import base_priority, priority_at, queue_rank
from agentdesk.domain.routing_priority import MAX_BASE_PRIORITY
from agentdesk.domain.transfers import TriggerRule

from .conftest import NOW, make_packet, make_transfer


def test_vip_outranks_standard_customer_queued_at_same_time(settings: RoutingSettings) -> None:
    vip = queue_rank(make_packet(tier=Tier.VIP), NOW, settings)
    gold = queue_rank(make_packet(tier=Tier.GOLD), NOW, settings)
    standard = queue_rank(make_packet(tier=Tier.STANDARD), NOW, settings)
    assert vip > gold > standard


def test_angry_customer_outranks_calm_one(settings: RoutingSettings) -> None:
    assert base_priority(make_packet(emotion=EmotionLevel.ANGRY), settings) > base_priority(
        make_packet(emotion=EmotionLevel.CALM), settings
    )


def test_complex_request_outranks_simple_one(settings: RoutingSettings) -> None:
    assert base_priority(make_packet(complexity=3), settings) > base_priority(
        make_packet(complexity=1), settings
    )


def test_complex_complaint_trigger_counts_as_complex_even_if_scored_simple(settings: RoutingSettings) -> None:
    flagged = make_packet(complexity=0, rules=(TriggerRule.COMPLEX_COMPLAINT,))
    assert base_priority(flagged, settings) == base_priority(make_packet(complexity=2), settings)


def test_priority_grows_by_aging_rate_per_minute() -> None:
    settings = RoutingSettings(aging_per_minute=2.0)
    transfer = make_transfer(waited=0)
    later = priority_at(transfer, NOW + timedelta(minutes=5), settings)
    assert later - priority_at(transfer, NOW, settings) == 10.0


def test_long_wait_overtakes_fresh_angry_vip_so_nothing_starves(settings: RoutingSettings) -> None:
    fresh_vip = make_packet(tier=Tier.VIP, complexity=3, emotion=EmotionLevel.ANGRY)
    old_calm = make_packet()
    minutes_needed = MAX_BASE_PRIORITY / settings.aging_per_minute
    old_created = NOW - timedelta(minutes=minutes_needed + 1)
    assert queue_rank(old_calm, old_created, settings) > queue_rank(fresh_vip, NOW, settings)


def test_older_transfer_wins_between_equal_customers(settings: RoutingSettings) -> None:
    packet = make_packet()
    assert queue_rank(packet, NOW - timedelta(seconds=1), settings) > queue_rank(packet, NOW, settings)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(Tier)),
            st.sampled_from(list(EmotionLevel)),
            st.integers(0, 3),
            st.integers(0, 3600),
        ),
        min_size=2,
        max_size=30,
    ),
    st.integers(0, 7200),
    st.floats(0.1, 5.0),
)
def test_sorting_by_stored_rank_equals_sorting_by_priority_now(
    specs: list[tuple[Tier, EmotionLevel, int, int]], later: int, rate: float
) -> None:
    settings = RoutingSettings(aging_per_minute=rate)
    transfers = [
        make_transfer(f"TR-{i}", waited=waited, tier=tier, emotion=emotion, complexity=complexity)
        for i, (tier, emotion, complexity, waited) in enumerate(specs)
    ]
    now = NOW + timedelta(seconds=later)
    by_rank = sorted(transfers, key=lambda t: -queue_rank(t.packet, t.created_at, settings))
    priorities = [priority_at(t, now, settings) for t in by_rank]
    assert all(a >= b - 1e-6 for a, b in pairwise(priorities))
