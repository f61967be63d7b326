"""Calibrated KB confidence: a logistic model over scale-free match features.

How the shipped coefficients were made (`python -m agentdesk.nlp.calibration`
prints them as YAML for `assets/lexicons/kb_calibration.yaml`):

1. Held-out variants: for each fold, one question variant of every demo KB
   article (zh and en) is removed from its article; the index is built on the
   rest and the removed variant is the query. Every top-5 candidate is an
   example, labelled 1 if it is the article the variant came from.
2. Unrelated queries (`assets/lexicons/kb_offtopic.yaml`, written by hand:
   weather, sport, other industries' products) are searched on the full
   index; every candidate is labelled 0.
3. A logistic regression (L2, gradient descent) maps the features to the
   probability that a candidate is the right article.

BM25 scores are not comparable across KBs or queries, so the features are
ratios: idf-weighted share of the query found in the article, the score
relative to the best, the margin to the next candidate, and query length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from agentdesk.nlp.lexicon import LexiconError, load_lexicon

if TYPE_CHECKING:
    from agentdesk.domain.models import KBArticle

__all__ = ["Calibration", "CalibrationFit", "MatchFeatures", "calibration_examples", "fit_calibration"]

FEATURES = ("coverage", "coverage_x_relative", "coverage_x_margin", "log_terms")


@dataclass(frozen=True)
class MatchFeatures:
    """What the confidence of one candidate article is computed from.

    Attributes:
        coverage: idf-weighted share of the query's terms found in the article (0..1).
        relative: the article's score over the best score of the query (0..1].
        margin: (score - next score) / best score (0..1).
        terms: number of distinct query terms.
    """

    coverage: float
    relative: float
    margin: float
    terms: int

    def vector(self) -> tuple[float, float, float, float]:
        """The features in `FEATURES` order.

        Rank and margin enter multiplied by coverage: being the only article that
        shares one word with an off-topic query (今天 in 今天天气怎么样) must not
        look like a clear win.
        """
        c = self.coverage
        return (c, c * self.relative, c * self.margin, math.log1p(self.terms))


@dataclass(frozen=True)
class Calibration:
    """Logistic coefficients turning `MatchFeatures` into a probability."""

    bias: float
    weights: tuple[float, ...]

    def confidence(self, features: MatchFeatures) -> float:
        """Probability in [0, 1] that the candidate answers the query."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @staticmethod
    def default() -> Calibration:
        """The shipped calibration (kb_calibration.yaml), or a conservative fallback."""
        return _shipped()


@cache
def _shipped() -> Calibration:
    try:
        data = load_lexicon("kb_calibration")
        weights = tuple(float(data["weights"][name]) for name in FEATURES)
        return Calibration(bias=float(data["bias"]), weights=weights)
    except (LexiconError, KeyError, TypeError, ValueError):
        # Without the file: confidence rises with coverage and margin only.
        return Calibration(bias=-4.0, weights=(5.0, 1.0, 2.0, 0.0))


@dataclass(frozen=True)
class CalibrationFit:
    """A fitted calibration and how it was obtained."""

    calibration: Calibration
    positives: int
    negatives: int
    held_out_top1: float
    """Share of held-out variants whose top candidate was their own article."""
    reliability: tuple[tuple[float, float, int], ...]
    """(mean predicted confidence, observed share correct, count) per confidence bin."""


def _held_out(articles: Sequence[KBArticle], fold: int) -> tuple[list[KBArticle], list[tuple[str, str]]]:
    kept, queries = [], []
    for a in articles:
        if len(a.questions) < 2:
            kept.append(a)
            continue
        i = (len(a.questions) - 1 - fold) % len(a.questions)
        queries.append((a.questions[i], a.id))
        kept.append(a.model_copy(update={"questions": [q for j, q in enumerate(a.questions) if j != i]}))
    return kept, queries


def calibration_examples(
    articles: Sequence[KBArticle], unrelated: Iterable[str], *, folds: int = 3, k: int = 5
) -> tuple[list[MatchFeatures], list[int], float]:
    """Labelled candidate features from held-out variants and unrelated queries.

    Returns:
        features, labels (1 = right article) and the held-out top-1 accuracy.
    """
    from agentdesk.nlp.kb import KBIndex

    feats: list[MatchFeatures] = []
    labels: list[int] = []
    hits = total = 0
    for fold in range(folds):
        kept, queries = _held_out(articles, fold)
        index = KBIndex(kept, calibration=Calibration(0.0, (0.0,) * len(FEATURES)))
        for query, gold in queries:
            cands = index.candidates(query, k)
            total += 1
            hits += bool(cands) and cands[0].article_id == gold
            for c in cands:
                feats.append(c.features)
                labels.append(int(c.article_id == gold))
    index = KBIndex(articles, calibration=Calibration(0.0, (0.0,) * len(FEATURES)))
    for query in unrelated:
        for c in index.candidates(query, k):
            feats.append(c.features)
            labels.append(0)
    return feats, labels, hits / max(total, 1)


def fit_calibration(
    articles: Sequence[KBArticle], unrelated: Iterable[str], *, l2: float = 1e-3, steps: int = 4000
) -> CalibrationFit:
    """Fit the logistic confidence on held-out variants of `articles` vs `unrelated` queries."""
    import numpy as np

    feats, labels, top1 = calibration_examples(articles, unrelated)
    x = np.array([f.vector() for f in feats], dtype=float)
    y = np.array(labels, dtype=float)
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    # Plain gradient descent on the mean log loss: a few hundred rows, five weights.
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]]
        w -= 1.0 * grad
    cal = Calibration(bias=float(w[0]), weights=tuple(float(v) for v in w[1:]))
    p = np.array([cal.confidence(f) for f in feats])
    bins = []
    for lo in np.arange(0.0, 1.0, 0.2):
        sel = (p >= lo) & (p < lo + 0.2 if lo < 0.8 else p <= 1.0)
        if sel.any():
            bins.append((float(p[sel].mean()), float(y[sel].mean()), int(sel.sum())))
    return CalibrationFit(
        calibration=cal,
        positives=int(y.sum()),
        negatives=int(len(y) - y.sum()),
        held_out_top1=top1,
        reliability=tuple(bins),
    )


def _main() -> None:
    from agentdesk.nlp.demo_kb import demo_articles
    from agentdesk.nlp.lexicon import word_list

    offtopic = word_list("kb_offtopic", "zh") + word_list("kb_offtopic", "en")
    fit = fit_calibration(demo_articles(), offtopic)
    cal = fit.calibration
    print("# KB confidence calibration, written by `python -m agentdesk.nlp.calibration`.")
    print(
        f"# {fit.positives} right / {fit.negatives} wrong candidates; held-out top-1 {fit.held_out_top1:.3f}"
    )
    for mean_p, observed, n in fit.reliability:
        print(f"#   predicted {mean_p:.2f} -> observed {observed:.2f} (n={n})")
    print(f"bias: {cal.bias:.4f}")
    print("weights:")
    for name, value in zip(FEATURES, cal.weights, strict=True):
        print(f"  {name}: {value:.4f}")


if __name__ == "__main__":
    _main()
