"""What the read-only record commands (`kb`, `tickets`) share: the store session, masked output.

Everything they print goes through `domain.masking.mask_text`, the rule the desk uses,
so a phone, card or ID number never reaches a terminal, a pipe or a JSON consumer whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from agentdesk.commands.common import open_store, settings_from
from agentdesk.domain.masking import mask_json

if TYPE_CHECKING:
    from rich.console import Console

    from agentdesk.config import Settings
    from agentdesk.store.base import Store


@contextmanager
def store_session(ctx: click.Context) -> Iterator[tuple[Settings, Store]]:
    """Settings and the configured store (embedded or team server), closed afterwards.

    Raises:
        click.ClickException: the store cannot be opened or a read fails (unknown id,
            server unreachable, locked file), with the store's one-line reason.
    """
    from agentdesk.store.base import StoreError

    settings = settings_from(ctx)
    store = open_store(settings)
    try:
        yield settings, store
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


PIPE_WIDTH = 200
"""Line width when stdout is a pipe or file and COLUMNS is unset: one table row per line for grep."""


def console() -> Console:
    """A console on stdout: colour only on a terminal, and record text is never read as markup."""
    from rich.console import Console

    # Subjects and answers are data: "[urgent]" must print as written, not style the line.
    out = Console(markup=False, emoji=False, highlight=False)
    if not out.is_terminal and not os.environ.get("COLUMNS"):
        out.width = PIPE_WIDTH
    return out


masked = mask_json
"""`value` (JSON-ready: str, list, dict, number) with every string masked."""


def echo_json(value: Any) -> None:
    """Print `value` as indented JSON (Chinese kept readable), every string masked."""
    click.echo(json.dumps(masked(value), ensure_ascii=False, indent=2))
