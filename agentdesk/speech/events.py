"""What a streaming transcriber emits: plain frozen values a UI worker can post as messages.

A `Partial` is tentative text for an utterance still being spoken; later partials of
the same `utterance_id` replace it and a `Final` settles it. Both carry the channel
(one speaker per channel), audio times, and the wall-clock emit time, so latency is
`emitted_at` minus the wall time the audio `end` was captured.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentdesk.domain.models import Speaker, Utterance


@dataclass(frozen=True, slots=True)
class TranscriptEvent:
    """Common fields of partial and final text."""

    utterance_id: str
    """Stable per utterance: a Final replaces the Partials with the same id."""
    channel: int
    """0 for mono or the left channel, 1 for the right."""
    speaker: Speaker | None
    """Who speaks on this channel, if the caller said (e.g. customer left, agent right)."""
    text: str
    start: float
    """Audio seconds where the utterance starts."""
    end: float
    """Audio seconds the text covers up to (the end of speech for a Final)."""
    language: str | None
    emitted_at: float
    """Wall-clock time (`time.time()`) the event was produced."""
    compute_seconds: float = 0.0
    """Decoder time spent producing this text (for RTF and CPU figures)."""

    final: bool = False

    def to_utterance(self, call_id: str = "", default_speaker: Speaker = Speaker.CUSTOMER) -> Utterance:
        """The domain `Utterance` for this text (partial lines have `final=False`)."""
        return Utterance(
            call_id=call_id,
            speaker=self.speaker or default_speaker,
            text=self.text,
            start=self.start,
            end=self.end,
            final=self.final,
            language=self.language if self.language in ("zh", "en") else None,  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class Partial(TranscriptEvent):
    """Tentative text of an utterance in progress; show it styled and replace it in place."""

    final: bool = False


@dataclass(frozen=True, slots=True)
class Final(TranscriptEvent):
    """The settled text of a whole utterance, decoded once with the full beam."""

    final: bool = True
    forced_cut: bool = False
    """True when a long utterance was cut at a low-energy point rather than at a pause."""
