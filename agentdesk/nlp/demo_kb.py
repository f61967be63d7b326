"""The bundled bilingual demo KB (assets/kb/articles.{zh,en}.yaml) as `KBArticle`s.

Used for calibration, tests and the KB bench; the store seeds its own copy.
"""

from __future__ import annotations

from functools import cache

from agentdesk.domain.models import KBArticle
from agentdesk.locations import assets_dir

__all__ = ["demo_articles"]


@cache
def _load(language: str) -> tuple[KBArticle, ...]:
    import yaml

    path = assets_dir() / "kb" / f"articles.{language}.yaml"
    if not path.is_file():
        return ()
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(KBArticle.model_validate({**row, "language": language}) for row in rows)


def demo_articles(languages: tuple[str, ...] = ("zh", "en")) -> list[KBArticle]:
    """The demo articles of the given languages, zh first; empty when the files are absent."""
    return [a for lang in languages for a in _load(lang)]
