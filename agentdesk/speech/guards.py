"""Text guards against whisper's known failure modes, plus Simplified Chinese output.

Whisper was trained on subtitled video, so on silence, noise or music it tends to
"hear" subtitle credits ("Thanks for watching", "字幕由Amara.org社群提供") and it can
loop, repeating a phrase until the window ends. VAD keeps most silence away from the
model; these guards drop what still gets through. Chinese output is often Traditional
(廣州), so it is converted to Simplified with OpenCC.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

CREDIT_PHRASES = (
    # English subtitle and channel credits
    "thanks for watching",
    "thank you for watching",
    "thank you so much for watching",
    "please subscribe",
    "subscribe to my channel",
    "like and subscribe",
    "subtitles by the amara.org community",
    "amara.org",
    "captions by",
    "transcription by castingwords",
    "see you in the next video",
    # Chinese subtitle credits (compared after conversion to Simplified)
    "字幕由amara.org社群提供",
    "字幕由amara.org社区提供",
    "请不吝点赞订阅转发打赏支持明镜与点点栏目",
    "明镜与点点栏目",
    "字幕by索兰娅",
    "优优独播剧场",
    "yoyotelevisionseriesexclusive",
    "中文字幕志愿者",
    "字幕志愿者",
    "本字幕由",
    "字幕提供",
    "感谢观看",
    "谢谢观看",
    "谢谢大家观看",
    "点赞订阅",
    "订阅我的频道",
)
"""Phrases that are never part of a real call; a segment containing one is dropped."""

ZH_PROMPT = "以下是普通话的客服通话。"
"""initial_prompt for Chinese: written in Simplified characters with punctuation, it steers
whisper toward the same ("this is a Mandarin customer-service call"), and the call-centre
context cut CER on the sample calls by about a point (14.5% to 13.3%) at the cost of
0.3 points on read news speech (speech_zh corpus 14.9% to 15.2%)."""

_SQUASH = re.compile(r"[\s\W_]+", re.UNICODE)
_REPEAT = re.compile(r"(\S.{0,40}?)(?:[\s,，、.。!！?？]*\1){3,}")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _squash(text: str) -> str:
    """Lowercase without spaces or punctuation, keeping dots so `amara.org` still matches."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(part for part in re.split(r"[^\w.]+", text) if part).replace("..", ".")


_CREDITS = tuple(_squash(p) for p in CREDIT_PHRASES)


def is_credit_phrase(text: str) -> bool:
    """Whether `text` contains a subtitle credit whisper invents on silence."""
    squashed = _squash(to_simplified(text))
    return any(credit in squashed for credit in _CREDITS)


def collapse_repeats(text: str) -> str:
    """Reduce a phrase repeated four or more times in a row to one occurrence.

    Numbers are left alone (`10000` is not a loop).
    """

    def keep_one(match: re.Match[str]) -> str:
        unit = match.group(1)
        return match.group(0) if unit.strip().isdigit() else unit

    return _REPEAT.sub(keep_one, text)


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # C extension; loaded on first Chinese text only

    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Traditional to Simplified Chinese; text without Han characters is returned as is."""
    return _t2s().convert(text) if _HAN.search(text) else text


def clean_text(text: str, language: str | None) -> str:
    """Apply every text guard; returns "" when the text is a hallucination.

    Args:
        text: one segment as decoded.
        language: `zh` converts to Simplified; any language gets the other guards.
    """
    text = text.strip()
    if language == "zh" or _HAN.search(text):
        text = to_simplified(text)
    if not text or is_credit_phrase(text):
        return ""
    text = collapse_repeats(text)
    return "" if not _SQUASH.sub("", text) else text
