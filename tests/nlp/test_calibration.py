from __future__ import annotations

from agentdesk.domain.models import KBArticle
from agentdesk.nlp.calibration import Calibration, MatchFeatures, calibration_examples, fit_calibration


def _f(coverage: float, relative: float = 1.0, margin: float = 0.5, terms: int = 4) -> MatchFeatures:
    return MatchFeatures(coverage=coverage, relative=relative, margin=margin, terms=terms)


def test_shipped_confidence_rises_with_query_coverage() -> None:
    cal = Calibration.default()
    values = [cal.confidence(_f(c)) for c in (0.1, 0.4, 0.7, 1.0)]
    assert values == sorted(values)
    assert values[0] < 0.2 < 0.6 < values[-1]


def test_shipped_confidence_falls_for_lower_ranked_candidates() -> None:
    cal = Calibration.default()
    assert cal.confidence(_f(0.8, relative=0.5, margin=0.05)) < cal.confidence(
        _f(0.8, relative=1.0, margin=0.4)
    )


def test_confidence_stays_in_unit_interval_for_extreme_features() -> None:
    cal = Calibration(bias=100.0, weights=(100.0, 100.0, 100.0, 100.0))
    assert 0.999 < cal.confidence(_f(1.0, terms=1000)) <= 1.0
    assert 0.0 <= Calibration(-100.0, (0.0, 0.0, 0.0, 0.0)).confidence(_f(0.0)) < 1e-9


def test_calibration_examples_label_own_article_positive(small_kb: list[KBArticle]) -> None:
    features, labels, top1 = calibration_examples(small_kb, ["今天天气怎么样", "Tell me a joke"], folds=1)
    assert len(features) == len(labels)
    assert 0 < sum(labels) <= len(small_kb)
    assert 0.0 <= top1 <= 1.0


def test_fitted_calibration_separates_right_from_wrong(small_kb: list[KBArticle]) -> None:
    fit = fit_calibration(
        small_kb, ["今天天气怎么样", "Tell me a joke", "推荐一部电影", "Book a flight"], steps=500
    )
    assert fit.positives > 0 and fit.negatives > 0
    assert fit.calibration.confidence(_f(1.0, margin=0.6)) > fit.calibration.confidence(_f(0.1, margin=0.0))
