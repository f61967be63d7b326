"""`agentdesk bench asr`: live transcription replayed at real-time pace, measured like vendors do.

For each recording (a sample-call script or an audio file), the audio is replayed at
`--speed` (1 = real time) through the same `StreamingTranscriber` the desk uses, and:

- final latency: wall time from the end of an utterance to its final text. The end is
  the script's turn end when the call has a script (ground truth), else the VAD end;
- first partial latency: from the detected speech onset to the utterance's first partial;
- RTF: decoder time / audio time; CPU share: process CPU time / wall time (in cores);
- lag: how late frames are handled behind their capture time, per audio second; drift
  is its p95 over the last minute minus the p95 over the first;
- peak memory: the process's maximum resident set size;
- replay accuracy: WER (en) or CER (zh) of the finals against the script.

`--minutes N` concatenates the calls into one stream of at least N minutes to show that
lag does not grow. `--corpus DIR` also scores real recordings against their
`transcripts.tsv` (normalisation in `agentdesk.speech.scoring`).
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from agentdesk.bench.stats import Figure, percentile, report

_SILENCE_BETWEEN_CALLS = 1.0


@dataclass
class _Stream:
    name: str
    samples: Any
    language: str | None
    turns: list[Any] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / 16000


def _load_stream(path: Path, language: str | None) -> _Stream:
    from agentdesk.calls.audio import audio_for, load_turns, script_for
    from agentdesk.speech.decode import load_audio

    script = path if path.suffix in (".yaml", ".yml") else script_for(path)
    audio = audio_for(path) if path.suffix in (".yaml", ".yml") else path
    if not audio.is_file():
        raise ValueError(f"no recording for {path.name} at {audio}: run sample_calls/build_audio.py")
    turns: list[Any] = []
    if script is not None:
        script_language, turns = load_turns(script)
        language = language or script_language
    return _Stream(path.stem, load_audio(audio), language, turns)


def _concatenate(streams: list[_Stream], minutes: float) -> list[_Stream]:
    """One stream of at least `minutes` per language, cycling through the calls."""
    import numpy as np

    from agentdesk.speech.scripted import ScriptedTurn

    out = []
    for language in sorted({s.language or "" for s in streams}):
        group = [s for s in streams if (s.language or "") == language]
        channels = max(s.samples.shape[1] for s in group)
        pieces, turns, offset, i = [], [], 0.0, 0
        while offset < minutes * 60:
            s = group[i % len(group)]
            samples = s.samples if s.samples.shape[1] == channels else np.repeat(s.samples, channels, axis=1)
            gap = np.zeros((int(_SILENCE_BETWEEN_CALLS * 16000), channels), np.float32)
            pieces += [samples, gap]
            turns += [ScriptedTurn(t.speaker, t.text, t.start + offset, t.end + offset) for t in s.turns]
            offset += s.duration + _SILENCE_BETWEEN_CALLS
            i += 1
        out.append(
            _Stream(f"{minutes:g}-minute stream ({i} calls)", np.concatenate(pieces), language or None, turns)
        )
    return out


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class _Measured:
    final_latency: list[float] = field(default_factory=list)
    first_partial: list[float] = field(default_factory=list)
    lag: list[tuple[float, float]] = field(default_factory=list)
    missed: int = 0
    rtf: float = 0.0
    cpu_cores: float = 0.0
    errors: Any = None


def _replay(stream: _Stream, transcriber: Any, language: str | None, speed: float) -> _Measured:
    from agentdesk.domain.models import Speaker
    from agentdesk.speech.sources import ArraySource
    from agentdesk.speech.streaming import StreamingTranscriber

    source = ArraySource(stream.samples, speed=speed)
    speakers = (Speaker.CUSTOMER, Speaker.AGENT) if stream.samples.shape[1] == 2 else ()
    st = StreamingTranscriber(transcriber, language=language, speakers=speakers)
    cpu, wall = _cpu_seconds(), time.perf_counter()
    events = list(st.run(source.frames()))
    cpu, wall = _cpu_seconds() - cpu, time.perf_counter() - wall
    m = _Measured(lag=st.stats.lag, rtf=st.stats.compute_seconds / stream.duration, cpu_cores=cpu / wall)
    finals = [e for e in events if e.final and e.text]
    if stream.turns:
        for turn in stream.turns:
            mine = [
                f for f in finals if f.channel == turn.channel and f.start < turn.end and f.end > turn.start
            ]
            if mine:
                m.final_latency.append(max(f.emitted_at for f in mine) - source.wall_time(turn.end))
            else:
                m.missed += 1
        m.errors = _accuracy(stream, finals)
    else:
        m.final_latency = [f.emitted_at - source.wall_time(f.end) for f in finals]
    first: dict[str, Any] = {}
    for e in events:
        if not e.final:
            first.setdefault(e.utterance_id, e)
    m.first_partial = [e.emitted_at - source.wall_time(e.start) for e in first.values()]
    return m


def _accuracy(stream: _Stream, finals: list[Any]) -> Any:
    from agentdesk.speech.corpus import channel_text
    from agentdesk.speech.scoring import ErrorRate, error_rate

    language = stream.language or "en"
    sep = "" if language == "zh" else " "
    total = ErrorRate(0, 0)
    for channel in sorted({t.channel for t in stream.turns}):
        reference = sep.join(t.text for t in stream.turns if t.channel == channel)
        total += error_rate(reference, channel_text(finals, channel, language), language)
    return total


def _trend(lag: list[tuple[float, float]]) -> float:
    """Least-squares slope of lag over audio time, in seconds of lag per minute of audio."""
    if len(lag) < 2:
        return 0.0
    import numpy as np

    times, values = np.array(lag).T
    return float(np.polyfit(times / 60, values, 1)[0])


def _drift(lag: list[tuple[float, float]]) -> tuple[float, float]:
    """p95 lag over the first and over the last minute of audio."""
    if not lag:
        return float("nan"), float("nan")
    end = lag[-1][0]
    first = [v for t, v in lag if t <= 60]
    last = [v for t, v in lag if t >= end - 60]
    return percentile(first, 95), percentile(last, 95)


class _Transcribers:
    """One loaded transcriber per resolved model, shared by every stream that needs it."""

    def __init__(self, ctx: click.Context, model: str | None) -> None:
        self.ctx, self.model, self.loaded = ctx, model, {}

    def __call__(self, language: str | None) -> tuple[Any, str | None]:
        from agentdesk.commands.common import fail, settings_from
        from agentdesk.speech.errors import SpeechError
        from agentdesk.speech.whisper import open_transcriber

        try:
            transcriber, lang = open_transcriber(
                settings_from(self.ctx).speech, model=self.model, language=language or "auto"
            )
            key = str(transcriber.info.path)
            if key not in self.loaded:
                transcriber.warm_up()
                self.loaded[key] = transcriber
        except SpeechError as exc:
            fail(str(exc))
        return self.loaded[key], lang


def _default_scripts(language: str | None) -> list[Path]:
    from agentdesk import locations
    from agentdesk.calls.audio import audio_for, load_turns

    scripts = []
    for script in sorted(locations.sample_calls_dir().glob("*.yaml")):
        try:
            script_language, _ = load_turns(script)
        except ValueError:
            continue
        if audio_for(script).is_file() and language in (None, script_language):
            scripts.append(script)
    return scripts


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", help="tiny.en, base, auto (by language), or a model directory.")
@click.option(
    "--language", type=click.Choice(["auto", "zh", "en"]), help="Force a language (default: the script's)."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--minutes", type=click.FloatRange(min=0), default=0.0, help="Concatenate into one N-minute stream."
)
@click.option("--speed", type=click.FloatRange(min=0.1), default=1.0, show_default=True, help="Replay pace.")
@click.option("--corpus", "corpora", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Also score a corpus folder with transcripts.tsv (repeatable).")  # fmt: skip
@click.option("--telephone", is_flag=True, help="Score the corpora's 8 kHz telephone copies.")
@click.pass_context
def asr(
    ctx: click.Context,
    files: tuple[Path, ...],
    model: str | None,
    language: str | None,
    as_json: bool,
    minutes: float,
    speed: float,
    corpora: tuple[Path, ...],
    telephone: bool,
) -> None:
    """Replay calls at real-time pace: final and partial latency, RTF, CPU, memory, lag drift, WER/CER.

    FILES are sample-call scripts (sample_calls/*.yaml, ground-truth timings) or recordings;
    with neither FILES nor --corpus, every sample call with audio is replayed.
    """
    from agentdesk.commands.common import fail
    from agentdesk.speech.errors import SpeechError

    forced = None if language in (None, "auto") else language
    transcribers = _Transcribers(ctx, model)
    paths = list(files) or ([] if corpora else _default_scripts(forced))
    if not paths and not corpora:
        fail("no sample-call audio found; give FILES or --corpus DIR")
    try:
        streams = [_load_stream(p, forced) for p in paths]
    except (SpeechError, ValueError) as exc:
        fail(str(exc))
    if minutes and streams:
        streams = _concatenate(streams, minutes)
    figures: dict[str, Figure] = {}
    extra: dict[str, object] = {"speed": speed}
    totals: dict[str, tuple[float, float]] = {}
    for stream in streams:
        transcriber, lang = transcribers(stream.language)
        click.echo(
            f"replaying {stream.name} ({stream.duration:.0f} s) with {transcriber.info.name}", err=True
        )
        m = _replay(stream, transcriber, lang, speed)
        name = transcriber.info.name
        for key, unit, values in (
            ("final latency after end of utterance", "s", m.final_latency),
            ("first partial latency after onset", "s", m.first_partial),
            ("processing lag", "s", [v for _, v in m.lag]),
        ):
            figures.setdefault(f"{name} {key}", Figure(f"{name} {key}", unit)).samples.extend(values)
        first, last = _drift(m.lag)
        line = (
            f"{stream.duration:.0f} s audio, RTF {m.rtf:.3f}, CPU {m.cpu_cores:.2f} cores "
            f"({100 * m.cpu_cores / (os.cpu_count() or 1):.0f}% of machine), lag p95 first minute "
            f"{first:.2f} s, last minute {last:.2f} s (drift {last - first:+.2f} s, "
            f"trend {_trend(m.lag):+.3f} s per minute)"
        )
        if m.errors is not None:
            metric = "CER" if stream.language == "zh" else "WER"
            line += f", replay {metric} {100 * m.errors.rate:.1f}% ({m.errors.errors}/{m.errors.length})"
        if m.missed:
            line += f", {m.missed} turns without a final"
        extra[f"{stream.name} [{name}]"] = line
        audio, compute = totals.get(name, (0.0, 0.0))
        totals[name] = (audio + stream.duration, compute + m.rtf * stream.duration)
    for name, (audio, compute) in totals.items():
        extra[f"all replays [{name}]"] = f"{audio:.0f} s audio, RTF {compute / audio:.3f}"
    for directory in corpora:
        extra.update(_score_corpus(directory, transcribers, forced, telephone))
    extra["peak memory"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    click.echo(report("asr", list(figures.values()), extra, as_json=as_json))


def _score_corpus(
    directory: Path, transcribers: _Transcribers, forced: str | None, telephone: bool
) -> dict[str, object]:
    from agentdesk.commands.common import fail
    from agentdesk.speech.corpus import evaluate, load_corpus
    from agentdesk.speech.errors import SpeechError

    try:
        clips = load_corpus(directory, telephone=telephone)
    except FileNotFoundError:
        fail(f"{directory} has no transcripts.tsv")
    if forced:
        clips = [c for c in clips if c.language == forced]
    names: dict[str, str] = {}

    def pick(language: str) -> Any:
        transcriber, _ = transcribers(language)
        names[language] = transcriber.info.name
        return transcriber

    click.echo(f"scoring {len(clips)} clips in {directory}", err=True)
    try:
        result = evaluate(clips, pick)
    except SpeechError as exc:
        fail(str(exc))
    out: dict[str, object] = {}
    for language in sorted({c.language for c in clips}):
        total = result.total(language)
        metric = "CER" if language == "zh" else "WER"
        n = sum(1 for c in clips if c.language == language)
        out[f"{directory.name}{' (8 kHz)' if telephone else ''} {metric} [{names.get(language)}]"] = (
            f"{100 * total.rate:.1f}% ({total.errors}/{total.length} over {n} clips)"
        )
    return out
