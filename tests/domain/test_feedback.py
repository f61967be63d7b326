"""Reviewing bot-mistake flags, turning accepted fixes into KB versions, and attribution."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from agentdesk.domain.feedback import (
    FeedbackError,
    FixKind,
    answer_draft,
    apply_fix,
    attribute,
    fix_kind,
    reads_as_note,
    review,
)
from agentdesk.domain.models import BotFeedback, FeedbackReason, FeedbackStatus, KBArticle

from .conftest import LANGS, NOW

HAN = re.compile(r"[\u4e00-\u9fff]")
LATER = NOW + timedelta(hours=2)


def article() -> KBArticle:
    return KBArticle(
        id="KB-billing-03",
        language="zh",
        category="billing",
        title="账单多扣费怎么办",
        questions=["话费多扣了", "账单金额不对"],
        answer="请提供账单月份，我们将在3个工作日内复核。",
        version=3,
        updated_at=NOW - timedelta(days=30),
    )


def flag(reason: FeedbackReason = FeedbackReason.WRONG_ANSWER, **fields: object) -> BotFeedback:
    return BotFeedback(call_id="CALL-1", reason=reason, flagged_by="A1", created_at=NOW, **fields)  # type: ignore[arg-type]


def accepted(**fields: object) -> BotFeedback:
    return review(flag(**fields), "trainer-1", accept=True, now=LATER)  # type: ignore[arg-type]


def test_reviewer_accepts_a_flag() -> None:
    reviewed = review(
        flag(note="bot read the wrong plan"), "trainer-1", accept=True, now=LATER, note="agreed"
    )
    assert (reviewed.status, reviewed.reviewed_by, reviewed.reviewed_at) == (
        FeedbackStatus.ACCEPTED,
        "trainer-1",
        LATER,
    )
    assert reviewed.note == "bot read the wrong plan\nagreed"


def test_reviewer_rejects_a_flag() -> None:
    assert review(flag(), "trainer-1", accept=False, now=LATER).status is FeedbackStatus.REJECTED


def test_a_flag_is_reviewed_only_once() -> None:
    with pytest.raises(FeedbackError, match="already accepted"):
        review(accepted(), "trainer-2", accept=False, now=LATER)


def test_reviewer_can_attribute_the_failure_to_a_human() -> None:
    reviewed = review(flag(), "trainer-1", accept=True, now=LATER, attribution="human")
    assert attribute(reviewed).code == "human.wrong_answer"


@LANGS
@pytest.mark.parametrize("reason", list(FeedbackReason))
@pytest.mark.parametrize("party", ["bot", "human"])
def test_every_attribution_reads_in_both_languages(lang: str, reason: FeedbackReason, party: str) -> None:
    result = attribute(flag(reason, attribution=party))
    assert (result.party, result.code) == (party, f"{party}.{reason}")
    text = result.zh if lang == "zh" else result.en
    assert text and bool(HAN.search(text)) == (lang == "zh")


@pytest.mark.parametrize(
    ("reason", "fields", "kind"),
    [
        (FeedbackReason.WRONG_ANSWER, {"correct_article_id": "KB-billing-03"}, FixKind.ADD_QUESTION),
        (FeedbackReason.MISHEARD, {"correct_article_id": "KB-billing-03"}, FixKind.ADD_QUESTION),
        (FeedbackReason.WRONG_ANSWER, {"correct_text": "新的答案"}, FixKind.CORRECT_ANSWER),
        (FeedbackReason.WRONG_ANSWER, {}, FixKind.NONE),
        (FeedbackReason.UNNEEDED_TRANSFER, {"correct_article_id": "KB-billing-03"}, FixKind.NONE),
        (FeedbackReason.WRONG_TRANSFER, {"correct_text": "x"}, FixKind.NONE),
    ],
)
def test_fix_kind_follows_the_correction_given(
    reason: FeedbackReason, fields: dict[str, object], kind: FixKind
) -> None:
    assert fix_kind(flag(reason, **fields)) is kind


def test_accepted_fix_teaches_the_article_a_new_question_variant() -> None:
    updated = apply_fix(
        accepted(correct_article_id="KB-billing-03"), article(), LATER, customer_text=" 这个月怎么多收了钱 "
    )
    assert updated.questions == ["话费多扣了", "账单金额不对", "这个月怎么多收了钱"]
    assert (updated.version, updated.updated_at, updated.answer) == (4, LATER, article().answer)


def test_known_question_variant_leaves_the_article_unchanged() -> None:
    original = article()
    same = apply_fix(
        accepted(correct_article_id="KB-billing-03"), original, LATER, customer_text="账单金额不对？"
    )
    assert same is original


def test_accepted_fix_corrects_the_answer() -> None:
    updated = apply_fix(accepted(correct_text="请提供账单月份，我们将在1个工作日内复核。"), article(), LATER)
    assert updated.answer == "请提供账单月份，我们将在1个工作日内复核。"
    assert updated.version == 4
    assert updated.questions == article().questions


LONG_ANSWER = (
    "出国前请在App免费开通国际漫游，并建议订购漫游日包：港澳台25元/天，日韩及东南亚30元/天，"
    "欧美澳新40元/天，含不限量流量。未订日包时按标准资费计费，接打电话1.99元/分钟。"
)
HINT = "日包包含当地通话的情况需核实"
"""An agent's one-line remark typed as "what the bot should have said"."""


