"""The flag dialog's KB article picker: typing filters the 100+ articles, the call's language
comes first, the highlighted article is the one flagged, and the dialog fits an 80x24 terminal."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from agentdesk.domain.models import FeedbackStatus, KBArticle
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.flag_bot import NO_ARTICLE, FlagBotModal, article_matches
from tests.tui.conftest import accept, settle, wait_for

EN_CALL = "TR-D006"
"""Grace Mitchell, an English call."""
ZH_CALL = "TR-D001"
"""王秀英, a Chinese call."""


def _listed(modal: FlagBotModal) -> list[str]:
    picker = modal.query_one("#flag-article", OptionList)
    return [o.id for o in picker.options if o.id and o.id != NO_ARTICLE]


async def _open_flag(pilot, transfer_id: str) -> FlagBotModal:  # type: ignore[no-untyped-def]
    await accept(pilot, transfer_id)
    await wait_for(pilot, lambda: pilot.app.screen.kb is not None)
    await pilot.press("f")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, FlagBotModal)
    return modal


async def test_typing_in_the_article_filter_narrows_the_list_and_the_match_is_flagged(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _open_flag(pilot, EN_CALL)
        everything = _listed(modal)
        assert len(everything) > 100
        modal.query_one("#flag-article-filter", Input).focus()
        await pilot.press(*"roaming")
        await settle(pilot)
        listed = _listed(modal)
        assert 0 < len(listed) < 10
        assert all("roaming" in seeded_store.get_article(a).title.casefold() for a in listed)
        assert listed[0].startswith("en-")  # the call's language first
        assert modal.article_id == listed[0]
        seen = {f.id for f in seeded_store.list_feedback()}
        await pilot.click("#flag-save")
        await settle(pilot)
        [flag] = [f for f in seeded_store.list_feedback(status=FeedbackStatus.OPEN) if f.id not in seen]
        assert flag.correct_article_id == listed[0]


async def test_a_filter_that_matches_nothing_says_so_and_flags_no_article(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await _open_flag(pilot, ZH_CALL)
        modal.query_one("#flag-article-filter", Input).focus()
        await pilot.press(*"qqqzz")
        await settle(pilot)
        picker = modal.query_one("#flag-article", OptionList)
        assert _listed(modal) == [] and modal.article_id is None
        assert "没有匹配的文章" in str(picker.options[-1].prompt)


@pytest.mark.parametrize(("lang", "transfer_id"), [("en", EN_CALL), ("zh", ZH_CALL)])
async def test_the_flag_dialog_keeps_its_save_button_on_an_80x24_screen(
    seeded_store, settings, lang: str, transfer_id: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await _open_flag(pilot, transfer_id)
        box = modal.query_one("#flag-box")
        for part in ("#flag-lines", "#flag-article-filter", "#flag-article", "#flag-text", "#flag-save"):
            region = modal.query_one(part).region
            assert region.height > 0 and box.content_region.contains_region(region), part


def _article(title: str, **kw: object) -> KBArticle:
    return KBArticle(id="zh-billing-007", language="zh", category="billing", title=title, answer="…", **kw)


@pytest.mark.parametrize(
    ("query", "matches"),
    [
        ("漫游", True),
        ("国际 漫游", True),  # every word, in any order
        ("billing-007", True),  # the article id
        ("BILLING", True),  # any case
        ("roaming", True),  # a tag
        ("退款", False),
    ],
)
def test_an_article_matches_when_every_word_is_in_its_title_id_category_or_tags(
    query: str, matches: bool
) -> None:
    assert article_matches(_article("国际及港澳台漫游资费", tags=["roaming"]), query) is matches
