"""Finding and loading sample-call scripts and their audio."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from agentdesk import locations
from agentdesk.domain.scripts import CallScript


class ScriptError(Exception):
    """A sample call that cannot be found or read; the message says which and why."""


def load_script(path: Path) -> CallScript:
    """Read one script file.

    Raises:
        ScriptError: missing file, bad YAML or a field that does not fit the format.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScriptError(f"no sample call at {path}") from None
    except yaml.YAMLError as exc:
        raise ScriptError(f"{path} is not valid YAML: {exc}") from None
    try:
        return CallScript.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScriptError(f"{path} does not follow sample_calls/README.md: {problems}") from None


def script_paths(folder: Path | None = None) -> list[Path]:
    """Every script in the sample-call folder, in name order."""
    folder = folder or locations.sample_calls_dir()
    return sorted(folder.glob("*.yaml"))


def load_all(folder: Path | None = None) -> list[CallScript]:
    """Every sample call."""
    return [load_script(p) for p in script_paths(folder)]


def find_script(name: str, folder: Path | None = None) -> Path:
    """A script by path, exact id, or unique id prefix (`zh-03`).

    Raises:
        ScriptError: nothing or more than one call matches.
    """
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") and as_path.exists():
        return as_path
    paths = script_paths(folder)
    exact = [p for p in paths if p.stem == name]
    matches = exact or [p for p in paths if p.stem.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.stem for p in paths) or "none"
    if not matches:
        raise ScriptError(f"no sample call named {name!r}; known calls: {known}")
    raise ScriptError(f"{name!r} matches several calls: {', '.join(p.stem for p in matches)}")


def audio_path(script: CallScript, folder: Path | None = None) -> Path | None:
    """The call's recording (stereo FLAC, customer left), if it has been built."""
    path = (folder or locations.sample_calls_dir()) / "audio" / f"{script.id}.flac"
    return path if path.exists() else None
