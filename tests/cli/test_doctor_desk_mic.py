"""`agentdesk doctor` checks the microphone the desk transcribes calls from when the config
says so (`[ui] audio = "mic"` or `"mic:DEVICE"`), through the microphone interface
(`speech.mic`): this machine has no sound card. A recording's path there is checked as a
file, and a path that cannot be used is a warning, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentdesk.cli import cli
from agentdesk.speech import mic
from agentdesk.speech.errors import AudioDeviceError


def microphone_check(tmp_path: Path, audio: str, name: str = "microphone") -> tuple[int, dict[str, str]]:
    """Exit code and the `name` check of `agentdesk --config C doctor --json` with `[ui] audio`."""
    config = tmp_path / "config.toml"
    config.write_text(f"[ui]\naudio = {json.dumps(audio)}\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(tmp_path / "desk.db"), "doctor", "--json"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    [check] = [c for c in json.loads(result.output) if c["check"] == name]
    return result.exit_code, check


def test_a_desk_set_to_the_microphone_without_one_gets_a_warning_saying_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mic, "list_input_devices", lambda: [])  # PortAudio present, no capture device
    code, check = microphone_check(tmp_path, "mic")
    assert code == 0, "a missing microphone is a warning, not a failure"
    assert check["status"] == "warn"
    assert "no input device" in check["detail"]
    assert '[ui] audio = "mic"' in check["detail"]
    assert "plug in a headset or microphone" in check["hint"]
    assert 'take `audio = "mic"` out of [ui]' in check["hint"]


def test_a_desk_set_to_a_named_microphone_looks_for_that_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PortAudio lists one device; the real lookup of the name the desk uses finds nothing here.
    monkeypatch.setattr(mic, "list_input_devices", lambda: [mic.InputDevice(0, "USB headset", 1, 48000.0)])
    code, check = microphone_check(tmp_path, "mic:Jabra")
    assert (code, check["status"]) == (0, "warn")
    assert "'Jabra' not found" in check["detail"]
    assert '[ui] audio = "mic:Jabra"' in check["detail"]


def test_a_desk_set_to_the_microphone_without_portaudio_is_warned_not_crashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_portaudio() -> list[mic.InputDevice]:
        raise AudioDeviceError("PortAudio is not available (libportaudio.so.2 not found)")

    monkeypatch.setattr(mic, "list_input_devices", no_portaudio)
    code, check = microphone_check(tmp_path, "mic")
    assert (code, check["status"]) == (0, "warn")
    assert "PortAudio is not available" in check["detail"]
    assert '[ui] audio = "mic"' in check["detail"]


def test_on_this_machine_the_desks_microphone_is_reported_missing(tmp_path: Path) -> None:
    try:
        present = mic.list_input_devices()
    except AudioDeviceError:
        present = []
    if present:
        pytest.skip("this machine has a microphone")
    code, check = microphone_check(tmp_path, "mic")
    assert (code, check["status"]) == (0, "warn")
    assert '[ui] audio = "mic"' in check["detail"]


def test_a_desk_recording_under_a_home_that_does_not_exist_is_a_warning_not_a_traceback(
    tmp_path: Path,
) -> None:
    code, check = microphone_check(tmp_path, "~nosuchuser9/rec.wav", "desk recording")
    assert (code, check["status"]) == (0, "warn")
    assert "~nosuchuser9/rec.wav" in check["detail"]
    assert 'write "mic" for the microphone' in check["hint"]


def test_a_desk_recording_that_is_missing_is_a_warning_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "calls" / "rec.wav"
    code, check = microphone_check(tmp_path, str(missing), "desk recording")
    assert (code, check["status"]) == (0, "warn")
    assert f"{missing} is not found" in check["detail"]


def test_a_desk_recording_that_can_be_read_is_ok(tmp_path: Path) -> None:
    recording = tmp_path / "rec.wav"
    recording.write_bytes(b"RIFF....WAVE")
    code, check = microphone_check(tmp_path, str(recording), "desk recording")
    assert (code, check["status"]) == (0, "ok")
    assert str(recording) in check["detail"]
