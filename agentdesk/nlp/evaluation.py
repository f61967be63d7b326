"""Accuracy figures for the bot brain, computed over labelled examples in memory.

Reading corpora from disk is the caller's job (`agentdesk eval`); this module
only scores: KB retrieval top-k, binary sentiment, anger detection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agentdesk.domain.models import KBArticle
from agentdesk.nlp.emotion import assess_emotion, polarity
from agentdesk.nlp.kb import KBIndex
from agentdesk.nlp.review_data import (
    bundled_reviews,
    english_training_digests,
    overlap_digest,
    overlap_key,
)
from agentdesk.nlp.review_model import ReviewModel, train

__all__ = [
    "AngerScore",
    "EvalFigure",
    "RetrievalScore",
    "SentimentScore",
    "anger_detection",
    "binary_sentiment",
    "held_out_review_model",
    "is_angry",
    "retrieval",
    "unseen_by_english_model",
]


@dataclass(frozen=True)
class EvalFigure:
    """One reported figure: what was measured, on what, against which goal.

    Attributes:
        corpus: corpus folder name.
        task: e.g. `faq retrieval`, `binary sentiment`, `anger`.
        metric: e.g. `top-3`, `accuracy`, `recall`.
        value: the measured value, None when the corpus was absent.
        n: number of examples.
        goal: the target, if the project set one.
        note: context (skipped reason, operating point).
    """

    corpus: str
    task: str
    metric: str
    value: float | None
    n: int = 0
    goal: float | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the goal is reached; None without a goal or a value."""
        if self.goal is None or self.value is None:
            return None
        return self.value >= self.goal


@dataclass(frozen=True)
class RetrievalScore:
    """Top-k accuracy of KB retrieval: share of queries whose gold article is in the top k."""

    n: int
    top1: float
    top3: float
    top5: float


@dataclass(frozen=True)
class SentimentScore:
    """Binary sentiment accuracy with its confusion counts (negative is the positive class)."""

    n: int
    accuracy: float
    true_negative_hits: int
    missed_negative: int
    false_negative: int
    true_positive_hits: int


@dataclass(frozen=True)
class AngerScore:
    """Anger detection: precision, recall and F1 with anger as the positive class."""

    n: int
    angry: int
    precision: float
    recall: float
    f1: float


def retrieval(articles: Sequence[KBArticle], queries: Iterable[tuple[str, str]]) -> RetrievalScore:
    """Top-1/3/5 accuracy of `KBIndex` over (query, gold article id) pairs."""
    index = KBIndex(articles)
    hits = {1: 0, 3: 0, 5: 0}
    n = 0
    for query, gold in queries:
        n += 1
        ids = [m.article.id for m in index.search(query, k=5).matches]
        for k in hits:
            hits[k] += gold in ids[:k]
    return RetrievalScore(n=n, top1=hits[1] / max(n, 1), top3=hits[3] / max(n, 1), top5=hits[5] / max(n, 1))


def held_out_review_model(texts: Iterable[str]) -> tuple[ReviewModel | None, int]:
    """A Chinese review model trained without any review that also appears among `texts`.

    The installed training reviews and a public test set can share reviews
    (ChnSentiCorp hotel reviews turn up in both); scoring a model on reviews it
    learned from overstates it. Reviews match on their first 20 non-space
    characters (`overlap_key`). Returns the model and how many training
    reviews were left out; (None, 0), meaning "use the installed model", when
    none had to be or there is no training data.
    """
    reviews = bundled_reviews()
    if reviews is None:
        return None, 0
    keys = {overlap_key(t) for t in texts}
    negative, positive = ([r for r in side if overlap_key(r) not in keys] for side in reviews)
    left_out = sum(map(len, reviews)) - len(negative) - len(positive)
    return (train(negative, positive), left_out) if left_out else (None, 0)


def unseen_by_english_model(
    examples: Iterable[tuple[str, bool]],
) -> tuple[list[tuple[str, bool]], int]:
    """The (text, label) examples the shipped English model did not learn from, and how many it did.

    Its training sentences are not installed, so instead of retraining
    without them (as `held_out_review_model` does) the ones it saw are left
    out of the scored set, matched by `overlap_digest`.
    """
    seen = english_training_digests()
    examples = list(examples)
    kept = [e for e in examples if overlap_digest(e[0]) not in seen]
    return kept, len(examples) - len(kept)


def binary_sentiment(
    examples: Iterable[tuple[str, bool]], reviews: ReviewModel | None = None
) -> SentimentScore:
    """Accuracy of `polarity(text) < 0` over (text, is_negative) pairs.

    Args:
        examples: (text, is_negative) pairs.
        reviews: the review model `polarity` consults; default the installed one.
    """
    tp = fn = fp = tn = 0
    for text, negative in examples:
        predicted = polarity(text, reviews=reviews) < 0
        if negative:
            tp += predicted
            fn += not predicted
        else:
            fp += predicted
            tn += not predicted
    n = tp + fn + fp + tn
    return SentimentScore(n, (tp + tn) / max(n, 1), tp, fn, fp, tn)


def is_angry(text: str, transfer_level: int = 3) -> bool:
    """The anger decision used in evaluation: emotion level at or above the transfer level."""
    return int(assess_emotion(text).level) >= transfer_level


def anger_detection(examples: Iterable[tuple[str, bool]], transfer_level: int = 3) -> AngerScore:
    """Precision/recall of `is_angry` over (text, is_angry) pairs."""
    tp = fp = fn = n = 0
    for text, angry in examples:
        n += 1
        predicted = is_angry(text, transfer_level)
        tp += predicted and angry
        fp += predicted and not angry
        fn += angry and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return AngerScore(n=n, angry=tp + fn, precision=precision, recall=recall, f1=f1)
