"""Live microphone capture through sounddevice (PortAudio).

The PortAudio callback runs on its own thread and only copies blocks into a queue;
`frames()` stamps and yields them on the consumer's thread. A device that cannot open
at 16 kHz is opened at its own rate and resampled.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from agentdesk.speech.decode import SAMPLE_RATE, Resampler
from agentdesk.speech.errors import AudioDeviceError
from agentdesk.speech.sources import FRAME_SAMPLES, AudioFrame, AudioSource

_INSTALL_HINT = (
    "install the PortAudio library (Debian/Ubuntu: `sudo apt install libportaudio2`, "
    "macOS: `brew install portaudio`)"
)


def _sounddevice() -> Any:
    """Import sounddevice, which loads the PortAudio shared library on import."""
    try:
        import sounddevice  # loads a native library; only needed when a microphone is used
    except OSError as exc:
        raise AudioDeviceError(
            f"PortAudio is not available ({exc}); {_INSTALL_HINT}", cause="no_portaudio", detail=str(exc)
        ) from None
    except ImportError:
        raise AudioDeviceError(
            "the sounddevice package is missing: `pip install sounddevice`", cause="no_sounddevice"
        ) from None
    return sounddevice


@dataclass(frozen=True)
class InputDevice:
    """A capture device as PortAudio lists it."""

    index: int
    name: str
    channels: int
    default_rate: float


def list_input_devices() -> list[InputDevice]:
    """Every device that can record.

    Raises:
        AudioDeviceError: PortAudio is missing or cannot enumerate devices.
    """
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
    except Exception as exc:  # PortAudioError and friends: any failure means "no devices"
        raise AudioDeviceError(f"cannot list audio devices: {exc}", detail=str(exc)) from None
    return [
        InputDevice(i, d["name"], int(d["max_input_channels"]), float(d["default_samplerate"]))
        for i, d in enumerate(devices)
        if d.get("max_input_channels", 0) > 0
    ]


def _device_spec(device: str | int | None) -> str | int | None:
    if isinstance(device, str):
        device = device.strip()
        return int(device) if device.isdigit() else (device or None)
    return device


class MicSource(AudioSource):
    """Frames from a microphone until `close()`.

    Args:
        device: sounddevice index or (part of a) name; None for the default input.
        channels: 1, or 2 for a stereo interface carrying one speaker per side.
        frame_samples: samples per frame at 16 kHz.

    Raises:
        AudioDeviceError: when PortAudio is missing or no matching input device exists
            (raised by `open()`, which `frames()` calls).
    """

    def __init__(
        self, device: str | int | None = None, *, channels: int = 1, frame_samples: int = FRAME_SAMPLES
    ) -> None:
        self.device = _device_spec(device)
        self.channels = channels
        self.frame_samples = frame_samples
        self.dropped_blocks = 0
        """Blocks PortAudio reported as overflowed (the consumer was too slow to drain)."""
        self._queue: queue.Queue[tuple[np.ndarray, float]] = queue.Queue()
        self._stream: Any = None
        self._resampler: Resampler | None = None
        self._closed = False

    def check(self) -> dict[str, Any]:
        """Find the device without opening it, so a missing microphone fails before a model loads.

        Returns:
            PortAudio's description of the device.

        Raises:
            AudioDeviceError: PortAudio missing or no such input device.
        """
        sd = _sounddevice()
        try:
            return dict(sd.query_devices(self.device, kind="input"))
        except Exception as exc:  # ValueError for a bad name, PortAudioError without devices
            which = "default input device" if self.device is None else f"input device {self.device!r}"
            raise AudioDeviceError(
                f"no microphone: {which} not found ({exc}); list devices with `agentdesk listen --list-devices`",
                cause="no_device" if self.device is None else "device_not_found",
                device=None if self.device is None else str(self.device),
                detail=str(exc),
            ) from None

    def open(self) -> None:
        """Find the device and start capturing.

        Raises:
            AudioDeviceError: PortAudio missing, no such device, or it cannot record.
        """
        info = self.check()
        sd = _sounddevice()
        rate = SAMPLE_RATE
        try:
            sd.check_input_settings(self.device, channels=self.channels, samplerate=rate, dtype="float32")
        except Exception:
            rate = int(info["default_samplerate"])  # PortAudio cannot convert; resample ourselves
            self._resampler = Resampler(rate, self.channels)
        block = max(1, round(self.frame_samples * rate / SAMPLE_RATE))
        try:
            self._stream = sd.InputStream(
                device=self.device,
                channels=self.channels,
                samplerate=rate,
                dtype="float32",
                blocksize=block,
                callback=self._on_block,
            )
            self._stream.start()
        except Exception as exc:
            raise AudioDeviceError(
                f"cannot record from {info['name']!r}: {exc}",
                cause="cannot_record",
                device=str(info["name"]),
                detail=str(exc),
            ) from None

    def _on_block(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio thread: copy and hand over, nothing slow here or the device overflows.
        if status and getattr(status, "input_overflow", False):
            self.dropped_blocks += 1
        self._queue.put((indata.copy(), time.time()))

    def frames(self) -> Iterator[AudioFrame]:
        if self._stream is None:
            self.open()
        position = 0
        while not self._closed:
            try:
                block, captured = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if self._resampler is not None:
                block = self._resampler(block)
                if not len(block):
                    continue
            yield AudioFrame(position / SAMPLE_RATE, block, captured)
            position += len(block)

    def close(self) -> None:
        self._closed = True
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None
