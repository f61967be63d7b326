from __future__ import annotations

import pytest

from agentdesk.domain.models import EmotionLevel
from agentdesk.nlp.emotion import assess_emotion, emotion_trend, polarity


@pytest.mark.parametrize(
    "text",
    [
        "你好，我想查一下这个月的话费",
        "请问流量包怎么买",
        "Hi, I'd like to check my balance",
        "How do I change my plan?",
    ],
)
def test_neutral_request_is_calm(text: str) -> None:
    result = assess_emotion(text)
    assert result.level == EmotionLevel.CALM
    assert result.cues == () or all(c.kind != "negative" for c in result.cues)


@pytest.mark.parametrize("text", ["送货有点慢", "It was a bit slow"])
def test_diminished_complaint_is_mild(text: str) -> None:
    assert assess_emotion(text).level == EmotionLevel.MILD


@pytest.mark.parametrize("text", ["你们的服务太差了", "This service is really terrible"])
def test_intensified_complaint_is_upset(text: str) -> None:
    assert assess_emotion(text).level == EmotionLevel.UPSET


@pytest.mark.parametrize(
    "text",
    [
        "气死我了，你们这帮骗子",
        "你们这什么垃圾服务",
        "I am furious with you",
        "This is fucking useless",
        "I'm fed up with this",
    ],
)
def test_anger_words_and_swearing_make_a_line_angry(text: str) -> None:
    result = assess_emotion(text)
    assert result.level == EmotionLevel.ANGRY
    assert any(c.kind in ("anger", "profanity") for c in result.cues)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("再不解决我就去工信部投诉，还要找媒体曝光", "工信部"),
        ("I'll take this to Ofcom and the ombudsman", "ofcom"),
    ],
)
def test_regulator_or_media_threat_is_a_cue(text: str, cue: str) -> None:
    result = assess_emotion(text)
    assert result.level >= EmotionLevel.UPSET
    assert any(c.kind == "threat" and c.text == cue for c in result.cues)


@pytest.mark.parametrize(
    ("plain", "negated"), [("我很满意", "我不满意"), ("I am happy with it", "I am not happy with it")]
)
def test_negation_turns_praise_into_complaint(plain: str, negated: str) -> None:
    assert polarity(plain) > 0
    assert polarity(negated) < 0
    assert assess_emotion(negated).level >= EmotionLevel.MILD


@pytest.mark.parametrize("text", ["我不是不满意，只是想问问", "Not bad at all"])
def test_negated_complaint_is_not_negative(text: str) -> None:
    result = assess_emotion(text)
    assert result.level == EmotionLevel.CALM
    assert result.polarity >= 0
    assert any(c.negated for c in result.cues)


@pytest.mark.parametrize("text", ["我一点也不生气", "I'm not angry, just confused"])
def test_negated_anger_is_not_anger(text: str) -> None:
    assert assess_emotion(text).level < EmotionLevel.ANGRY


@pytest.mark.parametrize(
    ("plain", "strong"), [("服务差", "服务太差"), ("service was bad", "service was extremely bad")]
)
def test_intensifier_strengthens_a_cue(plain: str, strong: str) -> None:
    assert assess_emotion(strong).negative > assess_emotion(plain).negative


@pytest.mark.parametrize(
    ("plain", "loud"),
    [
        ("送餐太慢了", "送餐太慢了！！！"),
        ("this is bad", "THIS IS BAD"),
        ("没有送水", "没有送水没有送水没有送水"),
    ],
)
def test_exclamation_shouting_and_repetition_raise_negativity(plain: str, loud: str) -> None:
    a, b = assess_emotion(plain), assess_emotion(loud)
    assert b.negative > a.negative
    assert b.level >= a.level
    assert any(c.kind in ("exclamation", "shouting", "repetition") for c in b.cues)


@pytest.mark.parametrize(
    "text", ["服务很好，但是送货太慢了", "The staff were nice but the delivery was terrible"]
)
def test_clause_after_contrast_decides_polarity(text: str) -> None:
    assert polarity(text) < 0


@pytest.mark.parametrize("text", ["非常满意，谢谢你们", "Thanks, that was really helpful"])
def test_praise_has_positive_polarity_and_calm_level(text: str) -> None:
    result = assess_emotion(text)
    assert result.polarity > 0.3
    assert result.level == EmotionLevel.CALM


def test_reasons_name_the_cues_strongest_first() -> None:
    result = assess_emotion("太差了，我要投诉")
    assert result.reasons[0].startswith("太差")
    assert any("投诉" in r for r in result.reasons)


