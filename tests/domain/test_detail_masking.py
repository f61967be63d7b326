"""Collected details are masked by one rule, wherever they are shown."""

from __future__ import annotations

import pytest

from agentdesk.domain.masking import mask_detail


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("phone", "13713543732", "137****3732"),
        ("phone", "137****3732", "137****3732"),  # masked by the bot already: not masked again
        ("account_no", "LC-155641", "LC-**5641"),
        ("id_number", "110101198807150023", "110***********0023"),
        ("billing_month", "2026-09", "2026-09"),
        ("order_id", "LC20261101-8812", "LC20261101-8812"),
        ("amount", "¥1,280.00", "¥1,280.00"),
    ],
)
def test_a_detail_shows_a_sensitive_number_with_only_its_last_digits(
    key: str, value: str, shown: str
) -> None:
    assert mask_detail(key, value) == shown


def test_a_detail_masked_twice_reads_as_masked_once() -> None:
    once = mask_detail("account_no", "LC-155641")
    assert mask_detail("account_no", once) == once
