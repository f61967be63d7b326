from __future__ import annotations

import pytest

from agentdesk.bench.kb import synthetic_kb, synthetic_queries
from agentdesk.nlp.demo_kb import demo_articles

pytestmark = pytest.mark.skipif(not demo_articles(), reason="demo KB not present")


def test_synthetic_kb_has_unique_ids_in_both_languages() -> None:
    kb = synthetic_kb(300)
    assert len(kb) == 300
    assert len({a.id for a in kb}) == 300
    assert {a.language for a in kb} == {"zh", "en"}


def test_synthetic_kb_is_reproducible() -> None:
    assert [a.title for a in synthetic_kb(50)] == [a.title for a in synthetic_kb(50)]


def test_synthetic_queries_are_non_empty_customer_lines() -> None:
    queries = synthetic_queries(40)
    assert len(queries) == 40
    assert all(q.strip() for q in queries)
