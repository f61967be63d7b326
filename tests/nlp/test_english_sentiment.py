"""The English review-sentiment model: its features, the shipped model, its data format and eval hold-out.

Small hand-written sentences stand in for training data except in the tests
about the model the project ships (`assets/models/review-sentiment-en.json.gz`).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from agentdesk.nlp import evaluation, review_data
from agentdesk.nlp.emotion import assess_emotion, polarity
from agentdesk.nlp.review_model import ReviewModel, features, train

NEGATIVE = [
    "the flight was delayed again",
    "my bag never arrived",
    "on hold for an hour, nobody answered",
    "the refund still hasn't come through",
    "delayed and then cancelled",
    "nobody called me back",
]
POSITIVE = [
    "the crew was lovely",
    "thanks, the agent sorted it out quickly",
    "great service, arrived early",
    "the refund came through quickly, thank you",
    "lovely staff and a smooth flight",
    "quick answer, great help",
]


@pytest.fixture(scope="module")
def small_model() -> ReviewModel:
    return train(NEGATIVE, POSITIVE, language="en", min_count=1)


@pytest.fixture(scope="module")
def shipped() -> tuple[ReviewModel, frozenset[str]]:
    return review_data.load_english(review_data.english_model_path())


def test_english_features_are_stems_and_adjacent_pairs() -> None:
    found = features("Delays, delays and more delays!", "en")
    assert {"delay", "more", "!", "delay|and", "more|delay"} <= found


def test_words_after_a_negator_are_marked_until_the_clause_ends() -> None:
    found = features("It wasn't helpful, but the crew were kind", "en")
    assert {"not", "not_help"} <= found
    assert "help" not in found
    assert "kind" in found and "not_kind" not in found
    assert "not_good" in features("never any good", "en")


def test_english_features_ignore_chinese_and_chinese_features_ignore_english() -> None:
    assert features("送餐太慢", "en") == set()
    assert features("the food was cold", "zh") == set()


def test_english_model_reads_unseen_sentences(small_model: ReviewModel) -> None:
    assert small_model.language == "en"
    assert small_model.polarity("my flight was delayed, nobody answered") < 0
    assert small_model.polarity("lovely crew, great help") > 0
    assert small_model.polarity("zebra") is None


def test_saved_english_model_keeps_its_language(small_model: ReviewModel) -> None:
    loaded = ReviewModel.from_dict(json.loads(json.dumps(small_model.to_dict())))
    assert loaded.language == "en"
    assert loaded.log_odds("delayed again") == pytest.approx(small_model.log_odds("delayed again"), abs=1e-3)


def test_polarity_averages_lexicon_and_the_english_model(small_model: ReviewModel) -> None:
    text = "my bag never arrived"
    learned = small_model.polarity(text)
    assert learned is not None
    expected = (assess_emotion(text).polarity + learned) / 2
    assert polarity(text, reviews=small_model) == pytest.approx(expected, abs=1e-3)


def test_polarity_of_chinese_ignores_the_english_model(small_model: ReviewModel) -> None:
    assert polarity("送餐太慢，菜也凉了", reviews=small_model) == polarity("送餐太慢，菜也凉了")


def test_text_without_words_takes_the_lexicon_alone() -> None:
    assert polarity("!!! 123") == assess_emotion("!!! 123").polarity


def test_shipped_model_is_english_and_learned_from_rated_sentences(
    shipped: tuple[ReviewModel, frozenset[str]],
) -> None:
    model, keys = shipped
    assert model.language == "en"
    assert model.trained_on[0] > 9000 and model.trained_on[1] > 10000
    assert len(keys) > 19000
    assert all(len(k) == 8 for k in keys)


@pytest.mark.parametrize(
    ("text", "negative"),
    [
        ("I've been on hold for an hour and nobody called me back", True),
        ("my card was charged twice and the refund still hasn't arrived", True),
        ("the app keeps crashing when I try to pay", True),
        ("thanks so much, the agent was really helpful", False),
        ("great, that solved it, have a nice day", False),
        ("the new plan is cheaper and the signal is excellent", False),
    ],
)
def test_shipped_model_reads_everyday_customer_lines(
    shipped: tuple[ReviewModel, frozenset[str]], text: str, negative: bool
) -> None:
    model, _ = shipped
    assert (model.polarity(text) < 0) is negative
    assert (polarity(text) < 0) is negative


@pytest.mark.parametrize(
    "content",
    [
        b"not gzip at all",
        gzip.compress(b"{not json", mtime=0),
        gzip.compress(b'{"trained_keys": []}', mtime=0),
    ],
)
def test_a_broken_english_model_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.json.gz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=str(path)):
        review_data.load_english(path)


def test_a_chinese_model_is_not_taken_for_the_english_one(tmp_path: Path) -> None:
    chinese = train(["菜凉了"], ["味道好"], min_count=1)
    path = tmp_path / "model.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"model": chinese.to_dict()}).encode()))
    with pytest.raises(ValueError, match="not English"):
        review_data.load_english(path)


def test_rated_sentences_split_by_mean_rating_and_skip_the_rest() -> None:
    lines = [
        "1\t-2.1\tThe flight was awful.\r\n",
        "2\t0.2\tThe flight left at noon.",
        "3\t1.8\tLovely crew!",
        "4\t-0.5\tA bit late.",
        "5\tn/a\tnot a rating",
        "just a line",
        "6\t3.0\t   ",
        "7\t1.0\tThe flight was awful.",
        "8\t1.1\tLovely crew!",
    ]
    negative, positive = review_data.rated_sentences(lines)
    assert negative == ["A bit late."]
    assert positive == ["Lovely crew!"]


def test_overlap_digest_ignores_spacing_and_reads_only_the_opening() -> None:
    a = review_data.overlap_digest("The flight was delayed by  three hours today")
    assert a == review_data.overlap_digest("Theflight was delayed by three hours and more")
    assert len(a) == 8 and a != review_data.overlap_digest("Another sentence entirely")


def test_eval_leaves_out_sentences_the_english_model_learned_from(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = review_data.overlap_digest("my bag never arrived")
    monkeypatch.setattr(evaluation, "english_training_digests", lambda: frozenset({seen}))
    kept, left_out = evaluation.unseen_by_english_model(
        [("my bag  never arrived", True), ("lovely crew", False)]
    )
    assert kept == [("lovely crew", False)] and left_out == 1


def test_shipped_digests_are_those_of_the_training_sentences(
    shipped: tuple[ReviewModel, frozenset[str]],
) -> None:
    _, keys = shipped
    assert review_data.english_training_digests() == keys
    assert review_data.overlap_digest("a sentence written for this test only") not in keys


def test_without_the_shipped_model_polarity_falls_back_to_the_lexicon(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(review_data, "_loaded", {})
    monkeypatch.setattr(review_data, "english_model_path", lambda: tmp_path / "missing.json.gz")
    with caplog.at_level("WARNING", logger="agentdesk.nlp.review_data"):
        assert review_data.default_review_model("en") is None
    assert "en review-sentiment model unavailable" in caplog.text
    assert review_data.english_training_digests() == frozenset()
    text = "my bag never arrived"
    assert polarity(text) == assess_emotion(text).polarity
