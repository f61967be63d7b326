"""Builders for domain tests: a fixed clock, agents, packets and transfers with sensible defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import Agent, AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.transfers import HandoffPacket, Transfer, TriggerEntry, TriggerRule

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
"""A Monday morning, inside business hours on both lines."""

LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


def make_agent(
    agent_id: str,
    level: AgentLevel = AgentLevel.JUNIOR,
    *,
    skills: tuple[str, ...] = ("billing",),
    languages: tuple[str, ...] = ("zh",),
    status: AgentStatus = AgentStatus.AVAILABLE,
    capacity: int = 1,
    active: int = 0,
) -> Agent:
    return Agent(
        id=agent_id,
        name=f"Agent {agent_id}",
        level=level,
        skills=list(skills),
        languages=list(languages),
        status=status,
        capacity=capacity,
        active_calls=active,
    )


def make_packet(
    *,
    tier: Tier = Tier.STANDARD,
    language: str = "zh",
    request_type: str = "billing",
    emotion: EmotionLevel = EmotionLevel.CALM,
    complexity: int = 0,
    rules: tuple[TriggerRule, ...] = (),
    **extra: object,
) -> HandoffPacket:
    return HandoffPacket(
        customer_id="C001",
        tier=tier,
        language=language,
        request_type=request_type,
        emotion_level=emotion,
        complexity=complexity,
        ledger=[TriggerEntry(rule=rule, turn=i) for i, rule in enumerate(rules)],
        **extra,
    )


def make_transfer(
    transfer_id: str = "TR-1",
    *,
    waited: float = 0.0,
    packet: HandoffPacket | None = None,
    **packet_fields: object,
) -> Transfer:
    """A waiting transfer queued `waited` seconds before `NOW`."""
    return Transfer(
        id=transfer_id,
        packet=packet or make_packet(**packet_fields),  # type: ignore[arg-type]
        created_at=NOW - timedelta(seconds=waited),
    )


@pytest.fixture
def settings() -> RoutingSettings:
    """Default routing: 1 point a minute, widen at 60 s and 180 s, offers time out after 30 s."""
    return RoutingSettings()
