"""What `agentdesk desk --audio` / `[ui] audio` means: a microphone or a recording of the call."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentdesk.calls.live import LiveSpec, desk_audio, for_call, recording_problem

FIXTURES = Path(__file__).resolve().parents[1] / "speech" / "fixtures"


def test_mic_means_the_configured_input_device() -> None:
    assert desk_audio("mic", input_device="USB headset") == LiveSpec("mic", device="USB headset")
    assert desk_audio("mic") == LiveSpec("mic", device=None)


def test_mic_with_a_device_names_that_device_over_the_configured_one() -> None:
    assert desk_audio("mic:2", input_device="USB headset") == LiveSpec("mic", device="2")


def test_anything_else_is_the_path_of_a_recording() -> None:
    spec = desk_audio(str(FIXTURES / "hello_en.wav"))
    assert spec.kind == "recording" and spec.path == FIXTURES / "hello_en.wav"
    assert desk_audio("./mic").path == Path("mic")


def test_a_call_is_transcribed_in_its_own_language() -> None:
    spec = desk_audio("mic")
    assert for_call(spec, "zh").language == "zh"
    assert for_call(spec, "en").language == "en"
    assert for_call(spec, None).language is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [("missing.wav", "missing"), (".", "not_file"), ("empty.wav", "empty"), ("hello_en.wav", None)],
)
def test_a_recording_that_cannot_be_opened_says_why(name: str, problem: str | None) -> None:
    assert recording_problem(FIXTURES / name) == problem


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_recording_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    locked = tmp_path / "locked.wav"
    locked.write_bytes((FIXTURES / "hello_en.wav").read_bytes())
    locked.chmod(0)
    assert recording_problem(locked) == "unreadable"
