"""`agentdesk eval`: a folder with no corpus in it is an error, not a table of skips."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from agentdesk.cli import cli


def test_a_folder_without_any_corpus_exits_non_zero_and_says_what_it_expected(tmp_path: Path) -> None:
    (tmp_path / "unrelated").mkdir()
    for args in ([str(tmp_path)], [str(tmp_path), "--json"]):
        result = CliRunner().invoke(cli, ["eval", *args])
        assert result.exit_code == 1
        assert f"no evaluation corpus in {tmp_path}" in result.stderr
        assert "banking77_en/banking77_test_sample.csv" in result.stderr
        assert result.stdout == ""


def test_one_corpus_present_is_measured_and_the_others_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "tweeteval_emotion_en"
    folder.mkdir()
    (folder / "tweeteval_emotion_test_sample200.csv").write_text(
        'text,label\n"I am furious with you, this is outrageous",anger\nthanks a lot,joy\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["figures"]
    measured = {f["corpus"] for f in figures if f["value"] is not None or f["n"]}
    assert measured == {"tweeteval_emotion_en"}
    assert sum(f["note"].startswith("skipped") for f in figures) == 6
