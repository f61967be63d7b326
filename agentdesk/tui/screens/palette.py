"""Textual's command palette in the UI language: the search prompt and the "no matches" line.

Textual (8.x) writes "No matches found" in English into the palette's command list, as a
disabled option with a known id. The palette here composes a command list that puts the
catalog's wording in that option's place; everything else is Textual's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeAlias

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.command import CommandList, CommandPalette
from textual.visual import VisualType
from textual.widgets.option_list import Option

Content: TypeAlias = "Option | VisualType | None"
"""What an option list takes as an option (Textual's `Content`)."""


class LocalCommandList(CommandList):
    """The palette's command list, saying "no matches" in the UI language."""

    def __init__(self, no_matches: str) -> None:
        super().__init__()
        self.no_matches = no_matches

    def add_options(self, new_options: Iterable[Content]) -> Self:
        return super().add_options([self._localised(option) for option in new_options])

    def _localised(self, option: Content) -> Content:
        if isinstance(option, Option) and option.id == CommandPalette._NO_MATCHES:
            # Styled as Textual styles its own line, so only the words change.
            return Option(Align.center(Text(self.no_matches, style="not bold")), disabled=True, id=option.id)
        return option


class LocalCommandPalette(CommandPalette):
    """`CommandPalette` with its "no matches" line in the UI language."""

    def __init__(self, no_matches: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.no_matches = no_matches

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield LocalCommandList(self.no_matches) if type(widget) is CommandList else widget
