"""The bot engine on single conversations, in Chinese and English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import CallState, Outcome
from agentdesk.domain.models import BotMode, Customer, Speaker, TicketType, Tier
from agentdesk.domain.transfers import TriggerRule

# A Tuesday, mid-morning in both Shanghai and London.
OPEN = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)  # 10:30 Shanghai
OPEN_LONDON = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
NIGHT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 23:00 Shanghai
NIGHT_LONDON = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)


def _call(
    engine: BotEngine, lang: str, *, tier: Tier = Tier.STANDARD, at: datetime | None = None
) -> CallState:
    customer = Customer(id="C900", name="李娜" if lang == "zh" else "Jane Doe", tier=tier, language=lang)
    at = at or (OPEN if lang == "zh" else OPEN_LONDON)
    state, greeting = engine.start("CALL-T", lang, at, customer=customer)
    assert greeting.speaker == Speaker.BOT and customer.name.split()[0] in greeting.text
    return state


def _say(engine: BotEngine, state: CallState, *lines: str):  # type: ignore[no-untyped-def]
    turns = []
    for i, line in enumerate(lines):
        at = state.started_at + timedelta(seconds=10 * (i + 1))
        turns.append(engine.hear(state, line, at))
    return turns


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "我这个月流量还剩很多，能不能转到下个月继续用？"),
        ("en", "Can my unused data roll over to next month?"),
    ],
)
def test_bot_answers_a_routine_question_from_the_kb_and_keeps_the_call(
    engine: BotEngine, lang: str, line: str
) -> None:
    state = _call(engine, lang)
    [turn] = _say(engine, state, line)
    assert turn.analysis.kb.answer is not None
    assert turn.reply is not None and turn.reply.text == turn.analysis.kb.answer.article.answer
    assert state.outcome is Outcome.CONTAINED and not state.ledger


@pytest.mark.parametrize(
    ("lang", "line"), [("zh", "别说了，给我转人工！"), ("en", "Just put me through to a human, please.")]
)
def test_asking_for_a_person_transfers_at_once_with_the_line_as_evidence(
    engine: BotEngine, lang: str, line: str
) -> None:
    state = _call(engine, lang)
    [turn] = _say(engine, state, line)
    assert turn.decided is Outcome.TRANSFERRED
    [entry] = turn.entries
    assert (entry.rule, entry.evidence, entry.turn) == (TriggerRule.ASKED_FOR_HUMAN, line, 1)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("zh", "不用转人工，我自己看看就行。"), ("en", "No need for an agent, I'll check the app.")],
)
def test_declining_a_person_is_not_a_request_for_one(engine: BotEngine, lang: str, line: str) -> None:
    state = _call(engine, lang)
    _say(engine, state, line)
    assert TriggerRule.ASKED_FOR_HUMAN not in state.rules


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "zh",
            ["我的宽带最近老是掉线怎么办？", "没用，你说的我都试过了。", "不是这个意思。", "还是没解决啊。"],
        ),
        (
            "en",
            [
                "My broadband keeps dropping out, what can I do?",
                "That doesn't help.",
                "That's not what I asked.",
                "That still doesn't solve it.",
            ],
        ),
    ],
)
def test_third_dissatisfaction_transfers(engine: BotEngine, lang: str, lines: list[str]) -> None:
    state = _call(engine, lang)
    turns = _say(engine, state, *lines)
    assert state.dissatisfied == 3
    assert TriggerRule.REPEATED_DISSATISFACTION in {e.rule for e in turns[-1].entries}
    assert state.outcome is Outcome.TRANSFERRED


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("zh", ["我交了钱还是停机了，太过分了！", "你们必须赔偿我的损失，不然我就去工信部投诉！"]),
        (
            "en",
            [
                "I paid and you still cut me off! This is outrageous!",
                "You will compensate me or I'm going to the regulator and the press!",
            ],
        ),
    ],
)
def test_angry_complaint_with_a_threat_goes_to_a_human_with_priority(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state = _call(engine, lang)
    _say(engine, state, *lines)
    assert {TriggerRule.STRONG_EMOTION, TriggerRule.COMPLEX_COMPLAINT} <= state.rules
    assert state.outcome is Outcome.TRANSFERRED
    packet = engine.packet(state)
    assert packet.emotion_level == 3 and packet.complexity >= 2
    assert lines[-1] in packet.key_sentences


@pytest.mark.parametrize(
    ("lang", "at", "line", "promise"),
    [
        ("zh", NIGHT, "我要人工客服，帮我查一下为什么多扣了钱。", "明天"),
        ("en", NIGHT_LONDON, "I want to speak to a person about a double charge.", "tomorrow"),
    ],
)
def test_off_hours_request_for_a_person_becomes_a_callback_ticket_with_a_promise(
    engine: BotEngine, lang: str, at: datetime, line: str, promise: str
) -> None:
    state = _call(engine, lang, at=at)
    [turn] = _say(engine, state, line)
    assert turn.decided is Outcome.CALLBACK
    assert turn.ticket is not None and turn.ticket.type == TicketType.CALLBACK
    assert turn.ticket.promise and turn.ticket.sla_due and turn.ticket.sla_due > at
    assert promise in turn.reply.text


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("zh", ["我想投诉一下，我家里的信号很差。", "在朝阳区望京，主要是晚上在室内。"]),
        (
            "en",
            [
                "I'd like to make a complaint, the signal at home is poor.",
                "It's at 12 Mill Lane, mostly in the evenings.",
            ],
        ),
    ],
)
def test_calm_simple_complaint_is_logged_with_the_standard_remedy_without_a_transfer(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state = _call(engine, lang)
    first, second = _say(engine, state, *lines)
    assert first.ticket is None and state.awaiting_facts is False  # asked for the facts, then filed
    assert second.ticket is not None and second.ticket.type == TicketType.COMPLAINT
    assert second.ticket.id in second.reply.text
    assert state.outcome is Outcome.CONTAINED and not state.ledger


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "我要办理过户，把号码转到我女儿名下。"),
        ("en", "I want to transfer my number into my daughter's name."),
    ],
)
def test_procedure_the_bot_cannot_do_is_answered_then_transferred(
    engine: BotEngine, lang: str, line: str
) -> None:
    state = _call(engine, lang)
    [turn] = _say(engine, state, line)
    answer = turn.analysis.kb.answer
    assert answer is not None and answer.article.procedure
    assert turn.reply.text.startswith(answer.article.answer[:10])
    assert TriggerRule.NO_ANSWER in state.rules and turn.decided is Outcome.TRANSFERRED


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("zh", ["我想问一下那个东西。", "就是那个，你懂的。"]),
        ("en", ["I have a question about the thing.", "You know, that thing."]),
    ],
)
def test_two_unanswerable_lines_transfer_as_no_answer(engine: BotEngine, lang: str, lines: list[str]) -> None:
    state = _call(engine, lang)
    first, second = _say(engine, state, *lines)
    assert first.decided is None and "?" in first.reply.text.replace("？", "?")  # a clarifying question first
    assert TriggerRule.NO_ANSWER in {e.rule for e in second.entries}


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("zh", ["我全家下个月出国，想把三个号码并到我名下，另外还要开国际漫游。"]),
        (
            "en",
            [
                "I'm moving three family lines onto my account, and I also need roaming switched on for all of them."
            ],
        ),
    ],
)
def test_vip_with_a_complex_request_is_a_high_value_transfer(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state = _call(engine, lang, tier=Tier.VIP)
    _say(engine, state, *lines)
    assert TriggerRule.HIGH_VALUE in state.rules and state.outcome is Outcome.TRANSFERRED


def test_same_request_from_a_standard_customer_is_not_high_value(engine: BotEngine) -> None:
    state = _call(engine, "en")
    _say(
        engine,
        state,
        "I'm moving three family lines onto my account, and I also need roaming switched on for all of them.",
    )
    assert TriggerRule.HIGH_VALUE not in state.rules


def test_after_a_transfer_the_bot_keeps_collecting_and_the_ledger_keeps_growing(engine: BotEngine) -> None:
    state = _call(engine, "zh")
    _say(engine, state, "转人工", "我要投诉你们乱扣费，必须赔偿，不然我去工信部！")
    assert state.outcome is Outcome.TRANSFERRED
    assert {TriggerRule.ASKED_FOR_HUMAN, TriggerRule.COMPLEX_COMPLAINT} <= state.rules
    assert state.utterances[-1].speaker == Speaker.BOT and "坐席" in state.utterances[-1].text


def test_end_politely_mode_closes_the_call(engine: BotEngine) -> None:
    state = _call(engine, "en")
    engine.set_mode(state, BotMode.END_POLITELY)
    [turn] = _say(engine, state, "Hello?")
    assert state.closed and "Goodbye" in turn.reply.text


def test_packet_masks_numbers_and_names_what_the_bot_answered(engine: BotEngine) -> None:
    state = _call(engine, "zh")
    _say(
        engine,
        state,
        "我这个月流量还剩很多，能转到下个月吗？",
        "我的号码是13812345678，订单LC20261101-8812，多扣了129元，转人工。",
    )
    packet = engine.packet(state)
    assert packet.details["phone"] == "138****5678"
    assert packet.details["order_id"] == "LC20261101-8812" and packet.details["amount"] == "¥129"
    assert "13812345678" not in packet.summary
    assert packet.bot_answers and all(not a.startswith("zh-") for a in packet.bot_answers)
    assert packet.customer_name == "李娜" and packet.transcript[0].speaker == Speaker.BOT
    assert packet.intent and packet.request_type != "general"


@pytest.mark.parametrize(
    ("lang", "thanks"), [("zh", "對，人工服務，謝謝。"), ("en", "Yes, a person please. Thanks.")]
)
def test_the_bot_never_says_goodbye_to_a_caller_waiting_for_an_adviser(
    engine: BotEngine, lang: str, thanks: str
) -> None:
    state = _call(engine, lang)
    _say(engine, state, "转人工" if lang == "zh" else "I want to speak to a person.")
    [turn] = _say(engine, state, thanks)
    assert state.outcome is Outcome.TRANSFERRED and not state.closed
    assert "再见" not in turn.reply.text and "Goodbye" not in turn.reply.text


@pytest.mark.parametrize(("lang", "at"), [("zh", NIGHT), ("en", NIGHT_LONDON)])
def test_off_hours_the_bot_promises_the_callback_not_an_adviser_now(
    engine: BotEngine, lang: str, at: datetime
) -> None:
    state = _call(engine, lang, at=at)
    _say(engine, state, "转人工" if lang == "zh" else "I want to speak to a person.")
    [turn] = _say(
        engine, state, "下午打给我可以吗？" if lang == "zh" else "Can you ring me in the afternoon?"
    )
    assert state.outcome is Outcome.CALLBACK
    assert "马上" not in turn.reply.text and "shortly" not in turn.reply.text
    assert "回电" in turn.reply.text or "callback" in turn.reply.text


def test_a_question_the_bot_missed_is_announced_as_such_not_as_a_specialist_procedure(
    engine: BotEngine,
) -> None:
    state = _call(engine, "en")
    _, second = _say(engine, state, "I have a question about the thing.", "You know, that thing.")
    assert second.decided is Outcome.TRANSFERRED
    assert "can't answer that myself" in second.reply.text


def test_an_english_caller_gets_the_english_article_when_they_use_a_chinese_word(engine: BotEngine) -> None:
    state = _call(engine, "en")
    [turn] = _say(engine, state, "Can I pay my bill with 支付宝 or 微信?")
    answer = turn.analysis.kb.answer
    assert answer is None or answer.article.language == "en"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in turn.reply.text)


def test_a_greeting_before_the_question_does_not_stop_the_answer(engine: BotEngine) -> None:
    plain = _say(engine, _call(engine, "en"), "How much credit have I got left?")[0].analysis.kb
    greeted = _say(engine, _call(engine, "en"), "Quick one. How much credit have I got left?")[0].analysis.kb
    assert plain.answer is not None and greeted.answer is not None
    assert greeted.answer.article.id == plain.answer.article.id


def test_the_contact_reason_skips_the_greeting(engine: BotEngine) -> None:
    state = _call(engine, "en")
    _say(
        engine,
        state,
        "Good morning. Quick one. I was charged twice for my bill.",
        "Put me through to a person.",
    )
    assert engine.packet(state).intent.startswith("I was charged twice")


def test_a_request_for_a_person_does_not_decide_what_the_call_is_about(engine: BotEngine) -> None:
    state = _call(engine, "zh")
    _say(
        engine,
        state,
        "我上个月去台湾，回来账单多了三百多块漫游费。",
        "你叫你们客服来跟我说吧。",
        "对，人工服务，谢谢。",
    )
    assert engine.packet(state).request_type == "billing"


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "en",
            [
                "Why is my bill higher than my plan price?",
                "That's not really what I'm after. I know how a bill works.",
            ],
        ),
        ("zh", ["我的账单为什么比套餐价高？", "你说的不是我要的，我知道账单怎么看。"]),
    ],
)
def test_a_reaction_to_the_answer_gets_one_apology_and_a_question_not_a_stray_article(
    engine: BotEngine, lang: str, lines: list[str]
) -> None:
    state = _call(engine, lang)
    _, reaction = _say(engine, state, *lines)
    assert reaction.analysis.dissatisfied.found and reaction.analysis.kb.answer is None
    assert reaction.reply.text.count("Sorry") + reaction.reply.text.count("抱歉") == 1
    assert state.outcome is Outcome.CONTAINED


def test_sarcastic_thanks_counts_as_dissatisfaction_not_a_goodbye(engine: BotEngine) -> None:
    state = _call(engine, "en")
    _say(engine, state, "Can my unused data roll over to next month?")
    [turn] = _say(engine, state, "Oh brilliant, thanks a lot. I haven't even used half my data.")
    assert turn.analysis.dissatisfied.found and not state.closed
    assert state.dissatisfied == 1


@pytest.mark.parametrize(
    ("lang", "line", "article"),
    [
        ("zh", "好，我也不会去投诉什么的，那滞纳金是怎么算的？", "zh-billing-006"),
        ("en", "Was it a human error, or did I really use that much data in France?", "en-billing-007"),
    ],
)
def test_a_question_after_other_clauses_is_answered_as_if_asked_alone(
    engine: BotEngine, lang: str, line: str, article: str
) -> None:
    [turn] = _say(engine, _call(engine, lang), line)
    answer = turn.analysis.kb.answer
    assert answer is not None and answer.article.id == article


def test_a_bare_question_clause_does_not_pick_an_article_the_whole_line_does_not_point_to(
    engine: BotEngine,
) -> None:
    [turn] = _say(
        engine, _call(engine, "en"), "My mobile data has been crawling for three days. What's going on?"
    )
    answer = turn.analysis.kb.answer
    assert answer is None or answer.article.category != "complaint_policy"


def test_a_step_the_caller_tried_without_success_after_an_answer_counts_towards_three_dissatisfactions(
    engine: BotEngine,
) -> None:
    state = _call(engine, "en")
    turns = _say(
        engine,
        state,
        "Why is my bill higher than my plan price this month?",
        "That's not really what I'm after. I know how a bill works.",
        "You've lost me there. There's a charge on it I don't recognise.",
        "I've looked in Subscriptions already. There's nothing there.",
    )
    assert state.dissatisfied == 3
    assert TriggerRule.REPEATED_DISSATISFACTION in {e.rule for e in turns[-1].entries}


def test_a_follow_up_on_an_answer_already_given_gets_the_part_that_answers_it(engine: BotEngine) -> None:
    state = _call(engine, "zh")
    first, follow_up = _say(engine, state, "停机了交完钱多久能恢复？", "那滞纳金是怎么算的？")
    article = first.analysis.kb.answer.article
    assert follow_up.analysis.kb.answer.article.id == article.id
    assert "滞纳金" in follow_up.reply.text and len(follow_up.reply.text) < len(article.answer)


def test_the_callers_first_line_is_the_problem_not_dissatisfaction_with_the_bot(engine: BotEngine) -> None:
    state = _call(engine, "zh")
    [turn] = _say(engine, state, "香港漫遊扣了八百多，這不對吧？")
    assert state.dissatisfied == 0
    assert "抱歉刚才" not in turn.reply.text


def test_a_follow_up_about_the_answer_just_given_is_answered_from_it_at_a_lower_bar(
    engine: BotEngine,
) -> None:
    state = _call(engine, "zh")
    first, follow_up = _say(
        engine,
        state,
        "我想開一下上個月的電子發票，公司報銷要用。",
        "抬頭要寫公司名稱的，可以嗎？還要填稅號吧？",
    )
    answer = follow_up.analysis.kb.answer
    assert first.analysis.kb.answer is not None and answer is not None
    assert answer.article.id == first.analysis.kb.answer.article.id
    assert "纳税人识别号" in follow_up.reply.text and len(follow_up.reply.text) < len(answer.article.answer)


def test_misses_count_in_a_row_so_an_answer_in_between_gives_the_next_question_a_chance(
    engine: BotEngine,
) -> None:
    state = _call(engine, "en")
    turns = _say(
        engine,
        state,
        "Can my unused data roll over to next month?",
        "What colour is the sky on Mars?",
        "How can I pay my bill?",
        "Who won the football last night?",
    )
    assert turns[1].analysis.kb.answer is None and turns[3].analysis.kb.answer is None
    assert state.outcome is Outcome.CONTAINED and not state.ledger


def test_while_waiting_for_an_adviser_a_question_the_kb_answers_is_answered(engine: BotEngine) -> None:
    state = _call(engine, "zh")
    asked, waiting = _say(engine, state, "转人工", "我这个月流量还剩很多，能不能转到下个月继续用？")
    assert state.outcome is Outcome.TRANSFERRED and asked.decided
    answer = waiting.analysis.kb.answer
    assert answer is not None and waiting.reply.text.startswith(answer.article.answer)
    assert waiting.reply.text.endswith("坐席马上为您服务，请稍候。") and not state.closed


def test_while_waiting_a_line_the_bot_cannot_answer_is_only_noted(engine: BotEngine) -> None:
    state = _call(engine, "en")
    _, waiting = _say(engine, state, "Put me through to a human, please.", "Who won the football last night?")
    assert waiting.reply.text == "Thank you, I've noted that. An adviser will be with you shortly."


@pytest.mark.parametrize(
    ("lang", "question", "follow_up", "expected"),
    [
        (
            "en",
            "I'm popping over to Spain next week, what'll it cost me to use my mobile out there?",
            "Right. And does that cover ringing home as well, or is that extra?",
            "1.99 a minute",
        ),
        ("zh", "下个月去日本，在那边用手机怎么收费？", "那打电话回来也要另外收钱吗？", "1.99元/分钟"),
    ],
)
def test_a_follow_up_pointing_back_at_the_answer_is_read_from_it_even_when_the_kb_ranks_it_low(
    engine: BotEngine, lang: str, question: str, follow_up: str, expected: str
) -> None:
    state = _call(engine, lang)
    first, second = _say(engine, state, question, follow_up)
    article = first.analysis.kb.answer.article
    assert second.analysis.kb.answer is not None and second.analysis.kb.answer.article.id == article.id
    assert expected in second.reply.text and len(second.reply.text) < len(article.answer)
    assert state.unanswered == 0


def test_a_line_pointing_back_that_shares_nothing_with_the_answer_is_still_a_miss(engine: BotEngine) -> None:
    state = _call(engine, "en")
    first, second = _say(
        engine,
        state,
        "I'm popping over to Spain next week, what'll it cost me to use my mobile out there?",
        "Is that the same for my goldfish?",
    )
    assert first.analysis.kb.answer is not None
    assert second.analysis.kb.answer is None and state.unanswered == 1


def test_a_new_question_the_kb_answers_is_not_taken_for_a_follow_up_on_the_last_answer(
    engine: BotEngine,
) -> None:
    state = _call(engine, "en")
    first, second = _say(
        engine,
        state,
        "I'm popping over to Spain next week, what'll it cost me to use my mobile out there?",
        "And what about my PIN, it's locked after three wrong tries?",
    )
    assert second.analysis.kb.answer is not None
    assert second.analysis.kb.answer.article.id != first.analysis.kb.answer.article.id


def test_lines_said_while_waiting_for_an_adviser_are_not_logged_as_unanswered(engine: BotEngine) -> None:
    state = _call(engine, "en")
    turns = _say(
        engine,
        state,
        "Can I speak to a real person please?",
        "What colour is the sky on Mars?",
        "I've been on hold forever, is the moon made of cheese?",
    )
    assert turns[0].decided is not None
    assert TriggerRule.NO_ANSWER not in {e.rule for e in state.ledger}


@pytest.mark.parametrize(
    ("lang", "line", "first", "second"),
    [
        ("zh", "我想问下这个月没用完的流量下个月还能用不，还有买那个流量包咋买？", "结转", "加油包可在App"),
        (
            "en",
            "Will my unused data carry over to next month? And also, how do I buy a data add-on?",
            "rolls over",
            "add-on",
        ),
    ],
)
def test_a_second_question_joined_to_the_first_is_answered_too(
    engine: BotEngine, lang: str, line: str, first: str, second: str
) -> None:
    state = _call(engine, lang)
    [turn] = _say(engine, state, line)
    assert turn.analysis.also is not None and turn.analysis.also.answer is not None
    assert turn.analysis.also.answer.article.id != turn.analysis.kb.answer.article.id
    assert first in turn.reply.text and second in turn.reply.text
    assert turn.reply.text.index(first) < turn.reply.text.index(second)
    assert {turn.analysis.kb.answer.article.id, turn.analysis.also.answer.article.id} <= set(state.answered)


def test_a_last_clause_that_depends_on_the_first_is_not_a_second_question(engine: BotEngine) -> None:
    state = _call(engine, "en")
    _say(engine, state, "I tried my PIN so many times and now it is saying locked. How do I reset it?")
    [follow] = _say(engine, state, "Okay. For resetting it, what all details will they ask me?")
    assert follow.analysis.also is None


@pytest.mark.parametrize(
    ("lang", "line", "leak"),
    [
        ("en", "You took two payments of forty from card 4929 1234 5678 3525, get me a person now", "4929"),
        ("zh", "我银行卡6222 0212 3456 7890 123被扣了两次，身份证号11010519880312123X，转人工", "19880312"),
    ],
)
def test_the_packets_one_line_request_masks_a_number_before_cutting_it_short(
    engine: BotEngine, lang: str, line: str, leak: str
) -> None:
    state = _call(engine, lang)
    _say(engine, state, line)
    packet = engine.packet(state)
    assert packet.intent and leak not in packet.intent.replace(" ", "")
