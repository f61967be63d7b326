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


@pytest.mark.parametrize(
    "text",
    [
        "Refund me the charge, and on top of that the late fee my bank charged",
        "You should pay for the taxi I had to take",
        "I expect you to cover the costs",
        "手续费和利息也要退给我",
        "这次的损失必须你们承担",
        "误工费你们得赔",
    ],
)
def test_claiming_a_loss_or_its_cost_is_a_compensation_demand(text: str) -> None:
    result = assess_complexity(text)
    assert "compensation" in result.kinds
    assert result.score >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Is there a late payment fee?",
        "How much is the overdraft fee if autopay fails?",
        "逾期会有滞纳金吗？",
        "我要开发票报销",
    ],
)
def test_asking_about_a_fee_is_not_a_compensation_demand(text: str) -> None:
    assert "compensation" not in assess_complexity(text).kinds


@pytest.mark.parametrize(
    ("text", "context"),
    [
        (
            "Oh, and can you check my data usage too?",
            ["I'd like to change the delivery address for my order"],
        ),
        ("顺便帮我查一下话费", ["我的快递地址填错了，想改一下"]),
    ],
)
def test_further_request_in_another_area_is_multiple_issues_across_teams(
    text: str, context: list[str]
) -> None:
    result = assess_complexity(text, context=context)
    assert {"multiple_issues", "cross_department"} <= result.kinds
    assert assess_complexity(text).score == 0


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("And could you check when it will arrive?", ["I'd like to change the delivery address on my order"]),
        ("顺便帮我看看什么时候能送到", ["我的快递地址填错了，想改一下"]),
    ],
)
def test_further_request_on_the_same_topic_is_not_multiple_issues(text: str, context: list[str]) -> None:
    assert "multiple_issues" not in assess_complexity(text, context=context).kinds


@pytest.mark.parametrize(
    "text",
    [
        "我上周买的耳机说三天到，到现在还没到，想投诉一下",
        "I ordered a charger a week ago and it still hasn't come, I'd like to complain",
        "Also, can you check the roaming charges on my bill?",
    ],
)
def test_simple_complaint_or_single_request_stays_simple(text: str) -> None:
    assert assess_complexity(text).score == 0


@pytest.mark.parametrize(
    "text",
    [
        "Hi，我要开个invoice给公司reimburse，抬头要写公司名，还要填那个tax ID吗？",
        "I need an e-invoice so my company can reimburse me.",
        "发票开好了公司给我报销吗？",
    ],
)
def test_an_employer_paying_back_expenses_is_not_a_compensation_demand(text: str) -> None:
    assert assess_complexity(text).score == 0


@pytest.mark.parametrize("text", ["You must reimburse me for the taxi!", "你们必须给我报销打车费"])
def test_asking_us_to_pay_back_a_cost_is_still_a_compensation_demand(text: str) -> None:
    assert "compensation" in {r.kind for r in assess_complexity(text).reasons}


@pytest.mark.parametrize(
    "text",
    [
        "While I've got you, I'd like to complain about order LC20261118-3415. It still hasn't been sent.",
        "另外我要投诉一下，订单LC20261115-0428到现在还没发货",
    ],
)
def test_a_complaint_about_an_order_is_the_order_teams_not_a_second_department(text: str) -> None:
    assert "cross_department" not in assess_complexity(text).kinds


def test_once_one_of_several_issues_is_dealt_with_a_dispute_left_is_one_issue() -> None:
    both = assess_complexity("What's my balance, and also why was I charged twice this month?")
    assert {"dispute", "multiple_issues"} <= both.kinds and both.score == 2
    left = both.one_issue()
    assert left.kinds == {"dispute"} and left.score == 1


@pytest.mark.parametrize(
    "text",
    [
        "I want to complain about the rude staff in your shop, and also my bill is wrong this month.",
        "我要投诉营业厅工作人员态度恶劣，另外这个月话费也多扣了",
    ],
)
def test_a_complaint_about_staff_beside_a_billing_problem_spans_two_departments(text: str) -> None:
    assert "cross_department" in assess_complexity(text).kinds
