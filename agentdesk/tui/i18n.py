"""UI text in English and Simplified Chinese, from `assets/i18n/<lang>.yaml` catalogs."""

from __future__ import annotations

import locale
import os
from functools import lru_cache

import yaml

from agentdesk import locations

LANGUAGES = ("en", "zh")


def detect_language() -> str:
    """`zh` when the user's locale is Chinese, else `en`."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"


@lru_cache(maxsize=4)
def _catalog(lang: str) -> dict[str, str]:
    """Every `assets/i18n/<lang>/*.yaml` file merged; each screen keeps its strings in its own file."""
    merged: dict[str, str] = {}
    for path in sorted((locations.assets_dir() / "i18n" / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            for key, value in (yaml.safe_load(fh) or {}).items():
                if key in merged:
                    raise ValueError(f"UI string {key!r} is defined twice ({path.name})")
                merged[str(key)] = str(value)
    return merged


class Catalog:
    """Looks up UI strings by key in one language, falling back to English, then the key."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"

    def __call__(self, key: str, **values: object) -> str:
        own, english = _catalog(self.lang), _catalog("en")
        text = own[key] if key in own else english.get(key, key)
        return text.format(**values) if values else text

    def count(self, key: str, number: int, /, **values: object) -> str:
        """`key` for a count: its `<key>.one` form when `number` is 1 ("1 run", not "1 runs")."""
        if number == 1 and f"{key}.one" in _catalog(self.lang):
            key = f"{key}.one"
        return self(key, **values)


def localize_bindings(node: object, catalog: Catalog) -> None:
    """Give a node's bindings descriptions and tooltips in the UI language.

    Textual reads BINDINGS once per class, so the English text written there is
    replaced per instance from the catalog keys `binding.<id>` and `binding.<id>.tip`.
    """
    from dataclasses import replace

    bindings = node._bindings.key_to_bindings  # type: ignore[attr-defined]
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=catalog(f"binding.{b.id}"), tooltip=catalog(f"binding.{b.id}.tip"))
            if b.id and f"binding.{b.id}" in _catalog(catalog.lang)
            else b
            for b in items
        ]


def detail_label(key: str, catalog: Catalog) -> str:
    """A collected-detail key as a label: from the catalog when known, else `order_id` -> `order id`."""
    base, _, n = key.rpartition("_")
    if base and n.isdigit():  # a second amount heard in the call: amount_2 -> "Amount 2"
        return f"{detail_label(base, catalog)} {n}"
    label = catalog(f"detail.{key}")
    return key.replace("_", " ") if label == f"detail.{key}" else label
