"""Sensitive numbers are masked in anything shown to people; order ids and amounts are not."""

from __future__ import annotations

import pytest

from agentdesk.domain.masking import mask_card, mask_id_number, mask_phone, mask_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的手机号是13812345678", "我的手机号是138****5678"),
        ("call me on +44 7700 900123", "call me on +44 **** **0123"),
        ("US number +1 415-555-0134.", "US number +1 ***-***-0134."),
    ],
)
def test_phone_numbers_keep_only_enough_digits_to_confirm(text: str, masked: str) -> None:
    assert mask_phone(text) == masked
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("卡号 4111 1111 1111 1111", "卡号 **** **** **** 1111"),
        ("card 4111-1111-1111-1111 expired", "card ****-****-****-1111 expired"),
        ("6222020200112233446", "***************3446"),  # 19-digit UnionPay, Luhn-valid
    ],
)
def test_card_numbers_keep_the_last_four_digits(text: str, masked: str) -> None:
    assert mask_card(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证110101198807150023", "身份证110***********0023"),
        ("ID 11010119880715002X ok", "ID 110***********002X ok"),
        ("passport P12345678", "passport P******78"),
    ],
)
def test_identity_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_id_number(text) == masked
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "订单号 LC20261101-8812",
        "amount ¥1,280.00",
        "account LC-100234",
        "order 20261101123456789",
        "2026-11-23 10:00",
    ],
)
def test_order_ids_amounts_and_dates_stay_readable(text: str) -> None:
    assert mask_text(text) == text


def test_id_number_is_not_mistaken_for_a_phone_number() -> None:
    assert "138" not in mask_text("110101138123456789")[3:]


def test_empty_text_is_left_alone() -> None:
    assert mask_text("") == ""


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系电话139 1697 3591", "联系电话139 **** 3591"),
        ("139-1697-3591", "139-****-3591"),
        ("我手机号是１３６３４９２１３２７", "我手机号是１３６****１３２７"),
        ("我的手机是一三八一二三四五六七八", "我的手机是一三八****五六七八"),
        ("phone 138.1234.5678", "phone 138.****.5678"),
        ("call me on 07700 900123", "call me on ***** **0123"),
        ("our office is 020 7946 0018", "our office is *** **** 0018"),
    ],
)
def test_phone_numbers_are_masked_however_they_are_spaced_or_typed(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_old_fifteen_digit_id_numbers_are_masked() -> None:
    assert mask_text("老身份证110105850312212") == "老身份证110********2212"


def test_card_numbers_written_with_dots_are_masked() -> None:
    assert mask_text("卡号 4111.1111.1111.1111") == "卡号 ****.****.****.1111"


@pytest.mark.parametrize("text", ["一个人两个人", "版本 1.2.3", "2026.11.24", "三三两两的十一个人"])
def test_chinese_numerals_and_dotted_numbers_in_ordinary_text_stay_readable(text: str) -> None:
    assert mask_text(text) == text


def test_an_order_number_read_out_digit_by_digit_is_not_masked_as_a_card() -> None:
    # 2026112102127 passes Luhn, as one order id read out in ten does
    spoken = "Order LC, 2 0 2 6 1 1 2 1 0 2 1 2 7 today"
    assert mask_text(spoken) == spoken
    assert mask_text("订单号：2026112102127") == "订单号：2026112102127"


def test_the_same_digits_without_an_order_word_are_masked_as_a_card() -> None:
    assert mask_text("my card is 2 0 2 6 1 1 2 1 0 2 1 2 7").endswith("2 1 2 7")
    assert "*" in mask_text("my card is 2 0 2 6 1 1 2 1 0 2 1 2 7")


def test_an_order_id_read_out_in_chinese_numerals_is_not_masked_as_a_passport() -> None:
    line = "订单号是LC二零二六一一一五杠零四二八。"
    assert mask_text(line) == line


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("the card was 4929 1234 5678 9012.", "the card was **** **** **** 9012."),
        ("4929-1234-5678-9012", "****-****-****-9012"),
        ("卡号6222020200001234567", "卡号***************4567"),
    ],
)
def test_a_card_number_that_fails_its_checksum_is_still_masked(text: str, masked: str) -> None:
    # a card misheard or misspoken by one digit is still the customer's card
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", ["tracking SF1460283957214", "tracking number 1460283957214"])
def test_a_tracking_number_stays_readable(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "My number's oh seven seven double oh, nine double oh three five nine.",
            "My number's * * * * * * * oh three five nine.",
        ),
        (
            "the card is four nine two nine one two three four five six seven eight nine oh one two",
            "the card is * * * * * * * * * * * * nine oh one two",
        ),
    ],
)
def test_a_number_read_out_in_english_words_keeps_only_its_last_four_digits(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "It is L C two zero two six one one one zero, dash, two seven one eight.",  # an order id
        "call me back on oh one two three",  # too short to be a phone number
        "I bought two, one for me and one for my son.",
    ],
)
def test_order_ids_short_runs_and_everyday_numbers_in_words_stay(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "订单号是LC二零二六一一零八，杠，二二五一。",  # Chinese numerals, a pause before the dash
        "订单号是LC20261108，杠，2251",
        "Order number is two zero two six one one zero eight, dash, two two five one.",
        "my order number is 2 0 2 6 1 1 2 1 0 2 1 2 7",
        "订单号是2026112102127",
    ],
)
def test_an_order_id_stays_as_said_after_its_order_word(line: str) -> None:
    assert mask_text(line) == line


def test_phone_and_card_numbers_beside_an_order_id_are_still_masked() -> None:
    line = "订单号是LC二零二六一一零八，手机一三八一二三四五六七八"
    assert mask_text(line) == "订单号是LC二零二六一一零八，手机一三八****五六七八"
    card = "my order number is LC, and my card is 4111 1111 1111 1111"
    assert mask_text(card).endswith("**** **** **** 1111")


@pytest.mark.parametrize(
    "text", ["the card for this order is 4532 0151 1283 0366", "I paid the order was 4532015112830366"]
)
def test_a_card_number_after_a_bare_order_word_is_still_masked(text: str) -> None:
    assert "0151" not in mask_text(text) and mask_text(text).endswith("0366")
