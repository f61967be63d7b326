from __future__ import annotations

import subprocess
import sys

import pytest

from agentdesk.locations import assets_dir
from agentdesk.nlp.intents import CATEGORIES
from agentdesk.nlp.lexicon import LexiconError, load_lexicon, weighted_words

LEXICONS = sorted(p.stem for p in (assets_dir() / "lexicons").glob("*.yaml"))


@pytest.mark.parametrize("name", LEXICONS)
def test_every_lexicon_file_is_a_yaml_mapping(name: str) -> None:
    assert load_lexicon(name)


def _scalars(node: object) -> list[object]:
    if isinstance(node, dict):
        return [*node, *(x for v in node.values() for x in _scalars(v))]
    if isinstance(node, list):
        return [x for v in node for x in _scalars(v)]
    return [node]


@pytest.mark.parametrize("name", LEXICONS)
def test_no_lexicon_word_is_read_as_a_yaml_boolean_or_null(name: str) -> None:
    # unquoted no, yes, on, off are booleans in YAML 1.1: "no" must be written quoted
    assert not [x for x in _scalars(load_lexicon(name)) if x is None or isinstance(x, bool)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_move_cue_weights_are_confidences(lang: str) -> None:
    for kind in ("closing", "acknowledgement", "unresolved", "tried", "complaint"):
        table = weighted_words(f"moves.{lang}", kind)
        assert table, kind
        assert all(0 < w <= 1 for w in table.values()), kind


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_emotion_weights_are_positive_numbers(lang: str) -> None:
    for kind in ("positive", "negative", "anger", "profanity", "threat"):
        table = weighted_words(f"emotion.{lang}", kind)
        assert table, kind
        assert all(w > 0 for w in table.values()), kind


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_phrase_is_both_praise_and_complaint(lang: str) -> None:
    pos = set(weighted_words(f"emotion.{lang}", "positive"))
    neg = set(weighted_words(f"emotion.{lang}", "negative"))
    assert pos.isdisjoint(neg)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_request_categories_are_kb_category_slugs(lang: str) -> None:
    categories = load_lexicon(f"intents.{lang}")["categories"]
    assert set(categories) <= set(CATEGORIES)


def test_missing_lexicon_is_a_clear_error() -> None:
    with pytest.raises(LexiconError, match="cannot read lexicon"):
        load_lexicon("no-such-lexicon")


def test_nlp_imports_no_io_or_ui_packages_and_stays_light() -> None:
    code = (
        "import sys, agentdesk.nlp.text, agentdesk.nlp.kb, agentdesk.nlp.emotion, agentdesk.nlp.intents, "
        "agentdesk.nlp.complexity, agentdesk.nlp.moves, agentdesk.nlp.evaluation\n"
        "bad = [m for m in ('textual', 'httpx', 'faster_whisper', 'jieba', 'bm25s', 'numpy') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
