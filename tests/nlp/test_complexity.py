from __future__ import annotations

import pytest

from agentdesk.nlp.complexity import assess_complexity


@pytest.mark.parametrize("text", ["我想查一下流量", "How do I top up my phone?"])
def test_simple_request_has_no_complexity(text: str) -> None:
    result = assess_complexity(text)
    assert result.score == 0
    assert result.reasons == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("这笔扣费我不认可，我从来没订过这个业务", "dispute"),
        ("I never authorised this payment, I was charged twice", "dispute"),
        ("你们必须赔偿我的损失", "compensation"),
        ("I expect compensation for this", "compensation"),
        ("我已经被转来转去好几次了", "cross_department"),
        ("I've been passed around between departments", "cross_department"),
        ("还有一个问题，我的宽带也断了", "multiple_issues"),
        ("Another issue: my parcel never arrived", "multiple_issues"),
    ],
)
def test_complexity_reason_is_detected_with_evidence(text: str, kind: str) -> None:
    result = assess_complexity(text)
    assert kind in result.kinds
    assert result.score >= 1
    reason = next(r for r in result.reasons if r.kind == kind)
    assert reason.evidence


@pytest.mark.parametrize("text", ["再不解决我就打12315", "I'm going to report you to the ombudsman"])
def test_regulator_threat_scores_at_least_two(text: str) -> None:
    result = assess_complexity(text)
    assert "threat" in result.kinds
    assert result.score >= 2


@pytest.mark.parametrize(
    "text",
    [
        "话费多扣了五十块，我要你们赔偿，不然我去工信部投诉",
        "I was charged twice, I want compensation, and also my parcel never arrived",
    ],
)
def test_dispute_with_compensation_and_threat_is_most_complex(text: str) -> None:
    result = assess_complexity(text)
    assert result.score == 3
    assert len(result.reasons) >= 2


def test_keywords_of_two_teams_make_a_cross_department_case() -> None:
    result = assess_complexity("我的快递没收到，而且话费也扣错了")
    assert {"multiple_issues", "cross_department"} <= result.kinds
