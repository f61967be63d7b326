"""Reading KB answers that ask the caller for details, and callers who say goods arrived damaged."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import KBArticle
from agentdesk.nlp.demo_kb import demo_articles
from agentdesk.nlp.intents import detect_damaged_goods
from agentdesk.nlp.kb import KBIndex, details_promise


def _article(answer: str, language: str = "en") -> KBArticle:
    return KBArticle(id="a", language=language, category="complaint_policy", title="t", answer=answer)  # type: ignore[arg-type]


def test_an_answer_that_asks_for_details_and_commits_to_act_gives_its_promise() -> None:
    article = _article(
        "Tell me your address and when it happens, and I'll log a ticket. An engineer will call you within 3 days."
    )
    assert details_promise(article) == "An engineer will call you within 3 days."
    zh = _article("请告诉我详细地址，我会为您登记工单。工程师会在3个工作日内联系您。", "zh")
    assert details_promise(zh) == "工程师会在3个工作日内联系您。"


def test_an_ask_in_the_last_sentence_is_its_own_promise() -> None:
    article = _article("Refunds show in the app. Or tell me the order number and I'll check where it is.")
    assert details_promise(article) == "Or tell me the order number and I'll check where it is."


@pytest.mark.parametrize(
    "answer",
    [
        "申诉时请提供我们的投诉工单号，方便核实处理经过。",  # asks the caller to give the regulator something
        "You can see your bill in the app.",
    ],
)
def test_an_answer_the_bot_does_not_act_on_asks_for_nothing(answer: str) -> None:
    assert details_promise(_article(answer, "zh" if not answer.isascii() else "en")) is None


@pytest.mark.parametrize(
    "line",
    [
        "昨天收到的充电器外壳是裂的。",
        "发错货了，颜色不对",
        "The charger arrived cracked.",
        "They sent the wrong colour.",
    ],
)
def test_goods_that_arrived_damaged_or_wrong_are_heard(line: str) -> None:
    assert detect_damaged_goods(line).found


@pytest.mark.parametrize(
    "line",
    ["外包装没有破损，就是不想要了。", "The box wasn't damaged, I just changed my mind.", "我的信号很差"],
)
def test_undamaged_goods_and_other_problems_are_not_damage(line: str) -> None:
    assert not detect_damaged_goods(line).found


def test_a_follow_up_cut_at_a_semicolon_is_read_as_a_whole_sentence() -> None:
    index = KBIndex(demo_articles(("en",)))
    article = next(a for a in demo_articles(("en",)) if a.title == "Refund timelines")
    assert "; " in article.answer or ";" in article.answer
    part = index.answer_part(article, "how many days will it take to reach my credit card?")
    assert "credit cards 7 to 15" in part and part.endswith(".")
