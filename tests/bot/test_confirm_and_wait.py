"""The bot asks "Is it about ...?" when a match is plausible but not sure, keeps a waiting caller
informed, answers questions after a callback is booked, reads the caller's own figures, and
spares an angry caller the article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot import offers, replies
from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import CallState, Outcome
from agentdesk.config import Settings
from agentdesk.domain.models import Customer, Tier
from agentdesk.domain.transfers import TriggerRule
from agentdesk.nlp.kb import KBIndex

OPEN = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}
NIGHT = {"zh": datetime(2026, 11, 24, 15, 0, tzinfo=UTC), "en": datetime(2026, 11, 24, 22, 0, tzinfo=UTC)}
ROLLOVER = {"zh": "流量结转规则", "en": "Data rollover"}
# A line whose best match is the rollover article, below the answer threshold.
VAGUE = {
    "zh": "这个月流量剩了一大堆，到月底是不是就没了呀？",
    "en": "I've got loads of data left. Do I lose it or does it carry on?",
}


def _call(
    engine: BotEngine, lang: str, *lines: str, at: dict[str, datetime] = OPEN, **start: object
) -> tuple[CallState, list]:  # type: ignore[type-arg]
    customer = Customer(id="C900", name="李娜" if lang == "zh" else "Jane Doe", language=lang, balance=12.0)
    state, _ = engine.start("CALL-C", lang, at[lang], customer=customer, **start)  # type: ignore[arg-type]
    turns = [
        engine.hear(state, line, at[lang] + timedelta(seconds=10 * (i + 1))) for i, line in enumerate(lines)
    ]
    return state, turns


def _vague_is_offered(engine: BotEngine, lang: str) -> None:
    best = engine.kb.search(VAGUE[lang], k=3, threshold=engine.settings.bot.kb_threshold, language=lang).best
    assert best is not None and best.article.title == ROLLOVER[lang]
    assert engine.settings.bot.confirm_threshold <= best.confidence < engine.settings.bot.kb_threshold


@pytest.mark.parametrize(("lang", "yes"), [("zh", "对的。"), ("en", "Yes, please.")])
def test_a_plausible_match_is_offered_back_and_a_yes_answers_it(
    engine: BotEngine, lang: str, yes: str
) -> None:
    _vague_is_offered(engine, lang)
    state, (offer, answered) = _call(engine, lang, VAGUE[lang], yes)
    assert offer.reply is not None and offer.reply.text == replies.confirm_topic(ROLLOVER[lang], lang)
    assert (
        answered.analysis.kb.answer is not None
        and answered.analysis.kb.answer.article.title == ROLLOVER[lang]
    )
    assert answered.reply is not None and answered.reply.text == answered.analysis.kb.answer.article.answer
    assert state.unanswered == 0 and state.dissatisfied == 0 and not state.ledger


@pytest.mark.parametrize(("lang", "no"), [("zh", "不是。"), ("en", "No.")])
def test_a_no_to_the_offer_is_asked_for_more_about_the_topic_and_is_not_dissatisfaction(
    engine: BotEngine, lang: str, no: str
) -> None:
    state, (_, denied) = _call(engine, lang, VAGUE[lang], no)
    # the caller's own words named data: the bot asks about that, not through the list of topics
    assert denied.reply is not None and denied.reply.text == replies.clarify(lang, 0, "data_plans")
    assert state.dissatisfied == 0 and not state.ledger and state.outcome is Outcome.CONTAINED


@pytest.mark.parametrize(
    ("lang", "other"),
    [("zh", "好的，那漫游资费怎么算？"), ("en", "Okay, and how much is roaming in Europe?")],
)
def test_an_okay_that_goes_on_to_another_question_answers_that_question(
    engine: BotEngine, lang: str, other: str
) -> None:
    _, (_, turn) = _call(engine, lang, VAGUE[lang], other)
    answer = turn.analysis.kb.answer
    assert answer is not None and answer.article.title != ROLLOVER[lang]
    assert turn.reply is not None and turn.reply.text == answer.article.answer


def test_the_offer_can_be_turned_off_in_config(demo_kb: KBIndex) -> None:
    quiet = BotEngine(demo_kb, Settings(bot={"confirm_threshold": 0.45}))  # type: ignore[arg-type]
    _, [turn] = _call(quiet, "en", VAGUE["en"])
    assert turn.reply is not None and turn.reply.text == replies.clarify("en", 0, "data_plans")


@pytest.mark.parametrize(
    ("lang", "ask", "wait_line", "leave"),
    [
        ("zh", "给我转人工。", "要等多久啊？前面多少人？", "算了，我不等了，晚点再打吧，拜拜。"),
        (
            "en",
            "Put me through to a person, please.",
            "How long is the wait?",
            "Forget it, I'll ring back later. Bye.",
        ),
    ],
)
def test_a_waiting_caller_hears_the_queue_and_is_let_go_politely(
    engine: BotEngine, lang: str, ask: str, wait_line: str, leave: str
) -> None:
    # a short queue: at peak a caller who goes is booked a callback (tests/bot/test_waiting.py)
    state, (_, waiting, leaving) = _call(engine, lang, ask, wait_line, leave, context={"queue_waiting": 4})
    assert waiting.reply is not None and waiting.reply.text == replies.say("queue_position", lang, n=4)
    assert leaving.reply is not None and leaving.reply.text == replies.say("wait_goodbye", lang)
    assert state.closed and state.outcome is Outcome.TRANSFERRED


@pytest.mark.parametrize(
    ("lang", "done"), [("zh", "好的，没别的了，谢谢。"), ("en", "That's all, thanks very much.")]
)
def test_a_waiting_caller_who_is_done_is_let_go(engine: BotEngine, lang: str, done: str) -> None:
    ask = "给我转人工。" if lang == "zh" else "Agent, please."
    state, (_, turn) = _call(engine, lang, ask, done)
    assert turn.reply is not None and turn.reply.text == replies.say("wait_goodbye", lang)
    assert state.closed


@pytest.mark.parametrize(("lang", "thanks"), [("zh", "好的，谢谢你。"), ("en", "Okay, thanks.")])
def test_thanks_while_waiting_in_a_busy_queue_promise_no_instant_adviser(
    engine: BotEngine, lang: str, thanks: str
) -> None:
    state, (_, turn) = _call(
        engine,
        lang,
        "给我转人工。" if lang == "zh" else "Agent, please.",
        thanks,
        context={"queue_waiting": 40},
    )
    expected = replies.join(lang, replies.say("welcome", lang), replies.say("adviser_busy", lang))
    assert turn.reply is not None and turn.reply.text == expected
    assert not state.closed


@pytest.mark.parametrize(
    ("lang", "question"),
    [("zh", "那剩下没用完的流量能转到下个月不？"), ("en", "Can my unused data roll over to next month?")],
)
def test_after_a_callback_is_booked_a_question_the_kb_answers_is_answered(
    engine: BotEngine, lang: str, question: str
) -> None:
    ask = "给我转人工，是账单的事。" if lang == "zh" else "Put me through to a person about my bill, please."
    state, (booked, turn) = _call(engine, lang, ask, question, at=NIGHT)
    assert booked.decided is Outcome.CALLBACK
    assert turn.analysis.kb.answer is not None
    assert turn.reply is not None and turn.reply.text == turn.analysis.kb.answer.article.answer
    assert state.outcome is Outcome.CALLBACK and not state.closed


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "你们怎么回事！我昨天刚交的钱，今天又给我停机了！气死我了！"),
        ("en", "My phone's been cut off! I paid the bill on Friday! This is absolutely ridiculous!"),
    ],
)
def test_an_angry_caller_hears_empathy_and_the_transfer_not_an_article(
    engine: BotEngine, lang: str, line: str
) -> None:
    state, [turn] = _call(engine, lang, line)
    assert TriggerRule.STRONG_EMOTION in state.rules
    expected = replies.transfer_line(state.rules, Tier.STANDARD, lang, busy=False)
    assert turn.reply is not None and turn.reply.text == expected


@pytest.mark.parametrize(
    ("lang", "line", "figure"),
    [
        ("zh", "帮我查一下话费余额", "您当前账户余额12元。"),
        ("en", "Can you check my balance?", "Your balance is ¥12.00."),
    ],
)
def test_the_balance_article_starts_with_the_callers_own_balance_and_adds_one_sentence_of_it(
    engine: BotEngine, lang: str, line: str, figure: str
) -> None:
    _, [turn] = _call(engine, lang, line)
    answer = turn.analysis.kb.answer
    assert answer is not None and answer.article.lookup == "balance"
    assert turn.reply is not None and turn.reply.text.startswith(figure)
    # the figure answers it: of the article only the sentence that speaks to the question follows
    rest = turn.reply.text.removeprefix(figure).strip()
    assert rest and rest in answer.article.answer and len(rest) < len(answer.article.answer)


def test_a_follow_up_on_the_article_just_read_needs_only_the_offer_bar(engine: BotEngine) -> None:
    state, (first, follow) = _call(
        engine,
        "en",
        "I tried my PIN so many times and now it is saying locked. How do I reset it?",
        "Okay. For resetting it, what all details will they ask me?",
    )
    pin = first.analysis.kb.answer
    assert pin is not None and follow.analysis.kb.best is not None
    assert follow.analysis.kb.best.article.id == pin.article.id
    assert engine.settings.bot.confirm_threshold <= follow.analysis.kb.best.confidence < 0.30
    assert follow.analysis.kb.answer is not None and state.unanswered == 0
    assert follow.reply is not None and follow.reply.text == engine.kb.answer_part(
        pin.article, follow.heard.text
    )


def test_a_caller_who_goes_on_about_the_offered_topic_without_a_yes_gets_its_answer(
    engine: BotEngine,
) -> None:
    state, (offer, follow) = _call(
        engine,
        "en",
        "My bill came out of my card on the 12th, no sorry, the 10th. Is it always that day, and can I switch it?",
        "And if there's not enough money on it that day, what happens then?",
    )
    assert offer.reply is not None and offer.reply.text == replies.confirm_topic("Autopay by bank card", "en")
    assert (
        follow.analysis.kb.answer is not None
        and follow.analysis.kb.answer.article.title == "Autopay by bank card"
    )
    assert follow.reply is not None and "try again on the 13th" in follow.reply.text
    assert state.unanswered == 0 and not state.decided


@pytest.mark.parametrize(
    ("line", "follows_up"),
    [
        ("And if there's not enough money on it that day, what happens then?", True),
        ("No, not that. What happens if there's not enough money on the card?", False),
        ("Yes. And what happens if the payment fails?", False),  # a yes answers the offer itself
    ],
)
def test_only_a_line_without_a_yes_or_no_follows_up_on_the_offered_topic(
    engine: BotEngine, line: str, follows_up: bool
) -> None:
    offered = engine.kb.search("autopay", language="en").best
    assert offered is not None
    heard = offers.heard_with_offer(["en-billing-001"], offered, line)
    assert heard == (["en-billing-001", offered.article.id] if follows_up else ["en-billing-001"])
