"""Every routing decision explains itself in Chinese and English."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from agentdesk.config import RoutingSettings
from agentdesk.domain.models import AgentLevel, AgentStatus, EmotionLevel, Tier
from agentdesk.domain.routing import assign
from agentdesk.domain.transfers import TransferStatus

from .conftest import LANGS, NOW, make_agent, make_transfer

HAN = re.compile(r"[\u4e00-\u9fff]")

EXPECTED = {
    "gold-first": {
        "zh": [
            "VIP客户且诉求复杂：优先金牌坐席",
            "会说英语",
            "技能：账单",
            "技能：VIP服务",
            "金牌坐席",
            "负载最低：2路中占用0路",
        ],
        "en": [
            "VIP customer with a complex request: gold agents first",
            "Speaks English",
            "Skill: billing",
            "Skill: VIP service",
            "Gold agent",
            "Least loaded: 0 of 2 calls",
        ],
    },
    "widened": {
        "zh": "已等待3分钟：范围扩大到所有级别",
        "en": "Waited 3 min: pool widened to all levels",
    },
    "waiting": {
        "zh": "等待金牌坐席：50秒后范围扩大到资深坐席",
        "en": "Waiting for a gold agent: pool widens to senior in 50 s",
    },
    "no-capable": {
        "zh": "没有会说英语的坐席",
        "en": "No agent speaks English",
    },
}


@LANGS
def test_rationale_explains_gold_first_language_skill_level_and_load(
    lang: str, settings: RoutingSettings
) -> None:
    gold = make_agent("A1", AgentLevel.GOLD, skills=("billing", "vip"), languages=("zh", "en"), capacity=2)
    [decision] = assign([make_transfer(tier=Tier.VIP, complexity=3, language="en")], [gold], NOW, settings)
    assert decision.rationale.lines(lang) == EXPECTED["gold-first"][lang]


@LANGS
def test_rationale_explains_a_widened_pool(lang: str, settings: RoutingSettings) -> None:
    junior = make_agent("A1")
    [decision] = assign([make_transfer(waited=185, tier=Tier.VIP, complexity=2)], [junior], NOW, settings)
    assert EXPECTED["widened"][lang] in decision.rationale.lines(lang)


@LANGS
def test_queued_rationale_says_when_the_pool_widens(lang: str, settings: RoutingSettings) -> None:
    senior = make_agent("A1", AgentLevel.SENIOR)
    [decision] = assign([make_transfer(waited=10, tier=Tier.VIP, complexity=3)], [senior], NOW, settings)
    assert decision.rationale.lines(lang)[-1] == EXPECTED["waiting"][lang]


@LANGS
def test_queued_rationale_says_no_agent_can_serve_the_request(lang: str, settings: RoutingSettings) -> None:
    [decision] = assign(
        [make_transfer(language="en", request_type="refunds")], [make_agent("A1")], NOW, settings
    )
    assert decision.rationale.lines(lang)[-1] == EXPECTED["no-capable"][lang]


def test_rationale_records_stage_priority_and_decision_time(settings: RoutingSettings) -> None:
    [decision] = assign(
        [make_transfer(waited=120, emotion=EmotionLevel.ANGRY)], [make_agent("A1")], NOW, settings
    )
    assert decision.rationale.stage == 1
    assert decision.rationale.decided_at == NOW
    assert decision.rationale.score == 8.0 + 2.0


def test_every_reason_reads_in_both_languages(settings: RoutingSettings) -> None:
    rng = random.Random(3)
    agents = [
        make_agent(
            f"A{i}",
            rng.choice(list(AgentLevel)),
            skills=tuple(rng.sample(["billing", "refunds", "complaints", "vip", "network_faults"], 2)),
            languages=rng.choice([("zh",), ("en",), ("zh", "en")]),
            status=rng.choice(list(AgentStatus)),
            capacity=2,
        )
        for i in range(12)
    ]
    transfers = []
    for i in range(80):
        transfer = make_transfer(
            f"TR-{i}",
            waited=rng.uniform(0, 400),
            tier=rng.choice(list(Tier)),
            emotion=rng.choice(list(EmotionLevel)),
            complexity=rng.randint(0, 3),
            language=rng.choice(["zh", "en", "mixed"]),
            request_type=rng.choice(["billing", "refunds", "complaint_policy", "network_faults", "general"]),
        )
        if i % 7 == 0:
            transfer = transfer.model_copy(
                update={
                    "status": TransferStatus.OFFERED,
                    "offered_to": "A1",
                    "offered_at": NOW - timedelta(minutes=1),
                }
            )
        transfers.append(transfer)
    seen = set()
    for decision in assign(transfers, agents, NOW, settings):
        for reason in decision.rationale.reasons:
            seen.add(reason.code.split(".")[0])
            assert HAN.search(reason.zh), reason
            assert reason.en and not HAN.search(reason.en), reason
    assert seen >= {"rule", "match", "queue", "skip"}
