"""Sarcastic praise reads as irritation, exasperation as upset, and neither as anger."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import EmotionLevel
from agentdesk.nlp.emotion import assess_emotion


@pytest.mark.parametrize(
    "line",
    [
        "Oh great, brilliant, thanks for nothing.",
        "Wonderful. Thanks for nothing, honestly.",
        "A lot of help you are.",
        "你们可真行",
    ],
)
def test_sarcastic_praise_is_mild_irritation_not_calm_and_not_anger(line: str) -> None:
    result = assess_emotion(line)
    assert result.level == EmotionLevel.MILD
    assert result.positive == 0


def test_genuine_praise_stays_positive() -> None:
    result = assess_emotion("Great, thanks a lot!")
    assert result.level == EmotionLevel.CALM and result.positive > 0


@pytest.mark.parametrize("line", ["烦死了", "烦死了，流量又不够用了"])
def test_exasperation_alone_is_upset_not_angry(line: str) -> None:
    assert assess_emotion(line).level == EmotionLevel.UPSET


def test_an_exclaimed_what_is_going_on_with_you_after_paying_is_anger() -> None:
    assert assess_emotion("你们怎么回事！我昨天刚交的钱，今天又给我停机了！").level == EmotionLevel.ANGRY


@pytest.mark.parametrize(
    "line",
    [
        "Sorry, I didn't catch that. Can you say the daily price again?",
        "I am not great with these machines, so bear with me.",
        "I'm not good with phones, my son usually does this.",
    ],
)
def test_asking_again_or_owning_up_to_being_no_good_with_phones_is_calm(line: str) -> None:
    assert assess_emotion(line).level == EmotionLevel.CALM


def test_a_service_that_is_not_great_is_still_a_complaint() -> None:
    assert assess_emotion("The service is not great.").level == EmotionLevel.MILD
