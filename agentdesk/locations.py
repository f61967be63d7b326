"""Where AgentDesk keeps its files: platformdirs, overridable by environment."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

APP = "agentdesk"


def config_dir() -> Path:
    """The user's AgentDesk config directory."""
    return Path(user_config_dir(APP, appauthor=False))


def config_file() -> Path:
    """The config file: `AGENTDESK_CONFIG_FILE` or `config.toml` in the config directory."""
    override = os.environ.get("AGENTDESK_CONFIG_FILE")
    return Path(override) if override else config_dir() / "config.toml"


def data_dir() -> Path:
    """The user's AgentDesk data directory (database, outbox, results)."""
    return Path(user_data_dir(APP, appauthor=False))


def default_db_path() -> Path:
    """The embedded database: `AGENTDESK_DB` or `agentdesk.db` in the data directory."""
    override = os.environ.get("AGENTDESK_DB")
    return Path(override) if override else data_dir() / "agentdesk.db"


def model_cache_dir() -> Path:
    """Where assembled speech models and the trained review model are cached (`AGENTDESK_MODEL_CACHE` overrides)."""
    override = os.environ.get("AGENTDESK_MODEL_CACHE")
    return Path(override) if override else Path(user_cache_dir(APP, appauthor=False)) / "models"


def package_root() -> Path:
    """The directory of the installed `agentdesk` package."""
    return Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A data folder shipped with the project: the source tree in a checkout, else in the wheel."""
    source = package_root().parent / name
    return source if source.is_dir() else package_root() / f"_{name}"


def assets_dir() -> Path:
    """The demo data and catalogs (`assets/`)."""
    return _bundled("assets")


def sample_calls_dir() -> Path:
    """The scripted sample calls (`sample_calls/`)."""
    return _bundled("sample_calls")


def installed_package_dir(module: str) -> Path | None:
    """The directory of an installed package, found without importing it (None if absent)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))
