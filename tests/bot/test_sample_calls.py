"""Every scripted sample call, replayed through bot and routing, reaches its expected outcome."""

from __future__ import annotations

import pytest

from agentdesk.calls.library import load_script, script_paths
from agentdesk.calls.replay import Replayer

PATHS = script_paths()


def test_there_are_at_least_sixteen_sample_calls_half_in_each_language() -> None:
    languages = [load_script(p).language for p in PATHS]
    assert len(languages) >= 16
    assert languages.count("zh") == languages.count("en")


def test_sample_calls_cover_every_rule_and_outcome() -> None:
    scripts = [load_script(p) for p in PATHS]
    for lang in ("zh", "en"):
        mine = [s for s in scripts if s.language == lang]
        rules = {str(r) for s in mine for r in s.expected.triggers}
        assert rules == {
            "asked-for-human",
            "no-answer",
            "repeated-dissatisfaction",
            "strong-emotion",
            "complex-complaint",
            "high-value",
        }, lang
        assert {s.expected.outcome for s in mine} == {"contained", "transferred", "callback"}
        assert any(s.expected.hand_back for s in mine)
        assert any(s.context.get("queue_waiting", 0) >= 30 for s in mine)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_sample_call_replay_matches_its_expected_outcome(replayer: Replayer, path) -> None:  # type: ignore[no-untyped-def]
    result = replayer.run(load_script(path))
    assert result.mismatches() == []
    if result.outcome == "transferred":
        assert result.packet is not None and result.packet.ledger
        assert result.assignment is not None and result.assignment.rationale.reasons
