"""The desk explains one transfer's route with the reasons the supervisor's queue shows."""

from __future__ import annotations

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import AgentLevel, AgentStatus, Tier
from agentdesk.domain.routing import assign
from agentdesk.domain.routing_explain import route_of
from agentdesk.domain.transfers import TransferStatus

from .conftest import LANGS, NOW, make_agent, make_transfer


@LANGS
def test_a_waiting_transfer_names_the_agent_and_reasons_the_supervisor_sees(
    lang: str, settings: RoutingSettings
) -> None:
    gold = make_agent("A1", AgentLevel.GOLD, skills=("billing", "vip"), languages=("zh", "en"), capacity=2)
    junior = make_agent("A2")
    vip = make_transfer("TR-V", tier=Tier.VIP, complexity=3, language="en")
    routine = make_transfer("TR-R", waited=30)
    route = route_of(vip, [routine, vip], [gold, junior], NOW, settings)
    plan = {d.work_id: d for d in assign([routine, vip], [gold, junior], NOW, settings)}
    assert route is not None and route.agent_id == "A1" and not route.held
    assert route.rationale.lines(lang) == plan["TR-V"].rationale.lines(lang)


@LANGS
def test_a_waiting_transfer_nobody_can_take_says_why_it_is_queued(
    lang: str, settings: RoutingSettings
) -> None:
    transfer, agents = make_transfer(language="en", request_type="refunds"), [make_agent("A1")]
    route = route_of(transfer, [], agents, NOW, settings)
    [decision] = assign([transfer], agents, NOW, settings)
    assert route is not None and route.agent_id is None
    assert route.rationale.lines(lang) == decision.rationale.lines(lang)  # the queue's own reason


def test_a_claimed_call_is_explained_for_the_agent_holding_it(settings: RoutingSettings) -> None:
    # The agent now holds the call (one active call, busy); the reasons are those routing
    # gives for them with that slot free: load "0 of 1", not "no free agent".
    agent = make_agent("A1", status=AgentStatus.BUSY, active=1)
    claimed = make_transfer().model_copy(update={"status": TransferStatus.CLAIMED, "claimed_by": "A1"})
    route = route_of(claimed, [], [agent], NOW, settings)
    assert route is not None and route.held and route.matched and route.agent_id == "A1"
    assert route.rationale.lines("en")[-1] == "Least loaded: 0 of 1 call"
    assert "Speaks Chinese" in route.rationale.lines("en")


def test_an_offer_keeps_the_reasons_it_was_made_with(settings: RoutingSettings) -> None:
    agent = make_agent("A1")
    [decision] = assign([make_transfer()], [agent], NOW, settings)
    offered = make_transfer().model_copy(
        update={"status": TransferStatus.OFFERED, "offered_to": "A1", "rationale": decision.rationale}
    )
    route = route_of(offered, [offered], [agent], NOW, settings)
    assert route is not None and route.held and route.rationale == decision.rationale


def test_a_finished_transfer_has_no_route(settings: RoutingSettings) -> None:
    done = make_transfer().model_copy(update={"status": TransferStatus.COMPLETED})
    assert route_of(done, [], [make_agent("A1")], NOW, settings) is None


def test_a_call_taken_by_an_agent_routing_would_not_pick_says_what_routing_wanted(
    settings: RoutingSettings,
) -> None:
    junior = make_agent("A1", status=AgentStatus.BUSY, active=1)
    vip = make_transfer(waited=10, tier=Tier.VIP, complexity=3)
    claimed = vip.model_copy(update={"status": TransferStatus.CLAIMED, "claimed_by": "A1"})
    route = route_of(claimed, [], [junior], NOW, settings)
    assert route is not None and route.agent_id == "A1" and not route.matched
    assert route.rationale.lines("en")[0] == "VIP customer with a complex request: gold agents first"
