"""One flag under review with everything a reviewer needs, and the review itself.

`load_case` reads the call around the flagged bot line, works out what the KB fix would be
(`domain.feedback.fix_kind`) and previews it on the current article. `save_review` accepts
or rejects the flag through `Store.review_feedback`, which stores an accepted fix's article
in the same transaction. Both block: call them from a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agentdesk.domain.feedback import (
    FeedbackError,
    FixKind,
    answer_draft,
    apply_fix,
    fix_kind,
    reads_as_note,
    review,
)
from agentdesk.domain.models import (
    BotFeedback,
    Call,
    FeedbackStatus,
    KBArticle,
    Speaker,
    Utterance,
)
from agentdesk.store.base import NotFound, Store

CONTEXT_LINES = 3
"""Lines of the call shown before and after the flagged bot line."""

Party = Literal["bot", "human"]


@dataclass(frozen=True)
class ReviewCase:
    """A flag with its call, the article its fix changes and the fix previewed."""

    feedback: BotFeedback
    call: Call | None
    lines: list[Utterance]
    """The call around the flagged line (all of it when the line cannot be found)."""
    flagged: int | None
    """Index in `lines` of the flagged bot line, None when it is not in the call."""
    kind: FixKind
    article: KBArticle | None
    """The article as stored now: the one the flag names, or the one whose answer the bot gave."""
    matched: bool = True
    """False when the article was found by searching the KB for the bot's words."""
    customer_text: str = ""
    """What the customer said just before the flagged line (a new question variant)."""
    proposed: KBArticle | None = None
    """The article after the fix; None when the fix changes nothing in the KB."""
    problem: str = ""
    """Why no fix can be previewed (article missing, words missing), for the reviewer."""
    note: bool = False
    """The agent's correct text reads as a note about the answer, not a whole new answer."""
    draft: str = ""
    """For `correct_answer`: where the reviewer's answer editor starts (see `answer_draft`)."""


def _flagged_index(feedback: BotFeedback, utterances: list[Utterance]) -> int | None:
    for i, u in enumerate(utterances):
        if feedback.utterance_id and u.id == feedback.utterance_id:
            return i
    text = feedback.utterance_text.strip()
    for i, u in enumerate(utterances):
        if text and u.speaker == Speaker.BOT and u.text.strip() == text:
            return i
    return None


def _answered_article(
    store: Store, feedback: BotFeedback, language: str | None
) -> tuple[KBArticle | None, bool]:
    """The article whose answer the bot read out: an exact answer match, else the best KB hit."""
    said = feedback.utterance_text.strip()
    if not said:
        return None, False
    lang = language if language in ("zh", "en") else None
    for article in store.list_articles(language=lang):
        if article.answer.strip() == said:
            return article, True
    hits = store.search_kb(said, language=lang, limit=1)
    return (hits[0].article, False) if hits else (None, False)


def load_case(store: Store, feedback: BotFeedback, now: datetime) -> ReviewCase:
    """Everything the detail pane shows for one flag."""
    try:
        call: Call | None = store.get_call(feedback.call_id)
    except NotFound:
        call = None
    utterances = store.list_utterances(feedback.call_id) if call else []
    index = _flagged_index(feedback, utterances)
    if index is None:
        lines, flagged = utterances, None
    else:
        start = max(0, index - CONTEXT_LINES)
        lines, flagged = utterances[start : index + CONTEXT_LINES + 1], index - start
    before = utterances[:index] if index is not None else []
    customer_text = next((u.text for u in reversed(before) if u.speaker == Speaker.CUSTOMER), "")
    kind = fix_kind(feedback)
    article, matched, problem = None, True, ""
    if kind is FixKind.ADD_QUESTION and feedback.correct_article_id:
        try:
            article = store.get_article(feedback.correct_article_id)
        except NotFound:
            problem = "article_missing"
    elif kind is FixKind.CORRECT_ANSWER:
        article, matched = _answered_article(store, feedback, call.language if call else None)
        problem = "" if article else "no_article"
    proposed, note, draft = None, False, ""
    if article is not None and kind is FixKind.CORRECT_ANSWER:
        note = reads_as_note(article.answer, feedback.correct_text)
        draft = answer_draft(article.answer, feedback.correct_text)
    if article is not None and not note:
        try:
            preview = feedback.model_copy(update={"status": FeedbackStatus.ACCEPTED})
            fixed = apply_fix(preview, article, now, customer_text=customer_text)
            proposed = None if fixed is article else fixed
            problem = "" if proposed else "already_fixed"
        except FeedbackError:
            problem = "no_words"
    return ReviewCase(
        feedback, call, lines, flagged, kind, article, matched, customer_text, proposed, problem, note, draft
    )


@dataclass(frozen=True)
class ReviewOutcome:
    """What a review wrote."""

    feedback: BotFeedback
    """The flag as reviewed (with the reviewer's attribution and note)."""
    article: KBArticle | None
    """The article as stored after an accepted fix; None when the KB was not touched."""


def save_review(
    store: Store,
    case: ReviewCase,
    *,
    accept: bool,
    reviewer: str,
    attribution: Party,
    note: str,
    now: datetime,
    question: str | None = None,
    answer: str | None = None,
) -> ReviewOutcome:
    """Accept (applying the fix to the article as stored now) or reject the flag.

    Args:
        question: for an `add_question` fix, the example question as the reviewer edited or
            trimmed it; None keeps the customer's words as proposed.
        answer: for a `correct_answer` fix, the new answer as the reviewer wrote it; None
            takes the agent's text, refused when it reads as a note (`FeedbackError`).

    Raises:
        FeedbackError: the flag was already reviewed here.
        Conflict: someone reviewed it in the meantime (nothing is written).
    """
    reviewed = review(case.feedback, reviewer, accept=accept, now=now, attribution=attribution, note=note)
    fixed = None
    edits = case.kind is FixKind.CORRECT_ANSWER and (case.note or answer is not None)
    if accept and case.article is not None and (case.proposed is not None or edits):
        # Re-read the article: it may have changed since the case was loaded.
        current = store.get_article(case.article.id)
        words = case.customer_text if question is None else question
        candidate = apply_fix(reviewed, current, now, customer_text=words, answer=answer)
        fixed = None if candidate is current else candidate
    saved = store.review_feedback(
        case.feedback.id,
        accepted=accept,
        reviewer=reviewer,
        article=fixed,
        attribution=attribution,
        note=note,
    )
    article = store.get_article(fixed.id) if fixed is not None else None
    return ReviewOutcome(saved, article)
