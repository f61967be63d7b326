"""`agentdesk replay` for people and machines."""

from __future__ import annotations

import json

from click.testing import CliRunner

from agentdesk.cli import cli


def test_replay_json_reports_turns_ledger_and_decision() -> None:
    result = CliRunner().invoke(cli, ["replay", "zh-05", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["call"].startswith("zh-05") and data["outcome"] == "transferred"
    assert {"strong-emotion", "complex-complaint"} <= {t["rule"] for t in data["triggers"]}
    assert data["agent"]["level"] == "senior" and data["rationale"]["reasons"]
    customer_turns = [t for t in data["turns"] if t["speaker"] == "customer" and t["phase"] == "bot"]
    assert all(t["reply"] and t["emotion"] is not None for t in customer_turns)
    assert data["mismatches"] == []


def test_replay_for_people_shows_the_decision_and_the_check() -> None:
    result = CliRunner().invoke(cli, ["replay", "en-02"], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    assert "asked-for-human" in result.output and "order_status" in result.output
    assert "matches the expected outcome" in result.output


def test_unknown_call_is_a_clear_error() -> None:
    result = CliRunner().invoke(cli, ["replay", "xx-99"])
    assert result.exit_code == 1
    assert "no sample call named 'xx-99'" in result.output and "zh-01" in result.output
