"""Hallucination guards, Simplified output, error-rate normalisation, output formats, scripted events."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.domain.models import Speaker
from agentdesk.speech.events import Final, Partial
from agentdesk.speech.formats import to_json, to_srt, to_txt
from agentdesk.speech.guards import clean_text, collapse_repeats, is_credit_phrase
from agentdesk.speech.scoring import ErrorRate, chinese_chars, english_words, error_rate
from agentdesk.speech.scripted import ScriptedTranscriber, ScriptedTurn, load_turns

from .conftest import SAMPLE_CALLS, sample_calls


@pytest.mark.parametrize(
    "text",
    ["Thanks for watching!", " Thank you for watching.", "字幕由Amara.org社群提供", "字幕由Amara.org社群提供",
     "請不吝點贊 訂閱 轉發 打賞支持明鏡與點點欄目", "Subtitles by the Amara.org community"],
)  # fmt: skip
def test_subtitle_credits_whisper_invents_on_silence_are_dropped(text: str) -> None:
    assert is_credit_phrase(text)
    assert clean_text(text, None) == ""


@pytest.mark.parametrize("text", ["Thank you.", "Thanks for calling.", "I watched the order page", "谢谢您"])
def test_ordinary_thanks_are_kept(text: str) -> None:
    assert clean_text(text, "en") == text


def test_repetition_loops_collapse_but_numbers_and_short_repeats_stay() -> None:
    assert (
        collapse_repeats("I want a refund. I want a refund. I want a refund. I want a refund.")
        == "I want a refund."
    )
    assert collapse_repeats("好的好的好的好的好的好的") == "好的"
    assert collapse_repeats("No, no, no.") == "No, no, no."
    assert collapse_repeats("a fee of 10000 yuan") == "a fee of 10000 yuan"


def test_chinese_comes_out_in_simplified_characters() -> None:
    assert clean_text("廣州市房地產中介協會分析", "zh") == "广州市房地产中介协会分析"
    assert clean_text("Order status", "zh") == "Order status"


def test_cer_ignores_script_punctuation_and_how_numbers_are_written() -> None:
    assert chinese_chars("您好，11月16日缴费158元！") == chinese_chars("您好11月16日繳費一百五十八元")
    assert "".join(chinese_chars("2017年以前")) == "二零一七年以前"
    assert "".join(chinese_chars("订单LC20261108-2251")) == "订单lc二零二六一一零八二二五一"
    assert error_rate("两百GB", "200GB", "zh").errors == 0
    assert error_rate("你好", "你们好", "zh").errors == 1


def test_wer_ignores_case_punctuation_number_style_and_spelling() -> None:
    assert english_words("It's LC20261221-5518, by 10:00 on the 5th!") == english_words(
        "its L C 2026 1221 5518 by 10 o'clock on the fifth"
    )
    assert (
        error_rate(
            "Your adviser will call within 3 days.", "your advisor will call within three days", "en"
        ).errors
        == 0
    )
    assert error_rate("the big cat", "the red cat sat", "en") == ErrorRate(2, 3)


def test_srt_txt_and_json_list_utterances_in_time_order() -> None:
    finals = [
        Final("b", 0, Speaker.CUSTOMER, "I want a refund.", 4.0, 6.5, "en", 0.0),
        Final("a", 1, Speaker.AGENT, "How can I help?", 0.25, 2.0, "en", 0.0),
        Final("c", 1, Speaker.AGENT, "", 7.0, 7.5, "en", 0.0),  # a retraction, not a line
    ]
    assert to_txt(finals, labelled=True) == "agent: How can I help?\ncustomer: I want a refund.\n"
    assert to_srt(finals).startswith("1\n00:00:00,250 --> 00:00:02,000\nHow can I help?\n\n2\n00:00:04,000")
    assert '"speaker": "customer"' in to_json(finals, {"file": "x.flac"})


def test_scripted_transcriber_speaks_each_turn_on_its_timings() -> None:
    turns = [
        ScriptedTurn(Speaker.BOT, "How can I help you today?", 0.5, 2.5),
        ScriptedTurn(Speaker.CUSTOMER, "我要退款", 3.0, 4.0),
    ]
    events = list(ScriptedTranscriber(turns, partial_interval=0.5, final_delay=0.3).replay(speed=0))
    finals = [e for e in events if e.final]
    assert [(f.text, f.channel, f.speaker, f.end) for f in finals] == [
        ("How can I help you today?", 1, Speaker.BOT, 2.5),
        ("我要退款", 0, Speaker.CUSTOMER, 4.0),
    ]
    bot_partials = [e.text for e in events if isinstance(e, Partial) and e.channel == 1]
    assert bot_partials and all("How can I help you today?".startswith(p) for p in bot_partials)
    assert len(set(bot_partials)) > 1  # the text grows as the turn plays


def test_scripted_transcriber_reads_a_sample_call_with_timings() -> None:
    script = sample_calls("en")[0] if sample_calls("en") else pytest.skip("sample-call audio not built")
    language, turns = load_turns(script)
    finals = [e for e in ScriptedTranscriber.from_script(script).replay(speed=0) if e.final]
    assert language == "en" and [f.text for f in finals] == [t.text for t in turns]


def test_a_script_without_timings_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "call.yaml"
    script.write_text("id: x\nlanguage: en\nturns:\n  - {speaker: bot, text: Hello}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="build_audio"):
        load_turns(script)
    assert SAMPLE_CALLS.is_dir()
