"""`agentdesk kb`: the bot's retrieval from the terminal, for people and machines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from agentdesk.cli import cli
from agentdesk.domain.models import KBArticle
from agentdesk.store.sqlite import SqliteStore


def kb(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "kb", *args], env={"COLUMNS": "160"})


@pytest.mark.parametrize(
    ("query", "article_id"),
    [
        ("忘记密码", "zh-account_security-001"),
        ("密码", "zh-account_security-001"),  # a two-character Chinese word on its own
        ("I forgot my service PIN", "en-account_security-001"),
        ("how long does a refund take", "en-refunds-002"),
    ],
)
def test_kb_search_finds_the_seeded_article_the_bot_would_answer_with(
    demo_db: Path, query: str, article_id: str
) -> None:
    result = kb(demo_db, "search", query, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"] == article_id
    top = data["matches"][0]
    assert top["id"] == article_id and top["rank"] == 1
    assert top["above_threshold"] and top["confidence"] >= data["threshold"] == 0.45


def test_kb_search_for_people_shows_rank_id_title_confidence_and_the_answer(demo_db: Path) -> None:
    result = kb(demo_db, "search", "忘记密码")
    assert result.exit_code == 0, result.output
    first = next(line for line in result.stdout.splitlines() if line.startswith("1 "))
    assert "zh-account_security-001" in first and "服务密码重置" in first and "bot answers" in first
    assert "answer: the bot would reply with zh-account_security-001" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_nonsense_query_says_the_bot_has_no_answer(demo_db: Path) -> None:
    result = kb(demo_db, "search", "qwzx blorf")
    assert result.exit_code == 0, result.output
    assert "no answer" in result.stdout and "does not know" in result.stdout
    data = json.loads(kb(demo_db, "search", "qwzx blorf", "--json").stdout)
    assert data["answer"] is None and data["matches"] == []


def test_the_answer_threshold_comes_from_the_config(demo_db: Path) -> None:
    env = {"COLUMNS": "160", "AGENTDESK_BOT__KB_THRESHOLD": "0.99"}
    result = CliRunner().invoke(cli, ["--db", str(demo_db), "kb", "search", "忘记密码"], env=env)
    assert result.exit_code == 0, result.output
    assert "threshold 0.99" in result.stdout and "no answer" in result.stdout


def test_kb_search_top_limits_the_matches(demo_db: Path) -> None:
    data = json.loads(kb(demo_db, "search", "refund", "--top", "2", "--json").stdout)
    assert [m["rank"] for m in data["matches"]] == [1, 2]


def test_kb_show_prints_title_questions_answer_and_metadata(demo_db: Path) -> None:
    with SqliteStore(demo_db) as store:
        article = store.get_article("zh-account_security-001")
    result = kb(demo_db, "show", article.id)
    assert result.exit_code == 0, result.output
    for text in (article.title, article.questions[0], article.answer[:20], "zh", article.category):
        assert text in result.stdout
    data = json.loads(kb(demo_db, "show", article.id, "--json").stdout)
    assert data["id"] == article.id and data["questions"] == article.questions
    assert data["updated_at"] and data["language"] == "zh"


def test_kb_show_of_an_unknown_id_fails_with_a_message(demo_db: Path) -> None:
    result = kb(demo_db, "show", "zh-nope-999")
    assert result.exit_code != 0
    assert "no article with id 'zh-nope-999'" in result.output


def test_kb_list_filters_by_language_and_category(demo_db: Path) -> None:
    data = json.loads(kb(demo_db, "list", "--lang", "en", "--category", "refunds", "--json").stdout)
    assert data and {(a["language"], a["category"]) for a in data} == {("en", "refunds")}
    result = kb(demo_db, "list", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "zh-refunds-002" in result.stdout and "en-refunds-002" not in result.stdout


def test_kb_list_of_an_unknown_category_names_the_known_ones(demo_db: Path) -> None:
    result = kb(demo_db, "list", "--category", "nope")
    assert result.exit_code == 0, result.output
    assert "no articles match" in result.stdout and "refunds" in result.stdout


def test_numbers_in_articles_are_masked_for_people_and_machines(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    with SqliteStore(db) as store:
        store.upsert_article(
            KBArticle(
                id="zh-test-001",
                language="zh",
                category="test",
                title="回拨专线",
                questions=["怎么联系回拨专线"],
                answer="请拨打值班经理手机 13812345678。",
            )
        )
    shown = kb(db, "show", "zh-test-001")
    assert "138****5678" in shown.stdout and "13812345678" not in shown.stdout
    data = kb(db, "show", "zh-test-001", "--json")
    assert "138****5678" in data.stdout and "13812345678" not in data.stdout
    assert json.loads(data.stdout)["answer"] == "请拨打值班经理手机 138****5678。"


@pytest.mark.parametrize("query", ["怎么查话费", "how long does a refund take", "忘记密码"])
def test_the_servers_kb_search_ranks_and_scores_as_kb_search_and_the_bot_do(
    demo_db: Path, tmp_path: Path, query: str
) -> None:
    import shutil

    import httpx

    from agentdesk.server.app import create_app
    from agentdesk.server.runner import ServerThread

    local = json.loads(kb(demo_db, "search", query, "--json").stdout)
    served = tmp_path / "team.db"
    shutil.copy(demo_db, served)
    with SqliteStore(served, actor="server") as store:
        app = create_app(store)
        token = app.state.agentdesk.users.add("kbbot", "bot")[1]
        thread = ServerThread(app).start()
        try:
            answer = httpx.get(
                f"{thread.url}/api/v1/kb/search",
                params={"q": query},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
        finally:
            thread.stop()
    hits = answer.json()
    assert [h["article"]["id"] for h in hits] == [m["id"] for m in local["matches"]]
    assert [round(h["confidence"], 4) for h in hits] == [m["confidence"] for m in local["matches"]]
    assert [h["above_threshold"] for h in hits] == [m["above_threshold"] for m in local["matches"]]
    assert [h["article"]["id"] for h in hits if h["bot_answers"]] == (
        [local["answer"]] if local["answer"] else []
    )
