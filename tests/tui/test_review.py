"""The review screen (F6) through Pilot: the flag queue, the call around a flag, accepting and rejecting."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from rich.console import Console

from agentdesk.domain.feedback import FixKind
from agentdesk.domain.models import BotFeedback, FeedbackReason, FeedbackStatus, Speaker
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.review_detail import FlagDetail, diff_texts
from agentdesk.tui.widgets.review_dialog import ReviewDialog
from agentdesk.tui.widgets.review_list import FlagList
from tests.tui.conftest import FROZEN_NOW, settle

SIZE = (120, 40)
CORRECTED = (
    "You can see every paid service under My Account, Subscriptions in the app, and cancel any of them "
    "straight away. If you never ordered the service, I can log a billing dispute now and the charge is "
    "refunded within 3 working days once checked."
)

AGENT_SAYS = "应先核实订单的签收记录，再登记未收到货的核查。"
"""What the agent typed as "what the bot should have said" on the question flag."""
ASKED = "订单LC20260821-5140显示签收了，可我根本没收到。"
"""The customer's line before the flagged bot line: the proposed example question."""


def plain(renderable, width: int = 100) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def detail_text(app) -> str:  # type: ignore[no-untyped-def]
    return plain(app.screen.query_one(FlagDetail).query_one("#review-body").content)


def _bot_line(store: SqliteStore, call_id: str, starts: str):  # type: ignore[no-untyped-def]
    return next(
        u for u in store.list_utterances(call_id) if u.speaker == Speaker.BOT and u.text.startswith(starts)
    )


def seeded_flags(store: SqliteStore) -> list[str]:
    """Ids of the demo seed's open flags, newest first: older than any `add_flags` adds."""
    return [f.id for f in store.list_feedback(status=FeedbackStatus.OPEN)]


def add_flags(store: SqliteStore) -> dict[str, BotFeedback]:
    """Three flags on seeded calls, one of each kind of fix, created at fixed times."""
    answer = _bot_line(store, "CALL-H007", "You can cancel it")
    question = _bot_line(store, "CALL-H011", "请先确认")
    transfer = _bot_line(store, "CALL-H008", "好的，正在为您转接")
    flags = {
        "answer": BotFeedback(
            id="FB-ANSWER",
            call_id="CALL-H007",
            utterance_id=answer.id,
            utterance_text=answer.text,
            reason=FeedbackReason.WRONG_ANSWER,
            correct_text=CORRECTED,
            flagged_by="A05",
            note="Offered a dispute, then transferred anyway.",
            created_at=FROZEN_NOW - timedelta(hours=3),
        ),
        "question": BotFeedback(
            id="FB-QUESTION",
            call_id="CALL-H011",
            utterance_id=question.id,
            utterance_text=question.text,
            reason=FeedbackReason.WRONG_ANSWER,
            correct_article_id="zh-orders_delivery-005",
            correct_text=AGENT_SAYS,
            flagged_by="A04",
            created_at=FROZEN_NOW - timedelta(minutes=40),
        ),
        "transfer": BotFeedback(
            id="FB-TRANSFER",
            call_id="CALL-H008",
            utterance_id=transfer.id,
            utterance_text=transfer.text,
            reason=FeedbackReason.UNNEEDED_TRANSFER,
            flagged_by="A06",
            created_at=FROZEN_NOW - timedelta(days=1, hours=2),
        ),
    }
    for flag in flags.values():
        store.create_feedback(flag)
    return flags


