"""Live transcription at an agent's own desk (`agentdesk desk --audio`), not only in the demo:
a recording or the microphone becomes the call's transcript, and the palette starts and stops
it. Speech runs on the real faster-whisper model and the real PortAudio microphone layer."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Label, Static, TextArea

from agentdesk.calls.live import LiveSpec, desk_audio
from agentdesk.domain.models import Speaker
from agentdesk.tui.app import make_app
from agentdesk.tui.audio_commands import audio_commands
from agentdesk.tui.screens.recording_path import RecordingPathModal
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.speech.conftest import FIXTURES
from tests.tui.conftest import accept, notified, settle, wait_for

SIZE = (120, 40)
ENGLISH_CALL = "TR-D006"
"""Grace Mitchell's transfer in the demo seed: an English call, so whisper uses tiny.en."""
NO_SUCH_MIC = "no-such-microphone-here"
"""A device name no machine has: PortAudio's lookup fails as on a machine without a sound card."""


def _status(app) -> str:  # type: ignore[no-untyped-def]
    """What the transcript's lower edge says about the call's audio."""
    return str(app.screen.query_one(TranscriptPane).border_subtitle)


def _heard(text: str) -> bool:
    """The recording's words ("Hello, I would like to check ..."), not the bot's greeting."""
    return "would like to check" in text.lower()


def _call_bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#call-bar", Static).content)


async def _palette(pilot, search: str) -> None:  # type: ignore[no-untyped-def]
    """Run the palette's first match for `search`, as an agent does with ctrl+p."""
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: CommandPalette.is_open(pilot.app))
    await pilot.press(*search)
    await pilot.pause(0.5)  # the palette searches its providers in the background
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_desk_given_a_recording_transcribes_the_accepted_call_into_its_transcript(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    app.desk_audio = desk_audio(str(FIXTURES / "hello_en.flac"))
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, ENGLISH_CALL)
        assert _status(app) == "recording hello_en.flac"
        assert "recording hello_en.flac" in _call_bar(app)
        call_id = seeded_store.get_transfer(ENGLISH_CALL).call_id

        def heard_and_stored() -> bool:
            shown = [u for u in app.screen.query_one(TranscriptPane).lines if u.final and _heard(u.text)]
            stored = [u.text for u in seeded_store.list_utterances(call_id)]
            return bool(shown) and shown[0].text in stored

        await wait_for(pilot, heard_and_stored, timeout=60)
        line = next(u for u in app.screen.query_one(TranscriptPane).lines if _heard(u.text))
        assert line.speaker == Speaker.CUSTOMER  # mono audio is heard as the customer
        await wait_for(pilot, lambda: _status(app) == "recording ended", timeout=30)
        assert notified(app, "The recording has ended")
        assert app.screen.query_one(CallWorkspace).active is not None


@pytest.mark.parametrize(
    ("lang", "says", "status"),
    [
        ("en", "No microphone, so this call is not transcribed. The call goes on", "no microphone"),
        ("zh", "没有可用的麦克风，本通话不做转写。通话继续", "没有麦克风"),
    ],
)
async def test_a_desk_without_a_microphone_says_so_and_the_call_goes_on(
    seeded_store, settings, lang: str, says: str, status: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    app.desk_audio = desk_audio(f"mic:{NO_SUCH_MIC}")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, ENGLISH_CALL)
        await wait_for(pilot, lambda: _status(app) == status)
        assert notified(app, says) and notified(app, NO_SUCH_MIC)
        assert status in _call_bar(app)
        workspace = app.screen.query_one(CallWorkspace)
        assert workspace.active is not None and workspace.listening is None


async def test_starting_the_microphone_from_the_palette_without_one_keeps_the_notes_typed(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.speech.input_device = NO_SUCH_MIC
    app = make_app(settings, seeded_store, lang="en")
    app.live_transcription = None
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, ENGLISH_CALL)
        notes = app.screen.query_one("#ticket-notes", TextArea)
        notes.focus()
        await pilot.press(*"refund")
        typed = notes.text
        assert "refund" in typed
        await _palette(pilot, "microphone")
        await wait_for(pilot, lambda: _status(app) == "no microphone")
        assert notified(app, "No microphone, so this call is not transcribed")
        assert notes.text == typed
        assert app.screen.query_one(CallWorkspace).active is not None


async def test_a_recording_chosen_from_the_palette_is_checked_and_a_corrupt_one_is_refused_plainly(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    app.live_transcription = None
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, ENGLISH_CALL)
        await _palette(pilot, "recording")
        modal = app.screen
        assert isinstance(modal, RecordingPathModal)
        modal.query_one(Input).value = "/no/such/call.wav"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal, "a path that is not there keeps the dialog open"
        assert str(modal.query_one("#recording-problem", Label).content) == "No such file: /no/such/call.wav"
        modal.query_one(Input).value = str(FIXTURES / "corrupt.wav")
        await pilot.press("enter")
        await wait_for(pilot, lambda: _status(app) == "recording unusable")
        assert notified(app, "This recording cannot be transcribed; the call goes on.")
        assert notified(app, "corrupt.wav is not an audio file AgentDesk can read")
        assert app.screen.query_one(CallWorkspace).active is not None


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ["Transcribe from the microphone", "Transcribe a recording…", "Stop transcription"]),
        ("zh", ["从麦克风转写", "转写录音文件…", "停止转写"]),
    ],
)
async def test_on_a_call_the_palette_offers_transcription_and_stop_while_it_runs(
    seeded_store, settings, lang: str, names: list[str]
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    app.desk_audio = desk_audio(str(FIXTURES / "silence_60s.flac"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert list(audio_commands(app, app.screen)) == [], "off a call there is nothing to transcribe"
        await accept(pilot, ENGLISH_CALL)
        assert [c.title for c in audio_commands(app, app.screen)] == names
        stop = next(c for c in audio_commands(app, app.screen) if c.title == names[2])
        stop.callback()
        await settle(pilot)
        assert _status(app) == app.t("audio.status.stopped")
        assert app.screen.query_one(CallWorkspace).listening is None
        assert [c.title for c in audio_commands(app, app.screen)] == names[:2]


async def test_the_microphone_command_uses_the_desks_own_microphone(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.audio_commands import mic_spec

    settings.speech.input_device = "configured"
    app = make_app(settings, seeded_store, lang="en")
    assert mic_spec(app) == LiveSpec("mic", device="configured")
    app.desk_audio = desk_audio("mic:USB headset")
    assert mic_spec(app) == LiveSpec("mic", device="USB headset")
