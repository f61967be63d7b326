"""Cheap partial text: a greedy whisper pass over an encoder window sized to the audio.

faster-whisper always pads audio to a 30-second window, so every decode costs the same
however short the utterance: about 0.3 s with tiny.en and 0.75 s with base on 2 cores,
almost all of it in the encoder. The CTranslate2 encoder also accepts shorter inputs,
which is what whisper.cpp's `audio_ctx` exposes: a 10-second window costs about a third.
Whisper was trained on 30-second windows, so text from a short one can be slightly worse;
that is a fair trade for tentative partial text, which the final (full window, full
beam) replaces moments later. Finals never use this.

This reaches below faster-whisper's public `transcribe()` (its feature extractor,
tokenizer and CTranslate2 model). If a faster-whisper release changes those internals,
`decode_partial` raises `ShortWindowUnavailable` and the caller falls back to the full window.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from agentdesk.speech.transcriber import SUPPORTED_LANGUAGES, Segment

MIN_WINDOW = 1000
"""Frames (10 ms each): shorter windows made whisper unstable (whisper.cpp #1117)."""
FULL_WINDOW = 3000
_STEP = 500
_TOKENS_PER_SECOND = 12
"""Generous cap on output length (speech runs at 3-5 tokens a second); stops runaway loops."""


class ShortWindowUnavailable(Exception):
    """faster-whisper internals are not what this module expects; use the full window."""


def decode_partial(
    model: Any, audio: np.ndarray, language: str | None, prompts: Mapping[str, str]
) -> tuple[Segment, str]:
    """Greedy-decode `audio` (16 kHz mono) with a short encoder window.

    Args:
        model: a loaded `faster_whisper.WhisperModel`.
        audio: the utterance so far.
        language: `zh`/`en`, or None to detect it (between zh and en) from the same window.
        prompts: initial prompt text per language (none for a language not listed).

    Returns:
        The segment (with no-speech probability and mean log-probability) and the language.

    Raises:
        ShortWindowUnavailable: the installed faster-whisper does not expose what is needed.
    """
    try:
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        features = model.feature_extractor(audio)
        frames = features.shape[-1]
        window = min(FULL_WINDOW, max(MIN_WINDOW, -(-(frames + 100) // _STEP) * _STEP))
        padded = np.zeros((features.shape[0], window), np.float32)
        padded[:, : min(frames, window)] = features[:, :window]
        encoded = model.model.encode(ctranslate2.StorageView.from_array(padded[None]), to_cpu=False)
        multilingual = bool(model.model.is_multilingual)
        if not multilingual:
            language = "en"
        elif language is None:
            ranked = model.model.detect_language(encoded)[0]
            scores = {token[2:-2]: p for token, p in ranked if token[2:-2] in SUPPORTED_LANGUAGES}
            language = max(scores, key=lambda k: scores[k]) if scores else SUPPORTED_LANGUAGES[0]
        tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task="transcribe", language=language)
        prompt = prompts.get(language)
        previous = tokenizer.encode(" " + prompt.strip()) if prompt else []
        tokens = model.get_prompt(tokenizer, previous, without_timestamps=True)
        seconds = len(audio) / 16000
        result = model.model.generate(
            encoded,
            [tokens],
            beam_size=1,
            max_length=min(model.max_length, len(tokens) + int(_TOKENS_PER_SECOND * seconds) + 10),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, (-1,)),
        )[0]
        ids = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        text = tokenizer.decode(ids)
        avg_logprob = result.scores[0] * len(ids) / (len(ids) + 1)
        return Segment(0.0, seconds, text, float(result.no_speech_prob), float(avg_logprob)), language
    except (ImportError, AttributeError, TypeError) as exc:
        raise ShortWindowUnavailable(str(exc)) from exc
