from __future__ import annotations

import pytest

from agentdesk.nlp.intents import (
    detect_acknowledgement,
    detect_closing,
    detect_complaint,
    detect_unresolved,
)
from agentdesk.nlp.moves import asked_sentence, refers_back, second_question


@pytest.mark.parametrize(
    "text",
    [
        "That's everything, cheers.",
        "No, that's all for now, thank you",
        "Bye then, have a good day",
        "就这些，谢谢你",
        "没别的了，再见",
        "好的，没有了，谢谢",
    ],
)
def test_closing_line_is_recognised_with_nothing_left_to_answer(text: str) -> None:
    result = detect_closing(text)
    assert result.found
    assert result.remainder == ""
    assert result.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, and how do I check my data?",
        "Thanks, but I still can't log in",
        "谢谢，那退款什么时候到？",
        "谢谢，不过流量还是用不了",
    ],
)
def test_thanks_followed_by_a_question_or_a_problem_is_not_a_closing(text: str) -> None:
    result = detect_closing(text)
    assert not result.found
    assert result.remainder


@pytest.mark.parametrize("text", ["Thanks for nothing", "Thank you for nothing, really."])
def test_sarcastic_thanks_is_not_a_closing(text: str) -> None:
    assert not detect_closing(text).found


@pytest.mark.parametrize("text", ["流量没有了", "我的余额没了", "There's no signal"])
def test_short_closing_words_inside_a_sentence_do_not_close(text: str) -> None:
    assert not detect_closing(text).found


@pytest.mark.parametrize(
    "text",
    [
        "Alright, got it.",
        "Fair enough.",
        "Understood, I'll try that",
        "好的，我知道了",
        "嗯，明白",
        "可以，就这么办",
    ],
)
def test_acknowledgement_is_recognised(text: str) -> None:
    result = detect_acknowledgement(text)
    assert result.found
    assert result.remainder == ""


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("OK, please send me the link then", "send me the link"), ("好吧，那麻烦你们尽快处理", "尽快处理")],
)
def test_acknowledgement_followed_by_a_request_keeps_the_request(text: str, wanted: str) -> None:
    result = detect_acknowledgement(text)
    assert result.found
    assert wanted in result.remainder
    assert result.confidence < detect_acknowledgement("OK.").confidence


@pytest.mark.parametrize(
    "text",
    [
        "Okay, but why is my bill so high?",
        "OK so my data runs out too fast",
        "好的，那我的话费怎么这么高？",
        "对，可是退款还没到",
        "Okay?",
        "好吗？",
    ],
)
def test_acknowledgement_then_a_question_or_new_topic_is_not_just_an_acknowledgement(text: str) -> None:
    assert not detect_acknowledgement(text).found


@pytest.mark.parametrize("text", ["好像我的账单不对", "银行卡被扣了两次", "Right now my internet is down"])
def test_acknowledgement_words_inside_other_words_do_not_count(text: str) -> None:
    assert not detect_acknowledgement(text).found


@pytest.mark.parametrize(
    "text",
    [
        "Still no sign of the parcel.",
        "I tried that already and it made no difference",
        "I've looked everywhere. Nothing.",
        "都找过了，还是没有",
        "试过了，没效果",
        "问了前台，都没有",
    ],
)
def test_report_that_the_suggested_step_failed_is_unresolved(text: str) -> None:
    result = detect_unresolved(text)
    assert result.found
    assert result.evidence


@pytest.mark.parametrize("text", ["Nothing.", "I've asked my neighbour", "我查过了"])
def test_bare_outcome_or_bare_attempt_alone_is_not_enough(text: str) -> None:
    assert not detect_unresolved(text).found


@pytest.mark.parametrize("text", ["I haven't tried restarting it yet", "I didn't check the lobby"])
def test_negated_attempt_is_not_unresolved(text: str) -> None:
    assert not detect_unresolved(text).found


@pytest.mark.parametrize("text", ["没有，谢谢", "No, nothing else, thanks"])
def test_closing_is_never_unresolved(text: str) -> None:
    assert detect_closing(text).found
    assert not detect_unresolved(text).found


@pytest.mark.parametrize(
    "text",
    [
        "I want to lodge a formal complaint about your engineer",
        "I'm really not happy with the service I've had",
        "我要投诉你们的快递员",
        "你们的服务态度太差了，我要反映一下",
    ],
)
def test_complaint_is_detected(text: str) -> None:
    result = detect_complaint(text)
    assert result.found
    assert result.evidence


@pytest.mark.parametrize("text", ["I'm not complaining, I just want to know", "我不是要投诉，就是问一下"])
def test_negated_complaint_is_not_a_complaint(text: str) -> None:
    result = detect_complaint(text)
    assert not result.found
    assert any(c.negated for c in result.cues)


@pytest.mark.parametrize("text", ["How do I top up?", "流量怎么查", "Thanks, that's all"])
def test_ordinary_line_is_not_a_complaint(text: str) -> None:
    assert not detect_complaint(text).found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("没用完的流量下个月还能用不，还有买那个流量包咋买？", "买那个流量包咋买"),
        ("Will my data carry over? And also, how do I buy an add-on?", "how do i buy an add-on"),
        ("Can I pay by card, and how long does it take to show?", "how long does it take to show"),
        ("Okay. For resetting it, what all details will they ask me?", None),
        ("How do I reset my PIN?", None),
    ],
)
def test_a_second_question_is_the_one_joined_on_with_and_also_or_还有(
    text: str, expected: str | None
) -> None:
    assert second_question(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Right. And does that cover ringing home as well, or is that extra?", True),
        ("那个加油包要是买了用不完，能退不？", True),
        ("How do I reset my PIN?", False),
    ],
)
def test_a_line_with_that_or_it_points_back_at_what_was_just_said(text: str, expected: bool) -> None:
    assert refers_back(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fifteen working days, that is quite long. Where can I see if it is processed or not?",
            "Where can I see if it is processed or not?",
        ),
        (
            "Right. And does that cover ringing home as well, or is that extra?",
            "And does that cover ringing home as well, or is that extra?",
        ),
        ("好的。那个加油包要是买了用不完，能退不？", "那个加油包要是买了用不完，能退不？"),
        ("I paid by card.", "I paid by card."),
    ],
)
def test_the_question_asked_is_the_last_sentence_with_a_question_mark(text: str, expected: str) -> None:
    assert asked_sentence(text) == expected


def test_an_everyday_if_or_also_does_not_point_back() -> None:
    assert not refers_back("如果我明天去营业厅可以吗？")
    assert not refers_back("我也想问一下宽带")
