"""The identity check the bot runs for an agent: it asks what only the account holder knows,
gives one more try, and reports the calling number as a second factor, in zh and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.bot.identity import said_tail, start_check
from agentdesk.bot.tasks import TaskResult, answer_task, run_task
from agentdesk.calls.library import load_script
from agentdesk.calls.replay import Replayer
from agentdesk.domain.models import Contact, Customer
from agentdesk.store.sqlite import SqliteStore

ID_NUMBER = "110105198503124806"
PHONE = "13812345678"


@pytest.fixture
def store() -> SqliteStore:
    return SqliteStore(":memory:", actor="test")


def holder(**fields: object) -> Customer:
    data: dict[str, object] = {
        "id": "C1",
        "name": "林芳",
        "contacts": [Contact(kind="phone", value=PHONE)],
        "id_number": ID_NUMBER,
        "card_last4": "9182",
        "account_no": "LC-164731",
        **fields,
    }
    return Customer(**data)  # type: ignore[arg-type]


def check(
    customer: Customer, lang: str, store: SqliteStore, *answers: str, caller: str | None = PHONE
) -> list[TaskResult]:
    """The bot's question, then its reply to each answer, in order."""
    results = [run_task("identity_check", customer, lang, store, caller=caller)]
    for said in answers:
        results.append(answer_task(results[-1], said, lang))
    return results


def shows_no_full_number(results: list[TaskResult], *numbers: str) -> bool:
    return not any(n in r.text for r in results for n in (ID_NUMBER, PHONE, *numbers))


@pytest.mark.parametrize(
    ("lang", "said", "asked"),
    [
        ("zh", "嗯，是4806吧", "身份证号码的后四位"),
        ("zh", "四八零六", "身份证号码的后四位"),
        ("zh", "是四八幺六？不对，四八零六", "身份证号码的后四位"),
        ("en", "it's 4 8 0 6", "last four digits of your ID number"),
        ("en", "four eight oh six", "last four digits of your ID number"),
    ],
)
def test_the_right_last_four_of_the_id_number_passes_the_check(
    store: SqliteStore, lang: str, said: str, asked: str
) -> None:
    question, result = check(holder(), lang, store, said)
    assert question.awaiting_answer and not question.ok and asked in question.text
    assert result.ok and not result.awaiting_answer and result.data["verified"] is True
    assert shows_no_full_number([question, result])


@pytest.mark.parametrize(
    ("lang", "again", "passed"),
    [
        (
            "zh",
            "和我们登记的不一致，麻烦您再说一遍。",
            "身份核验通过：客户答对了身份证号码后四位，来电号码138****5678与账户登记一致。",
        ),
        ("en", "That doesn't match; could you say it again?", "Identity check passed"),
    ],
)
def test_a_wrong_answer_is_asked_again_and_the_right_one_then_passes(
    store: SqliteStore, lang: str, again: str, passed: str
) -> None:
    _, retry, result = check(holder(), lang, store, "4807", "4806")
    assert retry.awaiting_answer and retry.text == again
    assert result.ok and result.note.startswith(passed)
    assert result.text == ("谢谢，已核实您的身份。" if lang == "zh" else "Thank you, that's confirmed.")


@pytest.mark.parametrize(("lang", "failed"), [("zh", "身份核验未通过"), ("en", "Identity check failed")])
def test_two_wrong_answers_fail_the_check_and_ask_for_manual_verification(
    store: SqliteStore, lang: str, failed: str
) -> None:
    results = check(holder(), lang, store, "1234", "double five one two")
    result = results[-1]
    assert not result.ok and not result.awaiting_answer and result.data["verified"] is False
    assert failed in result.note and ("请人工核实" in result.note or "please verify manually" in result.note)
    assert failed not in result.text, "the caller hears an apology, not the agent's note"
    assert shows_no_full_number(results, "4806") and "4806" not in result.note


@pytest.mark.parametrize(("lang", "said"), [("zh", "不记得了"), ("en", "I don't remember")])
def test_an_answer_without_four_digits_is_asked_once_more_then_fails_politely(
    store: SqliteStore, lang: str, said: str
) -> None:
    _, again, result = check(holder(), lang, store, said, said)
    assert again.awaiting_answer and ("后四位" in again.text or "last four digits" in again.text)
    assert not result.ok and not result.awaiting_answer
    assert result.text.startswith("抱歉" if lang == "zh" else "Sorry")


def test_a_customer_without_an_id_number_is_asked_for_the_card_last_four(store: SqliteStore) -> None:
    question, result = check(holder(id_number=None), "en", store, "nine one eight two")
    assert "card" in question.text and result.ok
    assert start_check(holder(id_number=None, card_last4=None), PHONE).factor == "account"


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "尾号是123X"), ("zh", "幺二三叉"), ("en", "one two three X")]
)
def test_an_id_number_ending_in_x_is_answered_with_the_x(store: SqliteStore, lang: str, said: str) -> None:
    _, result = check(holder(id_number="11010519850312123X"), lang, store, said)
    assert result.ok and "123X" not in result.text


