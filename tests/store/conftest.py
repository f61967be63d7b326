"""The backends every store contract test runs against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.store.base import Store
from agentdesk.store.sqlite import SqliteStore


def _memory(tmp_path: Path) -> Store:
    return SqliteStore(":memory:", actor="tester")


def _file(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "sub" / "desk.db", actor="tester")


BACKENDS = {"sqlite-memory": _memory, "sqlite-file": _file}


@pytest.fixture(params=sorted(BACKENDS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = BACKENDS[request.param](tmp_path)
    yield s
    s.close()
