"""Calls written by QA the way real callers talk (tests/bot/qa_calls), beyond the sample set.

Each holds what a seasoned supervisor expects: asking for a person in everyday words,
sarcasm, anger without swearing, negations (我不要赔偿), fraud reports, elderly callers,
Traditional characters, full-width and spoken numbers, off-hours and summer-time calls.
They guard the bot's reading of such lines; the trainer's sample calls stay the
curated sixteen in sample_calls/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.calls.library import load_script, script_paths
from agentdesk.calls.replay import Replayer

PATHS = script_paths(Path(__file__).parent / "qa_calls")


def test_qa_calls_are_in_both_languages() -> None:
    languages = [load_script(p).language for p in PATHS]
    assert languages.count("zh") >= 10 and languages.count("en") >= 10


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_qa_call_replay_matches_what_a_supervisor_expects(replayer: Replayer, path: Path) -> None:
    assert replayer.run(load_script(path)).mismatches() == []
