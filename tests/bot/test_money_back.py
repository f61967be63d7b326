"""A returned or cancelled order is read as money going back, not as a parcel on its way; a
caller asking where to see whether their refund is processed, after a remark, hears how to
track it."""

from __future__ import annotations

import pytest

from agentdesk.bot.analysis import analyze
from agentdesk.bot.tasks import order_text
from agentdesk.domain.models import Order
from agentdesk.nlp.kb import KBIndex

RETURNED = Order(
    id="LC20261110-2718",
    placed="2026-11-10",
    items=["Silicone phone case"],
    amount=99.0,
    status="returned",
    carrier="Evri",
    tracking="H01LKA0071534620",
)


@pytest.mark.parametrize(
    ("lang", "status", "said"),
    [
        (
            "en",
            "returned",
            "Order LC20261110-2718 (Silicone phone case) was returned. The ¥99.00 goes back the way you paid.",
        ),
        (
            "en",
            "cancelled",
            "Order LC20261110-2718 (Silicone phone case) was cancelled. The ¥99.00 goes back the way you paid.",
        ),
        ("zh", "returned", "订单LC20261110-2718（Silicone phone case）已退货，99元将按原支付方式退回。"),
    ],
)
def test_a_returned_or_cancelled_order_is_read_as_money_going_back(lang: str, status: str, said: str) -> None:
    text = order_text(RETURNED.model_copy(update={"status": status}), lang)
    assert text == said
    assert "Evri" not in text and "H01LKA" not in text


def test_where_to_see_a_refund_processed_after_a_remark_is_the_tracking_article(demo_kb: KBIndex) -> None:
    a = analyze(
        "Fifteen working days, that is quite long. Where can I see if it is processed or not?",
        kb=demo_kb,
        language="en",
        threshold=0.45,
        context=["I sent a phone case back last week and paid by credit card. When will I get my money?"],
    )
    assert a.kb.answer is not None and a.kb.answer.article.id == "en-refunds-003"
