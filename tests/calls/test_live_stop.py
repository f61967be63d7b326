"""Stopping a call's live transcription lets go of its audio at once, even while nobody speaks."""

from __future__ import annotations

from pathlib import Path

from agentdesk.calls.live import LiveSpec, live_events
from agentdesk.config import SpeechSettings

FIXTURES = Path(__file__).resolve().parents[1] / "speech" / "fixtures"


def test_a_stopped_transcription_reads_no_more_audio_during_silence() -> None:
    ready: list[str] = []
    asked: list[bool] = []

    def cancelled() -> bool:
        # The agent presses stop as soon as the audio is playing.
        asked.append(bool(ready))
        return bool(ready)

    spec = LiveSpec("recording", "en", FIXTURES / "silence_60s.flac", speed=0.0)
    events = list(
        live_events(spec, SpeechSettings(model="tiny.en"), cancelled=cancelled, on_ready=ready.append)
    )
    assert events == []
    assert ready, "the audio started"
    # Silence yields no events, so the stop must be noticed between frames: at the first one
    # after it, not after the whole minute (1,875 frames) had been read.
    assert asked.count(True) == 1
    assert len(asked) < 10