def long_article() -> KBArticle:
    return article().model_copy(update={"answer": LONG_ANSWER})


def test_a_one_line_note_never_replaces_a_whole_answer_on_its_own() -> None:
    assert reads_as_note(LONG_ANSWER, HINT)
    with pytest.raises(FeedbackError, match="reviewer writes the new answer"):
        apply_fix(accepted(correct_text=HINT), long_article(), LATER)


def test_the_answer_the_reviewer_wrote_is_what_the_article_gets() -> None:
    written = LONG_ANSWER + "日包是否包含当地通话以套餐说明为准。"
    updated = apply_fix(accepted(correct_text=HINT), long_article(), LATER, answer=f"  {written}\n")
    assert (updated.answer, updated.version) == (written, 4)


def test_an_unchanged_or_emptied_answer_is_no_fix() -> None:
    original = long_article()
    assert apply_fix(accepted(correct_text=HINT), original, LATER, answer=LONG_ANSWER) is original
    with pytest.raises(FeedbackError, match="cannot be empty"):
        apply_fix(accepted(correct_text=HINT), original, LATER, answer="  ")


@pytest.mark.parametrize(
    ("proposal", "draft"),
    [
        (HINT, LONG_ANSWER),  # a note: edit the current answer as it says
        ("出国前请在App开通国际漫游并订购日包，日包含不限量流量和当地接听，拨打电话1.99元/分钟。", None),
    ],
)
def test_the_answer_editor_starts_from_the_current_answer_for_a_note_and_from_a_full_proposal(
    proposal: str, draft: str | None
) -> None:
    assert answer_draft(LONG_ANSWER, proposal) == (draft or proposal)


def test_open_or_rejected_flags_change_nothing() -> None:
    with pytest.raises(FeedbackError, match="only accepted"):
        apply_fix(flag(correct_text="x"), article(), LATER)
    rejected = review(flag(correct_text="x"), "trainer-1", accept=False, now=LATER)
    with pytest.raises(FeedbackError, match="only accepted"):
        apply_fix(rejected, article(), LATER)


def test_transfer_flags_need_no_kb_change() -> None:
    with pytest.raises(FeedbackError, match="needs no KB change"):
        apply_fix(accepted(reason=FeedbackReason.UNNEEDED_TRANSFER), article(), LATER)


def test_question_variant_needs_the_named_article_and_the_customers_words() -> None:
    with pytest.raises(FeedbackError, match="names article KB-other"):
        apply_fix(accepted(correct_article_id="KB-other"), article(), LATER, customer_text="多收钱")
    with pytest.raises(FeedbackError, match="customer's words"):
        apply_fix(accepted(correct_article_id="KB-billing-03"), article(), LATER)
