"""A database named in a folder that does not exist: every command refuses it the same way.

Creating the folder would leave a fresh empty database at a mistyped path, so no command
creates anything there, wherever the path came from (--db, AGENTDESK_DB, the config file).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentdesk.cli import cli

DB = "{db}"
"""Stands for the database path in the command lines below."""

COMMANDS = {
    "seed --db": ["seed", "--db", DB],
    "global --db seed": ["--db", DB, "seed"],
    "serve": ["serve", "--db", DB, "--port", "0"],
    "users": ["users", "--db", DB, "list"],
    "tickets": ["--db", DB, "tickets", "list"],
    "kb": ["--db", DB, "kb", "list"],
    "report": ["--db", DB, "report"],
}


def refusal(db: Path) -> str:
    return f"the folder {db.parent} does not exist; check the path given for the database ({db})"


def missing_db(tmp_path: Path) -> Path:
    return tmp_path / "no-such-folder" / "desk.db"


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_command_given_a_database_in_a_missing_folder_refuses_it_and_creates_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    db = missing_db(tmp_path)
    result = CliRunner().invoke(cli, [str(db) if a == DB else a for a in args])
    assert result.exit_code == 1, result.output
    assert refusal(db) in result.output
    assert not db.parent.exists()


def test_a_database_from_agentdesk_db_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    db = missing_db(tmp_path)
    result = CliRunner().invoke(cli, ["seed"], env={"AGENTDESK_DB": str(db)})
    assert result.exit_code == 1, result.output
    assert refusal(db) in result.output
    assert not db.parent.exists()


def test_a_database_from_the_config_file_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    db = missing_db(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f"[store]\ndb = {json.dumps(str(db))}\n")
    result = CliRunner().invoke(cli, ["--config", str(config), "seed"])
    assert result.exit_code == 1, result.output
    assert refusal(db) in result.output
    assert not db.parent.exists()


def test_doctor_fails_the_database_check_with_the_same_message(tmp_path: Path) -> None:
    db = missing_db(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(db), "doctor", "--json"])
    assert result.exit_code == 1, result.output
    database = next(c for c in json.loads(result.output) if c["check"] == "database")
    assert database["status"] == "fail"
    assert refusal(db) in database["detail"]
    assert not db.parent.exists()


@pytest.mark.parametrize("command", [["desk"], ["demo", "--transcription", "scripted"]])
def test_the_desk_and_the_demo_refuse_it_before_opening(tmp_path: Path, command: list[str]) -> None:
    # A child process: were the desk to open, it would wait for keys; the timeout only ends that.
    db = missing_db(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "agentdesk", "--db", str(db), *command],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr
    assert refusal(db) in done.stderr
    assert not db.parent.exists()
