"""Reviewing agents' flags on bot mistakes, turning accepted fixes into KB updates, and blame.

An agent flags one bot utterance with a reason (misheard, wrong answer, wrong transfer,
unneeded transfer, other) and the correct KB article or text. A trainer or KB editor
accepts or rejects the flag. An accepted flag that names the article the bot should
have used teaches that article the customer's words as a new question variant; one that
gives the correct text corrects the answer. Either way the article's version goes up.

An agent's correct text is often a remark about the answer ("check whether the day pass
includes calls"), not a whole new answer. Such a text never replaces an answer as it
stands: the reviewer writes the new answer (`answer_draft` is where the editor starts) and
`apply_fix` takes that text; without it, a proposal that `reads_as_note` is refused.
Transfer flags change no article: they feed transfer accuracy (see `kpis`).

Each failure is attributed to the bot or to a human, with a reason code such as
`bot.misheard` or `human.wrong_answer` (the article the bot used was itself wrong).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from agentdesk.domain.models import BotFeedback, FeedbackReason, FeedbackStatus, KBArticle

Party = Literal["bot", "human"]

_R = FeedbackReason
_ATTRIBUTIONS: dict[tuple[Party, FeedbackReason], tuple[str, str]] = {
    ("bot", _R.MISHEARD): ("Speech recognition misheard the customer", "语音识别听错了客户的话"),
    ("bot", _R.WRONG_ANSWER): ("The bot chose the wrong answer", "机器人选错了答案"),
    ("bot", _R.WRONG_TRANSFER): ("The bot transferred to the wrong place", "机器人转接错了对象"),
    ("bot", _R.UNNEEDED_TRANSFER): (
        "The bot transferred a call it could have handled",
        "机器人转接了本可自行处理的来电",
    ),
    ("bot", _R.OTHER): ("Other bot mistake", "机器人的其他错误"),
    ("human", _R.MISHEARD): (
        "The customer was hard to hear (line or speech)",
        "客户语音难以辨认（线路或口音）",
    ),
    ("human", _R.WRONG_ANSWER): (
        "The KB article itself is wrong or out of date",
        "知识库条目本身有误或已过时",
    ),
    ("human", _R.WRONG_TRANSFER): ("Routing rules or skills are set up wrongly", "路由规则或技能配置有误"),
    ("human", _R.UNNEEDED_TRANSFER): ("Transfer thresholds are set too low", "转人工阈值设置过低"),
    ("human", _R.OTHER): ("Other human mistake", "人员的其他错误"),
}


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who is responsible for a failure, with a stable code and a readable reason."""

    party: Party
    code: str
    """`<party>.<reason>`, e.g. `bot.misheard`."""
    en: str
    zh: str


def attribute(feedback: BotFeedback) -> Attribution:
    """The failure's attribution as recorded on the flag (the reviewer may have changed it)."""
    en, zh = _ATTRIBUTIONS[(feedback.attribution, feedback.reason)]
    return Attribution(feedback.attribution, f"{feedback.attribution}.{feedback.reason}", en, zh)


class FeedbackError(ValueError):
    """A review step the queue does not allow (e.g. reviewing a flag twice)."""


def review(
    feedback: BotFeedback,
    reviewer: str,
    *,
    accept: bool,
    now: datetime,
    attribution: Party | None = None,
    note: str = "",
) -> BotFeedback:
    """The flag after a trainer or KB editor accepted or rejected it.

    Args:
        feedback: an open flag.
        reviewer: who reviewed it.
        accept: True to accept, False to reject.
        now: when.
        attribution: re-attribute the failure (`bot` or `human`); unchanged when None.
        note: the reviewer's remark, appended to the flag's note.

    Raises:
        FeedbackError: the flag was already reviewed.
    """
    if feedback.status is not FeedbackStatus.OPEN:
        raise FeedbackError(f"feedback {feedback.id} was already {feedback.status}")
    merged = "\n".join(part for part in (feedback.note, note.strip()) if part)
    return feedback.model_copy(
        update={
            "status": FeedbackStatus.ACCEPTED if accept else FeedbackStatus.REJECTED,
            "reviewed_by": reviewer,
            "reviewed_at": now,
            "attribution": attribution or feedback.attribution,
            "note": merged,
        }
    )


