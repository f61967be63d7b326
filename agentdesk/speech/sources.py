"""Audio sources: timestamped 16 kHz frames from a recording, an array or a microphone.

Every source yields `AudioFrame`s with two clocks: `start` (seconds into the audio)
and `captured_at` (wall-clock time the frame's last sample became available). A paced
replay stamps frames with the time they *would* have arrived, so a consumer that falls
behind sees its lag grow instead of the replay silently slowing down with it.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from agentdesk.speech.decode import SAMPLE_RATE, load_audio

FRAME_SAMPLES = 512
"""32 ms: one Silero VAD window, so end-of-speech is seen within a frame."""


@dataclass(frozen=True, slots=True, eq=False)
class AudioFrame:
    """A block of audio from a source."""

    start: float
    """Seconds from the start of the audio to the first sample."""
    samples: np.ndarray
    """float32, shape (samples, channels), 16 kHz."""
    captured_at: float
    """Wall-clock time (`time.time()`) the last sample became available."""

    @property
    def end(self) -> float:
        """Seconds from the start of the audio to just after the last sample."""
        return self.start + len(self.samples) / SAMPLE_RATE

    @property
    def channels(self) -> int:
        """Number of channels (1 mono, 2 for a call with one speaker per side)."""
        return self.samples.shape[1]


class AudioSource(ABC):
    """Something that yields `AudioFrame`s; use it as a context manager to release devices."""

    channels: int = 1
    """Channels in every frame."""
    duration: float | None = None
    """Total seconds of audio, or None for a live source."""

    @abstractmethod
    def frames(self) -> Iterator[AudioFrame]:
        """Yield frames until the audio ends or `close()` is called."""

    def close(self) -> None:  # noqa: B027 - sources without resources need no cleanup
        """Stop yielding frames and release any device."""

    def __enter__(self) -> AudioSource:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class ArraySource(AudioSource):
    """Replay samples already in memory, at real-time pace, a speed factor, or flat out.

    Args:
        samples: float32 (samples, channels) or (samples,) at 16 kHz.
        speed: 1.0 real time, 2.0 twice as fast, 0 as fast as the consumer reads.
        start: seconds to skip before the first frame.
        frame_samples: samples per frame.
    """

    def __init__(
        self,
        samples: np.ndarray,
        *,
        speed: float = 1.0,
        start: float = 0.0,
        frame_samples: int = FRAME_SAMPLES,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must be >= 0 (0 means as fast as possible)")
        self.samples = samples.reshape(len(samples), -1).astype(np.float32, copy=False)
        self.channels = self.samples.shape[1]
        self.duration = len(self.samples) / SAMPLE_RATE
        self.speed = speed
        self.frame_samples = frame_samples
        self.started_at: float | None = None
        """Wall-clock time of audio position `start` once `frames()` has begun."""
        self._position = self._index(start)
        self._seek_to: int | None = None
        self._closed = False

    def _index(self, seconds: float) -> int:
        return min(max(0, round(seconds * SAMPLE_RATE)), len(self.samples))

    def seek(self, seconds: float) -> None:
        """Continue from `seconds` into the audio; pacing restarts from there."""
        self._seek_to = self._index(seconds)

    def wall_time(self, audio_time: float) -> float:
        """When a paced replay makes audio position `audio_time` available (wall clock)."""
        if self.started_at is None or not self.speed:
            raise RuntimeError("wall_time needs a paced replay that has started")
        return self.started_at + (audio_time - self._origin) / self.speed

    def frames(self) -> Iterator[AudioFrame]:
        self._restart_clock(self._position)
        while not self._closed and self._position < len(self.samples):
            if self._seek_to is not None:
                self._position, self._seek_to = self._seek_to, None
                self._restart_clock(self._position)
                continue
            lo, hi = self._position, min(self._position + self.frame_samples, len(self.samples))
            end = hi / SAMPLE_RATE
            if self.speed:
                due = self._mono0 + (end - self._origin) / self.speed
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                captured = self.started_at + (end - self._origin) / self.speed  # type: ignore[operator]
            else:
                captured = time.time()
            self._position = hi
            yield AudioFrame(lo / SAMPLE_RATE, self.samples[lo:hi], captured)

    def _restart_clock(self, position: int) -> None:
        self._origin = position / SAMPLE_RATE
        self._mono0 = time.monotonic()
        self.started_at = time.time()

    def close(self) -> None:
        self._closed = True


class FileSource(ArraySource):
    """Replay a recording (WAV, FLAC, MP3, OGG, any rate) as 16 kHz frames.

    Stereo files keep one channel per speaker (a call recorded with the customer on
    the left and the agent on the right); `mono=True` mixes them instead.

    Raises:
        AudioError: on construction, if the file cannot be used (see `load_audio`).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        speed: float = 1.0,
        start: float = 0.0,
        mono: bool = False,
        frame_samples: int = FRAME_SAMPLES,
    ) -> None:
        self.path = Path(path)
        super().__init__(
            load_audio(self.path, mono=mono), speed=speed, start=start, frame_samples=frame_samples
        )
