"""A number read out over two lines is masked as the one number it is, wherever lines are shown."""

from __future__ import annotations

import pytest

from agentdesk.domain.masking import mask_lines, mask_quoting, mask_speakers, mask_text


def test_a_card_read_over_two_lines_shows_only_its_last_four_digits() -> None:
    said = mask_lines(["the card number is 4929 1234.", "5678 9012 and that's the one"])
    assert said == ["the card number is **** ****.", "**** 9012 and that's the one"]


def test_a_card_read_over_three_lines_is_masked_across_all_of_them() -> None:
    said = mask_lines(["card is 4929", "1234 5678", "9012 thanks"])
    assert said == ["card is ****", "**** ****", "9012 thanks"]


def test_an_id_number_in_chinese_numerals_over_two_lines_is_masked() -> None:
    said = mask_lines(["身份证号一一零一零五一九八八", "零一零一一二三四"])
    assert "一一零一零五" not in said[0] and "零一零一" not in said[1]
    assert said[1].endswith("一二三四")


def test_a_card_read_out_in_words_over_two_lines_keeps_only_its_last_four_words() -> None:
    said = mask_lines(
        ["card is four nine two nine one two three four", "five six seven eight nine oh one two"]
    )
    assert said == ["card is * * * * * * * *", "* * * * nine oh one two"]


def test_a_phone_read_in_words_with_a_double_over_two_lines_is_masked() -> None:
    said = mask_lines(["it's oh seven seven double oh", "nine double oh three five nine"])
    assert said == ["it's * * * * *", "* * oh three five nine"]


@pytest.mark.parametrize(
    "lines",
    [
        ["my order number is LC2026", "1117 0428"],
        ["order number two oh two six one", "one one seven"],
        ["I paid 39", "40 pounds was the bill"],
        ["room 1204", "floor 12"],
        ["the bill was 39.90", "2026 has been expensive"],
    ],
)
def test_order_numbers_and_everyday_numbers_on_consecutive_lines_stay_readable(lines: list[str]) -> None:
    assert mask_lines(lines) == lines


def test_digits_in_the_middle_of_a_line_do_not_join_the_next_line() -> None:
    lines = ["my card 4929 1234 was charged", "5678 9012 is my reference"]
    assert mask_lines(lines) == lines


def test_someone_saying_go_on_between_the_halves_does_not_reveal_them() -> None:
    said = mask_speakers(
        [("customer", "the card number is 4929 1234"), ("agent", "go on"), ("customer", "5678 9012")]
    )
    assert said == ["the card number is **** ****", "go on", "**** 9012"]


def test_two_speakers_numbers_are_not_joined() -> None:
    lines = [("agent", "your reference is 4929 1234"), ("customer", "5678 9012 is mine")]
    assert mask_speakers(lines) == ["your reference is 4929 1234", "5678 9012 is mine"]


def test_evidence_quoting_a_half_shows_it_masked() -> None:
    lines = ["the card number is 4929 1234", "5678 9012"]
    assert mask_quoting("no-answer: 5678 9012", lines, mask_lines(lines)) == "no-answer: **** 9012"


def test_a_number_in_english_words_alone_on_a_line_is_masked() -> None:
    # no digit characters at all: the rules must still run
    assert mask_text("four one one one two two two three three three") == "* * * * * * two three three three"


def test_a_whole_number_on_the_next_line_is_masked_as_itself_and_a_year_before_it_stays() -> None:
    said = mask_lines(["I've been with you since 2019", "4929 1234 5678 9012 is my card"])
    assert said == ["I've been with you since 2019", "**** **** **** 9012 is my card"]


def test_a_number_read_with_doubles_alone_is_still_masked() -> None:
    masked = mask_text("my number is double five double six double seven one two")
    assert masked == "my number is * * * * seven seven one two"
