"""`agentdesk transcribe FILE` and `agentdesk listen`: offline speech to text in the terminal.

Both run the same pipeline as the desk (VAD endpointing, one whisper decode per
utterance, hallucination guards) and turn every speech error into one line on stderr
and exit code 2. Progress goes to stderr so stdout holds only the transcript.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from agentdesk.commands.common import fail, settings_from

_LANGUAGES = click.Choice(["auto", "zh", "en"])
_MODEL_HELP = "Model: tiny.en, base, auto, or a directory with a CTranslate2 whisper model."


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _progress_shown(console: Any) -> bool:
    """Progress bars only on a terminal: redirected, rich would leave a blank line per bar."""
    return bool(console.is_terminal)


@contextmanager
def _assembly_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar for the one-time assembly of the base model, shown only if it happens."""
    bar: Any = None
    task: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

            console = _stderr_console()
            bar = Progress(
                TextColumn("Preparing the base model (once)"), BarColumn(), DownloadColumn(),
                console=console, transient=True, disable=not _progress_shown(console),
            )  # fmt: skip
            bar.start()
            task = bar.add_task("assemble", total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def _open_transcriber(ctx: click.Context, model: str | None, language: str | None) -> tuple[Any, str | None]:
    from agentdesk.speech.errors import SpeechError
    from agentdesk.speech.whisper import open_transcriber

    settings = settings_from(ctx)
    try:
        with _assembly_progress() as progress:
            transcriber, lang = open_transcriber(
                settings.speech, model=model, language=language, progress=progress
            )
        transcriber.load()
    except SpeechError as exc:
        fail(str(exc))
    return transcriber, lang


def _speakers(channels: int) -> tuple[Any, ...]:
    """Nobody on any channel: a recording does not say who speaks where (a contact centre's
    right channel holds the bot and then the agent), so lines read `speaker 1:` (left) and
    `speaker 2:` (right) rather than a role that may be wrong."""
    return (None,) * channels


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--txt", "as_txt", is_flag=True, help="Plain text, one line per utterance (default).")
@click.option("--json", "as_json", is_flag=True, help="JSON with channel, speaker, times and text.")
@click.option("--srt", "as_srt", is_flag=True, help="SubRip captions.")
@click.option("--model", help=_MODEL_HELP)
@click.option("--language", type=_LANGUAGES, help="Spoken language (default from config; auto detects).")
@click.option(
    "--speed", type=click.FloatRange(min=0), default=0.0, show_default=True,
    help="Replay pace: 1 real time, 2 twice as fast, 0 as fast as possible.",
)  # fmt: skip
@click.option("--start", type=click.FloatRange(min=0), default=0.0, help="Begin this many seconds in.")
@click.option("--mono", is_flag=True, help="Mix stereo channels instead of one speaker per channel.")
@click.pass_context
def transcribe(
    ctx: click.Context,
    file: Path,
    as_txt: bool,
    as_json: bool,
    as_srt: bool,
    model: str | None,
    language: str | None,
    speed: float,
    start: float,
    mono: bool,
) -> None:
    """Transcribe a recording (WAV, FLAC, MP3, OGG) offline.

    Stereo recordings are read as one speaker per channel, labelled `speaker 1:` (left)
    and `speaker 2:` (right); in a call recording the left is usually the customer.
    """
    chosen = [name for name, on in (("--txt", as_txt), ("--json", as_json), ("--srt", as_srt)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"give one output format, not {' and '.join(chosen)}")
    fmt = chosen[0].removeprefix("--") if chosen else "txt"
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from agentdesk.speech.errors import SpeechError
    from agentdesk.speech.events import Final
    from agentdesk.speech.formats import to_json, to_srt, to_txt
    from agentdesk.speech.sources import FileSource
    from agentdesk.speech.streaming import StreamingTranscriber, StreamOptions

    try:
        source = FileSource(file, speed=speed, start=start, mono=mono)
    except SpeechError as exc:
        fail(str(exc))
    if source.duration is not None and start >= source.duration:
        fail(f"--start {start:g} s is past the end of {file.name} ({source.duration:.1f} s)")
    transcriber, lang = _open_transcriber(ctx, model, language)
    stream = StreamingTranscriber(
        transcriber, language=lang, speakers=_speakers(source.channels), options=StreamOptions(partials=False)
    )
    finals: list[Final] = []
    total = source.duration or 0.0
    console = _stderr_console()
    with Progress(
        TextColumn(f"Transcribing {file.name}"), BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} s"), TimeElapsedColumn(),
        console=console, transient=True, disable=not _progress_shown(console),
    ) as bar:  # fmt: skip
        task = bar.add_task("audio", total=total, completed=start)
        shown = start
        try:
            for frame in source.frames():
                finals.extend(e for e in stream.feed(frame) if isinstance(e, Final))
                if frame.end - shown >= 1.0:
                    shown = frame.end
                    bar.update(task, completed=shown)
            finals.extend(e for e in stream.flush() if isinstance(e, Final))
        except SpeechError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("Interrupted; writing what was transcribed so far.", err=True)
    labelled = source.channels > 1
    if fmt == "json":
        meta = {
            "file": str(file),
            "duration": round(total, 2),
            "model": transcriber.info.name,
            "language": lang,
        }
        click.echo(to_json(finals, meta), nl=False)
    elif fmt == "srt":
        click.echo(to_srt(finals, labelled=labelled), nl=False)
    else:
        click.echo(to_txt(finals, labelled=labelled), nl=False)
    if not any(f.text for f in finals):
        click.echo(f"No speech found in {file.name}.", err=True)


@click.command()
@click.option(
    "--device", help="Input device: index or part of its name (default: config, then system default)."
)
@click.option("--model", help=_MODEL_HELP)
@click.option("--language", type=_LANGUAGES, help="Spoken language (default from config; auto detects).")
@click.option("--channels", type=click.IntRange(1, 2), default=1, help="2 for one speaker per channel.")
@click.option("--list-devices", is_flag=True, help="List input devices and exit.")
@click.pass_context
def listen(
    ctx: click.Context,
    device: str | None,
    model: str | None,
    language: str | None,
    channels: int,
    list_devices: bool,
) -> None:
    """Live transcription from the microphone; Ctrl-C stops.

    Partial text is shown dimmed and replaced by the final line when the speaker pauses.
    """
    from agentdesk.speech.errors import SpeechError
    from agentdesk.speech.mic import MicSource, list_input_devices
    from agentdesk.speech.streaming import StreamingTranscriber

    if list_devices:
        try:
            devices = list_input_devices()
        except SpeechError as exc:
            fail(str(exc))
        if not devices:
            fail("no input devices found")
        for d in devices:
            click.echo(f"{d.index:>3}  {d.name}  ({d.channels} ch, {d.default_rate:.0f} Hz)")
        return
    settings = settings_from(ctx)
    source = MicSource(device if device is not None else settings.speech.input_device, channels=channels)
    try:
        info = source.check()
    except SpeechError as exc:
        fail(str(exc))
    transcriber, lang = _open_transcriber(ctx, model, language)
    transcriber.warm_up()
    stream = StreamingTranscriber(transcriber, language=lang, speakers=_speakers(channels))
    click.echo(
        f"Listening on {info.get('name', 'default input')} with {transcriber.info.name} "
        f"({lang or 'auto'}); Ctrl-C stops.",
        err=True,
    )
    show = _LiveLine(sys.stdout.isatty(), labelled=channels > 1)
    try:
        with source:
            for event in stream.run(source.frames()):
                show(event)
    except SpeechError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        show.clear()


class _LiveLine:
    """Tentative partial text on the current line, replaced in place by the final."""

    def __init__(self, tty: bool, *, labelled: bool) -> None:
        self.tty = tty
        self.labelled = labelled

    def _prefix(self, event: Any) -> str:
        from agentdesk.speech.formats import speaker_label

        return f"{speaker_label(event)}: " if self.labelled else ""

    def __call__(self, event: Any) -> None:
        text = self._prefix(event) + event.text
        if not event.final:
            if self.tty:
                width = shutil.get_terminal_size().columns - 1
                tail = text if len(text) <= width else "…" + text[-(width - 1) :]
                click.echo("\r\x1b[2K" + click.style(tail, dim=True, italic=True), nl=False, color=True)
            return
        if self.tty:
            click.echo("\r\x1b[2K", nl=False, color=True)
        if event.text:
            click.echo(text)

    def clear(self) -> None:
        if self.tty:
            click.echo("\r\x1b[2K", nl=False, color=True)
