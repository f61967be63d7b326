"""Real faster-whisper on real audio: sample calls, silence, noise, speakers, languages, corpora."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentdesk.calls.audio import audio_for, load_turns
from agentdesk.speech.corpus import channel_text, evaluate, load_corpus, transcribe_samples
from agentdesk.speech.decode import load_audio
from agentdesk.speech.events import Final
from agentdesk.speech.guards import to_simplified
from agentdesk.speech.scoring import ErrorRate, error_rate
from agentdesk.speech.sources import FileSource
from agentdesk.speech.streaming import StreamingTranscriber
from agentdesk.speech.whisper import WhisperTranscriber

from .conftest import FIXTURES, sample_calls


def _call_errors(transcriber: WhisperTranscriber, script: Path) -> tuple[ErrorRate, list[Final]]:
    """Errors of a call transcribed live-style, each channel against its own speaker's lines."""
    language, turns = load_turns(script)
    finals = transcribe_samples(transcriber, load_audio(audio_for(script)), language)
    sep = "" if language == "zh" else " "
    total = ErrorRate(0, 0)
    for channel in (0, 1):
        reference = sep.join(t.text for t in turns if t.channel == channel)
        total += error_rate(reference, channel_text(finals, channel, language), language)
    return total, finals


def _total(transcriber: WhisperTranscriber, language: str) -> ErrorRate:
    scripts = sample_calls(language)
    if not scripts:
        pytest.skip(f"no {language} sample-call audio (run sample_calls/build_audio.py)")
    return sum((_call_errors(transcriber, s)[0] for s in scripts), ErrorRate(0, 0))


def test_english_sample_calls_have_wer_within_15_percent_with_tiny_en(tiny: WhisperTranscriber) -> None:
    assert _total(tiny, "en").rate <= 0.15


@pytest.mark.slow
def test_mandarin_sample_calls_have_cer_within_15_percent_with_base(base: WhisperTranscriber) -> None:
    assert _total(base, "zh").rate <= 0.15


@pytest.mark.slow
def test_mandarin_output_is_simplified_and_punctuated(base: WhisperTranscriber) -> None:
    script = sample_calls("zh")[0] if sample_calls("zh") else pytest.skip("no zh sample-call audio")
    _, finals = _call_errors(base, script)
    text = "".join(f.text for f in finals)
    assert text and to_simplified(text) == text
    assert all(f.language == "zh" for f in finals)


@pytest.mark.parametrize("name", ["silence_60s.flac", "noise_60s.ogg"])
def test_a_minute_of_silence_or_noise_produces_no_words(tiny: WhisperTranscriber, name: str) -> None:
    events = list(
        StreamingTranscriber(tiny, language="en").run(FileSource(FIXTURES / name, speed=0).frames())
    )
    assert [e.text for e in events if e.text] == []


@pytest.mark.parametrize("name", ["silence_60s.flac", "noise_60s.ogg"])
def test_whisper_itself_returns_no_words_for_silence_or_noise(tiny: WhisperTranscriber, name: str) -> None:
    # Without the VAD in front, whisper says "You" or "I'm going to do that." here.
    audio = load_audio(FIXTURES / name)[:, 0]
    assert [tiny.transcribe(audio[i : i + 16000 * 30], language="en").text for i in (0, 16000 * 30)] == [
        "",
        "",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["silence_60s.flac", "noise_60s.ogg"])
def test_base_returns_no_words_for_silence_or_noise_in_either_language(
    base: WhisperTranscriber, name: str
) -> None:
    # Without the guards, base writes "这位客服通话的客服通话。" (an echo of its prompt) for noise.
    audio = load_audio(FIXTURES / name)[: 16000 * 30, 0]
    assert [base.transcribe(audio, language=lang).text for lang in ("zh", "en", None)] == ["", "", ""]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["silence_60s.flac", "noise_60s.ogg"])
def test_silence_or_noise_gives_no_words_with_base_and_detection(base: WhisperTranscriber, name: str) -> None:
    events = list(
        StreamingTranscriber(base, language=None).run(FileSource(FIXTURES / name, speed=0).frames())
    )
    assert [e.text for e in events if e.text] == []


def test_stereo_keeps_the_two_speakers_apart(tiny: WhisperTranscriber) -> None:
    finals = transcribe_samples(tiny, load_audio(FIXTURES / "two_speakers.flac"), "en")
    left, right = channel_text(finals, 0, "en").lower(), channel_text(finals, 1, "en").lower()
    assert "refund" in left and "calling" not in left
    assert "calling" in right and "refund" not in right


def test_a_sample_call_keeps_each_speakers_words_on_their_channel(tiny: WhisperTranscriber) -> None:
    script = sample_calls("en")[0] if sample_calls("en") else pytest.skip("no en sample-call audio")
    _, turns = load_turns(script)
    _, finals = _call_errors(tiny, script)
    for final in finals:
        spoken = [t for t in turns if t.start < final.end and t.end > final.start]
        assert spoken and {t.channel for t in spoken} == {final.channel}


def test_telephone_band_audio_is_still_understood(tiny: WhisperTranscriber) -> None:
    finals = transcribe_samples(tiny, load_audio(FIXTURES / "hello_en_8k_mulaw.wav"), "en")
    text = " ".join(f.text for f in finals)
    assert error_rate("Hello, I would like to check the status of my order please.", text, "en").rate <= 0.3


@pytest.mark.slow
def test_the_language_is_detected_when_not_given(base: WhisperTranscriber) -> None:
    english = transcribe_samples(base, load_audio(FIXTURES / "hello_en.wav"), None)
    assert [f.language for f in english] == ["en"]
    script = sample_calls("zh")[0] if sample_calls("zh") else pytest.skip("no zh sample-call audio")
    audio = load_audio(audio_for(script))[: 16000 * 12]
    assert {f.language for f in transcribe_samples(base, audio, None)} == {"zh"}


def test_real_english_recordings_have_wer_within_15_percent(tiny: WhisperTranscriber, corpora: Path) -> None:
    result = evaluate(load_corpus(corpora / "speech_en"), lambda language: tiny)
    assert result.total("en").rate <= 0.15


@pytest.mark.slow
def test_real_mandarin_recordings_have_cer_within_20_percent(base: WhisperTranscriber, corpora: Path) -> None:
    result = evaluate(load_corpus(corpora / "speech_zh"), lambda language: base)
    assert result.total("zh").rate <= 0.20
    assert all(not re.search(r"[廣東話們這說]", "".join(r.hypotheses)) for r in result.clips)


def test_partials_use_a_short_window_and_fall_back_to_the_full_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentdesk.speech import whisper
    from agentdesk.speech.models import resolve_model
    from agentdesk.speech.short_window import ShortWindowUnavailable

    reference = "Hello, I would like to check the status of my order please."
    audio = load_audio(FIXTURES / "hello_en.wav")[:, 0]
    transcriber = WhisperTranscriber(resolve_model("tiny.en"))
    assert error_rate(reference, transcriber.transcribe(audio, partial=True).text, "en").rate <= 0.3

    def unavailable(*args: object) -> None:
        raise ShortWindowUnavailable("internals changed")

    monkeypatch.setattr(whisper, "decode_partial", unavailable)
    assert error_rate(reference, transcriber.transcribe(audio, partial=True).text, "en").rate <= 0.3
    assert transcriber._short_window is False
