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


def test_a_call_named_together_with_all_is_refused_not_ignored() -> None:
    result = CliRunner().invoke(cli, ["replay", "--all", "NOPE"])
    assert result.exit_code == 2
    assert "name a sample call ('NOPE') or pass --all, not both" in result.output


def test_replay_masks_phone_card_and_id_numbers_for_people_and_machines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from agentdesk.calls.library import find_script

    script = yaml.safe_load(find_script("zh-02").read_text(encoding="utf-8"))
    first = next(t for t in script["turns"] if t["speaker"] == "customer")
    first["text"] += "我的手机号是13916973591，身份证320106198602088703。"
    path = tmp_path / "zh-90-masking.yaml"
    script["id"] = "zh-90-masking"
    path.write_text(yaml.safe_dump(script, allow_unicode=True), encoding="utf-8")
    for args in (["replay", str(path)], ["replay", str(path), "--json"]):
        result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
        assert "13916973591" not in result.output and "320106198602088703" not in result.output
        assert "139****3591" in result.output


def test_replay_masks_a_card_read_over_two_lines_everywhere_it_shows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from agentdesk.calls.library import find_script

    script = yaml.safe_load(find_script("en-05").read_text(encoding="utf-8"))
    at = next(i for i, t in enumerate(script["turns"]) if t["speaker"] == "customer")
    halves = [
        {"speaker": "customer", "text": "the card you charged is 4929 1234"},
        {"speaker": "customer", "text": "5678 9012"},
    ]
    script["turns"][at + 1 : at + 1] = halves
    script["id"] = "en-90-card-halves"
    path = tmp_path / "en-90-card-halves.yaml"
    path.write_text(yaml.safe_dump(script, allow_unicode=True), encoding="utf-8")
    for args in (["replay", str(path)], ["replay", str(path), "--json"]):
        result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
        assert "4929" not in result.output and "5678" not in result.output, args
        assert "**** 9012" in result.output
    data = json.loads(CliRunner().invoke(cli, ["replay", str(path), "--json"]).output)
    assert data["outcome"] == "transferred"
    packet = json.dumps(data["packet"], ensure_ascii=False)
    assert "4929" not in packet and "5678" not in packet
