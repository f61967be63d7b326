"""How the bot reads everyday caller phrasing that QA calls got wrong (EN and ZH).

Each case is a line a real caller says; the detectors must read it as a person
on the floor would: a request for a human, dissatisfaction with the answer, a
problem rather than a goodbye, anger or calm, a demand or its absence.
"""

from __future__ import annotations

import pytest

from agentdesk.domain.models import EmotionLevel
from agentdesk.nlp.complexity import assess_complexity
from agentdesk.nlp.emotion import assess_emotion
from agentdesk.nlp.intents import detect_dissatisfaction, detect_human_request
from agentdesk.nlp.moves import (
    asked_clause,
    detect_acknowledgement,
    detect_closing,
    detect_sarcastic_praise,
    strip_preamble,
)


@pytest.mark.parametrize(
    "text",
    [
        "Agent please.",
        "Agent.",
        "An agent, please!",
        "Hi, is there anybody there I can actually talk to?",
        "Can I talk to somebody?",
        "Can I speak to customer services?",
        "按0，按0！",
        "给我转个人",
        "让你们经理来跟我说",
        "我不想跟机器说话",
        "客服呢？",
    ],
)
def test_everyday_ways_of_asking_for_a_person_are_heard(text: str) -> None:
    assert detect_human_request(text).found


@pytest.mark.parametrize(
    "text",
    [
        "Was it a human error, or did I really use that much data in France?",
        "And which operator will my phone use over there?",
        "My supervisor at work pays the bill.",
        "先不转人工，我再问问，换卡要多长时间？",
        "我不是要转人工",
        "那你们这个人工智能还挺好用的。",
        "营业厅的工作人员说我的旧卡可以免费换",
        "客服电话是多少",
    ],
)
def test_words_that_only_contain_a_human_cue_ask_for_nobody(text: str) -> None:
    assert not detect_human_request(text).found


@pytest.mark.parametrize(
    "text",
    [
        "That's not really what I'm after.",
        "You've lost me there.",
        "This is going nowhere.",
        "That doesn't answer my question.",
        "That's no use to me.",
        "You're not understanding me.",
        "Great, another speech. Really helpful, that.",
        "Wow. Fantastic. Still crawling, by the way.",
        "每次都让我登记地址，登记了三次了，有用吗？",
        "行，你们看着办吧。",
        "家里宽带还是老掉线。",
    ],
)
def test_everyday_dissatisfaction_is_counted(text: str) -> None:
    assert detect_dissatisfaction(text).found


@pytest.mark.parametrize(
    "text",
    [
        "我这个月流量没用完，能结转吗？",
        "这个业务我从来没用过",
        "我不是不满意，就是问问",
        "我不是说你答得不对",
        "套餐是99的，对不对？",
        "这个流量包对我有用吗？",
        "Yeah, right, thanks.",
    ],
)
def test_dissatisfaction_cues_inside_other_words_or_negated_do_not_count(text: str) -> None:
    assert not detect_dissatisfaction(text).found


@pytest.mark.parametrize(
    "text",
    [
        "Oh brilliant, thanks a lot. I haven't even used half my data.",
        "谢谢你们啊，一个问题问了三遍都没解决。",
        "我家宽带坏了一个礼拜了。",
        "拜托你们快点",
    ],
)
def test_thanks_in_front_of_a_problem_is_not_a_goodbye(text: str) -> None:
    assert not detect_closing(text).found


@pytest.mark.parametrize(
    "text", ["Thanks, that's all.", "没有了，谢谢", "拜拜", "Thanks for sorting my bill."]
)
def test_real_goodbyes_still_close(text: str) -> None:
    assert detect_closing(text).found


def test_okay_in_front_of_a_new_problem_is_not_an_acceptance() -> None:
    line = "Right. I typed it wrong loads of times and now it won't let me in at all."
    assert not detect_acknowledgement(line).found


@pytest.mark.parametrize(
    "text",
    [
        "This is absolutely unacceptable. I am sick and tired of chasing you people.",
        "你们就是骗子！",
        "You'd better! I've been a customer for years and this is how you treat me!",
        "I've cancelled it twice already! It's absolutely ridiculous, I'm sick to the back teeth of this!",
    ],
)
def test_anger_without_swearing_reaches_angry(text: str) -> None:
    assert assess_emotion(text).level == EmotionLevel.ANGRY


@pytest.mark.parametrize(
    "text",
    [
        "我妈的号想过户到我名下，她住院了来不了营业厅，咋办？",
        "我收到一条诈骗短信，怎么办？",
        "我孙子上个月给我手机弄了个什么东西。",
        "好的好的，订单号是LC20261109-5630。",
        "那个App我眼睛不好看不懂，你说慢点，我听不清。",
        "还是没解决啊，到底能不能重开？",  # 能不能 asks; it holds no 不能
        "我那个合约还没到期，要是现在不要了，得赔多少钱？",
        "Do you keep charging me if I stop using it?",
    ],
)
def test_calm_lines_with_words_that_look_angry_stay_calm(text: str) -> None:
    assert assess_emotion(text).level <= EmotionLevel.MILD


