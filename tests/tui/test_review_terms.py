"""The review list and the flag detail name a flag's reason with the same words."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import FeedbackReason, FeedbackStatus
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.review_list import FlagList
from tests.tui.test_review import detail_text, open_review, select

SIZE = (120, 40)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_list_and_detail_use_one_term_for_should_not_have_transferred(
    seeded_store, settings, lang: str
) -> None:
    flag = next(
        f
        for f in seeded_store.list_feedback(status=FeedbackStatus.OPEN.value)
        if f.reason is FeedbackReason.UNNEEDED_TRANSFER
    )
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await select(pilot, flag.id)
        table = app.screen.query_one(FlagList).table
        in_list = str(table.get_row(flag.id)[1])
        assert in_list.strip() and in_list.strip() in detail_text(app)
