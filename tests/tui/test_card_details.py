"""Collected details on the handoff card read in the UI language, amounts with their currency."""

from __future__ import annotations

import pytest

from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.handoff_card import detail_line


@pytest.mark.parametrize(
    ("lang", "key", "value", "call_language", "shown"),
    [
        ("zh", "amount", "58.00", "zh", "金额: ¥58.00"),
        ("zh", "amount_2", "1,280", "zh", "金额 2: ¥1,280"),
        ("zh", "amount", "¥58.00", "zh", "金额: ¥58.00"),
        ("zh", "id_number", "110101198807150023", "zh", "身份证号: 110***********0023"),
        ("en", "id_number", "110101198807150023", "zh", "ID number: 110***********0023"),
        ("zh", "loyalty_points", "300", "zh", "其他（loyalty points）: 300"),
        ("en", "loyalty_points", "300", "en", "loyalty points: 300"),
        ("en", "amount", "58.00", "en", "Amount: 58.00"),  # an English call's currency is not known
    ],
)
def test_a_detail_reads_in_the_ui_language(
    lang: str, key: str, value: str, call_language: str, shown: str
) -> None:
    assert detail_line(key, value, call_language, Catalog(lang)) == shown
