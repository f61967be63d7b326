"""What the desk says about a call's live audio: what it transcribes, and why it stopped.

Pure wording over `LiveSpec` and speech errors, so the call bar, the toasts and the
tests read the same text in English and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from agentdesk.calls.live import LiveSpec, RecordingProblem
from agentdesk.tui.i18n import Catalog

StopReason = Literal["ended", "stopped", "no_mic", "bad_file", "failed"]
"""Why live transcription of a call stopped: the recording ran out, the agent stopped it,
no microphone could be opened, the recording cannot be decoded, or anything else."""


@dataclass(frozen=True)
class Stopped:
    """What to tell the agent when transcription stops: a toast and the call bar's status."""

    toast: str
    status: str
    severity: str


PATH_PROBLEMS = frozenset(get_args(RecordingProblem))
"""Recording troubles the path prompt already words (`audio.path.*`): said the same way when
decoding finds them."""


def source_label(t: Catalog, spec: LiveSpec) -> str:
    """The call bar's words for what is being transcribed: `microphone (default input)`."""
    if spec.script is not None:  # a demo's sample call: its id and where the agent came in
        return spec.describe()
    if spec.kind == "mic":
        return t("audio.source.mic", device=spec.device or t("audio.default_device"))
    return t("audio.source.file", name=spec.path.name if spec.path else "?")


def stop_reason(error: Exception) -> StopReason:
    """Which kind of failure stopped the transcription (speech errors say what to do)."""
    # speech.errors is light (no numpy or whisper), but only a failing call needs it
    from agentdesk.speech.errors import AudioDeviceError, AudioError

    if isinstance(error, AudioDeviceError):
        return "no_mic"
    if isinstance(error, AudioError):
        return "bad_file"
    return "failed"


def failure_detail(t: Catalog, error: Exception) -> str:
    """What stopped the transcription or playback, for the toast: a missing microphone or an
    unusable recording in the UI's words (what is wrong and what to do), with the audio
    library's untranslated text after it as a short technical detail for whoever supports the
    agent. Other failures say themselves."""
    from agentdesk.speech.errors import AudioDeviceError, AudioError

    if isinstance(error, AudioDeviceError):
        said = t(f"desk11.mic.{error.cause}", device=error.device or t("audio.default_device"))
    elif isinstance(error, AudioError) and error.problem in PATH_PROBLEMS:  # the path prompt's words
        said = t(f"audio.path.{error.problem}", path=error.name or "?")
    elif isinstance(error, AudioError):
        said = t(f"audio.file.{error.problem}", name=error.name or "?", rate=error.rate or "?")
    else:
        return str(error)
    return t("desk11.mic.technical", said=said, detail=error.detail) if error.detail else said


def stopped(t: Catalog, reason: StopReason, detail: str = "") -> Stopped:
    """The toast and status for a stop; failures say the call goes on."""
    severity = {"ended": "information", "stopped": "information", "no_mic": "warning"}.get(reason, "error")
    return Stopped(t(f"audio.stop.{reason}", reason=detail), t(f"audio.status.{reason}"), severity)
