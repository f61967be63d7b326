"""`seed --reset` never deletes a database another program has open (its later writes would be lost)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from agentdesk.cli import cli
from agentdesk.server.db import ServerDb
from agentdesk.server.runner import ServerProcess
from agentdesk.server.users import UserStore
from agentdesk.store.base import NotFound
from agentdesk.store.sqlite import SqliteStore

HOLD_OPEN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT COUNT(*) FROM tickets").fetchone()
print("open", flush=True)
sys.stdin.read()
"""
"""Another program with a plain, idle connection to the database."""


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "team.db"
    shutil.copy(demo_db, copy)
    return copy


def _reset(db: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "seed", "--reset", *extra])


def test_seed_reset_refuses_while_a_running_server_has_the_database_and_its_writes_are_kept(db: Path) -> None:
    with SqliteStore(db) as store:
        _, token = UserStore(ServerDb(store)).add("boss", "supervisor")
    with ServerProcess(db) as server:
        refused = _reset(db, "--yes")
        assert refused.exit_code == 1
        message = refused.output.strip()
        assert "open in another program" in message and str(db) in message
        assert len(message.splitlines()) == 1
        answer = httpx.post(
            f"{server.url}/api/v1/tickets",
            json={"id": "TK-AFTER-RESET", "subject": "written after the refused reset"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 201, answer.text
    with SqliteStore(db) as store:
        assert store.get_ticket("TK-AFTER-RESET").subject == "written after the refused reset"
    assert _reset(db, "--yes").exit_code == 0
    with SqliteStore(db) as store:
        assert store.list_tickets()  # seeded afresh
        with pytest.raises(NotFound):
            store.get_ticket("TK-AFTER-RESET")


def test_seed_reset_refuses_before_asking_while_another_process_holds_a_connection(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        for extra in ((), ("--yes",)):
            refused = _reset(db, *extra)
            assert refused.exit_code == 1
            assert "open in another program" in refused.output
            assert "Delete" not in refused.output  # refused before asking
        assert db.exists()
    finally:
        holder.kill()  # dies without closing: its -wal and -shm files stay behind
        holder.wait(10)
    assert Path(f"{db}-shm").exists()
    result = _reset(db, "--yes")
    assert result.exit_code == 0, result.output


def test_seed_takes_the_database_after_the_command_as_the_integration_guide_writes_it(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    result = CliRunner().invoke(cli, ["seed", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"Seeded {db}" in result.output
