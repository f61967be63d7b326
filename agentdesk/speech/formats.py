"""Write final transcript lines as plain text, SubRip (SRT) or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agentdesk.speech.events import Final, TranscriptEvent


def speaker_label(event: TranscriptEvent) -> str:
    """Who speaks: the role when the caller knew it, else `speaker 1` (left) / `speaker 2`."""
    return event.speaker.value if event.speaker else f"speaker {event.channel + 1}"


def _label(event: Final, labelled: bool) -> str:
    return f"{speaker_label(event)}: " if labelled else ""


def _ordered(finals: Sequence[Final]) -> list[Final]:
    return sorted((f for f in finals if f.text), key=lambda f: (f.start, f.channel))


def to_txt(finals: Sequence[Final], *, labelled: bool = False) -> str:
    """One line per utterance in time order; `speaker: ` prefixes when `labelled`."""
    return "".join(f"{_label(f, labelled)}{f.text}\n" for f in _ordered(finals))


def _timestamp(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def to_srt(finals: Sequence[Final], *, labelled: bool = False) -> str:
    """SubRip captions, one cue per utterance."""
    cues = [
        f"{i}\n{_timestamp(f.start)} --> {_timestamp(f.end)}\n{_label(f, labelled)}{f.text}\n"
        for i, f in enumerate(_ordered(finals), start=1)
    ]
    return "\n".join(cues)


def to_json(finals: Sequence[Final], meta: dict[str, Any]) -> str:
    """A JSON document: `meta` fields plus `utterances` with channel, speaker, times and text."""
    utterances = [
        {
            "channel": f.channel,
            "speaker": f.speaker.value if f.speaker else None,
            "start": round(f.start, 2),
            "end": round(f.end, 2),
            "language": f.language,
            "text": f.text,
        }
        for f in _ordered(finals)
    ]
    return json.dumps({**meta, "utterances": utterances}, ensure_ascii=False, indent=2) + "\n"
