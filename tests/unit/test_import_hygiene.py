"""Headless layers stay headless, and the CLI entry point stays light (fast --help)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "textual",
    "faster_whisper",
    "ctranslate2",
    "jieba",
    "bm25s",
    "sounddevice",
    "fastapi",
    "httpx",
    "numpy",
)


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_cli_entry_point_imports_nothing_heavy() -> None:
    loaded = _loaded_after("import agentdesk.cli")
    assert not {m for m in HEAVY if m in loaded}


@pytest.mark.parametrize(
    "module",
    [
        "agentdesk.domain.models",
        "agentdesk.domain.tickets",
        "agentdesk.domain.masking",
        "agentdesk.store.sqlite",
        "agentdesk.store.seed",
        "agentdesk.nlp.terms",
    ],
)
def test_headless_modules_do_not_load_textual(module: str) -> None:
    assert "textual" not in _loaded_after(f"import {module}")


def test_help_lists_subcommands_without_importing_them() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from agentdesk.cli import cli;"
        "r = CliRunner().invoke(cli, ['--help']); print(r.output); print('LOADED', ' '.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    help_text, loaded = out.split("LOADED")
    for name in ("seed", "locate", "desk"):
        assert name in help_text
    assert not {m for m in HEAVY if m in loaded.split()}
