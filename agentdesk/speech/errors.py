"""Errors the speech layer raises; each message is one line a user can act on."""

from __future__ import annotations

from typing import Literal


class SpeechError(Exception):
    """Base class: the CLI turns any of these into a one-line message and exit code 2."""


AudioTrouble = Literal[
    "missing",
    "not_file",
    "empty",
    "not_audio",
    "no_audio_stream",
    "bad_rate",
    "damaged",
    "no_samples",
    "truncated",
]
"""What is wrong with a recording: no such file, a folder, 0 bytes, not audio FFmpeg reads, a
file with no audio stream, a sample rate speech cannot use, damaged part-way, decoding to no
samples at all, or cut off before the length it declares."""


class AudioError(SpeechError):
    """A recording is missing, unreadable, empty, truncated or at an unusable sample rate.

    `str()` is the one-line English message the command line prints; a UI in another language
    words `problem` itself (naming `name`, and `rate` for a bad sample rate) and shows `detail`
    (FFmpeg's own words, or the figures behind a truncation) as technical detail.
    """

    def __init__(
        self,
        message: str,
        *,
        problem: AudioTrouble = "not_audio",
        name: str = "",
        detail: str = "",
        rate: int | None = None,
    ) -> None:
        super().__init__(message)
        self.problem: AudioTrouble = problem
        self.name = name
        """The recording's file name (the whole path when the file is missing)."""
        self.detail = detail
        self.rate = rate


DeviceTrouble = Literal["no_portaudio", "no_sounddevice", "no_device", "device_not_found", "cannot_record"]
"""Why no microphone could be used: PortAudio or the sounddevice package is missing, there is
no input device at all, the named one is not there, or it is there but cannot record."""


class AudioDeviceError(SpeechError):
    """No microphone could be opened (PortAudio missing, no device, unsupported settings).

    `str()` is the one-line English message the command line prints; a UI in another language
    words `cause` itself and shows `detail` (the audio library's own text) as technical detail.
    """

    def __init__(
        self, message: str, *, cause: DeviceTrouble = "no_device", device: str | None = None, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.cause: DeviceTrouble = cause
        self.device = device
        """The device asked for (None: the system's default input)."""
        self.detail = detail
        """What the audio library said, untranslated; empty when it said nothing."""


class ModelNotFoundError(SpeechError):
    """No usable whisper model: the message names every place that was tried."""
