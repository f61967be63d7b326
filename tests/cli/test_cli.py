"""The command line through click's runner: seeding, locating, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from agentdesk.cli import cli
from agentdesk.store.sqlite import SqliteStore


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_the_subcommands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("desk", "seed", "locate"):
        assert name in result.output


def test_seed_creates_a_bilingual_demo_database(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = runner.invoke(cli, ["--db", str(db), "seed"])
    assert result.exit_code == 0, result.output
    with SqliteStore(db) as store:
        articles = store.list_articles()
        assert len(articles) >= 80
        assert {a.language for a in articles} == {"zh", "en"}
        assert {a.category for a in articles} >= {
            "billing",
            "data_plans",
            "orders_delivery",
            "refunds",
            "account_security",
            "complaint_policy",
        }
        assert len(store.list_customers(limit=1000)) >= 40
        assert {c.tier for c in store.list_customers(limit=1000)} == {"standard", "gold", "vip"}
        assert len(store.list_agents()) == 12
        waiting = store.list_transfers()
        assert len(waiting) >= 3
        assert all(t.packet.transcript and t.packet.ledger for t in waiting)
        assert store.count_tickets() >= 60
        assert store.list_calls(customer_id="C001")


def test_seeding_twice_refuses_without_reset(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    assert runner.invoke(cli, ["--db", db, "seed"]).exit_code == 0
    again = runner.invoke(cli, ["--db", db, "seed"])
    assert again.exit_code == 1
    assert "--reset" in again.output


def test_seed_reset_rebuilds_after_confirmation(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    runner.invoke(cli, ["--db", str(db), "seed"])
    with SqliteStore(db) as store:
        store.update_ticket(store.list_tickets()[0].id, note="local change")
        events = store.last_seq()
    declined = runner.invoke(cli, ["--db", str(db), "seed", "--reset"], input="n\n")
    assert declined.exit_code == 1
    with SqliteStore(db) as store:
        assert store.last_seq() == events  # nothing deleted
    result = runner.invoke(cli, ["--db", str(db), "seed", "--reset", "--yes"])
    assert result.exit_code == 0, result.output
    with SqliteStore(db) as store:
        assert store.last_seq() < events


def test_db_can_come_from_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(cli, ["seed"], env={"AGENTDESK_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert db.exists()


def test_corrupt_database_gives_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"definitely not sqlite" * 200)
    result = runner.invoke(cli, ["--db", str(db), "desk"])
    assert result.exit_code == 1
    assert "not an AgentDesk database" in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes().startswith(b"definitely")


def test_bad_config_file_gives_a_clear_message(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[bot]\nkb_threshold = 'high'\n")
    result = runner.invoke(cli, ["--config", str(config), "--db", str(tmp_path / "x.db"), "seed"])
    assert result.exit_code == 1
    assert "bot.kb_threshold" in result.output and str(config) in result.output


def test_unknown_setting_is_named(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[bot]\nkb_treshold = 0.3\n")
    result = runner.invoke(cli, ["--config", str(config), "seed"])
    assert result.exit_code == 1
    assert "kb_treshold" in result.output


def test_locate_prints_paths(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.db"), "locate"])
    assert result.exit_code == 0
    assert str(tmp_path / "x.db") in result.output
    assert "config.toml" in result.output


def test_serve_on_a_port_in_use_says_so_before_announcing_anything(runner: CliRunner, tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "AgentDesk server on" not in result.output


def test_serve_on_an_unknown_host_says_so_and_creates_no_database(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = runner.invoke(cli, ["serve", "--db", str(db), "--host", "no-such-host.invalid", "--seed-demo"])
    assert result.exit_code == 1
    assert "cannot listen on 'no-such-host.invalid'" in result.output
    assert "Seeding" not in result.output and "AgentDesk server on" not in result.output
    assert not db.exists()


def test_locate_follows_the_config_files_database_and_survives_a_broken_config(
    runner: CliRunner, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\ndb = "{tmp_path / "team.db"}"\n')
    result = runner.invoke(cli, ["--config", str(config), "locate", "db"])
    assert result.exit_code == 0 and result.output.strip() == str(tmp_path / "team.db")
    config.write_text("[store\n")
    result = runner.invoke(cli, ["--config", str(config), "locate", "config"])
    assert result.exit_code == 0 and result.output.strip() == str(config)