class FixKind(StrEnum):
    NONE = "none"
    """Nothing to change in the KB (transfer flags, or no correction given)."""
    ADD_QUESTION = "add_question"
    """The bot should have used `correct_article_id`: teach it the customer's words."""
    CORRECT_ANSWER = "correct_answer"
    """The answer was wrong: replace it with `correct_text`."""


_TRANSFER_REASONS = (FeedbackReason.WRONG_TRANSFER, FeedbackReason.UNNEEDED_TRANSFER)


def fix_kind(feedback: BotFeedback) -> FixKind:
    """What an accepted flag changes in the KB."""
    if feedback.reason in _TRANSFER_REASONS:
        return FixKind.NONE
    if feedback.correct_article_id:
        return FixKind.ADD_QUESTION
    if feedback.correct_text.strip():
        return FixKind.CORRECT_ANSWER
    return FixKind.NONE


NOTE_RATIO = 0.5
"""A proposal shorter than this share of the current answer reads as a note about it."""


def reads_as_note(current_answer: str, proposal: str) -> bool:
    """The agent's text is too short to be the whole answer: a remark on it, not a replacement.

    The bot reads an answer out in full to every caller, so a one-line hint put in place of
    a long answer would become the whole reply.
    """
    current, new = current_answer.strip(), proposal.strip()
    return bool(current) and len(new) < len(current) * NOTE_RATIO


def answer_draft(current_answer: str, proposal: str) -> str:
    """The text the reviewer's answer editor starts with.

    A full replacement starts as the agent wrote it (the reviewer checks it against the
    current answer shown beside it); a note starts from the current answer, which the
    reviewer changes as the note says. Either way the reviewer edits an answer, never a note.
    """
    return current_answer.strip() if reads_as_note(current_answer, proposal) else proposal.strip()


def _same_question(a: str, b: str) -> bool:
    return re.sub(r"[\W_]+", "", a).casefold() == re.sub(r"[\W_]+", "", b).casefold()


def apply_fix(
    feedback: BotFeedback,
    article: KBArticle,
    now: datetime,
    *,
    customer_text: str = "",
    answer: str | None = None,
) -> KBArticle:
    """The article updated by an accepted flag, version + 1.

    Args:
        feedback: an accepted flag whose `fix_kind` is not `none`.
        article: for `add_question`, the article named by `correct_article_id`; for
            `correct_answer`, the article whose answer the bot gave.
        now: when the fix is applied.
        customer_text: for `add_question`, the new example question: what the customer said
            that the bot failed to match (taken from the transcript before the flagged
            utterance), or the reviewer's edit of it (a long complaint trimmed to the question).
        answer: for `correct_answer`, the new answer as the reviewer wrote it; None takes the
            flag's correct text, which must then be a whole answer (see `reads_as_note`).

    Returns:
        The new version, or `article` itself when the fix is already in it (the question
        is already a variant, the answer already reads so): nothing to store.

    Raises:
        FeedbackError: the flag is not accepted, needs no KB change, names another
            article, the customer's words are missing, the reviewer's answer is empty, or
            no answer was given and the flag's text reads as a note.
    """
    if feedback.status is not FeedbackStatus.ACCEPTED:
        raise FeedbackError(f"feedback {feedback.id} is {feedback.status}; only accepted fixes change the KB")
    kind = fix_kind(feedback)
    if kind is FixKind.ADD_QUESTION:
        if feedback.correct_article_id != article.id:
            raise FeedbackError(
                f"feedback {feedback.id} names article {feedback.correct_article_id}, not {article.id}"
            )
        question = customer_text.strip()
        if not question:
            raise FeedbackError("a new question variant needs the customer's words")
        if any(_same_question(question, q) for q in article.questions):
            return article
        change: dict[str, object] = {"questions": [*article.questions, question]}
    elif kind is FixKind.CORRECT_ANSWER:
        if answer is None:
            if reads_as_note(article.answer, feedback.correct_text):
                raise FeedbackError(
                    f"feedback {feedback.id} proposes a note, not a whole answer: "
                    "the reviewer writes the new answer"
                )
            answer = feedback.correct_text
        new_answer = answer.strip()
        if not new_answer:
            raise FeedbackError("a corrected answer cannot be empty")
        if new_answer == article.answer.strip():
            return article
        change = {"answer": new_answer}
    else:
        raise FeedbackError(f"feedback {feedback.id} ({feedback.reason}) needs no KB change")
    return article.model_copy(update={**change, "version": article.version + 1, "updated_at": now})
