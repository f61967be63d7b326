"""`ScriptedTranscriber`: replays a sample call's script as if whisper were hearing it.

UI tests and demos need transcript events with realistic timing but no model: this
reads each turn's `start`/`end` (written into the script by `sample_calls/build_audio.py`)
and emits word-by-word partials while the turn plays and the exact text as the final
shortly after it ends. It produces the same events as `StreamingTranscriber`, from the
same frames, so a caller swaps one for the other. It is a stand-in for tests and demos,
never a transcriber for real audio.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from agentdesk.domain.models import Speaker
from agentdesk.speech.events import Final, Partial, TranscriptEvent
from agentdesk.speech.sources import AudioFrame

CHANNEL_OF = {Speaker.CUSTOMER: 0, Speaker.BOT: 1, Speaker.AGENT: 1, Speaker.SYSTEM: 1}
"""Sample-call audio has the customer on the left channel and bot/agent on the right."""


@dataclass(frozen=True)
class ScriptedTurn:
    """One timed line of a call script."""

    speaker: Speaker
    text: str
    start: float
    end: float

    @property
    def channel(self) -> int:
        """Left (0) for the customer, right (1) for the bot or agent."""
        return CHANNEL_OF[self.speaker]


def load_turns(path: str | Path) -> tuple[str, list[ScriptedTurn]]:
    """Read a sample-call script's language and timed turns.

    Raises:
        ValueError: the script has turns without `start`/`end` (its audio was never built).
    """
    import yaml  # only needed when a script is read

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    turns = []
    for i, turn in enumerate(data.get("turns") or []):
        if turn.get("start") is None or turn.get("end") is None:
            raise ValueError(f"{path}: turn {i + 1} has no start/end; run sample_calls/build_audio.py")
        turns.append(ScriptedTurn(Speaker(turn["speaker"]), str(turn["text"]), turn["start"], turn["end"]))
    return str(data.get("language", "en")), turns


def _pieces(text: str, language: str) -> list[str]:
    """Units revealed one at a time: words for English, characters for Chinese."""
    return list(text) if language == "zh" else re.findall(r"\S+\s*", text)


class ScriptedTranscriber:
    """Emit a script's text on its audio timings.

    Args:
        turns: timed turns, e.g. from `load_turns`.
        language: language tag put on every event.
        partial_interval: audio seconds between partials of a turn.
        final_delay: audio seconds after a turn ends before its final (like a VAD hangover).
        clock: wall clock for `emitted_at`.
    """

    def __init__(
        self,
        turns: Sequence[ScriptedTurn],
        *,
        language: str = "en",
        partial_interval: float = 1.0,
        final_delay: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.turns = sorted(turns, key=lambda t: t.start)
        self.language = language
        self.partial_interval = partial_interval
        self.final_delay = final_delay
        self.clock = clock
        self._next = 0
        self._open: dict[int, float] = {}  # turn index -> audio time of its last partial

    @classmethod
    def from_script(cls, path: str | Path, **kwargs: object) -> ScriptedTranscriber:
        """Build from a sample-call YAML whose turns carry `start`/`end`."""
        language, turns = load_turns(path)
        return cls(turns, language=language, **kwargs)  # type: ignore[arg-type]

    @property
    def duration(self) -> float:
        """Audio seconds until the last final."""
        return max((t.end for t in self.turns), default=0.0) + self.final_delay

    def run(self, frames: Iterable[AudioFrame]) -> Iterator[TranscriptEvent]:
        """Events as the frames' audio time passes each turn's timings."""
        for frame in frames:
            yield from self.advance(frame.end)
        yield from self.advance(float("inf"))

    def replay(self, speed: float = 1.0, step: float = 0.1) -> Iterator[TranscriptEvent]:
        """Events paced by the wall clock alone (no audio); `speed=0` is instant."""
        began, now = time.monotonic(), 0.0
        while now < self.duration:
            now += step
            if speed:
                time.sleep(max(0.0, began + now / speed - time.monotonic()))
            yield from self.advance(now)
        yield from self.advance(float("inf"))

    def advance(self, now: float) -> Iterator[TranscriptEvent]:
        """Everything due by audio time `now`."""
        while self._next < len(self.turns) and self.turns[self._next].start <= now:
            self._open[self._next] = self.turns[self._next].start
            self._next += 1
        for index in sorted(self._open):
            turn = self.turns[index]
            if now >= turn.end + self.final_delay:
                del self._open[index]
                yield self._event(Final, index, turn, turn.text, turn.end)
            elif now - self._open[index] >= self.partial_interval and now < turn.end:
                self._open[index] = now
                pieces = _pieces(turn.text, self.language)
                shown = max(1, round(len(pieces) * (now - turn.start) / max(turn.end - turn.start, 1e-3)))
                yield self._event(Partial, index, turn, "".join(pieces[:shown]).strip(), now)

    def _event(
        self, kind: type[TranscriptEvent], index: int, turn: ScriptedTurn, text: str, end: float
    ) -> TranscriptEvent:
        return kind(
            f"script-{index}", turn.channel, turn.speaker, text, turn.start, end, self.language, self.clock()
        )
