"""Callers' everyday words are read in the KB's words (assets/lexicons/kb_thesaurus.yaml)."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import KBArticle
from agentdesk.nlp.demo_kb import demo_articles
from agentdesk.nlp.kb import KBIndex
from agentdesk.nlp.text import normalise
from agentdesk.nlp.thesaurus import rewriter_for as _rewriter_for


def rewriter_for(texts: list[str]):  # type: ignore[no-untyped-def]
    return _rewriter_for(normalise(t) for t in texts)


def test_a_callers_word_becomes_the_kb_word_the_kb_uses() -> None:
    rewrite = rewriter_for(["How much data have I got left?", "Your service PIN is 6 digits."])
    assert rewrite("How many gigs have I got left?") == "how many data have i got left?"
    assert rewrite("I forgot the six-digit number") == "i forgot the service pin"


def test_a_word_the_kb_itself_uses_is_left_alone() -> None:
    # a bank KB that says "activate" keeps the caller's "activate", though the rule would say "turn on"
    rewrite = rewriter_for(["How do I activate my card?", "Turn on notifications"])
    assert rewrite("I want to activate my new card") == "i want to activate my new card"


def test_a_rule_whose_kb_word_the_kb_never_uses_is_not_applied() -> None:
    rewrite = rewriter_for(["How do I activate my card?"])
    assert rewrite("how many gigs are left") == "how many gigs are left"


def test_english_phrases_are_rewritten_as_whole_words_only() -> None:
    rewrite = rewriter_for(["How much data have I got left?"])
    assert rewrite("a gigantic bill") == "a gigantic bill"


def test_chinese_phrases_are_rewritten_inside_a_sentence() -> None:
    rewrite = rewriter_for(["换卡要多久", "新卡激活后约2小时内可以使用"])
    assert rewrite("换卡要多长时间？") == "换卡要多久?"


def _article(id: str, questions: list[str], answer: str) -> KBArticle:
    return KBArticle(
        id=id, language="en", category="data_plans", title=id, questions=questions, answer=answer
    )


def test_colloquial_question_finds_its_article_through_the_kb_word() -> None:
    index = KBIndex(
        [
            _article("data-left", ["How much data have I got left?"], "The app shows your remaining data."),
            _article("contract", ["How do I end my contract early?"], "Ending early costs the months left."),
        ]
    )
    assert index.search("How many gigs have I got left?", language="en").matches[0].article.id == "data-left"


@pytest.mark.skipif(not demo_articles(), reason="demo KB not present")
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "I've gone and forgotten the six-digit number you ask for when I ring up.",
            "en-account_security-001",
        ),
        ("Do I have to switch anything on before I go?", "en-billing-007"),
        ("纸质发票还寄给我吗？", "zh-billing-005"),
        ("我APP上显示欠费了，可我是月初充的值啊", "zh-billing-006"),
    ],
)
def test_everyday_wording_is_answered_from_the_demo_kb(line: str, expected: str) -> None:
    answer = KBIndex(demo_articles()).search(line).answer
    assert answer is not None and answer.article.id == expected


def test_english_words_inside_a_chinese_line_are_read_as_the_chinese_kb_words() -> None:
    # the bilingual KB uses "order" in its English articles; a Chinese line still wants 订单
    rewrite = rewriter_for(["订单状态查询", "How do I check my order?"])
    assert rewrite("我想check一下我的order") == "我想查询一下我的订单"
    assert rewrite("I want to check my order") == "i want to check my order"


def test_chinese_words_inside_an_english_line_are_read_as_the_english_kb_words() -> None:
    rewrite = rewriter_for(["Checking your balance", "流量结转规则", "话费余额查询"])
    assert "balance" in rewrite("can you check my 余额 please").split()
    assert rewrite("我想查一下余额") == "我想查一下余额", "a Chinese line keeps its Chinese words"


def test_a_code_mixed_english_line_finds_the_english_article() -> None:
    answer = KBIndex(demo_articles()).search("can you check my 余额 please").answer
    assert answer is not None and answer.article.id == "en-billing-009"
