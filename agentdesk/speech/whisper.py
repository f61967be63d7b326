"""`WhisperTranscriber`: faster-whisper (CTranslate2, int8 on CPU) behind `Transcriber`.

Settings follow the measured trade-offs in shared/research: int8, `cpu_threads` = physical
cores, no `condition_on_previous_text` (it feeds repetition loops), an explicit language
whenever known (detection costs an extra encoder pass), greedy decoding for partials and
the configured beam for finals, and a Simplified-Chinese prompt (`guards.ZH_PROMPT`).
Partials decode over a short encoder window (see `short_window`), finals over the full one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from agentdesk.speech.errors import SpeechError
from agentdesk.speech.guards import ZH_PROMPT, clean_text
from agentdesk.speech.models import ModelInfo, ProgressFn, force_offline, resolve_model
from agentdesk.speech.short_window import ShortWindowUnavailable, decode_partial
from agentdesk.speech.transcriber import SUPPORTED_LANGUAGES, Segment, Transcription

if TYPE_CHECKING:
    from agentdesk.config import SpeechSettings

_FINAL_TEMPERATURES = (0.0, 0.4, 0.8)
"""Fallback temperatures for finals; three at most bounds the time a hard utterance costs."""
_SILENT_RMS = 1e-4
"""Below -80 dBFS a buffer is digital silence; whisper would still "hear" `You`."""
_NO_SPEECH = (0.6, -0.5)
"""Drop a segment whose no-speech probability is at least the first value while its mean
token log-probability is below the second. Whisper's own rule (0.6 and -1.0) lets through
the `You` it hears in silence (0.72-0.94 and -0.78 to -0.94 here); real speech in the sample
calls and corpora stayed below 0.47, and `Thanks.` (0.37, -0.9) is kept."""


class WhisperTranscriber:
    """Transcribe buffers with a local faster-whisper model.

    The model loads on first use (or `load()`), so constructing one is free; call
    `warm_up()` off the UI thread to pay the first-call cost before audio arrives.

    Args:
        model: a resolved model directory (see `resolve_model`).
        cpu_threads: CTranslate2 threads.
        beam_size: beam for final text; partial text is always greedy.
        compute_type: CTranslate2 compute type; int8 is fastest on CPU.
    """

    def __init__(
        self, model: ModelInfo, *, cpu_threads: int = 2, beam_size: int = 5, compute_type: str = "int8"
    ) -> None:
        self.info = model
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self.compute_type = compute_type
        self._model: Any = None
        self._lock = threading.Lock()
        self._short_window = True

    def load(self) -> None:
        """Load the model now (idempotent)."""
        with self._lock:
            if self._model is not None:
                return
            force_offline()
            # faster_whisper pulls in ctranslate2, tokenizers and av: ~0.2 s and tens of MB,
            # so it is imported here, when a model is really needed, not at CLI start-up.
            import ctranslate2
            from faster_whisper import WhisperModel

            # Temperature fallback samples at random; a fixed seed gives the same text for
            # the same audio, run after run.
            ctranslate2.set_random_seed(0)

            try:
                self._model = WhisperModel(
                    str(self.info.path),
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise SpeechError(f"cannot load whisper model from {self.info.path}: {exc}") from None

    @property
    def multilingual(self) -> bool:
        """False for English-only models such as tiny.en."""
        if self.info.multilingual is not None:
            return self.info.multilingual
        self.load()
        return bool(self._model.model.is_multilingual)

    def warm_up(self) -> None:
        """Load the model and run one decode, so the first real utterance is not slow."""
        self.load()
        noise = np.random.default_rng(0).normal(0, 0.01, 16000).astype(np.float32)
        self.transcribe(noise, language="en", partial=True)

    def detect_language(self, audio: np.ndarray) -> tuple[str, float]:
        """The likelier of the supported languages (zh, en) and its probability."""
        if not self.multilingual:
            return "en", 1.0
        self.load()
        with self._lock:
            _, _, ranked = self._model.detect_language(audio=audio)
        scores = {lang: p for lang, p in ranked if lang in SUPPORTED_LANGUAGES}
        if not scores:
            return SUPPORTED_LANGUAGES[0], 0.0
        best = max(scores, key=lambda lang: scores[lang])
        return best, float(scores[best])

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, partial: bool = False
    ) -> Transcription:
        """Recognise one buffer; see `Transcriber.transcribe`.

        Raises:
            SpeechError: Chinese was asked of an English-only model.
        """
        self.load()
        audio = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        if not len(audio) or float(np.sqrt(np.mean(audio**2))) < _SILENT_RMS:
            return Transcription((), language or "en", 0.0)
        probability = 1.0
        if not self.multilingual:
            if language not in (None, "en"):
                raise SpeechError(
                    f"{self.info.name} is English-only; use --model base for language {language!r}"
                )
            language = "en"
        if partial and self._short_window:
            try:
                with self._lock:
                    segment, language = decode_partial(self._model, audio, language, {"zh": ZH_PROMPT})
                return Transcription(tuple(self._segments([segment], language)), language, probability)
            except ShortWindowUnavailable:
                self._short_window = False  # this faster-whisper differs; partials use the full window
        if language is None:
            language, probability = self.detect_language(audio)
        options: dict[str, Any] = {
            "language": language,
            "condition_on_previous_text": False,
            "vad_filter": False,
            "initial_prompt": ZH_PROMPT if language == "zh" else None,
        }
        if partial:
            options.update(beam_size=1, temperature=0.0, without_timestamps=True)
        else:
            options.update(beam_size=self.beam_size, temperature=list(_FINAL_TEMPERATURES))
        with self._lock:
            raw, _ = self._model.transcribe(audio, **options)
            segments = tuple(self._segments(raw, language))
        return Transcription(segments, language, probability)

    @staticmethod
    def _segments(raw: Any, language: str) -> list[Segment]:
        out = []
        for s in raw:
            if s.no_speech_prob >= _NO_SPEECH[0] and s.avg_logprob < _NO_SPEECH[1]:
                continue
            text = clean_text(s.text, language)
            if text:
                out.append(Segment(s.start, s.end, text, s.no_speech_prob, s.avg_logprob))
        return out


def open_transcriber(
    settings: SpeechSettings,
    *,
    model: str | None = None,
    language: str | None = None,
    progress: ProgressFn | None = None,
) -> tuple[WhisperTranscriber, str | None]:
    """Resolve the model for these settings and build a transcriber (not yet loaded).

    Args:
        settings: the `speech` section of the settings.
        model: overrides `settings.model` (`--model`).
        language: overrides `settings.language` (`--language`): `zh`, `en` or `auto`.
        progress: receives (done, total) bytes if the base model must be assembled.

    Returns:
        The transcriber and the language to decode in (None means detect per utterance).

    Raises:
        ModelNotFoundError: no usable model.
        SpeechError: the language does not suit the model.
    """
    spec = model or settings.model
    lang = language or settings.language
    info = resolve_model(spec, language=lang, progress=progress)
    if info.multilingual is False:
        if lang == "zh":
            raise SpeechError(f"{info.name} is English-only; use --model base (or auto) for Chinese")
        lang = "en"
    transcriber = WhisperTranscriber(info, cpu_threads=settings.cpu_threads, beam_size=settings.beam_size)
    return transcriber, None if lang == "auto" else lang
