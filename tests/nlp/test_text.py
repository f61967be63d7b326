from __future__ import annotations

import subprocess
import sys

import pytest

from agentdesk.nlp.text import detect_language, english_words, normalise, search_terms, stem, tokens, zh_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想查一下这个月的话费", "zh"),
        ("我的iPhone屏幕坏了", "zh"),
        ("How do I top up my phone?", "en"),
        ("I want to 退款 my order", "mixed"),
        ("我要 refund 这个 order", "mixed"),
    ],
)
def test_language_is_detected_from_han_share(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_text_without_letters_gets_the_default_language() -> None:
    assert detect_language("12345 !!!", default="en") == "en"


def test_traditional_and_full_width_text_is_folded_to_simplified_half_width() -> None:
    assert normalise("我的帳單　ＡＢＣ") == "我的账单 abc"


@pytest.mark.parametrize(("text", "word"), [("我想申请退款", "退款"), ("话费多扣了", "话费")])
def test_chinese_words_come_from_jieba(text: str, word: str) -> None:
    assert word in zh_words(text)


def test_english_words_keep_negations_whole() -> None:
    assert english_words("I don't want THIS") == ["i", "don't", "want", "this"]


@pytest.mark.parametrize(
    ("word", "expected"), [("refunds", "refund"), ("charged", "charg"), ("2024", "2024")]
)
def test_english_words_are_stemmed(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_tokens_mix_chinese_words_and_english_stems_in_order() -> None:
    assert tokens("退款 refunds") == ["退款", "refund"]


@pytest.mark.parametrize(
    ("text", "term"),
    [("我要申请退款单", "退款"), ("帳單怎麼看", "账单"), ("Refunds are slow", "refund")],
)
def test_search_terms_contain_two_character_words_and_stems(text: str, term: str) -> None:
    assert term in search_terms(text)


@pytest.mark.parametrize("text", ["我的", "the and of", "请问一下"])
def test_stop_words_alone_give_no_search_terms(text: str) -> None:
    assert search_terms(text) == []


def test_jieba_loads_without_writing_to_stderr() -> None:
    code = "from agentdesk.nlp.text import zh_words; print(zh_words('我想申请退款'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "退款" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("form", "base"), [("paid", "pay"), ("sent", "send"), ("bought", "buy"), ("stolen", "steal")]
)
def test_irregular_verb_forms_share_the_stem_of_their_base(form: str, base: str) -> None:
    assert stem(form) == stem(base)
    assert stem(base) in search_terms(f"I {form} it")
