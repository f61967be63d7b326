"""Collected-detail keys read as labels in the agent's language."""

from __future__ import annotations

import pytest

from agentdesk.tui.i18n import Catalog, detail_label


@pytest.mark.parametrize(
    ("lang", "key", "label"),
    [
        ("zh", "est_monthly_value", "预估月消费"),
        ("zh", "port_in", "携入号码数"),
        ("zh", "amount_2", "金额 2"),
        ("en", "amount_2", "Amount 2"),
        ("en", "card_last4", "Card"),
    ],
)
def test_detail_keys_the_bot_and_the_seed_use_have_labels_in_both_languages(
    lang: str, key: str, label: str
) -> None:
    assert detail_label(key, Catalog(lang)) == label


def test_an_unknown_detail_key_still_reads_as_words() -> None:
    assert detail_label("parcel_locker", Catalog("zh")) == "parcel locker"