@pytest.mark.parametrize(
    ("caller", "zh", "en"),
    [
        (PHONE, "来电号码138****5678与账户登记一致", "the calling number 138****5678 is on the account"),
        ("13900000000", "来电号码与账户登记不一致", "the calling number is not on the account"),
    ],
)
def test_the_result_says_whether_the_calling_number_matched_too(
    store: SqliteStore, caller: str, zh: str, en: str
) -> None:
    assert zh in check(holder(), "zh", store, "4806", caller=caller)[-1].note
    result = check(holder(), "en", store, "4806", caller=caller)[-1]
    assert result.ok and en in result.note  # the knowledge answer decides; the number is reported


def test_a_customer_with_nothing_to_ask_about_is_left_to_the_agent_to_verify(
    store: SqliteStore,
) -> None:
    bare = holder(id_number=None, card_last4=None, account_no=None)
    [result] = check(bare, "en", store)
    assert not result.ok and not result.awaiting_answer
    assert "only the calling number was checked" in result.note and "please verify manually" in result.note
    [result] = check(bare, "zh", store, caller="13900000000")
    assert not result.ok and "仅核对了来电号码" in result.note and "请人工核实" in result.note


@pytest.mark.parametrize(
    ("said", "tail"),
    [
        ("嗯，是4806吧", "4806"),
        ("幺两三四", "1234"),
        ("double five one two", "5512"),
        ("my ID ends in 4, 7, 7, 8", "4778"),
        ("it's 4806, not 4 8 0 9... no, 4806", "4806"),
        ("我说一下，是四七七八", "4778"),
        ("P94753634", "3634"),  # a passport number said whole counts by its end
        ("不记得了", None),
        ("four eight", None),
        # a year said beside it is no answer
        ("尾号4806，2019年开的户", "4806"),
        ("it's 4806, I've had the account since 2019", "4806"),
    ],
)
def test_the_digits_a_caller_says_are_read_however_they_are_said(said: str, tail: str | None) -> None:
    assert said_tail(said) == tail


QA_CALLS = Path(__file__).parent / "qa_calls"


def test_a_replayed_check_expected_to_fail_is_a_mismatch_when_the_caller_passes(replayer: Replayer) -> None:
    script = load_script(QA_CALLS / "en-122-identity-fails-twice.yaml")
    assert replayer.run(script).mismatches() == []
    turns = [
        t.model_copy(update={"text": "it's six two seven two"}) if i == 7 else t
        for i, t in enumerate(script.turns)
    ]
    passed = replayer.run(script.model_copy(update={"turns": turns}))
    assert passed.hand_back is not None and passed.hand_back.ok
    assert passed.mismatches() == ["hand-back identity_check succeeded, expected it to fail"]


def test_a_replayed_check_the_agent_talks_over_is_judged_unanswered(replayer: Replayer) -> None:
    script = load_script(QA_CALLS / "en-75-real-person-identity-handback.yaml")
    asked = next(i for i, t in enumerate(script.turns) if t.task)
    turns = [t for i, t in enumerate(script.turns) if i not in (asked + 2, asked + 3)]  # no answer, no result
    result = replayer.run(script.model_copy(update={"turns": turns}))
    assert result.hand_back is not None and result.hand_back.awaiting_answer
    assert result.mismatches() == ["hand-back identity_check was still waiting for the caller's answer"]


def test_a_replayed_check_expected_to_fail_is_a_mismatch_when_the_caller_never_answers(
    replayer: Replayer,
) -> None:
    script = load_script(QA_CALLS / "en-122-identity-fails-twice.yaml")
    asked = next(i for i, t in enumerate(script.turns) if t.task)
    turns = script.turns[: asked + 2]  # the hand-back and the bot's question, then nothing
    result = replayer.run(script.model_copy(update={"turns": turns}))
    assert result.mismatches() == ["hand-back identity_check was still waiting for the caller's answer"]


def test_a_debug_print_of_a_check_in_progress_shows_no_expected_digits(store: SqliteStore) -> None:
    [asked] = check(holder(), "en", store)
    assert "4806" not in repr(asked)


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("zh", "客户一次答错、一次说不出身份证号码后四位"),
        ("en", "one wrong answer and could not give the last four"),
    ],
)
def test_a_failed_check_tells_the_agent_why_from_both_answers(
    store: SqliteStore, lang: str, why: str
) -> None:
    result = check(holder(), lang, store, "不记得了" if lang == "zh" else "I don't remember", "1234")[-1]
    assert not result.ok and why in result.note
