"""Voice activity: streaming Silero VAD and an endpointer that turns it into utterances.

The Silero model is the ONNX file bundled inside the faster-whisper wheel, so it works
offline. It scores 32 ms windows (512 samples at 16 kHz); its LSTM state and a
64-sample context carry across calls, which makes window-by-window scoring give the
same probabilities as scoring the whole recording at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agentdesk.speech.decode import SAMPLE_RATE

WINDOW = 512
"""Samples per Silero window (32 ms)."""
_CONTEXT = 64


@functools.lru_cache(maxsize=1)
def _session() -> Any:
    # onnxruntime and the faster_whisper package are heavy; load them on first use only.
    import onnxruntime
    from faster_whisper.utils import get_assets_path

    opts = onnxruntime.SessionOptions()
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = 1  # ~0.06 ms per window; threads only add contention with whisper
    opts.log_severity_level = 4
    path = Path(get_assets_path()) / "silero_vad_v6.onnx"
    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"], sess_options=opts)


class SileroVad:
    """Speech probability per 32 ms window of a stream; one instance per channel."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the stream so far (state, context and any partial window)."""
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)
        self._pending = np.zeros(0, np.float32)

    def __call__(self, samples: np.ndarray) -> np.ndarray:
        """Score the complete windows in `samples` (1-D float32); a remainder waits for more."""
        audio = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        count = len(audio) // WINDOW
        self._pending = audio[count * WINDOW :].copy()
        if not count:
            return np.zeros(0, np.float32)
        windows = audio[: count * WINDOW].reshape(count, WINDOW)
        contexts = np.vstack([self._context[None, :], windows[:-1, -_CONTEXT:]])
        batch = np.ascontiguousarray(np.hstack([contexts, windows]), dtype=np.float32)
        self._context = windows[-1, -_CONTEXT:].copy()
        probs, self._h, self._c = _session().run(None, {"input": batch, "h": self._h, "c": self._c})
        return np.asarray(probs, np.float32).reshape(-1)


@dataclass
class Endpoint:
    """A change of state reported by `Endpointer.push`."""

    kind: str
    """`start` (speech began) or `end` (enough silence followed speech)."""
    time: float
    """Audio seconds: first voiced window for `start`, end of the last voiced window for `end`."""
    voiced: float = 0.0
    """For `end`: seconds of voiced windows in the utterance."""


class Endpointer:
    """Hysteresis over window probabilities: speech starts above `threshold`, continues
    while above `neg_threshold`, and ends after `end_silence` seconds below it.

    Args:
        threshold: probability that starts speech.
        neg_threshold: probability below which a window counts as silence.
        end_silence: seconds of silence that end an utterance (the hangover).
    """

    def __init__(self, threshold: float = 0.5, neg_threshold: float = 0.35, end_silence: float = 0.5) -> None:
        self.threshold = threshold
        self.neg_threshold = neg_threshold
        self.end_silence = end_silence
        self.in_speech = False
        self.start = 0.0
        self.last_voiced = 0.0
        self.silence = 0.0
        """Seconds of silence since the last voiced window (while in speech)."""
        self.voiced = 0.0

    def push(self, prob: float, start: float) -> Endpoint | None:
        """Feed one window's probability; `start` is the window's audio time."""
        end = start + WINDOW / SAMPLE_RATE
        if not self.in_speech:
            if prob >= self.threshold:
                self.in_speech, self.start, self.last_voiced = True, start, end
                self.silence, self.voiced = 0.0, WINDOW / SAMPLE_RATE
                return Endpoint("start", start)
            return None
        # Once silence has begun only a confident window resumes speech (as upstream Silero).
        if prob >= self.threshold or (prob >= self.neg_threshold and not self.silence):
            self.last_voiced, self.silence = end, 0.0
            self.voiced += WINDOW / SAMPLE_RATE
            return None
        self.silence = end - self.last_voiced
        if self.silence >= self.end_silence:
            self.in_speech = False
            return Endpoint("end", self.last_voiced, self.voiced)
        return None

    def restart(self, at: float) -> None:
        """Continue the current speech as a new utterance starting at `at` (a forced cut)."""
        self.start = at
        self.voiced = max(0.0, self.last_voiced - at)
