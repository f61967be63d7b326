"""What the desk shows as it runs: one live wait figure, whole columns at 80x24, and the
emotion on the handoff card read as peak and now."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from agentdesk.domain.models import EmotionLevel, Speaker, Utterance
from agentdesk.domain.transfers import HandoffPacket
from agentdesk.tui import clock
from agentdesk.tui.app import make_app
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.handoff_card import HandoffCard, emotion_summary, history_line
from agentdesk.tui.widgets.transfer_inbox import TransferInbox
from tests.tui.conftest import settle


def _head(card: HandoffCard) -> str:
    return card.query_one("#handoff-head", Static).content.plain  # type: ignore[union-attr]


async def test_the_cards_wait_is_the_inbox_wait_and_only_the_timer_redraws(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    start = clock.now()
    clock.freeze(start)
    try:
        app = make_app(settings, seeded_store, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("down")  # a row the agent picked, as in the QA walk-through
            await settle(pilot)
            inbox, card = app.screen.query_one(TransferInbox), app.screen.query_one(HandoffCard)
            body = card.query_one("#handoff-body", Static)
            before = body.content
            card.scroll_end(animate=False)
            await settle(pilot)
            place = card.scroll_y
            assert place > 0
            clock.freeze(start + timedelta(minutes=3, seconds=7))
            await pilot.pause(1.3)  # the desk's one-second tick
            selected = app.screen.selected
            wait = str(inbox.table.get_cell(selected.id, "wait"))
            assert _head(card).endswith("⏱ " + wait)
            assert body.content is before, "the packet below the timer is not redrawn"
            assert card.scroll_y == place, "the agent's place on the card is kept"
    finally:
        clock.freeze(None)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_at_80x24_the_inbox_shows_mood_and_whole_wait_and_cuts_the_name(
    seeded_store, settings, lang: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one(TransferInbox)
        table = inbox.table
        header = table.render_line(0).text
        assert app.t("inbox.col.wait") in header and app.t("inbox.col.emotion") in header
        first = seeded_store.get_transfer(str(table.coordinate_to_cell_key((0, 0)).row_key.value))
        row = table.render_line(1).text
        assert row.rstrip(" ▁▂▃▄▅▆▇█▉▊▋▌▍▎▏").endswith(str(table.get_cell(first.id, "wait")))
        assert "…" in row or first.packet.customer_name in row


async def test_a_wide_inbox_gives_the_reason_room(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=(200, 45)) as pilot:
        await settle(pilot)
        rows = [app.screen.query_one(TransferInbox).table.render_line(n).text for n in range(1, 7)]
        assert any("high value+complaint" in r for r in rows)


def _calming_packet() -> HandoffPacket:
    said = [
        "九月的漫游费怎么回事",
        "你们这是乱扣费，太过分了！",
        "我要去工信部投诉你们",
        "好吧，那你们快点处理",
    ]
    transcript: list[Utterance] = []
    for text in said:
        transcript += [
            Utterance(speaker=Speaker.BOT, text="您好", language="zh"),
            Utterance(speaker=Speaker.CUSTOMER, text=text, language="zh"),
        ]
    levels = [EmotionLevel(x) for x in (1, 3, 3, 1)]
    return HandoffPacket(transcript=transcript, emotion_level=EmotionLevel.ANGRY, emotion_trend=levels)


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "peak angry (turn 4), now mild"), ("zh", "峰值愤怒（第 4 句），现在轻微不满")],
)
def test_a_customer_who_calmed_down_reads_as_peak_and_now(lang: str, says: str) -> None:
    text = emotion_summary(_calming_packet(), Catalog(lang)).plain
    assert says in text
    assert "1 → 3 → 3 → 1" in text


def test_a_customer_still_at_the_peak_reads_as_that_level_only() -> None:
    packet = _calming_packet().model_copy(update={"emotion_trend": [EmotionLevel(x) for x in (1, 1, 2, 3)]})
    text = emotion_summary(packet, Catalog("en")).plain
    assert text.startswith("●●●● angry") and "peak" not in text


@pytest.mark.parametrize(
    ("lang", "tickets", "calls", "says"),
    [
        ("en", 1, 1, "1 ticket · 1 earlier call"),
        ("en", 2, 0, "2 tickets · 0 earlier calls"),
        ("zh", 1, 3, "1 张工单 · 此前来电 3 次"),
    ],
)
def test_the_cards_history_counts_read_as_words(lang: str, tickets: int, calls: int, says: str) -> None:
    assert history_line(Catalog(lang), tickets, calls) == says
