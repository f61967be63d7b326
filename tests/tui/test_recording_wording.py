"""A recording the desk cannot transcribe is explained in the UI's language: what is wrong
with the file and, for a sample rate speech cannot use, what to do; FFmpeg's own (English)
words follow only as a labelled technical detail. Through the real decoder on real files."""

from __future__ import annotations

from typing import get_args

import pytest

from agentdesk.calls.live import desk_audio
from agentdesk.speech.errors import AudioTrouble
from agentdesk.tui.app import make_app
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.live_audio import PATH_PROBLEMS
from tests.speech.conftest import FIXTURES
from tests.tui.conftest import accept, wait_for
from tests.tui.test_desk_audio import ENGLISH_CALL, SIZE, _status

ENGLISH_WORDS = ("is not a readable audio file", "is sampled at", "is truncated")
"""Words of the speech layer's English one-liners (what `agentdesk transcribe` prints)."""


async def bad_recording_toast(seeded_store, settings, lang: str, name: str) -> str:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    app.desk_audio = desk_audio(str(FIXTURES / name))
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, ENGLISH_CALL)
        await wait_for(pilot, lambda: _status(app) == app.t("audio.status.bad_file"))
        return next(
            n.message
            for n in app._notifications
            if n.message.startswith(app.t("audio.stop.bad_file", reason=""))
        )


@pytest.mark.parametrize(
    ("lang", "name", "says", "technical"),
    [
        ("zh", "corrupt.wav", "“corrupt.wav”不是 AgentDesk 能读取的音频文件", "（技术信息："),
        ("en", "corrupt.wav", "corrupt.wav is not an audio file AgentDesk can read", "(Technical detail:"),
        (
            "zh",
            "hello_en_4k.wav",
            "“hello_en_4k.wav”的采样率是 4000 Hz，语音识别无法使用：请转换为 16000 Hz",
            None,
        ),
        ("zh", "truncated.wav", "录音“truncated.wav”不完整", "（技术信息："),
    ],
)
async def test_a_recording_that_cannot_be_transcribed_is_explained_in_the_desks_language(
    seeded_store, settings, lang: str, name: str, says: str, technical: str | None
) -> None:  # type: ignore[no-untyped-def]
    toast = await bad_recording_toast(seeded_store, settings, lang, name)
    assert says in toast
    if technical is None:
        plain = toast
    else:
        plain, _, detail = toast.partition(technical)
        assert detail, "FFmpeg's words follow as a labelled technical detail"
    assert not any(words in plain for words in ENGLISH_WORDS), plain


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_of_recording_trouble_has_words_in_each_language(lang: str) -> None:
    t = Catalog(lang)
    for problem in get_args(AudioTrouble):
        key = f"audio.path.{problem}" if problem in PATH_PROBLEMS else f"audio.file.{problem}"
        said = t(key, name="x.wav", path="x.wav", rate=4000)
        assert said != key and "x.wav" in said, (problem, said)
