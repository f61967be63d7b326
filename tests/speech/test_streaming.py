"""StreamingTranscriber mechanics with a stand-in decoder: endpointing, partials, cuts, lag."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest
from faster_whisper.vad import get_vad_model

from agentdesk.domain.models import Speaker
from agentdesk.speech.decode import SAMPLE_RATE, load_audio
from agentdesk.speech.events import Final, Partial
from agentdesk.speech.sources import AudioFrame, FileSource
from agentdesk.speech.streaming import StreamingTranscriber, StreamOptions
from agentdesk.speech.transcriber import Segment, Transcription
from agentdesk.speech.vad import WINDOW, Endpointer, SileroVad

from .conftest import FIXTURES


class CountingTranscriber:
    """Says how much audio it was given; records every call."""

    multilingual = False

    def __init__(self, text: str | None = None) -> None:
        self.calls: list[tuple[float, bool]] = []
        self.text = text

    def transcribe(
        self, audio: np.ndarray, *, language: str | None = None, partial: bool = False
    ) -> Transcription:
        seconds = len(audio) / SAMPLE_RATE
        self.calls.append((seconds, partial))
        text = f"{seconds:.1f} seconds" if self.text is None else self.text
        segments = (Segment(0.0, seconds, text),) if text else ()
        return Transcription(segments, language or "en")


def test_streaming_vad_scores_windows_exactly_like_scoring_the_whole_clip() -> None:
    audio = load_audio(FIXTURES / "hello_en.wav")[:, 0]
    audio = audio[: len(audio) // WINDOW * WINDOW]
    whole = get_vad_model()(audio).reshape(-1)
    vad = SileroVad()
    streamed = np.concatenate([vad(audio[i : i + 700]) for i in range(0, len(audio), 700)])
    np.testing.assert_allclose(streamed, whole, atol=1e-5)


def test_the_endpointer_ends_speech_only_after_the_hangover() -> None:
    ep = Endpointer(threshold=0.5, neg_threshold=0.35, end_silence=0.5)
    step = WINDOW / SAMPLE_RATE
    probs = [0.1] * 5 + [0.9] * 20 + [0.4] * 3 + [0.9] * 5 + [0.1] * 30
    points = [(i, p) for i, prob in enumerate(probs) if (p := ep.push(prob, i * step))]
    assert [p.kind for _, p in points] == ["start", "end"]
    start, end = points[0][1], points[1][1]
    assert start.time == pytest.approx(5 * step)
    assert end.time == pytest.approx(33 * step)  # the last voiced window, not where silence was noticed
    assert points[1][0] == 33 + int(np.ceil(0.5 / step)) - 1


def _frames(audio: np.ndarray, captured_at: float = 0.0) -> Iterator[AudioFrame]:
    audio = audio.reshape(len(audio), -1)
    for i in range(0, len(audio), WINDOW):
        yield AudioFrame(i / SAMPLE_RATE, audio[i : i + WINDOW], captured_at)


def test_a_final_follows_partials_of_the_same_utterance_and_covers_all_of_it() -> None:
    decoder = CountingTranscriber()
    stream = StreamingTranscriber(decoder, language="en", clock=lambda: 0.0)
    events = list(stream.run(FileSource(FIXTURES / "hello_en.wav", speed=0).frames()))
    partials = [e for e in events if isinstance(e, Partial)]
    finals = [e for e in events if isinstance(e, Final)]
    assert len(finals) == 1 and len(partials) >= 2
    assert {p.utterance_id for p in partials} == {finals[0].utterance_id}
    assert events[-1] is finals[0]
    assert [p.end for p in partials] == sorted(p.end for p in partials)
    assert finals[0].start < 0.2 and finals[0].end > 3.2
    assert [partial for _, partial in decoder.calls] == [True] * len(partials) + [False]


def test_when_decoding_falls_behind_partials_are_skipped_but_finals_are_not() -> None:
    decoder = CountingTranscriber()
    audio = load_audio(FIXTURES / "hello_en.wav")[:, 0]
    stream = StreamingTranscriber(decoder, language="en", clock=lambda: 100.0)
    events = list(stream.run(_frames(audio, captured_at=90.0)))  # every frame 10 s late
    assert [type(e) for e in events] == [Final]
    assert stream.stats.partials_skipped > 0 and stream.stats.partial_decodes == 0
    assert stream.stats.lag[0][1] == pytest.approx(10.0)


def test_long_speech_is_cut_at_a_quiet_point_so_no_decode_exceeds_the_limit() -> None:
    decoder = CountingTranscriber()
    options = StreamOptions(max_utterance=4.0, partials=False)
    stream = StreamingTranscriber(decoder, language="en", options=options, clock=lambda: 0.0)
    finals = [e for e in stream.run(FileSource(FIXTURES / "monologue_en.ogg", speed=0).frames()) if e.final]
    assert len(finals) >= 3
    assert any(f.forced_cut for f in finals)
    assert max(seconds for seconds, _ in decoder.calls) <= 4.0 + options.pre_roll + options.post_pad
    for before, after in itertools.pairwise(finals):
        assert after.start == pytest.approx(before.end, abs=0.05)  # contiguous: nothing lost or repeated


def test_partials_that_end_in_nothing_are_retracted_by_an_empty_final() -> None:
    class ThinksAgain(CountingTranscriber):
        def transcribe(self, audio, *, language=None, partial=False):  # type: ignore[no-untyped-def]
            self.text = "maybe words" if partial else ""
            return super().transcribe(audio, language=language, partial=partial)

    stream = StreamingTranscriber(ThinksAgain(), language="en", clock=lambda: 0.0)
    events = list(stream.run(FileSource(FIXTURES / "hello_en.wav", speed=0).frames()))
    assert isinstance(events[-1], Final) and events[-1].text == ""
    assert events[-1].utterance_id == events[0].utterance_id


def test_each_channel_is_its_own_speaker() -> None:
    stream = StreamingTranscriber(
        CountingTranscriber(), language="en", speakers=(Speaker.CUSTOMER, Speaker.AGENT), clock=lambda: 0.0
    )
    finals = [e for e in stream.run(FileSource(FIXTURES / "two_speakers.flac", speed=0).frames()) if e.final]
    assert [(f.channel, f.speaker) for f in finals] == [(1, Speaker.AGENT), (0, Speaker.CUSTOMER)]
    assert finals[0].end < finals[1].start
    utterance = finals[1].to_utterance(call_id="C1")
    assert (utterance.speaker, utterance.final, utterance.call_id) == (Speaker.CUSTOMER, True, "C1")


def test_silence_and_clicks_are_never_decoded() -> None:
    decoder = CountingTranscriber()
    audio = np.zeros(SAMPLE_RATE * 5, np.float32)
    audio[SAMPLE_RATE * 2 : SAMPLE_RATE * 2 + 40] = 0.9  # a 2.5 ms click
    list(StreamingTranscriber(decoder, language="en").run(_frames(audio)))
    assert decoder.calls == []


def test_the_final_is_decoded_during_the_pause_and_redone_only_if_speech_resumes() -> None:
    hello = load_audio(FIXTURES / "hello_en.wav")[:, 0]
    pause = np.zeros(
        int(0.4 * SAMPLE_RATE), np.float32
    )  # longer than speculate_after, shorter than end_silence
    audio = np.concatenate([hello, pause, hello, np.zeros(SAMPLE_RATE, np.float32)])
    decoder = CountingTranscriber()
    options = StreamOptions(partials=False)
    stream = StreamingTranscriber(decoder, language="en", options=options, clock=lambda: 0.0)
    (final,) = [e for e in stream.run(_frames(audio)) if e.final]
    assert stream.stats.speculations_wasted == 1
    covered = final.end + options.post_pad - max(0.0, final.start - options.pre_roll)
    assert [round(seconds, 2) for seconds, _ in decoder.calls][-1] == pytest.approx(covered, abs=0.02)
    assert len(decoder.calls) == 2  # the wasted early decode and the one that was kept
    assert final.end > 2 * len(hello) / SAMPLE_RATE  # one utterance across the short pause

    plain = CountingTranscriber()
    no_early = StreamingTranscriber(
        plain, language="en", options=StreamOptions(partials=False, speculate_after=None)
    )
    assert [e.text for e in no_early.run(_frames(audio)) if e.final] == [final.text]
    assert len(plain.calls) == 1
