"""`StreamingTranscriber`: timestamped frames in, `Partial` and `Final` events out.

Per channel (one speaker each), Silero VAD finds where speech starts and ends. While
someone speaks, the utterance so far is re-decoded greedily about once a second and
emitted as a `Partial`; when the speaker pauses, the whole utterance is decoded once
with the full beam and emitted as a `Final`. Utterances longer than `max_utterance`
are cut at their quietest point so no single decode grows without bound.

Everything runs on the caller's thread, one decode at a time. When decoding falls
behind the audio (frames arrive later than they were captured), partials are skipped
until it catches up; finals are never skipped, so lag cannot grow without bound as
long as final decoding alone keeps up (RTF < 1).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from agentdesk.domain.models import Speaker
from agentdesk.speech.decode import SAMPLE_RATE
from agentdesk.speech.events import Final, Partial, TranscriptEvent
from agentdesk.speech.sources import AudioFrame
from agentdesk.speech.transcriber import Transcriber
from agentdesk.speech.vad import WINDOW, Endpoint, Endpointer, SileroVad


@dataclass(frozen=True)
class StreamOptions:
    """Endpointing and partial-text knobs; the defaults suit live calls on 2 cores."""

    threshold: float = 0.5
    """Silero probability that starts speech."""
    neg_threshold: float = 0.35
    """Probability below which a window is silence."""
    end_silence: float = 0.5
    """Pause (s) that ends an utterance: shorter cuts sentences, longer delays finals."""
    speculate_after: float | None = 0.3
    """Pause (s) after which the final is decoded ahead of time; kept if the pause then
    reaches `end_silence`, thrown away if speech resumes. Saves the difference on every
    final at the price of one wasted decode per pause of this length. None: never."""
    min_voiced: float = 0.25
    """Utterances with less voiced audio (s) are clicks or breaths and are dropped."""
    pre_roll: float = 0.3
    """Audio (s) kept before the detected start so first syllables survive."""
    post_pad: float = 0.15
    """Audio (s) kept after the detected end."""
    max_utterance: float = 15.0
    """Longer speech is force-cut at its quietest point in the second half."""
    partials: bool = True
    """Emit partial text (off for offline transcription of files)."""
    first_partial: float = 0.8
    """Speech (s) before the first partial of an utterance."""
    partial_interval: float = 1.0
    """Audio (s) between partial decodes of one utterance (each costs a whole decode)."""
    partial_pause: float = 0.15
    """No partial while the speaker has paused this long: the final is probably next."""
    max_lag: float = 0.5
    """Skip partials while frames are handled more than this (s) after capture."""


@dataclass
class StreamStats:
    """Counters for benches and diagnostics."""

    audio_seconds: float = 0.0
    partial_decodes: int = 0
    final_decodes: int = 0
    partials_skipped: int = 0
    """Partials that were due but skipped because decoding was behind."""
    speculations_wasted: int = 0
    """Finals decoded ahead of time and dropped because the speaker went on."""
    compute_seconds: float = 0.0
    """Time spent inside the transcriber."""
    lag: list[tuple[float, float]] = field(default_factory=list)
    """(audio time, seconds behind capture) about once per audio second."""


@dataclass
class _Utterance:
    id: str
    start: float
    pre_roll: float
    """Audio kept before `start`: none after a forced cut, or words would be decoded twice."""
    last_partial: float = 0.0
    partials: int = 0
    early: tuple[float, str, str | None, float] | None = None
    """A final decoded ahead of time: (speech end it covers, text, language, seconds spent)."""


class _Channel:
    """VAD, endpointer and recent audio of one channel."""

    def __init__(self, index: int, speaker: Speaker | None, options: StreamOptions) -> None:
        self.index = index
        self.speaker = speaker
        self.vad = SileroVad()
        self.endpointer = Endpointer(options.threshold, options.neg_threshold, options.end_silence)
        self.vad_time = 0.0
        self.chunks: list[np.ndarray] = []
        self.buffer_start = 0.0
        self.buffered = 0
        self.utterance: _Utterance | None = None
        self.language: str | None = None

    def append(self, samples: np.ndarray) -> None:
        self.chunks.append(samples)
        self.buffered += len(samples)

    def audio(self, start: float, end: float) -> np.ndarray:
        """Samples between two audio times, clipped to what is buffered."""
        whole = np.concatenate(self.chunks) if len(self.chunks) > 1 else self.chunks[0]
        self.chunks = [whole]
        lo = max(0, round((start - self.buffer_start) * SAMPLE_RATE))
        hi = min(len(whole), round((end - self.buffer_start) * SAMPLE_RATE))
        return whole[lo:hi]

    def trim(self, keep_from: float) -> None:
        """Drop audio before `keep_from` (audio seconds)."""
        drop = round((keep_from - self.buffer_start) * SAMPLE_RATE)
        if drop <= 0 or not self.chunks:
            return
        whole = np.concatenate(self.chunks)
        drop = min(drop, len(whole))
        self.chunks = [whole[drop:]]
        self.buffered = len(whole) - drop
        self.buffer_start += drop / SAMPLE_RATE


class StreamingTranscriber:
    """Turn frames into partial and final text, one speaker per channel.

    Args:
        transcriber: decodes buffers (a `WhisperTranscriber`, or a fake in tests).
        language: `zh` or `en`; None detects it for each final (partials reuse it).
        speakers: who speaks on each channel, e.g. `(Speaker.CUSTOMER, Speaker.AGENT)`.
        options: endpointing and partial knobs.
        clock: wall clock used for `emitted_at` and lag (injectable for tests).
    """

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        language: str | None = None,
        speakers: Sequence[Speaker | None] = (),
        options: StreamOptions | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.transcriber = transcriber
        self.language = language
        self.speakers = tuple(speakers)
        self.options = options or StreamOptions()
        self.clock = clock
        self.stats = StreamStats()
        self._channels: list[_Channel] = []
        self._prefix = uuid.uuid4().hex[:6]
        self._count = 0
        self._next_lag_sample = 0.0

    def run(self, frames: Iterable[AudioFrame]) -> Iterator[TranscriptEvent]:
        """Consume frames, yielding events as soon as they are known; flushes at the end."""
        for frame in frames:
            yield from self.feed(frame)
        yield from self.flush()

    def feed(self, frame: AudioFrame) -> Iterator[TranscriptEvent]:
        """Process one frame."""
        if not self._channels:
            self._channels = [
                _Channel(i, self.speakers[i] if i < len(self.speakers) else None, self.options)
                for i in range(frame.channels)
            ]
            for channel in self._channels:
                channel.buffer_start = channel.vad_time = frame.start
        now = frame.end
        self.stats.audio_seconds += len(frame.samples) / SAMPLE_RATE
        for channel in self._channels:
            yield from self._feed_channel(channel, frame.samples[:, channel.index], now)
        lag = self.clock() - frame.captured_at
        if now >= self._next_lag_sample:
            self.stats.lag.append((now, lag))
            self._next_lag_sample = now + 1.0
        if self.options.partials:
            yield from self._maybe_partial(now, lag)

    def flush(self) -> Iterator[TranscriptEvent]:
        """End of audio: settle every utterance still open."""
        for channel in self._channels:
            if channel.utterance is not None:
                ep = channel.endpointer
                ep.in_speech = False
                yield from self._final(channel, ep.last_voiced, ep.voiced)

    def _feed_channel(self, channel: _Channel, samples: np.ndarray, now: float) -> Iterator[TranscriptEvent]:
        channel.append(samples)
        for prob in channel.vad(samples):
            point = channel.endpointer.push(float(prob), channel.vad_time)
            channel.vad_time += WINDOW / SAMPLE_RATE
            if point is not None:
                yield from self._on_endpoint(channel, point)
        utterance = channel.utterance
        if utterance is None:
            channel.trim(now - max(self.options.pre_roll, 0.5))
        elif now - utterance.start >= self.options.max_utterance:
            yield from self._forced_cut(channel, now)
        else:
            self._maybe_speculate(channel, utterance)

    def _maybe_speculate(self, channel: _Channel, utterance: _Utterance) -> None:
        ep, wait = channel.endpointer, self.options.speculate_after
        if wait is None or not ep.in_speech or ep.silence < wait or ep.voiced < self.options.min_voiced:
            return
        if utterance.early is not None and utterance.early[0] == ep.last_voiced:
            return
        if utterance.early is not None:
            self.stats.speculations_wasted += 1
        audio = channel.audio(utterance.start - utterance.pre_roll, ep.last_voiced + self.options.post_pad)
        text, language, spent = self._decode(channel, audio, partial=False)
        utterance.early = (ep.last_voiced, text, language, spent)

    def _on_endpoint(self, channel: _Channel, point: Endpoint) -> Iterator[TranscriptEvent]:
        if point.kind == "start":
            self._count += 1
            channel.utterance = _Utterance(
                f"{self._prefix}-{channel.index}-{self._count}", point.time, self.options.pre_roll
            )
            channel.trim(point.time - self.options.pre_roll)
        else:
            yield from self._final(channel, point.time, point.voiced)

    def _final(
        self, channel: _Channel, end: float, voiced: float, *, forced: bool = False
    ) -> Iterator[TranscriptEvent]:
        utterance = channel.utterance
        if utterance is None:
            return
        if not forced:
            channel.utterance = None
        if voiced < self.options.min_voiced and not utterance.partials:
            return
        text, language, spent = "", channel.language, 0.0
        if utterance.early is not None and utterance.early[0] == end and not forced:
            _, text, language, spent = utterance.early
            self.stats.final_decodes += 1
        elif voiced >= self.options.min_voiced:
            if utterance.early is not None:
                self.stats.speculations_wasted += 1
            pad = 0.0 if forced else self.options.post_pad
            audio = channel.audio(utterance.start - utterance.pre_roll, end + pad)
            text, language, spent = self._decode(channel, audio, partial=False)
            self.stats.final_decodes += 1
        # An empty Final still goes out when partials were shown: it retracts them.
        if text or utterance.partials:
            yield Final(
                utterance.id, channel.index, channel.speaker, text, utterance.start, end,
                language, self.clock(), spent, forced_cut=forced,
            )  # fmt: skip

    def _forced_cut(self, channel: _Channel, now: float) -> Iterator[TranscriptEvent]:
        utterance = channel.utterance
        assert utterance is not None
        earliest = utterance.start + self.options.max_utterance / 2
        cut = _quietest_point(channel.audio(earliest, now - 0.3), earliest)
        ep = channel.endpointer
        yield from self._final(
            channel, cut, max(ep.voiced - (now - cut), self.options.min_voiced), forced=True
        )
        self._count += 1
        channel.utterance = _Utterance(f"{self._prefix}-{channel.index}-{self._count}", cut, 0.0)
        ep.restart(cut)
        channel.trim(cut - self.options.pre_roll)

    def _maybe_partial(self, now: float, lag: float) -> Iterator[TranscriptEvent]:
        opts = self.options
        due = [
            c
            for c in self._channels
            if c.utterance is not None
            and now - c.utterance.start >= opts.first_partial
            and now - c.utterance.last_partial >= opts.partial_interval
            and c.endpointer.silence < opts.partial_pause
        ]
        if not due:
            return
        if lag > opts.max_lag:
            self.stats.partials_skipped += 1
            return
        channel = min(due, key=lambda c: c.utterance.last_partial)  # type: ignore[union-attr]
        utterance = channel.utterance
        assert utterance is not None
        audio = channel.audio(utterance.start - utterance.pre_roll, now)
        text, language, spent = self._decode(channel, audio, partial=True)
        self.stats.partial_decodes += 1
        utterance.last_partial = now
        if text:
            utterance.partials += 1
            yield Partial(
                utterance.id, channel.index, channel.speaker, text, utterance.start, now,
                language, self.clock(), spent,
            )  # fmt: skip

    def _decode(
        self, channel: _Channel, audio: np.ndarray, *, partial: bool
    ) -> tuple[str, str | None, float]:
        language = self.language or (channel.language if partial else None)
        began = time.perf_counter()
        result = self.transcriber.transcribe(audio, language=language, partial=partial)
        spent = time.perf_counter() - began
        self.stats.compute_seconds += spent
        if not partial or channel.language is None:
            channel.language = result.language
        return result.text, result.language, spent


def _quietest_point(audio: np.ndarray, offset: float, hop: int = 480) -> float:
    """Audio time of the lowest-energy 90 ms stretch in `audio` (which starts at `offset`)."""
    if len(audio) < hop * 3:
        return offset + len(audio) / SAMPLE_RATE
    frames = audio[: len(audio) // hop * hop].reshape(-1, hop)
    energy = np.convolve((frames**2).mean(axis=1), np.ones(3) / 3, mode="same")
    return offset + (int(np.argmin(energy[1:-1])) + 1) * hop / SAMPLE_RATE + hop / 2 / SAMPLE_RATE