def test_polarity_lies_in_unit_interval() -> None:
    for text in ["太差太差太差了！！！垃圾！骗子！", "完美！非常满意！强烈推荐！", ""]:
        assert -1.0 <= polarity(text) <= 1.0


@pytest.mark.parametrize(
    ("levels", "direction", "max_rise"),
    [
        ([0, 0, 1, 2, 3], "rising", 3),
        ([3, 3, 2, 1, 0], "falling", 0),
        ([1, 1, 1, 1], "steady", 0),
        ([1, 2, 1, 2, 1, 2], "steady", 1),
        ([], "steady", 0),
    ],
)
def test_trend_over_a_call(levels: list[int], direction: str, max_rise: int) -> None:
    trend = emotion_trend(levels)
    assert trend.direction == direction
    assert trend.max_rise == max_rise


def test_trend_reports_current_and_peak_levels() -> None:
    trend = emotion_trend([EmotionLevel.MILD, EmotionLevel.ANGRY, EmotionLevel.UPSET])
    assert trend.current == EmotionLevel.UPSET
    assert trend.peak == EmotionLevel.ANGRY


@pytest.mark.parametrize(
    "text",
    [
        "Could you help me, my broadband has been really slow all week",
        "I'd like to report a problem, the reception at my office is very poor",
        "麻烦您帮我看一下，我家宽带特别慢",
        "您好，我想反映一下，小区的信号非常差",
    ],
)
def test_politely_framed_complaint_is_at_most_mild(text: str) -> None:
    result = assess_emotion(text)
    assert result.level <= EmotionLevel.MILD
    assert result.is_negative
    assert any(c.kind == "polite" for c in result.cues)


@pytest.mark.parametrize(
    "text",
    [
        "Please, this is absolutely ridiculous!!",
        "I'd like to say I'm furious with you",
        "麻烦你们搞快点！！太差了！！",
        "请你们给个说法，气死我了",
    ],
)
def test_politeness_does_not_calm_anger_or_agitation(text: str) -> None:
    result = assess_emotion(text)
    assert result.level == EmotionLevel.ANGRY
    assert all(c.kind != "polite" for c in result.cues)


@pytest.mark.parametrize(
    ("text", "negative"),
    [("服务非常差", True), ("信号特别差", True), ("不断掉线", True), ("非常好", False), ("特别满意", False)],
)
def test_word_containing_a_negator_character_does_not_negate(text: str, negative: bool) -> None:
    result = assess_emotion(text)
    assert result.is_negative is negative
    assert not any(c.negated for c in result.cues)


@pytest.mark.parametrize(
    "text",
    ["Give me my money back, this is a joke", "I want my money back now!", "把钱退给我！你们这是骗人！"],
)
def test_demanding_money_back_is_not_calm(text: str) -> None:
    assert assess_emotion(text).level >= EmotionLevel.MILD


@pytest.mark.parametrize("text", ["Give me my money back, this is a joke", "把钱退给我！你们这是骗人！"])
def test_demanding_money_back_with_more_negativity_is_upset(text: str) -> None:
    assert assess_emotion(text).level >= EmotionLevel.UPSET


def test_capital_i_in_contractions_is_not_shouting() -> None:
    result = assess_emotion("I'm sorry but I'd like to know why I'm paying more")
    assert all(c.kind != "shouting" for c in result.cues)


def test_saying_an_answer_was_no_use_while_naming_the_problem_is_mild_not_upset() -> None:
    assert assess_emotion("你说的没用，我就是想知道为啥慢。").level == 1


@pytest.mark.parametrize(
    "text",
    [
        "我不是来吵架的，就要个说法。要是还这么推，我就去12315和消费者协会反映。",
        "I'm not shouting, but if it's not sorted this week I'll take it to Ofcom and the ombudsman.",
    ],
)
def test_a_caller_who_says_they_are_calm_while_threatening_a_regulator_is_upset_not_angry(text: str) -> None:
    result = assess_emotion(text)
    assert result.level == EmotionLevel.UPSET
    assert any(c.kind == "composed" for c in result.cues) and any(c.kind == "threat" for c in result.cues)


@pytest.mark.parametrize(
    "text",
    [
        "我不是来吵架的！！你们再这样推，我就去12315和消费者协会！！",
        "I'm not shouting, but you lot are useless and I'll take it to Ofcom and the ombudsman!",
    ],
)
def test_saying_so_does_not_calm_a_line_that_shouts_or_rages(text: str) -> None:
    assert assess_emotion(text).level == EmotionLevel.ANGRY