async def open_review(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f6")
    await settle(pilot)


async def select(pilot, flag_id: str) -> None:  # type: ignore[no-untyped-def]
    flags = pilot.app.screen.query_one(FlagList)
    flags.table.move_cursor(row=flags.table.get_row_index(flag_id))
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_open_flags_are_listed_newest_first_with_the_call_around_the_line(
    frozen_store, settings, lang: str
) -> None:
    seeded = seeded_flags(frozen_store)
    flags = add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        listed = app.screen.query_one(FlagList)
        assert [f.id for f in listed.flags] == ["FB-QUESTION", "FB-ANSWER", "FB-TRANSFER", *seeded]
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.feedback.id == "FB-QUESTION"
        assert case.lines[case.flagged].id == flags["question"].utterance_id
        assert case.lines[case.flagged - 1].speaker == Speaker.CUSTOMER
        assert case.kind is FixKind.ADD_QUESTION and case.proposed is not None
        assert case.proposed.questions[-1] == case.customer_text == case.lines[case.flagged - 1].text


async def test_accepting_a_question_fix_teaches_the_article_and_closes_the_flag(
    frozen_store, settings
) -> None:
    seeded = seeded_flags(frozen_store)
    add_flags(frozen_store)
    before = frozen_store.get_article("zh-orders_delivery-005")
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDialog)
        await pilot.press("enter")
        await settle(pilot)
        after = frozen_store.get_article("zh-orders_delivery-005")
        assert after.version == before.version + 1
        assert after.questions == [*before.questions, ASKED]
        stored = frozen_store.get_feedback("FB-QUESTION")
        assert (stored.status, stored.reviewed_by) == (FeedbackStatus.ACCEPTED, settings.ui.agent_id)
        assert [f.id for f in app.screen.query_one(FlagList).flags] == ["FB-ANSWER", "FB-TRANSFER", *seeded]
        assert any(f"now v{after.version}" in n.message for n in app._notifications)
        await pilot.press("f")  # the accepted flags show the article as it is now
        await settle(pilot)
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.feedback.status is FeedbackStatus.ACCEPTED
        assert case.article is not None and case.article.version == after.version
        assert case.proposed is None and case.problem == "already_fixed"


@pytest.mark.parametrize(("lang", "label"), [("en", "Should say"), ("zh", "正确说法")])
async def test_the_flag_detail_shows_what_the_agent_said_the_bot_should_have_said(
    frozen_store, settings, lang: str, label: str
) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        detail = app.screen.query_one(FlagDetail)
        assert detail.case is not None and detail.case.feedback.id == "FB-QUESTION"
        text = detail_text(app)
        assert f"{label} {AGENT_SAYS}" in text


@pytest.mark.parametrize(
    ("lang", "said", "wrong"), [("en", "just now", "just now ago"), ("zh", "刚刚", "刚刚前")]
)
async def test_a_flag_raised_a_moment_ago_reads_just_now(frozen_store, settings, lang, said, wrong) -> None:  # type: ignore[no-untyped-def]
    flags = add_flags(frozen_store)
    fresh = flags["transfer"].model_copy(
        update={"id": "FB-FRESH", "created_at": FROZEN_NOW - timedelta(seconds=20)}
    )
    frozen_store.create_feedback(fresh)
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-FRESH")
        text = detail_text(app)
        assert said in text and wrong not in text


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [
        ("en", "Bot · The bot chose the wrong answer", "bot.wrong_answer"),
        ("zh", "机器人 · 机器人选错了答案", "bot.wrong_answer"),
    ],
)
async def test_who_was_at_fault_reads_as_words_not_codes(
    frozen_store, settings, lang: str, shown: str, hidden: str
) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        text = detail_text(app)
        assert shown in text and hidden not in text
        await pilot.press("a")
        await settle(pilot)
        labels = [plain(b.label) for b in app.screen.query("#review-dialog-party RadioButton")]
        assert any(shown in label for label in labels)
        assert not any("." in label.split("·")[0] or "_" in label for label in labels)


