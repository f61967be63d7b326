"""`agentdesk --lang zh tickets list` is Chinese throughout, as `--lang zh report` is."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from agentdesk.cli import cli


def _list(db: Path, *lang: str) -> list[str]:
    args = ["--db", str(db), *lang, "tickets", "list", "--status", "closed", "--limit", "3"]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_chinese_ticket_list_has_chinese_headers_values_and_count(demo_db: Path) -> None:
    lines = _list(demo_db, "--lang", "zh")
    assert lines[0].split() == ["工单号", "类型", "状态", "优先级", "客户", "处理人", "时限", "主题"]
    rows = [line for line in lines if line.startswith("TK-")]
    assert rows and all(line.split()[2] == "已关闭" for line in rows)
    assert lines[-1].endswith("最近更新的在前")


def test_english_ticket_list_keeps_the_values_scripts_use(demo_db: Path) -> None:
    lines = _list(demo_db, "--lang", "en")
    assert lines[0].split() == ["id", "type", "status", "prio", "customer", "assignee", "SLA", "title"]
    assert all(line.split()[2] == "closed" for line in lines if line.startswith("TK-"))
    assert lines[-1].endswith("most recently changed first")
