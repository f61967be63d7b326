"""Offers: declines and time-outs pass the transfer to the next best agent, never back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import AgentLevel
from agentdesk.domain.routing import apply_assignment, assign, decline, offer_expired
from agentdesk.domain.transfers import Transfer, TransferStatus

from .conftest import NOW, make_agent, make_transfer


def offered_to(agent_id: str, seconds_ago: float, transfer: Transfer | None = None) -> Transfer:
    transfer = transfer or make_transfer(waited=seconds_ago + 5)
    return transfer.model_copy(
        update={
            "status": TransferStatus.OFFERED,
            "offered_to": agent_id,
            "offered_at": NOW - timedelta(seconds=seconds_ago),
        }
    )


def test_declined_agent_is_not_offered_again(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", capacity=3), make_agent("A2", capacity=3, active=2)]
    waiting = decline(offered_to("A1", 3), "A1")
    assert waiting.status is TransferStatus.WAITING
    [decision] = assign([waiting], agents, NOW, settings)
    assert decision.agent_id == "A2"
    assert "skip.declined" in [r.code for r in decision.rationale.reasons]


def test_transfer_declined_by_every_free_agent_stays_queued_with_reason(settings: RoutingSettings) -> None:
    waiting = decline(offered_to("A1", 3), "A1")
    [decision] = assign([waiting], [make_agent("A1")], NOW, settings)
    assert decision.queued
    assert decision.rationale.reasons[-1].code == "queue.all-declined"


def test_only_the_offered_agent_can_decline() -> None:
    with pytest.raises(ValueError, match="not offered to A2"):
        decline(offered_to("A1", 3), "A2")
    with pytest.raises(ValueError):
        decline(make_transfer(), "A1")


def test_offer_expires_after_the_configured_timeout(settings: RoutingSettings) -> None:
    assert not offer_expired(offered_to("A1", settings.offer_timeout_seconds - 1), NOW, settings)
    assert offer_expired(offered_to("A1", settings.offer_timeout_seconds), NOW, settings)


def test_unanswered_offer_moves_to_the_next_best_agent_after_timeout(settings: RoutingSettings) -> None:
    agents = [make_agent("A1", AgentLevel.JUNIOR), make_agent("A2", AgentLevel.SENIOR)]
    stale = offered_to("A1", 31)
    [decision] = assign([stale], agents, NOW, settings)
    assert (decision.agent_id, decision.timed_out) == ("A2", "A1")
    assert "skip.timeout" in [r.code for r in decision.rationale.reasons]
    moved = apply_assignment(stale, decision, NOW)
    assert (moved.status, moved.offered_to, moved.offered_at) == (TransferStatus.OFFERED, "A2", NOW)
    assert moved.declined_by == ["A1"]


def test_offer_within_timeout_is_left_alone(settings: RoutingSettings) -> None:
    assert assign([offered_to("A1", 10)], [make_agent("A1"), make_agent("A2")], NOW, settings) == []


def test_expired_offer_frees_the_agents_slot_for_others(settings: RoutingSettings) -> None:
    stale = offered_to("A1", 40, make_transfer("TR-stale", waited=50))
    fresh = make_transfer("TR-fresh", waited=1)
    decisions = {d.work_id: d for d in assign([stale, fresh], [make_agent("A1")], NOW, settings)}
    assert decisions["TR-stale"].queued
    assert decisions["TR-fresh"].agent_id == "A1"


def test_applying_a_queued_decision_keeps_transfer_waiting_with_its_reason(settings: RoutingSettings) -> None:
    transfer = make_transfer()
    [decision] = assign([transfer], [], NOW, settings)
    waiting = apply_assignment(transfer, decision, NOW)
    assert waiting.status is TransferStatus.WAITING
    assert waiting.offered_to is None
    assert waiting.rationale == decision.rationale
