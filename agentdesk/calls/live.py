"""Where a call's live text comes from: a recording, the microphone, or a script stand-in.

The desk's transcription worker iterates `live_events` and posts each event; nothing
here knows about the UI. Heavy speech imports happen inside, when a call starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TypeVar

from agentdesk.config import SpeechSettings
from agentdesk.domain.models import Speaker
from agentdesk.domain.scripts import CallScript

_Frame = TypeVar("_Frame")

Transcription = Literal["whisper", "scripted"]
"""`whisper` decodes the audio; `scripted` replays a sample call's own text on its timings
(for tests, and demos on machines without the speech models)."""


@dataclass(frozen=True)
class LiveSpec:
    """One call's audio and how to turn it into text."""

    kind: Literal["recording", "mic"]
    language: str | None = None
    path: Path | None = None
    start: float = 0.0
    """Seconds into the recording where the human part of the call begins."""
    speed: float = 1.0
    device: str | None = None
    script: CallScript | None = None
    transcription: Transcription = "whisper"

    def describe(self) -> str:
        """A few words for a status line: `mic default`, `zh-05 @42s`."""
        if self.kind == "mic":
            return f"mic {self.device or 'default'}"
        name = self.script.id[:5] if self.script else (self.path.stem[:12] if self.path else "?")
        return f"{name} @{self.start:.0f}s"


RecordingProblem = Literal["missing", "not_file", "unreadable", "empty"]
"""Why a path cannot be a call's recording, before any decoding is tried."""


def desk_audio(choice: str, *, input_device: str | None = None) -> LiveSpec:
    """The audio an agent's desk transcribes: `mic`, `mic:DEVICE`, or a recording's path.

    Args:
        choice: what `agentdesk desk --audio` or `[ui] audio` says. A file actually named
            `mic` is written as a path (`./mic`).
        input_device: the microphone `mic` means (`[speech] input_device`); None: the
            system's default input.
    """
    text = choice.strip()
    if text == "mic" or text.startswith("mic:"):
        return LiveSpec("mic", device=text[4:].strip() or input_device)
    return LiveSpec("recording", path=Path(text).expanduser())


def recording_problem(path: Path) -> RecordingProblem | None:
    """Why `path` cannot be read as a recording at all (None: try decoding it)."""
    if not path.exists():
        return "missing"
    if not path.is_file():
        return "not_file"
    if not os.access(path, os.R_OK):
        return "unreadable"
    if path.stat().st_size == 0:
        return "empty"
    return None


def for_call(spec: LiveSpec, language: str | None) -> LiveSpec:
    """`spec` for one call: whisper decodes in the call's language (no detection per line)."""
    return replace(spec, language=language) if language in ("zh", "en") else spec


def spec_for_sample(
    script: CallScript, audio: Path, *, transcription: Transcription, speed: float = 1.0
) -> LiveSpec:
    """The human part of a sample call: the recording from the first agent line on."""
    agent = [t.start for t in script.turns if t.speaker == Speaker.AGENT and t.start is not None]
    start = max(0.0, (agent[0] if agent else script.duration) - 0.5)
    return LiveSpec(
        "recording", script.language, audio, start, speed, script=script, transcription=transcription
    )


def live_events(
    spec: LiveSpec,
    settings: SpeechSettings,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    on_ready: Callable[[str], None] = lambda _: None,
) -> Iterator[object]:
    """Transcript events (`speech.events.Partial` / `Final`) for the call, as they happen.

    Mono audio (a microphone, a mono recording) is heard as the customer's words, which
    agent assist answers; a stereo recording carries the customer on the left channel and
    the agent on the right, as call recorders and the sample calls do.

    Args:
        spec: the audio and transcription choice.
        settings: speech settings (model, threads, beam).
        cancelled: checked between events; the loop stops when it returns True.
        on_ready: called once the model is loaded and audio starts, with a description.

    Raises:
        SpeechError and its subclasses (no model, no microphone, bad audio): with a
        message meant for the person at the desk.
    """
    # Speech modules pull in numpy, av and possibly faster_whisper: only when a call plays.
    from agentdesk.speech.sources import FileSource

    speakers = (Speaker.CUSTOMER, Speaker.AGENT)
    if spec.kind == "mic":
        from agentdesk.speech.mic import MicSource

        source = MicSource(device=spec.device)
        source.check()  # no microphone: say so now, not after the model has loaded
    else:
        assert spec.path is not None
        source = FileSource(spec.path, speed=spec.speed, start=spec.start)
    with source:
        if spec.transcription == "scripted" and spec.script is not None:
            events = _scripted(spec.script, _until(cancelled, source.frames()), spec.start)
        else:
            from agentdesk.speech.streaming import StreamingTranscriber
            from agentdesk.speech.whisper import open_transcriber

            whisper, language = open_transcriber(settings, language=spec.language)
            whisper.warm_up()
            stream = StreamingTranscriber(whisper, language=language, speakers=speakers)
            events = stream.run(_until(cancelled, source.frames()))
        on_ready(spec.describe())
        for event in events:
            if cancelled():
                return
            yield event


def _until(cancelled: Callable[[], bool], frames: Iterator[_Frame]) -> Iterator[_Frame]:
    """The frames until `cancelled()`: a stopped call lets go of the microphone at once, even
    while nobody speaks (the event loop alone would only look between utterances)."""
    for frame in frames:
        if cancelled():
            return
        yield frame


def _scripted(script: CallScript, frames: Iterator[object], start: float) -> Iterator[object]:
    from agentdesk.speech.scripted import ScriptedTranscriber, ScriptedTurn

    turns = [
        ScriptedTurn(t.speaker, t.text, t.start, t.end)
        for t in script.turns
        if t.start is not None and t.end is not None and t.start >= start and t.speaker != Speaker.BOT
    ]
    return ScriptedTranscriber(turns, language=script.language).run(frames)  # type: ignore[arg-type]
