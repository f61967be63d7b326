"""Read-only commands read while another program holds the database's write lock (WAL lets readers in)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentdesk.cli import cli


@pytest.mark.parametrize(
    "args",
    [["tickets", "list"], ["tickets", "show", "TK-H024"], ["kb", "search", "退款"], ["report"]],
    ids=" ".join,
)
def test_a_read_only_command_answers_while_another_program_writes(
    demo_db: Path, tmp_path: Path, args: list[str]
) -> None:
    db = tmp_path / "busy.db"
    shutil.copy(demo_db, db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # as another program in the middle of a write
    try:
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 0, result.output
    assert "locked by another program" not in result.output
