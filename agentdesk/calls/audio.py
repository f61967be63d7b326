"""The audio side of sample calls: where a call's recording lives and who is on which channel.

Each scripted call `sample_calls/<id>.yaml` has its recording in
`sample_calls/audio/<id>.flac` (16 kHz stereo: customer left, bot/agent right) and
for a few calls a telephone-band copy in `sample_calls/audio/8k/<id>.flac`.
`sample_calls/build_audio.py` makes both and writes each turn's `start`/`end` back
into the script.
"""

from __future__ import annotations

from pathlib import Path

from agentdesk import locations
from agentdesk.speech.scripted import CHANNEL_OF, ScriptedTurn, load_turns

__all__ = ["CHANNEL_OF", "ScriptedTurn", "audio_dir", "audio_for", "load_turns", "script_for"]


def audio_dir() -> Path:
    """`sample_calls/audio` in a checkout or the installed package."""
    return locations.sample_calls_dir() / "audio"


def _call_id(script: Path) -> str:
    import yaml  # only needed when a script is read

    data = yaml.safe_load(script.read_text(encoding="utf-8")) or {}
    return str(data.get("id") or script.stem)


def audio_for(script: str | Path, *, telephone: bool = False) -> Path:
    """The recording of a sample call, in `audio/` beside its script (it may not be built yet).

    Args:
        script: the call's YAML.
        telephone: the 8 kHz telephone-band copy instead of the 16 kHz recording.
    """
    script = Path(script)
    folder = script.parent / "audio"
    return (folder / "8k" if telephone else folder) / f"{_call_id(script)}.flac"


def script_for(audio: str | Path) -> Path | None:
    """The script of a sample-call recording, if `audio` is one."""
    audio = Path(audio)
    for folder in (audio.parent.parent, audio.parent.parent.parent, locations.sample_calls_dir()):
        candidate = folder / f"{audio.stem}.yaml"
        if candidate.is_file():
            return candidate
    return None
