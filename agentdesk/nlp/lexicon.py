"""Bundled word lists (assets/lexicons/*.yaml), loaded once and cached.

The lists are data, not code, so trainers can extend them without a release.
Every entry was written from general knowledge of how customers speak; none
was taken from an evaluation corpus.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from agentdesk.locations import assets_dir


class LexiconError(Exception):
    """A bundled lexicon file is missing or malformed."""


@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The parsed YAML mapping in `assets/lexicons/<name>.yaml`.

    Args:
        name: file stem, e.g. `emotion.zh`.

    Raises:
        LexiconError: the file is missing or is not a YAML mapping.
    """
    import yaml  # only the first call for each lexicon pays for the parser

    path = assets_dir() / "lexicons" / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"cannot read lexicon {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"lexicon {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon {path} must be a mapping at the top level")
    return data


def word_list(name: str, key: str) -> list[str]:
    """One list of strings from a lexicon; an absent key is an empty list."""
    value = load_lexicon(name).get(key) or []
    if not isinstance(value, list):
        raise LexiconError(f"lexicon {name}: `{key}` must be a list")
    return [str(v) for v in value]


def weighted_words(name: str, key: str) -> dict[str, float]:
    """A `word: weight` mapping from a lexicon; plain list items weigh 1.0."""
    value = load_lexicon(name).get(key) or {}
    if isinstance(value, list):
        return {str(v): 1.0 for v in value}
    if not isinstance(value, dict):
        raise LexiconError(f"lexicon {name}: `{key}` must be a mapping or a list")
    return {str(k): float(v) for k, v in value.items()}
