"""Accuracy on real recorded speech: the `speech_en` / `speech_zh` corpora with transcripts.

A corpus folder holds `transcripts.tsv` (columns include `id`, `file`, `language`,
`transcript`, and `telephone_8k_file` for the 8 kHz phone-line copy) and the audio it
names. A transcript written as `[left] ... [right] ...` belongs to a two-channel
recording with one speaker per side; each side is scored against its own text.
Other stereo files are mixed to mono (they hold the same speech twice).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from agentdesk import locations
from agentdesk.speech.decode import load_audio
from agentdesk.speech.events import Final
from agentdesk.speech.scoring import ErrorRate, error_rate
from agentdesk.speech.sources import ArraySource
from agentdesk.speech.streaming import StreamingTranscriber, StreamOptions
from agentdesk.speech.transcriber import Transcriber

_SIDES = re.compile(r"\[(left|right)\]\s*([^\[]*)")


def corpora_dir() -> Path:
    """`AGENTDESK_CORPORA`, else `../shared/corpora` next to the repository root."""
    override = os.environ.get("AGENTDESK_CORPORA")
    return Path(override) if override else locations.package_root().parent.parent / "shared" / "corpora"


@dataclass(frozen=True)
class Clip:
    """One recording with its reference text."""

    id: str
    path: Path
    language: str
    references: tuple[str, ...]
    """One reference for a mono clip, or left and right for a two-speaker clip."""


def load_corpus(directory: str | Path, *, telephone: bool = False) -> list[Clip]:
    """Read a corpus folder's `transcripts.tsv`.

    Args:
        directory: e.g. `shared/corpora/speech_zh`.
        telephone: use the 8 kHz telephone-band copies instead of the originals.

    Raises:
        FileNotFoundError: the folder has no transcripts.tsv.
    """
    directory = Path(directory)
    clips = []
    with (directory / "transcripts.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            name = row.get("telephone_8k_file") if telephone else row["file"]
            sides = _SIDES.findall(row["transcript"])
            refs = tuple(text.strip() for _, text in sides) if sides else (row["transcript"],)
            clips.append(Clip(row["id"], directory / (name or row["file"]), row["language"], refs))
    return clips


def transcribe_samples(transcriber: Transcriber, samples: np.ndarray, language: str | None) -> list[Final]:
    """Finals for in-memory audio, decoded as fast as possible (no partials)."""
    stream = StreamingTranscriber(transcriber, language=language, options=StreamOptions(partials=False))
    return [e for e in stream.run(ArraySource(samples, speed=0).frames()) if isinstance(e, Final)]


def channel_text(finals: Iterable[Final], channel: int, language: str) -> str:
    """The finals of one channel joined in time order."""
    sep = "" if language == "zh" else " "
    return sep.join(f.text for f in sorted(finals, key=lambda f: f.start) if f.channel == channel and f.text)


@dataclass
class ClipResult:
    """Hypothesis and errors for one clip."""

    clip: Clip
    hypotheses: tuple[str, ...]
    errors: ErrorRate


@dataclass
class CorpusResult:
    """Per-clip results and totals per language."""

    clips: list[ClipResult] = field(default_factory=list)

    def total(self, language: str) -> ErrorRate:
        """Summed errors over every clip of a language."""
        return sum((r.errors for r in self.clips if r.clip.language == language), ErrorRate(0, 0))


def evaluate(
    clips: Iterable[Clip],
    transcriber_for: Callable[[str], Transcriber],
    *,
    on_clip: Callable[[ClipResult], None] | None = None,
) -> CorpusResult:
    """Transcribe each clip in its stated language and score it (CER zh, WER en).

    Args:
        clips: from `load_corpus`.
        transcriber_for: the transcriber to use for a language.
        on_clip: called after each clip (progress).
    """
    result = CorpusResult()
    for clip in clips:
        two_sides = len(clip.references) == 2
        samples = load_audio(clip.path, mono=not two_sides)
        finals = transcribe_samples(transcriber_for(clip.language), samples, clip.language)
        hyps = tuple(channel_text(finals, ch, clip.language) for ch in range(len(clip.references)))
        errors = sum(
            (error_rate(ref, hyp, clip.language) for ref, hyp in zip(clip.references, hyps, strict=True)),
            ErrorRate(0, 0),
        )
        done = ClipResult(clip, hyps, errors)
        result.clips.append(done)
        if on_clip:
            on_clip(done)
    return result
