"""`Detection`: what every line detector returns (found, confidence, evidence)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agentdesk.nlp.cues import Cue

__all__ = ["FOUND", "Detection", "combine"]

FOUND = 0.5
"""Confidence at which a detector reports `found`."""


@dataclass(frozen=True)
class Detection:
    """The outcome of one detector on one line.

    Attributes:
        found: whether the detector fired (confidence >= 0.5).
        confidence: 0..1.
        evidence: the matched cue texts, strongest first.
        cues: the cues themselves, including any that negation cancelled.
        remainder: what the line says besides the detector's cues and filler
            (set by the closing and acknowledgement detectors; empty when the
            cues are all there is). "行吧，那你们帮我催一下" acknowledges, and
            "那你们帮我催一下" is still to be handled.
    """

    found: bool
    confidence: float
    evidence: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()
    remainder: str = ""


def combine(weights: Iterable[float]) -> float:
    """Independent pieces of evidence as one confidence (noisy-or): 0.45 and 0.45 give 0.70."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - miss
