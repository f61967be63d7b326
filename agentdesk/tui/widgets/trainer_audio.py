"""Sound for the trainer's replay: find an output device, play a recording from a position.

Both run in worker threads of `SoundFollower`, which the trainer screen drives. A machine with no sound card (a server, a
container, an SSH session) is normal for a terminal app: `output_device` then answers
None and the trainer says so in one line; nothing here raises for a missing device.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.live_audio import failure_detail
from agentdesk.tui.worker_failures import ReportsWorkerFailures

BLOCK_SECONDS = 0.1
"""Audio written per call to the device: small enough that pausing stops within a blink."""


def _sounddevice() -> Any:
    # PortAudio is a native library loaded on import: only when a replay wants sound.
    import sounddevice

    return sounddevice


def output_device() -> str | None:
    """The default sound output's name, or None when there is none (no card, no PortAudio)."""
    try:
        info = _sounddevice().query_devices(kind="output")
    except Exception:  # OSError (no PortAudio), PortAudioError (no device): all mean "no sound"
        return None
    if not info or int(info.get("max_output_channels", 0)) < 1:
        return None
    return str(info.get("name") or "default")


@lru_cache(maxsize=2)
def _samples(path: Path) -> Any:
    from agentdesk.speech.decode import load_audio

    return load_audio(path)


def play(path: Path, start: float, speed: float, stop: threading.Event) -> None:
    """Play `path` from `start` seconds at `speed` until it ends or `stop` is set. Blocking.

    Faster speeds skip samples, which raises the pitch: enough to follow the call while
    the transcript runs at the same pace.

    Raises:
        AudioError: the recording cannot be decoded.
        Exception: whatever PortAudio raises when the device refuses the stream.
    """
    import numpy as np

    from agentdesk.speech.decode import SAMPLE_RATE

    sd = _sounddevice()
    samples = _samples(path)[int(start * SAMPLE_RATE) :]
    rate = int(sd.query_devices(kind="output")["default_samplerate"] or SAMPLE_RATE)
    # One index step per output sample: resamples to the device's rate and applies the speed.
    step = SAMPLE_RATE * speed / rate
    picks = np.arange(0, len(samples), step).astype(np.int64)
    out = np.ascontiguousarray(samples[picks], dtype=np.float32)
    block = int(rate * BLOCK_SECONDS)
    with sd.OutputStream(samplerate=rate, channels=out.shape[1], dtype="float32") as stream:
        for lo in range(0, len(out), block):
            if stop.is_set():
                return
            stream.write(out[lo : lo + block])


class SoundFollower(ReportsWorkerFailures, Widget):
    """Invisible: keeps the recording playing in step with the replay, when there is a sound card.

    The screen calls `follow` whenever the replay starts, stops, jumps or changes speed;
    playing restarts from the replay's position. `notice` is the one line for the player
    bar; `Changed` says it changed (the device was probed, or it failed).
    """

    DEFAULT_CSS = "SoundFollower { display: none; }"

    @dataclass
    class Changed(Message):
        """The device was found (or not), or it stopped working."""

    @dataclass
    class _Probed(Message):
        device: str | None

    @dataclass
    class _Failed(Message):
        reason: str

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.probed = False
        self.device: str | None = None
        """The sound output, once probed; None: transcript only."""
        self.path: Path | None = None
        """The recording of the call being replayed, if it has one."""
        self.problem: str | None = None

    def load(self, path: Path | None) -> None:
        """A new call: its recording, and the device looked for the first time."""
        self.stop()
        self.path, self.problem = path, None
        if not self.probed:
            self._probe()

    def follow(self, position: float, speed: float, *, playing: bool) -> None:
        """Play from `position` at `speed` if the replay is playing; otherwise stay quiet."""
        self.stop()
        if playing and self.device is not None and self.path is not None and self.problem is None:
            self._play(self.path, position, speed)

    def stop(self) -> None:
        self.workers.cancel_group(self, "trainer-audio")

    def notice(self) -> Text:
        if not self.probed:
            return Text("")
        if self.device is None:
            return Text(self.t("trainer.audio.none"), style="yellow")
        if self.path is None:
            return Text(self.t("trainer.audio.no_recording"), style="yellow")
        if self.problem:
            return Text(self.t("trainer.audio.failed", reason=self.problem), style="yellow")
        return Text(self.t("trainer.audio.on", device=self.device), style="green")

    @work(thread=True, exclusive=True, group="trainer-probe", exit_on_error=False)
    def _probe(self) -> None:
        self.post_message(self._Probed(output_device()))

    @work(thread=True, exclusive=True, group="trainer-audio", exit_on_error=False)
    def _play(self, path: Path, start: float, speed: float) -> None:
        try:
            play(path, start, speed, get_current_worker().cancelled_event)
        except Exception as exc:  # a device that refuses the stream: the replay goes on silently
            self.post_message(self._Failed(failure_detail(self.t, exc) or type(exc).__name__))

    @on(_Probed)
    def _probed(self, message: _Probed) -> None:
        message.stop()
        self.probed, self.device = True, message.device
        self.post_message(self.Changed())

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        message.stop()
        self.problem = message.reason
        self.post_message(self.Changed())