async def test_the_reviewer_trims_the_example_question_before_it_reaches_the_kb(
    frozen_store, settings
) -> None:
    add_flags(frozen_store)
    before = frozen_store.get_article("zh-orders_delivery-005")
    app = make_app(settings, frozen_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        field = app.screen.query_one("#review-dialog-question")
        assert field.value == ASKED  # proposed as the customer said it
        await pilot.press("e", "ctrl+u", *"显示签收了可我没收到", "enter")
        await settle(pilot)
        after = frozen_store.get_article("zh-orders_delivery-005")
        assert after.version == before.version + 1
        assert after.questions == [*before.questions, "显示签收了可我没收到"]
        assert ASKED not in after.questions


async def test_an_emptied_example_question_is_not_accepted(frozen_store, settings) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("e", "ctrl+u", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDialog)
        assert any("Type the example question" in n.message for n in app._notifications)
        assert frozen_store.get_feedback("FB-QUESTION").status is FeedbackStatus.OPEN
        assert frozen_store.get_article("zh-orders_delivery-005").version == 1


async def test_accepting_an_answer_fix_replaces_the_answer_the_bot_gave(frozen_store, settings) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-ANSWER")
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.kind is FixKind.CORRECT_ANSWER and case.article is not None
        article_id, version = case.article.id, case.article.version
        await pilot.press("a", "h")  # re-attribute: the KB article itself was wrong
        await pilot.press("enter")
        await settle(pilot)
        article = frozen_store.get_article(article_id)
        assert (article.answer, article.version) == (CORRECTED, version + 1)
        assert frozen_store.get_feedback("FB-ANSWER").status is FeedbackStatus.ACCEPTED
        assert any("(Human · The KB article itself is wrong" in n.message for n in app._notifications)
        assert not any("human.wrong_answer" in n.message for n in app._notifications)


NOTE = "Ask first whether they ordered it by text."
"""An agent's one-line remark typed as "what the bot should have said"."""


def add_note_flag(store: SqliteStore, flags: dict[str, BotFeedback]) -> BotFeedback:
    note = flags["answer"].model_copy(
        update={"id": "FB-NOTE", "correct_text": NOTE, "created_at": FROZEN_NOW - timedelta(minutes=5)}
    )
    return store.create_feedback(note)


async def test_a_one_line_note_is_shown_beside_the_whole_answer_not_as_its_replacement(
    frozen_store, settings
) -> None:
    add_note_flag(frozen_store, add_flags(frozen_store))
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-NOTE")
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.note and case.article is not None
        assert case.proposed is None and case.draft == case.article.answer.strip()
        text = " ".join(detail_text(app).split())
        assert "it reads as a note, not a new answer" in text and "The agent's text" in text
        assert NOTE in text and case.article.answer.split()[0] in text


async def test_accepting_a_note_unedited_keeps_the_whole_answer(frozen_store, settings) -> None:
    add_note_flag(frozen_store, add_flags(frozen_store))
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-NOTE")
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.article is not None
        before = frozen_store.get_article(case.article.id)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReviewDialog)
        assert dialog.query_one("#review-dialog-answer").text == before.answer.strip()
        assert NOTE in plain(dialog.query_one("#review-dialog-hint").content)
        assert "stays at v" in plain(dialog.query_one("#review-dialog-effect").content)
        await pilot.press("enter")
        await settle(pilot)
        assert frozen_store.get_article(before.id) == before
        assert frozen_store.get_feedback("FB-NOTE").status is FeedbackStatus.ACCEPTED


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_reviewer_works_the_note_into_the_answer_before_accepting(
    frozen_store, settings, lang: str
) -> None:
    add_note_flag(frozen_store, add_flags(frozen_store))
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-NOTE")
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.article is not None
        before = frozen_store.get_article(case.article.id)
        await pilot.press("a", "e", *" Ask first.")
        await settle(pilot)
        assert f"v{before.version + 1}" in plain(app.screen.query_one("#review-dialog-effect").content)
        app.screen.query_one("#review-dialog-yes").press()
        await settle(pilot)
        after = frozen_store.get_article(before.id)
        assert (after.answer, after.version) == (before.answer.strip() + " Ask first.", before.version + 1)


async def test_the_reviewer_can_take_the_agents_text_or_go_back_to_the_current_answer(
    frozen_store, settings
) -> None:
    add_note_flag(frozen_store, add_flags(frozen_store))
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-NOTE")
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.article is not None
        await pilot.press("a")
        await settle(pilot)
        editor = app.screen.query_one("#review-dialog-answer")
        app.screen.query_one("#review-dialog-use-proposal").press()
        await settle(pilot)
        assert editor.text == NOTE  # a deliberate choice, made in full view of both texts
        app.screen.query_one("#review-dialog-use-current").press()
        await settle(pilot)
        assert editor.text == case.article.answer.strip()


async def test_an_emptied_answer_is_not_accepted(frozen_store, settings) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-ANSWER")
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#review-dialog-answer").load_text("  ")
        app.screen.query_one("#review-dialog-yes").press()
        await settle(pilot)
        assert isinstance(app.screen, ReviewDialog)
        assert any("Write the new answer" in n.message for n in app._notifications)
        assert frozen_store.get_feedback("FB-ANSWER").status is FeedbackStatus.OPEN


async def test_rejecting_closes_the_flag_without_touching_the_kb(frozen_store, settings) -> None:
    add_flags(frozen_store)
    articles = frozen_store.list_articles()
    seq = frozen_store.last_seq()
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert frozen_store.get_feedback("FB-QUESTION").status is FeedbackStatus.REJECTED
        assert frozen_store.list_articles() == articles
        assert [e.kind for e in frozen_store.events_since(seq)] == ["feedback.reviewed"]
        assert "FB-QUESTION" not in [f.id for f in app.screen.query_one(FlagList).flags]
        await pilot.press("f", "f")  # open -> accepted -> rejected
        await settle(pilot)
        assert [f.id for f in app.screen.query_one(FlagList).flags] == ["FB-QUESTION"]


