"""Audio sources: every container and rate to 16 kHz frames, pacing, seeking, clear failures."""

from __future__ import annotations

import importlib.abc
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from agentdesk.speech.decode import SAMPLE_RATE, load_audio
from agentdesk.speech.errors import AudioDeviceError, AudioError
from agentdesk.speech.mic import MicSource, list_input_devices
from agentdesk.speech.sources import ArraySource, FileSource

from .conftest import FIXTURES

HELLO_SECONDS = 3.48


@pytest.mark.parametrize("name", ["hello_en.wav", "hello_en.flac", "hello_en.mp3", "hello_en.ogg"])
def test_every_container_decodes_to_16_khz_mono(name: str) -> None:
    audio = load_audio(FIXTURES / name)
    assert audio.dtype == np.float32 and audio.shape[1] == 1
    assert len(audio) / SAMPLE_RATE == pytest.approx(HELLO_SECONDS, abs=0.1)  # MP3 adds codec padding
    assert 0.01 < np.abs(audio).max() <= 1.0


@pytest.mark.parametrize("name", ["hello_en_8k_mulaw.wav", "hello_en_11k.wav", "hello_en_44k_stereo.flac"])
def test_odd_sample_rates_are_resampled_keeping_the_duration(name: str) -> None:
    audio = load_audio(FIXTURES / name)
    assert len(audio) / SAMPLE_RATE == pytest.approx(HELLO_SECONDS, abs=0.02)


def test_stereo_keeps_one_column_per_channel_and_mono_mixes_them() -> None:
    stereo = load_audio(FIXTURES / "two_speakers.flac")
    assert stereo.shape[1] == 2
    agent_only = stereo[: int(2.5 * SAMPLE_RATE)]
    assert np.abs(agent_only[:, 0]).max() < 0.01 < np.abs(agent_only[:, 1]).max()
    assert load_audio(FIXTURES / "two_speakers.flac", mono=True).shape[1] == 1


@pytest.mark.parametrize(
    ("name", "says", "problem"),
    [
        ("missing.wav", "no such file", "missing"),
        ("empty.wav", "empty (0 bytes)", "empty"),
        ("corrupt.wav", "not a readable audio file", "not_audio"),
        ("truncated.wav", "truncated", "truncated"),
        ("truncated.flac", "truncated", "damaged"),
        ("hello_en_4k.wav", "4000 Hz", "bad_rate"),
    ],
)
def test_bad_files_fail_with_one_clear_line_and_say_what_kind_of_trouble(
    name: str, says: str, problem: str
) -> None:
    with pytest.raises(AudioError) as error:
        FileSource(FIXTURES / name)
    message = str(error.value)
    assert says in message and name in message
    assert "\n" not in message
    assert error.value.problem == problem and name in error.value.name