def test_repeated_contact_reads_as_negative() -> None:
    assert assess_emotion("I've called about my refund four times now.").level >= EmotionLevel.MILD
    assert assess_emotion("这周第三次打电话了").level >= EmotionLevel.MILD


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'll be putting this all over Twitter.", "threat"),
        ("I expect every penny of that covered.", "compensation"),
        ("我要赔偿！", "compensation"),
    ],
)
def test_demands_and_threats_in_plain_words_are_complex(text: str, kind: str) -> None:
    assert kind in assess_complexity(text).kinds


@pytest.mark.parametrize(
    "text",
    [
        "我不是不满意，就是怕耽误事，我不要赔偿。",
        "我不会去工信部投诉的，就是想解决问题",
        "I don't want compensation, just fix it.",
        "我那个合约还没到期，要是现在不要了，得赔多少钱？",  # what the caller would pay
    ],
)
def test_a_negated_demand_or_threat_is_no_reason(text: str) -> None:
    assert not assess_complexity(text).kinds & {"compensation", "threat"}


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Hi there. Quick one. How much credit have I got left?", "How much credit have I got left?"),
        ("Morning! Can you explain my bill?", "Can you explain my bill?"),
        ("喂，你好，我想查话费", "我想查话费"),
        ("Good morning.", "Good morning."),
        ("No, my bill is wrong", "No, my bill is wrong"),
        ("Ah, okay. And how long does delivery take?", "And how long does delivery take?"),
        ("好的，知道了，那退货的运费是谁出？", "那退货的运费是谁出？"),
    ],
)
def test_greetings_and_fillers_before_a_request_are_dropped(text: str, rest: str) -> None:
    assert strip_preamble(text) == rest


@pytest.mark.parametrize(
    ("text", "sarcastic"),
    [
        ("Oh brilliant, thanks a lot. I haven't even used half my data.", True),
        ("谢谢你们啊，一个问题问了三遍都没解决。", True),
        ("Right. I typed it wrong loads of times and now it won't let me in at all.", False),
        ("Thanks, that's all.", False),
        ("Thanks for sorting my bill.", False),
        ("So I've been charged twice again. Thanks a lot.", True),
        ("I haven't even used half my data. Thanks a lot.", True),
    ],
)
def test_praise_in_front_of_a_problem_reads_as_sarcasm(text: str, sarcastic: bool) -> None:
    assert detect_sarcastic_praise(text).found is sarcastic


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("好，我也不会去投诉什么的，那滞纳金是怎么算的？", "那滞纳金是怎么算的"),
        (
            "Was it a human error, or did I really use that much data in France?",
            "or did i really use that much data in france",
        ),
        ("How much is a day pass?", None),
        ("I'm off to Spain next week, and my phone is fine.", None),
        # speech recognition without punctuation: the question starts at its own words
        (
            "um hi yeah so uh I sent some earphones back ages ago and like the refund went on my phone credit "
            "can you check my balance",
            "can you check my balance",
        ),
        ("呃那个我上个月退的耳机钱退到话费里了帮我查一下余额", "帮我查一下余额"),
        ("can you check my balance", None),
        ("uh so can you check my balance", None),
    ],
)
def test_the_question_in_a_line_of_several_clauses_is_found(text: str, asked: str | None) -> None:
    assert asked_clause(text) == asked


@pytest.mark.parametrize(
    ("text", "accepts"),
    [
        ("Brilliant. My travel agent said it would cost a fortune, but that sounds fine.", True),
        ("I thought it was dear, but that sounds fine.", True),
        ("I was charged twice, but fine.", False),
        ("The parcel never arrived, but fine.", False),
        ("It costs 45 a day, that is fine?", False),
    ],
)
def test_a_line_that_ends_by_accepting_the_answer_is_an_acknowledgement(text: str, accepts: bool) -> None:
    assert detect_acknowledgement(text).found is accepts


@pytest.mark.parametrize("text", ["哦哦，那没用完的下个月还能接着用不？", "我这个月流量没用完"])
def test_unused_data_is_not_a_negative_word(text: str) -> None:
    assert assess_emotion(text).level == EmotionLevel.CALM


@pytest.mark.parametrize("text", ["You're not hearing me.", "You've completely missed the point."])
def test_saying_the_bot_missed_the_point_is_dissatisfaction(text: str) -> None:
    assert detect_dissatisfaction(text).found


def test_asking_for_someone_to_look_into_it_asks_for_a_person() -> None:
    assert detect_human_request("I want the money back though, can someone look into it?").found


def test_a_third_call_about_charges_that_keep_coming_is_at_least_upset() -> None:
    line = "This is the third time I'm ringing about the same thing! You keep charging me for a subscription I never asked for!"
    assert assess_emotion(line).level >= EmotionLevel.UPSET
