"""A click group whose subcommands are imported only when they run.

Listing and `--help` read names and one-line helps from a table, so neither pays
for textual, pydantic, jieba or whisper.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click


class LazyGroup(click.Group):
    """Subcommands from a table of `name -> ("module:attribute", "one-line help")`."""

    def __init__(
        self, *args: Any, lazy: dict[str, tuple[str, str]], section: str = "Commands", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy
        self.section = section

    def _available(self, name: str) -> bool:
        return importlib.util.find_spec(self.lazy[name][0].split(":")[0]) is not None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n in self.lazy if self._available(n))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy or not self._available(cmd_name):
            return None
        module_name, attr = self.lazy[cmd_name][0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section(self.section):
                formatter.write_dl(rows)
