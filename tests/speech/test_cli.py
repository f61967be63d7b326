"""`agentdesk transcribe`, `agentdesk listen` and `agentdesk bench asr` from the command line."""

from __future__ import annotations

import importlib.abc
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

from agentdesk.cli import cli

from .conftest import FIXTURES


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_transcribe_prints_only_the_transcript_on_stdout() -> None:
    result = run("transcribe", str(FIXTURES / "hello_en.flac"), "--model", "tiny.en")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().lower().startswith("hello, i would like to check")
    assert len(result.stdout.strip().splitlines()) == 1


def test_transcribe_labels_speakers_of_a_stereo_call_in_srt() -> None:
    result = run("transcribe", str(FIXTURES / "two_speakers.flac"), "--model", "tiny.en", "--srt")
    assert result.exit_code == 0, result.output
    cues = result.stdout.strip().split("\n\n")
    assert [c.splitlines()[0] for c in cues] == ["1", "2"]
    # The recording cannot say who is who: channels, right (2) then left (1), not guessed roles.
    assert [c.splitlines()[2].split(":")[0] for c in cues] == ["speaker 2", "speaker 1"]


def test_transcribe_json_has_times_channels_and_the_model() -> None:
    result = run("transcribe", str(FIXTURES / "two_speakers.flac"), "--json", "--language", "en")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["model"] == "tiny.en" and doc["language"] == "en"
    assert [u["channel"] for u in doc["utterances"]] == [1, 0]
    assert all(u["end"] > u["start"] for u in doc["utterances"])


def test_transcribe_of_silence_says_so_on_stderr_and_prints_nothing() -> None:
    result = run("transcribe", str(FIXTURES / "silence_60s.flac"), "--model", "tiny.en")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No speech found" in result.stderr


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing.wav", "no such file"),
        ("empty.wav", "is empty"),
        ("corrupt.wav", "not a readable audio file"),
        ("truncated.wav", "is truncated"),
        ("truncated.flac", "truncated"),
        ("hello_en_4k.wav", "4000 Hz"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(name: str, says: str) -> None:
    result = run("transcribe", str(FIXTURES / name), "--model", "tiny.en")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_an_unknown_model_is_one_line_and_exit_code_2() -> None:
    result = run("transcribe", str(FIXTURES / "hello_en.wav"), "--model", "large-v3")
    assert result.exit_code == 2
    assert "unknown model 'large-v3'" in result.stderr and len(result.stderr.strip().splitlines()) == 1


class _NoPortAudio(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


def test_listen_without_portaudio_is_one_line_and_exit_code_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
    for args in (("listen",), ("listen", "--list-devices")):
        result = run(*args)
        assert result.exit_code == 2
        assert "PortAudio is not available" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_listen_without_a_microphone_is_one_line_and_exit_code_2() -> None:
    pytest.importorskip("sounddevice")  # this machine has PortAudio but no sound card
    import sounddevice

    if any(d["max_input_channels"] > 0 for d in sounddevice.query_devices()):
        pytest.skip("this machine has a microphone")
    result = run("listen", "--device", "no-such-mic")
    assert result.exit_code == 2
    assert "no microphone" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bench_asr_reports_latency_rtf_lag_and_accuracy() -> None:
    result = run(
        "bench", "asr", str(FIXTURES / "two_speakers.flac"), "--model", "tiny.en", "--speed", "4", "--json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    names = {f["name"] for f in report["figures"]}
    assert {
        "tiny.en final latency after end of utterance",
        "tiny.en first partial latency after onset",
        "tiny.en processing lag",
    } <= names
    line = report["two_speakers [tiny.en]"]
    assert "RTF" in line and "CPU" in line and "drift" in line
    assert report["peak memory"].endswith("MB")


def test_bench_asr_scores_a_corpus_against_its_transcripts(corpora: Path) -> None:
    result = run("bench", "asr", "--corpus", str(corpora / "speech_en"), "--model", "tiny.en", "--json")
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)["speech_en WER [tiny.en]"]
    assert re.fullmatch(r"\d+\.\d% \(\d+/\d+ over 7 clips\)", line)


def test_a_long_bench_stream_is_built_from_calls_with_their_timings_shifted() -> None:
    from agentdesk.bench.asr import _concatenate, _Stream
    from agentdesk.domain.models import Speaker
    from agentdesk.speech.scripted import ScriptedTurn

    call = _Stream(
        "call", np.zeros((16000 * 20, 2), np.float32), "en", [ScriptedTurn(Speaker.BOT, "Hi", 1.0, 2.0)]
    )
    (stream,) = _concatenate([call], minutes=1)
    assert stream.duration >= 60 and stream.samples.shape[1] == 2
    assert [t.start for t in stream.turns] == [1.0, 22.0, 43.0]


def test_listen_shows_partial_text_tentatively_and_replaces_it_with_the_final(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from agentdesk.commands.transcribe import _LiveLine
    from agentdesk.speech.events import Final, Partial

    show = _LiveLine(tty=True, labelled=False)
    show(Partial("u1", 0, None, "I want a", 0.0, 1.0, "en", 0.0))
    show(Final("u1", 0, None, "I want a refund.", 0.0, 2.0, "en", 0.0))
    out = capsys.readouterr().out
    partial, final = out.split("\r\x1b[2K")[1:]
    assert "I want a" in partial and "\x1b[" in partial and not partial.endswith("\n")  # styled, same line
    assert final == "I want a refund.\n"

    plain = _LiveLine(tty=False, labelled=False)
    plain(Partial("u2", 0, None, "maybe", 0.0, 1.0, "en", 0.0))
    plain(Final("u2", 0, None, "Maybe.", 0.0, 2.0, "en", 0.0))
    assert capsys.readouterr().out == "Maybe.\n"  # piped output gets finals only
