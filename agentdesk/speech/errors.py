"""Errors the speech layer raises; each message is one line a user can act on."""

from __future__ import annotations


class SpeechError(Exception):
    """Base class: the CLI turns any of these into a one-line message and exit code 2."""


class AudioError(SpeechError):
    """A recording is missing, unreadable, empty, truncated or at an unusable sample rate."""


class AudioDeviceError(SpeechError):
    """No microphone could be opened (PortAudio missing, no device, unsupported settings)."""


class ModelNotFoundError(SpeechError):
    """No usable whisper model: the message names every place that was tried."""
