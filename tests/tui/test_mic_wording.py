"""A desk without a microphone says why in the UI's language, and what to do; the audio
library's own (English) words follow only as a short, labelled technical detail. Through the
real PortAudio layer: this machine has no sound card."""

from __future__ import annotations

from typing import get_args

import pytest

from agentdesk.calls.live import desk_audio
from agentdesk.speech.errors import DeviceTrouble
from agentdesk.speech.mic import list_input_devices
from agentdesk.tui.app import make_app
from agentdesk.tui.i18n import Catalog, _catalog
from tests.tui.conftest import accept, wait_for
from tests.tui.test_desk_audio import ENGLISH_CALL, NO_SUCH_MIC, SIZE, _status

ENGLISH_WRAPPER = ("no microphone:", "not found (", "list devices with")
"""Words of the speech layer's English one-liner (what `agentdesk listen` prints)."""


async def no_mic_toast(seeded_store, settings, lang: str, audio: str) -> str:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    app.desk_audio = desk_audio(audio)
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, ENGLISH_CALL)
        await wait_for(pilot, lambda: _status(app) == app.t("audio.status.no_mic"))
        return next(
            n.message
            for n in app._notifications
            if n.message.startswith(app.t("audio.stop.no_mic", reason=""))
        )


@pytest.mark.parametrize(
    ("lang", "says", "technical"),
    [
        ("zh", f"找不到名为“{NO_SUCH_MIC}”的录音设备：请检查配置中的设备名", "（技术信息："),
        (
            "en",
            f"There is no input device called “{NO_SUCH_MIC}”: check the name in the config",
            "(Technical detail:",
        ),
    ],
)
async def test_a_named_microphone_that_is_not_there_is_explained_in_the_desks_language(
    seeded_store, settings, lang: str, says: str, technical: str
) -> None:  # type: ignore[no-untyped-def]
    toast = await no_mic_toast(seeded_store, settings, lang, f"mic:{NO_SUCH_MIC}")
    assert says in toast
    plain, _, detail = toast.partition(technical)
    assert detail, "the library's words follow as a labelled technical detail"
    assert not any(words in plain for words in ENGLISH_WRAPPER), plain


async def test_a_chinese_desk_on_a_machine_without_a_sound_card_says_so_in_chinese(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    if list_input_devices():
        pytest.skip("this machine has a microphone")
    toast = await no_mic_toast(seeded_store, settings, "zh", "mic")
    plain = toast.partition("（技术信息：")[0]
    assert "这台电脑没有录音设备：请接上耳麦或麦克风" in plain
    assert not any(words in plain for words in ENGLISH_WRAPPER), plain


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_of_microphone_trouble_has_words_in_each_language(lang: str) -> None:
    own = _catalog(lang)
    missing = [cause for cause in get_args(DeviceTrouble) if f"desk11.mic.{cause}" not in own]
    assert missing == []
    assert Catalog(lang)("desk11.mic.technical", said="x", detail="y").startswith("x")