def test_a_directory_is_not_a_recording(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not a file") as error:
        load_audio(tmp_path)
    assert error.value.problem == "not_file"


def _drain(source: ArraySource) -> tuple[float, list[Any]]:
    began = time.monotonic()
    frames = list(source.frames())
    return time.monotonic() - began, frames


def test_real_time_replay_takes_about_as_long_as_the_audio() -> None:
    elapsed, frames = _drain(FileSource(FIXTURES / "hello_en.wav", speed=1.0))
    assert HELLO_SECONDS * 0.95 <= elapsed <= HELLO_SECONDS * 1.5
    assert frames[-1].end == pytest.approx(HELLO_SECONDS, abs=0.05)


def test_a_speed_factor_replays_faster_and_zero_does_not_wait() -> None:
    fast, _ = _drain(FileSource(FIXTURES / "hello_en.wav", speed=4.0))
    assert HELLO_SECONDS / 4 * 0.9 <= fast <= HELLO_SECONDS / 2
    flat_out, _ = _drain(FileSource(FIXTURES / "hello_en.wav", speed=0))
    assert flat_out < HELLO_SECONDS / 4


def test_paced_frames_carry_the_time_they_were_due_so_a_slow_reader_sees_lag() -> None:
    source = FileSource(FIXTURES / "hello_en.wav", speed=1.0)
    frames = source.frames()
    first = next(frames)
    time.sleep(0.5)  # a consumer busy decoding
    late = next(frames)
    assert late.captured_at == pytest.approx(source.wall_time(late.end), abs=1e-6)
    assert time.time() - late.captured_at > 0.4
    assert late.start == pytest.approx(first.end)


def test_seeking_starts_or_continues_from_a_position() -> None:
    source = FileSource(FIXTURES / "hello_en.wav", speed=0, start=2.0)
    frames = source.frames()
    assert next(frames).start == pytest.approx(2.0, abs=1e-3)
    source.seek(0.5)
    assert next(frames).start == pytest.approx(0.5, abs=1e-3)


def test_closing_a_source_stops_its_frames() -> None:
    source = ArraySource(np.zeros(SAMPLE_RATE * 10, np.float32), speed=0)
    frames = source.frames()
    next(frames)
    source.close()
    assert list(frames) == []


# -- microphone, through its interface with sounddevice replaced -----------------------------


class _NoPortAudio(importlib.abc.MetaPathFinder):
    """Importing sounddevice fails the way it does when libportaudio is not installed."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


def test_a_missing_portaudio_is_reported_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
    with pytest.raises(AudioDeviceError, match=r"PortAudio is not available.*libportaudio2"):
        next(MicSource().frames())
    with pytest.raises(AudioDeviceError, match="PortAudio"):
        list_input_devices()


def _fake_sounddevice(*, devices: list[dict[str, Any]], native_rate: int | None = None) -> types.ModuleType:
    """A sounddevice stand-in whose stream feeds a 440 Hz tone from a thread, as PortAudio does."""
    module = types.ModuleType("sounddevice")

    def query_devices(device: Any = None, kind: str | None = None) -> Any:
        inputs = [d for d in devices if d["max_input_channels"] > 0]
        if kind is None:
            return devices
        if not inputs:
            raise ValueError("Error querying device -1")
        if device is None:
            return inputs[0]
        found = [d for d in inputs if str(device) in d["name"]]
        if not found:
            raise ValueError(f"No input device matching {device!r}")
        return found[0]

    def check_input_settings(
        device: Any = None, channels: int = 1, samplerate: float = 0, dtype: str = ""
    ) -> None:
        if native_rate and samplerate != native_rate:
            raise ValueError("Invalid sample rate")

    class InputStream:
        def __init__(
            self, *, samplerate: float, blocksize: int, channels: int, callback: Any, **_: Any
        ) -> None:
            self.rate, self.block, self.channels, self.callback = (
                int(samplerate),
                blocksize,
                channels,
                callback,
            )
            self.running = False

        def start(self) -> None:
            self.running = True
            threading.Thread(target=self._run, daemon=True).start()

        def _run(self) -> None:
            n = 0
            while self.running:
                t = (np.arange(self.block) + n) / self.rate
                block = np.sin(2 * np.pi * 440 * t).astype(np.float32)[:, None].repeat(self.channels, 1)
                self.callback(block, self.block, None, None)
                n += self.block
                time.sleep(0.001)

        def stop(self) -> None:
            self.running = False

        def close(self) -> None:
            self.running = False

    module.query_devices = query_devices  # type: ignore[attr-defined]
    module.check_input_settings = check_input_settings  # type: ignore[attr-defined]
    module.InputStream = InputStream  # type: ignore[attr-defined]
    return module


def _device(name: str, inputs: int = 1, rate: float = 48000.0) -> dict[str, Any]:
    return {"name": name, "max_input_channels": inputs, "default_samplerate": rate}


def test_no_microphone_is_reported_before_any_model_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        sys.modules, "sounddevice", _fake_sounddevice(devices=[_device("HDMI out", inputs=0)])
    )
    with pytest.raises(AudioDeviceError, match="no microphone: default input device not found"):
        MicSource().check()
    assert list_input_devices() == []


def test_an_unknown_device_name_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", _fake_sounddevice(devices=[_device("Built-in Mic")]))
    with pytest.raises(AudioDeviceError, match="input device 'USB headset' not found"):
        next(MicSource("USB headset").frames())


def test_a_microphone_that_cannot_do_16_khz_is_resampled(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _fake_sounddevice(devices=[_device("Built-in Mic")], native_rate=48000)
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    with MicSource("Built-in") as mic:
        frames = mic.frames()
        got = [next(frames) for _ in range(40)]
    assert all(f.channels == 1 for f in got)
    assert got[-1].end == pytest.approx(sum(len(f.samples) for f in got) / SAMPLE_RATE)
    assert all(f.captured_at <= time.time() for f in got)
    tone = np.concatenate([f.samples[:, 0] for f in got])[1000:]
    peak_hz = np.argmax(np.abs(np.fft.rfft(tone))) * SAMPLE_RATE / len(tone)
    assert peak_hz == pytest.approx(440, abs=10)  # still 440 Hz after 48 kHz -> 16 kHz
