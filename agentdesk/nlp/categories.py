"""The request categories a line names (bill, 退款, parcel ...), shared by the detectors.

Category words live under `categories` in `assets/lexicons/intents.{zh,en}.yaml`;
one cue matcher finds them for `intents.classify_request`, `complexity` (two
categories in one request) and `moves` (an acknowledgement that goes on to name
a new topic is a new request).
"""

from __future__ import annotations

from functools import cache

from agentdesk.nlp.cues import CueMatcher
from agentdesk.nlp.lexicon import load_lexicon

__all__ = ["category_matcher"]


@cache
def category_matcher() -> CueMatcher:
    """Finds category words; each cue's `kind` is a KB category slug."""
    kinds: dict[str, dict[str, float]] = {}
    for lang in ("zh", "en"):
        table = load_lexicon(f"intents.{lang}").get("categories") or {}
        for category, words in table.items():
            kinds.setdefault(str(category), {}).update({str(w): 1.0 for w in words})
    return CueMatcher(kinds)
