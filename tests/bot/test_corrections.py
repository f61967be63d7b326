"""A caller who corrects a number they just said is taken at their corrected word."""

from __future__ import annotations

import pytest

from agentdesk.bot.details import extract_details
from agentdesk.bot.tasks import order_ids


@pytest.mark.parametrize(
    ("line", "order_id"),
    [
        (
            "It's L C two zero two six one one one two, dash four eight zero nine. "
            "No sorry, four eight zero six, not nine.",
            "LC20261112-4806",
        ),
        ("Where is my order LC20261112-4809? Sorry, I mean 4806.", "LC20261112-4806"),
        ("订单号LC20261115-0428，不对，是0429", "LC20261115-0429"),
        ("订单号是LC二零二六一一一五杠零四二八，说错了，是零四二九", "LC20261115-0429"),
    ],
)
def test_a_corrected_order_number_is_the_one_looked_up(line: str, order_id: str) -> None:
    assert extract_details(line)["order_id"] == order_id
    assert order_ids(line) == [order_id]


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("手机号是一三九九八一二零零二零，不对不对，是135不是139，一三五九八一二零零二零。", "13598120020"),
        ("手机号13998120020，不对，是135开头的", "13598120020"),
        ("my mobile is 13998120020, no sorry, it starts with 135", "13598120020"),
    ],
)
def test_a_corrected_phone_number_is_the_one_kept(line: str, phone: str) -> None:
    assert extract_details(line)["phone"] == phone


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("my number is 13912345678, sorry, and I paid 39 yuan", {"phone": "13912345678", "amount": "¥39"}),
        ("Sorry, my order is LC20261112-4809", {"order_id": "LC20261112-4809"}),
        ("My order is LC20261112-4809, sorry, it's been 2 weeks now", {"order_id": "LC20261112-4809"}),
        ("Order LC20261112-4809 and sorry, 2 of the items are missing", {"order_id": "LC20261112-4809"}),
        ("订单LC20261112-4809，不对劲啊，3天了还没到", {"order_id": "LC20261112-4809"}),
    ],
)
def test_an_apology_or_a_complaint_before_other_figures_changes_no_number(
    line: str, found: dict[str, str]
) -> None:
    assert {k: v for k, v in extract_details(line).items() if k in ("phone", "order_id", "amount")} == found


def test_the_digits_said_to_be_wrong_say_which_end_of_the_number_is_put_right() -> None:
    assert extract_details("手机号13998120020，不对，是135不是139")["phone"] == "13598120020"
    assert extract_details("订单号LC20261115-0428，不对，是0429不是0428")["order_id"] == "LC20261115-0429"
