"""Queue priority of a waiting transfer: tier, complexity and emotion, aged by waiting time.

Priority is counted in points; a transfer gains `aging_per_minute` points for every minute
it waits, so with the default rate of 1 a point is worth one minute of waiting. The largest
head start (a VIP, maximal complexity, angry) is `MAX_BASE_PRIORITY` points: nothing waits
more than that many minutes behind work that arrived after it, so nothing starves.

Why one stored number can sort the queue: priority at time `now` is

    base + rate * (now - created)        (minutes)

and `rate * now` is the same for every transfer, so ordering by it equals ordering by the
time-invariant key `base - rate * created` (`queue_rank`). The store computes that key once
when a transfer is queued and sorts by it with an index; it never has to re-score the
queue as time passes. Changing `aging_per_minute` changes the key, so the store re-ranks
open transfers when that setting changes.
"""

from __future__ import annotations

from datetime import datetime

from agentdesk.domain.models import EmotionLevel, Tier
from agentdesk.domain.routing_policy import COMPLEX_AT, RoutingRules, is_complex
from agentdesk.domain.transfers import HandoffPacket, Transfer

TIER_POINTS: dict[Tier, float] = {Tier.STANDARD: 0.0, Tier.GOLD: 5.0, Tier.VIP: 10.0}
COMPLEXITY_POINTS = 3.0
"""Per level of complexity (0-3)."""
EMOTION_POINTS: dict[EmotionLevel, float] = {
    EmotionLevel.CALM: 0.0,
    EmotionLevel.MILD: 1.0,
    EmotionLevel.UPSET: 4.0,
    EmotionLevel.ANGRY: 8.0,
}
MAX_BASE_PRIORITY = max(TIER_POINTS.values()) + 3 * COMPLEXITY_POINTS + max(EMOTION_POINTS.values())


def base_priority(packet: HandoffPacket, settings: RoutingRules | None = None) -> float:
    """Priority points a transfer starts with, before any waiting.

    A complex-complaint trigger counts as at least `COMPLEX_AT` complexity even when the
    bot scored the request lower, so disputes never queue as simple requests.

    Args:
        packet: the handoff packet (tier, complexity, emotion, trigger ledger).
        settings: routing settings, taken so every priority function has the same
            shape; the weights themselves are the module constants above.
    """
    complexity = max(packet.complexity, COMPLEX_AT) if is_complex(packet) else packet.complexity
    return TIER_POINTS[packet.tier] + COMPLEXITY_POINTS * complexity + EMOTION_POINTS[packet.emotion_level]


def _minutes(at: datetime) -> float:
    return at.timestamp() / 60.0


def queue_rank(packet: HandoffPacket, created_at: datetime, settings: RoutingRules) -> float:
    """Time-invariant sort key, higher first: `base - aging_per_minute * minutes since 1970`.

    Sorting by this key at any moment gives the same order as sorting by `priority_at`.
    """
    return base_priority(packet, settings) - settings.aging_per_minute * _minutes(created_at)


def priority_at(transfer: Transfer, now: datetime, settings: RoutingRules) -> float:
    """The transfer's priority at `now`, for display: base points plus points from waiting."""
    waited = max(0.0, _minutes(now) - _minutes(transfer.created_at))
    return base_priority(transfer.packet, settings) + settings.aging_per_minute * waited


def waited_seconds(transfer: Transfer, now: datetime) -> float:
    """How long the transfer has been queued at `now` (never negative)."""
    return max(0.0, (now - transfer.created_at).total_seconds())