async def test_escape_leaves_the_flag_open(frozen_store, settings) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert frozen_store.get_feedback("FB-QUESTION").status is FeedbackStatus.OPEN
        assert frozen_store.get_article("zh-orders_delivery-005").version == 1


async def test_a_flag_reviewed_elsewhere_first_is_not_reviewed_twice(frozen_store, settings) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        frozen_store.review_feedback("FB-QUESTION", accepted=False, reviewer="T9")  # another trainer
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert frozen_store.get_feedback("FB-QUESTION").reviewed_by == "T9"
        assert frozen_store.get_article("zh-orders_delivery-005").version == 1
        assert any("Not reviewed" in n.message for n in app._notifications)


async def test_a_transfer_flag_proposes_no_kb_change(frozen_store, settings) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, "FB-TRANSFER")
        case = app.screen.query_one(FlagDetail).case
        assert case is not None and case.kind is FixKind.NONE and case.article is None
        seq = frozen_store.last_seq()
        await pilot.press("a", "enter")
        await settle(pilot)
        assert frozen_store.get_feedback("FB-TRANSFER").status is FeedbackStatus.ACCEPTED
        assert [e.kind for e in frozen_store.events_since(seq)] == ["feedback.reviewed"]


async def test_a_flag_raised_elsewhere_appears_without_a_keypress(frozen_store, settings) -> None:
    seeded = seeded_flags(frozen_store)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        assert [f.id for f in app.screen.query_one(FlagList).flags] == seeded
        add_flags(frozen_store)
        app.screen.poll_changes()  # what the poll timer does, without waiting for it
        await settle(pilot)
        assert len(app.screen.query_one(FlagList).flags) == len(seeded) + 3


async def test_the_footer_keys_end_before_the_palette_key_at_100_columns_in_chinese(
    frozen_store, settings
) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(settings, frozen_store, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(pilot)
        keys = list(app.screen.query(FooterKey))
        [palette] = [k for k in keys if k.has_class("-command-palette")]
        others = [k for k in keys if k is not palette and k.display]
        assert [k.key for k in others][-1] == "question_mark"  # the help key, which lists any left out
        assert max(k.region.right for k in others) <= palette.region.x


def _unmarked(text, mark: str) -> str:  # type: ignore[no-untyped-def]
    marked = {i for span in text.spans if mark in str(span.style) for i in range(span.start, span.end)}
    return "".join(ch for i, ch in enumerate(text.plain) if i not in marked)


@pytest.mark.parametrize(
    ("before", "after", "kept"),
    [
        ("Refunds take 3-5 working days.", "Refunds take 1-3 working days.", "Refunds take 3 working days."),
        ("退款3-5个工作日到账", "退款1-3个工作日到账", "退款3个工作日到账"),
    ],
)
def test_the_answer_diff_strikes_removed_text_and_marks_added_text(
    before: str, after: str, kept: str
) -> None:
    old, new = diff_texts(before, after)
    assert (old.plain, new.plain) == (before, after)
    assert _unmarked(old, "strike") == _unmarked(new, "green") == kept


def test_every_review_binding_has_an_id_and_tooltip() -> None:
    from agentdesk.tui.screens.review import ReviewScreen

    for screen in (ReviewScreen, ReviewDialog):
        for binding in screen.BINDINGS:
            assert binding.id and binding.tooltip, binding


def test_review_strings_exist_in_both_languages() -> None:
    import yaml

    from agentdesk import locations

    keys = {
        lang: set(yaml.safe_load((locations.assets_dir() / "i18n" / lang / "review.yaml").read_text("utf-8")))
        for lang in ("en", "zh")
    }
    assert keys["en"] == keys["zh"]


# -- snapshots -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_snapshot(snap_compare, frozen_store, settings, lang: str) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang=lang)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_review)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_answer_fix_snapshot(snap_compare, frozen_store, settings, lang: str) -> None:
    add_flags(frozen_store)
    app = make_app(settings, frozen_store, lang=lang)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_review(pilot)
        await select(pilot, "FB-ANSWER")

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
