"""The `Transcriber` interface: a buffer of 16 kHz audio in, text segments out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

SUPPORTED_LANGUAGES = ("zh", "en")
"""Languages AgentDesk serves; detection picks the likelier of these."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of recognised text with times relative to the buffer's first sample."""

    start: float
    end: float
    text: str
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0


@dataclass(frozen=True, slots=True)
class Transcription:
    """Everything recognised in one buffer."""

    segments: tuple[Segment, ...]
    language: str
    """`zh` or `en` as given or detected."""
    language_probability: float = 1.0

    @property
    def text(self) -> str:
        """All segments joined: no spaces between Chinese segments, one between English ones."""
        sep = "" if self.language == "zh" else " "
        return sep.join(s.text for s in self.segments).strip()


class Transcriber(Protocol):
    """Turns one buffer of audio into segments (whisper, or a fake in tests)."""

    @property
    def multilingual(self) -> bool:
        """False for English-only models, which always answer `en`."""
        ...

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, partial: bool = False
    ) -> Transcription:
        """Recognise `audio` (1-D float32, 16 kHz).

        Args:
            audio: the buffer.
            language: `zh`, `en`, or None to detect it.
            partial: a cheap, revisable pass (greedy, no fallback) for live partial text.
        """
        ...
