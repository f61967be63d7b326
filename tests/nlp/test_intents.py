from __future__ import annotations

import pytest

from agentdesk.domain.models import KBArticle
from agentdesk.nlp.intents import CATEGORIES, classify_request, detect_dissatisfaction, detect_human_request
from agentdesk.nlp.kb import KBIndex


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("转人工", "转人工"),
        ("我要找人工客服", "找人工"),
        ("我不想跟机器人说话，给我转人工", "转人工"),
        ("能不能让真人来接", "真人"),
        ("Can I speak to a human please?", "speak to a human"),
        ("I want a real person", "a real person"),
        ("representative", "representative"),
        ("get me an agent", "an agent"),
        ("Okay. Can someone do it for me now?", "can someone do it"),
    ],
)
def test_request_for_human_is_detected_with_its_cue(text: str, cue: str) -> None:
    result = detect_human_request(text)
    assert result.found
    assert result.confidence >= 0.5
    assert cue in result.evidence


@pytest.mark.parametrize(
    "text",
    [
        "不要人工，我自己查",
        "不用转人工了",
        "我不需要人工服务",
        "别转人工",
        "No need for an agent, thanks",
        "I don't want to talk to a human",
    ],
)
def test_negated_request_for_human_is_not_a_request(text: str) -> None:
    result = detect_human_request(text)
    assert not result.found
    assert any(c.negated for c in result.cues)


@pytest.mark.parametrize(
    "text",
    [
        "为什么不能转人工？",
        "不转人工我就投诉",
        "Why can't I talk to a human?",
        "I don't want a bot, I want a real person",
    ],
)
def test_complaint_about_not_getting_a_human_is_still_a_request(text: str) -> None:
    assert detect_human_request(text).found


@pytest.mark.parametrize(
    ("weak", "asked"),
    [("你们客服态度太差了", "帮我找客服"), ("my travel agent booked it", "get me an agent")],
)
def test_weak_cue_needs_a_request_verb(weak: str, asked: str) -> None:
    assert not detect_human_request(weak).found
    assert detect_human_request(asked).found


@pytest.mark.parametrize("text", ["我想查一下话费", "How do I top up?", "人家说这个很好用"])
def test_ordinary_question_is_not_a_request_for_human(text: str) -> None:
    assert not detect_human_request(text).found


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("这个回答没用", "没用"),
        ("不是这个意思", "不是这个意思"),
        ("还是不行啊", "还是不行"),
        ("你听不懂我说话吗", "你听不懂"),
        ("That doesn't help", "doesn't help"),
        ("That's not what I asked", "that's not what i asked"),
        ("It's still not working", "still not working"),
        # politely: "I know that, but…", "that still doesn't match", "you haven't got to my question"
        ("嗯，这个我了解，可发票已经开出来了", "我了解,可"),
        ("我说的是手机订单那张，好像还是对不上", "还是对不上"),
        ("唉，还是没说到我的问题上", "没说到我的问题"),
    ],
)
def test_dissatisfaction_is_detected_with_its_cue(text: str, cue: str) -> None:
    result = detect_dissatisfaction(text)
    assert result.found
    assert result.evidence[0] == cue


@pytest.mark.parametrize("text", ["好的，谢谢，明白了", "Thanks, that's clear", "我想办理流量包"])
def test_satisfied_reply_is_not_dissatisfaction(text: str) -> None:
    result = detect_dissatisfaction(text)
    assert not result.found
    assert result.confidence == 0.0


def test_several_dissatisfaction_cues_raise_confidence() -> None:
    one = detect_dissatisfaction("没用")
    two = detect_dissatisfaction("没用，还是不行，答非所问")
    assert two.confidence > one.confidence


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("我想退款", "refunds"),
        ("这个月话费怎么扣了这么多", "billing"),
        ("流量不够用了", "data_plans"),
        ("我的快递还没到", "orders_delivery"),
        ("密码忘了登录不上", "account_security"),
        ("我要投诉你们", "complaint_policy"),
        ("I want my money back, please refund me", "refunds"),
        ("My parcel hasn't arrived", "orders_delivery"),
        ("I forgot my password", "account_security"),
        ("Why is my bill so high?", "billing"),
    ],
)
def test_request_type_maps_to_kb_category(text: str, category: str) -> None:
    result = classify_request(text)
    assert result.category == category
    assert result.evidence
    assert 0.0 < result.confidence <= 1.0


@pytest.mark.parametrize("text", ["今天天气不错", "Nice weather today"])
def test_request_without_cues_is_general(text: str) -> None:
    result = classify_request(text)
    assert result.category == "general"
    assert result.category in CATEGORIES


def test_kb_result_votes_for_its_article_category(small_kb: list[KBArticle]) -> None:
    text = "包裹几天能送到"
    kb_result = KBIndex(small_kb).search(text)
    result = classify_request(text, kb_result)
    assert result.category == "orders_delivery"
    assert any(e.startswith("kb:") for e in result.evidence)
