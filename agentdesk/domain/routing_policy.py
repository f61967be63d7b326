"""Which agents a waiting transfer should reach first, and how that pool widens while it waits.

The rules (SPEC section 4): a VIP who is angry or has a complex request goes to gold agents
first, as does any transfer the high-value rule fired on (a VIP the bot could not serve, or a
large order); an angry customer or a complex complaint goes to senior
agents first (senior or gold); everything else may go to any level, juniors first so that
experienced agents stay free for the hard cases. Each time the wait passes a threshold in
`widen_after_seconds` the pool takes one more level below the preferred one, and past the
last threshold anyone who speaks the customer's language may take it.

Skills rank agents; they never keep a free agent from a call (see `match_rank`). A level
rule's order holds first: a complex complaint goes to a free senior agent before a gold
one, whatever their skills, and among agents of one level those with the request's skill
come first. A routine request may go to any level, so there the skill comes first and
"juniors first" orders agents with equal skills. A general enquiry needs no skill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from agentdesk.domain.models import AgentLevel, EmotionLevel, Tier
from agentdesk.domain.transfers import HandoffPacket, TriggerRule

COMPLEX_AT = 2
"""Complexity (0-3) from which a request counts as complex."""

ANGRY_AT = EmotionLevel.ANGRY
"""Emotion level from which a customer counts as angry for routing."""

VIP_SKILL = "vip"
COMPLAINTS_SKILL = "complaints"
WANTS_VIP = 1
WANTS_COMPLAINTS = 2
"""Bits of `Need.wants`: special skills that make an agent a better match."""

LEVELS: tuple[AgentLevel, ...] = tuple(AgentLevel)
"""Agent levels from junior (rank 0) to gold."""
LEVEL_RANK: dict[AgentLevel, int] = {level: rank for rank, level in enumerate(LEVELS)}
"""`AgentLevel.rank` as a lookup: it is read for every transfer in a pass."""

GENERAL_SKILL = "general"
"""The skill of a general enquiry: every agent counts as having it."""

COMPLAINT_REQUEST_TYPES = frozenset({"complaint", "complaints", "complaint_policy"})
"""Request types (KB categories) that are complaints; they need the `complaints` skill."""


class RoutingRules(Protocol):
    """The routing knobs the domain reads; `agentdesk.config.RoutingSettings` fits.

    A protocol rather than an import keeps the domain free of the settings loader.
    """

    @property
    def aging_per_minute(self) -> float: ...

    @property
    def widen_after_seconds(self) -> Sequence[int]: ...

    @property
    def offer_timeout_seconds(self) -> int: ...

    @property
    def affinity_wait_seconds(self) -> int: ...


class Escalation(StrEnum):
    """Why a transfer prefers a level of agent; each has a readable reason."""

    VIP_COMPLEX = "vip-complex"
    VIP_ANGRY = "vip-angry"
    VIP = "vip"
    HIGH_VALUE = "high-value"
    ANGRY = "angry"
    COMPLEX_COMPLAINT = "complex-complaint"
    ROUTINE = "routine"


def is_complex(packet: HandoffPacket) -> bool:
    """Complexity at or above `COMPLEX_AT`, or the bot fired the complex-complaint rule."""
    return packet.complexity >= COMPLEX_AT or TriggerRule.COMPLEX_COMPLAINT in packet.rules


def is_angry(packet: HandoffPacket) -> bool:
    """Emotion at or above `ANGRY_AT`, or the bot fired the strong-emotion rule.

    SPEC section 2 also fires strong-emotion on a rise of two levels within the call;
    such a customer may be at "upset" when the transfer is posted, and still needs a
    senior agent first (SPEC section 4).
    """
    return packet.emotion_level >= ANGRY_AT or TriggerRule.STRONG_EMOTION in packet.rules


def is_complaint(packet: HandoffPacket) -> bool:
    """A complaint category, or the bot fired the complex-complaint rule."""
    return (
        packet.request_type.strip().lower() in COMPLAINT_REQUEST_TYPES
        or TriggerRule.COMPLEX_COMPLAINT in packet.rules
    )


def required_skill(request_type: str) -> str:
    """The agent skill a request type needs: complaint categories map to `complaints`."""
    slug = request_type.strip().lower() or "general"
    return COMPLAINTS_SKILL if slug in COMPLAINT_REQUEST_TYPES else slug


def languages_for(language: str) -> tuple[str, ...]:
    """Agent languages that can serve a customer speaking `language`."""
    return ("zh", "en") if language == "mixed" else (language,)


@dataclass(frozen=True, slots=True)
class Profile:
    """What routing needs to know about a transfer, whatever its wait."""

    target: AgentLevel
    """The level to try first."""
    escalation: Escalation
    """The rule that chose `target`."""
    skill: str
    languages: tuple[str, ...]
    wants: int
    """Bit set of `WANTS_VIP` / `WANTS_COMPLAINTS`: preferred, not required."""


def profile(packet: HandoffPacket) -> Profile:
    """The routing profile of a handoff packet (see the module docstring for the rules)."""
    return _profile(
        packet.tier,
        is_angry(packet),
        is_complex(packet),
        is_complaint(packet),
        TriggerRule.HIGH_VALUE in packet.rules,
        packet.request_type,
        packet.language,
    )


# Packets repeat a few dozen combinations of these facts; a pass profiles thousands.
@lru_cache(maxsize=4096)
def _profile(
    tier: Tier,
    angry: bool,
    complex_: bool,
    complaint: bool,
    high_value: bool,
    request_type: str,
    language: str,
) -> Profile:
    if tier is Tier.VIP and complex_:
        target, why = AgentLevel.GOLD, Escalation.VIP_COMPLEX
    elif tier is Tier.VIP and angry:
        target, why = AgentLevel.GOLD, Escalation.VIP_ANGRY
    elif high_value:
        target, why = AgentLevel.GOLD, Escalation.VIP if tier is Tier.VIP else Escalation.HIGH_VALUE
    elif angry:
        target, why = AgentLevel.SENIOR, Escalation.ANGRY
    elif complex_ and complaint:
        target, why = AgentLevel.SENIOR, Escalation.COMPLEX_COMPLAINT
    else:
        target, why = AgentLevel.JUNIOR, Escalation.ROUTINE
    wants = (WANTS_VIP if tier is Tier.VIP else 0) | (WANTS_COMPLAINTS if complaint else 0)
    return Profile(target, why, required_skill(request_type), languages_for(language), wants)


def stage_for(waited_seconds: float, widen_after: Sequence[int]) -> int:
    """How many widening thresholds the wait has passed (0 = preferred level only)."""
    stage = 0
    for limit in widen_after:
        if waited_seconds >= limit:
            stage += 1
    return stage


def min_level_rank(target: AgentLevel, stage: int, stages: int) -> int:
    """Lowest level rank allowed at `stage`: one level lower per stage, anyone at the last."""
    return 0 if stage >= stages else max(0, LEVEL_RANK[target] - stage)


def level_preference(level_rank: int, target_rank: int) -> int:
    """Sort key for levels: the preferred level, then higher ones, then lower ones.

    Above the target, the nearest level wins so gold agents stay free for gold work;
    below it (a widened pool), the nearest level wins too.
    """
    if level_rank >= target_rank:
        return level_rank - target_rank
    return 10 + target_rank - level_rank


def match_rank(level_rank: int, target_rank: int, skilled: bool, specials: int) -> tuple[int, int, int]:
    """Sort key of an agent for a transfer: lower is better.

    Args:
        level_rank: the agent's level rank.
        target_rank: the level the transfer's rule prefers (0 = routine, any level).
        skilled: the agent has the skill the request type needs.
        specials: how many preferred special skills (`Need.wants`) the agent has.

    A level rule (senior or gold first) is kept before skills: skills rank agents within
    one level. A routine request admits every level at once, so the skill ranks first and
    the junior-first preference orders agents with equal skills.
    """
    level = level_preference(level_rank, target_rank)
    if target_rank == 0:
        return (not skilled, -specials, level)
    return (level, not skilled, -specials)


@dataclass(frozen=True, slots=True)
class Need:
    """Who may take a transfer at its current stage, and what ranks them; hashable for memos."""

    skill: str
    """Preferred, not required (see `match_rank`); `GENERAL_SKILL` means none is needed."""
    languages: tuple[str, ...]
    """Any one of these will do: `("zh", "en")` for a mixed-language customer."""
    target_rank: int
    min_rank: int
    wants: int
    """Bit set of `WANTS_VIP` / `WANTS_COMPLAINTS`: preferred, not required."""


@lru_cache(maxsize=4096)
def _need(p: Profile, min_rank: int) -> Need:
    return Need(p.skill, p.languages, LEVEL_RANK[p.target], min_rank, p.wants)


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """Who may take a transfer now, and what the rationale says about it."""

    need: Need
    profile: Profile
    stage: int
    waited_seconds: float
    widens_in: float | None
    """Seconds until the pool widens again; None at the widest stage."""


def plan_route(packet: HandoffPacket, waited_seconds: float, widen_after: Sequence[int]) -> RoutePlan:
    """Work out who may take a transfer that has waited `waited_seconds`."""
    p = profile(packet)
    thresholds = sorted(widen_after)
    stage = stage_for(waited_seconds, thresholds)
    need = _need(p, min_level_rank(p.target, stage, len(thresholds)))
    widens_in = thresholds[stage] - waited_seconds if stage < len(thresholds) else None
    return RoutePlan(need, p, stage, waited_seconds, widens_in)
