from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from agentdesk.commands.evaluate import CORPORA, evaluate, run_all
from agentdesk.domain.models import KBArticle
from agentdesk.nlp.evaluation import EvalFigure, anger_detection, binary_sentiment, retrieval
from tests.conftest import corpora_dir

CORPORA_DIR = corpora_dir()


def test_retrieval_counts_gold_article_in_top_k(small_kb: list[KBArticle]) -> None:
    score = retrieval(small_kb, [("怎么申请退款", "zh-refund"), ("今天天气怎么样", "zh-refund")])
    assert score.n == 2
    assert score.top1 == 0.5
    assert score.top1 <= score.top3 <= score.top5


def test_binary_sentiment_scores_against_labels() -> None:
    score = binary_sentiment([("太差了", True), ("非常满意", False), ("服务很好", True)])
    assert score.n == 3
    assert score.accuracy == pytest.approx(2 / 3)
    assert score.missed_negative == 1


def test_anger_detection_reports_precision_and_recall() -> None:
    score = anger_detection(
        [("气死我了，骗子", True), ("I am furious", True), ("谢谢", False), ("有点慢", True)]
    )
    assert score.angry == 3
    assert score.precision == 1.0
    assert score.recall == pytest.approx(2 / 3)


def test_figure_knows_whether_its_goal_is_met() -> None:
    assert EvalFigure("c", "t", "m", 0.9, goal=0.8).met is True
    assert EvalFigure("c", "t", "m", 0.7, goal=0.8).met is False
    assert EvalFigure("c", "t", "m", None, goal=0.8).met is None


def test_absent_corpora_are_skipped_with_a_message(tmp_path: Path) -> None:
    figures = run_all(tmp_path)
    assert len(figures) == len(CORPORA)
    assert all(f.value is None and f.note.startswith("skipped") for f in figures)


def test_eval_command_prints_json_for_machines(tmp_path: Path) -> None:
    (tmp_path / "tweeteval_emotion_en").mkdir()
    (tmp_path / "tweeteval_emotion_en" / "tweeteval_emotion_test_sample200.csv").write_text(
        "text,label\nI am furious with you,anger\nthanks a lot,joy\n", encoding="utf-8"
    )
    result = CliRunner().invoke(evaluate, [str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert '"figures"' in result.output


def test_eval_command_rejects_a_missing_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(evaluate, [str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


@pytest.mark.skipif(not CORPORA_DIR.is_dir(), reason=f"corpora not found at {CORPORA_DIR}")
def test_figures_are_computed_on_the_real_corpora() -> None:
    figures = run_all(CORPORA_DIR)
    present = [f for f in figures if f.value is not None]
    if not present:
        pytest.skip("none of the evaluation corpora is present")
    for f in present:
        assert 0.0 <= f.value <= 1.0, f
        assert f.n > 0, f
    metrics = {(f.corpus, f.metric) for f in present}
    if (CORPORA_DIR / "esun_bank_faq_zh_tw").is_dir():
        assert ("esun_bank_faq_zh_tw", "top-3") in metrics
