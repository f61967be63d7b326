"""Details heard in a customer's words are collected for the handoff."""

from __future__ import annotations

import pytest

from agentdesk.bot.details import extract_details, merge_details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("订单LC20261108-2251还没到", {"order_id": "LC20261108-2251"}),
        ("16号下午交的158块！", {"amount": "¥158", "date": "16日"}),
        ("11月16日扣了129元", {"amount": "¥129", "date": "11月16日"}),
        ("Two lots of 129 yuan!", {"amount": "¥129"}),
        (
            "I was charged £39.99 on 2026-11-02 on the card ending 4821",
            {"amount": "£39.99", "date": "2026-11-02", "card_last4": "4821"},
        ),
        ("我的手机号13812345678", {"phone": "13812345678"}),
        ("account LC-100234 please", {"account_no": "LC-100234"}),
        ("nothing to see here", {}),
    ],
)
def test_details_are_found_in_chinese_and_english(text: str, expected: dict[str, str]) -> None:
    assert extract_details(text) == expected


def test_a_second_different_amount_is_kept_beside_the_first() -> None:
    merged = merge_details({"amount": "¥129"}, {"amount": "¥158", "order_id": "LC20261108-2251"})
    assert merged == {"amount": "¥129", "amount_2": "¥158", "order_id": "LC20261108-2251"}
    assert merge_details(merged, {"amount": "¥129"}) == merged


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("多扣了十五块钱", "¥15"),
        ("月租三十九块", "¥39"),
        ("一百五十八块", "¥158"),
        ("两万元的订单", "¥20000"),
        ("五百多块", "¥500+"),
    ],
)
def test_amounts_said_in_chinese_numerals_are_collected(text: str, amount: str) -> None:
    assert extract_details(text)["amount"] == amount


def test_together_is_not_one_yuan() -> None:
    assert "amount" not in extract_details("我们一块去营业厅")


@pytest.mark.parametrize("text", ["联系电话139 1697 3591", "我手机号是１３９１６９７３５９１"])
def test_phone_numbers_spaced_or_full_width_are_collected_whole(text: str) -> None:
    assert extract_details(text)["phone"] == "13916973591"


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("回电打我这个号，幺三六三四九二幺三二七", "13634921327"),
        ("My number's oh seven seven double oh, nine double oh three five nine.", "07700900359"),
    ],
)
def test_a_phone_number_read_out_digit_by_digit_is_collected_for_the_callback(line: str, phone: str) -> None:
    assert extract_details(line).get("phone") == phone


@pytest.mark.parametrize(
    "line",
    [
        "I have one or two questions",
        "It is L C two zero two six one one one zero, dash, two seven one eight.",
    ],
)
def test_everyday_numbers_and_order_ids_in_words_are_no_phone(line: str) -> None:
    assert "phone" not in extract_details(line)


@pytest.mark.parametrize("line", ["我家在建设路88号，宽带断了五天", "我在人民路12号", "住3号楼", "32号到期"])
def test_a_house_number_or_an_impossible_day_is_no_date(line: str) -> None:
    assert "date" not in extract_details(line)


def test_a_date_after_an_address_is_still_the_date() -> None:
    assert extract_details("建设路88号，11月16号停的")["date"] == "11月16日"


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("损失起码三千五", "¥3500"),
        ("宽带断了五天，赔我三千五", "¥3500"),
        ("这个月话费扣了八百多", "¥800+"),
        ("一百二的月租", "¥120"),
    ],
)
def test_an_amount_said_in_chinese_words_on_a_line_about_money_is_collected(line: str, amount: str) -> None:
    assert extract_details(line)["amount"] == amount


@pytest.mark.parametrize("line", ["打了一百多次电话，损失好几千", "八百多", "等了三十多天才退钱"])
def test_numbers_that_count_other_things_or_lines_not_about_money_give_no_amount(line: str) -> None:
    assert "amount" not in extract_details(line)


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("There's a charge of twenty-nine yuan ninety on my October bill.", "¥29.90"),
        ("The phone cost seven thousand yuan.", "¥7000"),
        ("I paid two hundred and fifty quid for it.", "£250"),
        ("That's two hundred and fifty pounds gone.", "£250"),
        ("They took two hundred and fifty dollars two years ago.", "$250"),
        ("It was fifty quid.", "£50"),
    ],
)
def test_an_amount_said_in_english_words_is_collected_with_its_currency(line: str, amount: str) -> None:
    assert extract_details(line)["amount"] == amount


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("I was charged on the 14th.", "14th"),
        ("It was the fourteenth.", "14th"),
        ("It shows as delivered on the sixteenth but it never turned up.", "16th"),
        ("I paid it on the fourteenth of November.", "14 November"),
        ("The parcel was due November 21.", "21 November"),
        ("At home in Leeds, the fourteenth to the sixteenth.", "14th"),
    ],
)
def test_a_day_said_in_english_is_collected_as_a_date(line: str, date: str) -> None:
    assert extract_details(line)["date"] == date


@pytest.mark.parametrize("line", ["This is the third time I'm ringing.", "I'm on the first floor."])
def test_an_ordinal_that_counts_something_else_is_no_date(line: str) -> None:
    assert "date" not in extract_details(line)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("My bill came out of my card on the 12th, no sorry, the 10th.", "10th"),
        ("我7号，哦不对，是8号下的单", "8日"),
    ],
)
def test_the_day_a_caller_corrects_to_is_collected_not_the_slip(line: str, date: str) -> None:
    assert extract_details(line)["date"] == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("我是7号下的单，不是8号", "7日"),
        ("I ordered on the 3rd and it actually arrived on the 10th", "3rd"),
        ("我7号，哦不对，是8号下的单", "8日"),
    ],
)
def test_only_a_correction_that_opens_what_follows_the_first_date_replaces_it(text: str, date: str) -> None:
    assert extract_details(text)["date"] == date


def test_a_count_of_calls_on_a_line_about_money_is_no_amount() -> None:
    assert "amount" not in extract_details("话费扣了钱，我打了十几次电话")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("我那张副卡尾号7065，九月底就删了", "phone_last4"),
        ("The extra SIM ending 7065 is still on my bill", "phone_last4"),
        ("我的银行卡尾号7065", "card_last4"),
        ("It went on the card ending in 7065", "card_last4"),
        ("the credit card ending 7065 online", "card_last4"),
        ("my card number ending 7065 was charged twice", "card_last4"),
        ("银行卡号码尾号7065", "card_last4"),
        ("信用卡尾号7065，号码是我老婆的", "card_last4"),
    ],
)
def test_four_digits_a_number_ends_in_are_a_phone_numbers_tail_or_a_cards_by_what_they_end(
    line: str, key: str
) -> None:
    assert extract_details(line) == {key: "7065"}
