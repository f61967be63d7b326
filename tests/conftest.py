"""Shared fixtures: every test runs with its own config, data and cache directories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the user's real config, database and model cache."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(os.environ):
        if var.startswith("AGENTDESK_") and var not in ("AGENTDESK_CORPORA", "AGENTDESK_MODEL_CACHE"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("AGENTDESK_CONFIG_FILE", str(home / "config.toml"))


def corpora_dir() -> Path:
    """The evaluation corpora (`AGENTDESK_CORPORA`, default ../shared/corpora)."""
    return Path(os.environ.get("AGENTDESK_CORPORA", REPO.parent / "shared" / "corpora"))
