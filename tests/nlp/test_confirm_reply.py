"""Reading a caller's yes or no to the bot's "Is it about ...?", and a waiting caller's lines."""

from __future__ import annotations

import pytest

from agentdesk.nlp.moves import asks_wait, confirm_reply, says_leaving


@pytest.mark.parametrize(
    ("line", "answer", "rest"),
    [
        ("对的。", "yes", ""),
        ("是的呀", "yes", ""),
        ("嗯", "yes", ""),
        ("Yes, please.", "yes", "please."),
        ("Yeah that's right, do I lose it?", "yes", "do I lose it?"),
        ("不是，我是问账单", "no", "我是问账单"),
        ("Nope.", "no", ""),
        ("No, it's about my bill", "no", "it's about my bill"),
    ],
)
def test_a_yes_or_no_opening_the_line_answers_the_bots_question(line: str, answer: str, rest: str) -> None:
    reply = confirm_reply(line)
    assert (reply.answer, reply.rest) == (answer, rest)


@pytest.mark.parametrize("line", ["对了，我还想问一下漫游", "No problem, thanks", "是这样的"])
def test_by_the_way_and_no_problem_are_neither_yes_nor_no(line: str) -> None:
    assert confirm_reply(line).answer is None


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("嗯，那个月包呢？", "那个月包呢？"),
        ("Okay. Can someone do it for me now?", "Can someone do it for me now?"),
    ],
)
def test_an_acknowledgement_opening_the_line_is_a_soft_yes(line: str, rest: str) -> None:
    reply = confirm_reply(line)
    assert (reply.answer, reply.soft, reply.rest) == ("yes", True, rest)
    assert not confirm_reply("Yes, please.").soft


@pytest.mark.parametrize("line", ["算了，我不等了，拜拜。", "Forget it, I'll ring back later.", "先挂了"])
def test_a_waiting_caller_saying_they_are_going_is_heard(line: str) -> None:
    assert says_leaving(line)


@pytest.mark.parametrize(
    "line", ["要等多久啊？前面多少人？", "How long is the wait?", "How many people are ahead of me?"]
)
def test_a_question_about_the_wait_is_heard(line: str) -> None:
    assert asks_wait(line) and not says_leaving(line)


@pytest.mark.parametrize("line", ["好的，谢谢你。", "Okay, thanks.", "我的账单怎么多了"])
def test_thanks_and_questions_are_not_leaving(line: str) -> None:
    assert not says_leaving(line) and not asks_wait(line)
