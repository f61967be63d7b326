"""Desk keys that cannot act right now say why, the footer keeps to the keys that apply, and
the agent's status follows their calls."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Label, Select

from agentdesk.config import Settings, UISettings
from agentdesk.domain.kpis import REPEAT_WINDOW, repeated_calls
from agentdesk.domain.models import AgentStatus, Call
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.remote import RemoteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.screens.flag_bot import FlagBotModal
from agentdesk.tui.screens.wrap_up import WrapUpModal
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.handoff_card import HandoffCard
from agentdesk.tui.widgets.transfer_inbox import TransferInbox
from tests.server.conftest import start
from tests.tui.conftest import accept, notified, settle, wait_for

SIZE = (120, 40)
FIRST_CONTACT = "TR-D003"
"""胡斌: no open ticket on the card, no call in the last week."""
REPEAT_CONTACT = "TR-D001"
"""王秀英: the card shows her open ticket TK-H016 for the same dispute (her fourth call)."""


def _footer_keys(screen) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.binding.key for a in screen.active_bindings.values() if a.binding.show}


@pytest.mark.parametrize(
    ("lang", "hand_back", "wrap_up"),
    [
        ("en", "accept a transfer first", "not on a call"),
        ("zh", "请先接听转接", "当前不在通话中"),
    ],
)
async def test_hand_back_and_wrap_up_off_a_call_say_why_nothing_happens(
    seeded_store, settings, lang: str, hand_back: str, wrap_up: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b", "w")
        await settle(pilot)
        assert notified(app, hand_back) and notified(app, wrap_up)
        assert app.screen.query_one(CallWorkspace).active is None


async def test_accept_during_a_call_says_to_finish_it_first(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)
        await pilot.press("i", "down", "a")
        await settle(pilot)
        assert notified(app, "Finish the current call")
        assert app.screen.query_one(CallWorkspace).active.transfer.id == FIRST_CONTACT


async def test_enter_on_another_transfer_during_a_call_says_to_finish_it_first(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)
        await pilot.press("i", "down", "enter")
        await settle(pilot)
        assert notified(app, "Finish the current call")
        assert app.screen.query_one(CallWorkspace).active.transfer.id == FIRST_CONTACT
        chosen = app.screen.query_one(TransferInbox).current
        assert chosen.id != FIRST_CONTACT and seeded_store.get_transfer(chosen.id).claimed_by is None


async def test_the_footer_shows_only_the_call_keys_that_apply(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        off_call = _footer_keys(app.screen)
        assert "a" in off_call and not {"b", "w", "ctrl+s"} & off_call
        await accept(pilot, FIRST_CONTACT)
        on_call = _footer_keys(app.screen)
        assert {"b", "w", "ctrl+s"} <= on_call and "a" not in on_call


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "Your status is now busy"), ("zh", "您的状态已切换为：忙碌")]
)
async def test_switching_status_says_the_new_status(seeded_store, settings, lang: str, says: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert notified(app, says)


async def test_accepting_makes_the_agent_busy_and_wrap_up_makes_them_available(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)
        assert seeded_store.get_agent(settings.ui.agent_id).status == AgentStatus.BUSY
        assert "busy" in app.sub_title
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one(CallWorkspace).active is None
        assert seeded_store.get_agent(settings.ui.agent_id).status == AgentStatus.AVAILABLE
        assert "available" in app.sub_title


async def test_going_offline_during_a_call_is_refused(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)
        for _ in range(4):  # busy -> away -> (offline refused) ...
            await pilot.press("s")
            await settle(pilot)
        assert seeded_store.get_agent(settings.ui.agent_id).status != AgentStatus.OFFLINE
        assert notified(app, "wrap it up (w) before going offline")


async def test_an_offline_agent_is_told_to_become_available_before_accepting(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    seeded_store.set_agent_status(settings.ui.agent_id, AgentStatus.OFFLINE)
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.screen.selected
        await pilot.press("a")
        await settle(pilot)
        assert notified(app, "press s to become available")
        assert seeded_store.get_transfer(first.id).status == TransferStatus.WAITING
        assert app.screen.query_one(CallWorkspace).active is None


async def test_accept_while_the_team_server_is_unreachable_says_claims_need_it(tmp_path: Path) -> None:
    served = start(tmp_path)
    store = RemoteStore(served.url, served.tokens["agent"], outbox=tmp_path / "outbox.db", retry_seconds=0.1)
    app = make_app(Settings(ui=UISettings(agent_id="A1")), store, lang="en")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await wait_for(pilot, lambda: "online" in app.sub_title)
            served.thread.stop()
            await wait_for(pilot, lambda: "OFFLINE" in app.sub_title)
            await pilot.press("a")
            await settle(pilot)
            assert notified(app, "taking a call needs the team server")
            assert app.screen.query_one(CallWorkspace).active is None
    finally:
        store.close()
        served.thread.stop()
        served.store.close()


async def test_wrap_up_of_a_repeat_contact_does_not_default_to_first_contact_resolution(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, REPEAT_CONTACT)
        await pilot.press("w")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, WrapUpModal)
        assert modal.query_one("#wrap-disposition", Select).value != "resolved_first_contact"
        assert modal.query_one("#wrap-resolved", Checkbox).value is False
        assert "Repeat contact" in str(modal.query_one("#wrap-repeat", Label).render())


async def test_wrap_up_of_a_first_contact_defaults_to_resolved(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)
        await pilot.press("w")
        await settle(pilot)
        modal = app.screen
        assert modal.query_one("#wrap-disposition", Select).value == "resolved_first_contact"
        assert modal.query_one("#wrap-resolved", Checkbox).value is True
        assert not modal.query("#wrap-repeat")


async def test_wrap_up_counts_a_call_just_inside_the_repeat_window_as_the_kpis_do(
    frozen_store, settings
) -> None:  # type: ignore[no-untyped-def]
    # The customer called 6 days 23:59 before this call began; the agent wraps up later, when
    # that call is more than 7 days back. The KPIs count it as repeated, so the wrap-up must too.
    this = frozen_store.get_call(frozen_store.get_transfer(FIRST_CONTACT).call_id)
    earlier = Call(
        id="CALL-EARLIER",
        customer_id=this.customer_id,
        started_at=this.started_at - REPEAT_WINDOW + timedelta(minutes=1),
        source="history",
    )
    frozen_store.upsert_call(earlier)
    assert utcnow() - earlier.started_at > REPEAT_WINDOW  # the desk's wrap-up comes later
    assert earlier.id in repeated_calls(frozen_store.list_calls(customer_id=this.customer_id))
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)
        await pilot.press("w")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, WrapUpModal)
        assert modal.query_one("#wrap-disposition", Select).value != "resolved_first_contact"
        assert modal.query("#wrap-repeat")


@pytest.mark.parametrize(("lang", "says"), [("en", "Satisfaction survey"), ("zh", "满意度调查")])
async def test_a_survey_sent_at_wrap_up_is_mentioned(seeded_store, settings, lang: str, says: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, REPEAT_CONTACT)  # a complaint: resolving it sends the survey
        await pilot.press("w")
        await settle(pilot)
        app.screen.query_one("#wrap-resolved", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        survey_id = seeded_store.get_ticket("TK-H016").survey_id
        assert survey_id and notified(app, survey_id) and notified(app, says)


async def test_after_wrap_up_the_cursor_is_on_the_top_priority_call(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, FIRST_CONTACT)  # not the top row
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one(TransferInbox).table
        top = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
        assert table.cursor_row == 0
        assert app.screen.selected.id == top
        assert app.screen.query_one(HandoffCard).shown.id == top


@pytest.mark.parametrize(("transfer_id", "language"), [(REPEAT_CONTACT, "zh"), ("TR-D006", "en")])
async def test_the_flag_dialog_lists_articles_in_the_calls_language_first(
    seeded_store, settings, transfer_id: str, language: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, transfer_id)
        await wait_for(pilot, lambda: app.screen.kb is not None)
        await pilot.press("f")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, FlagBotModal)
        languages = [a.language for a in modal.articles]
        assert languages[0] == language
        assert languages == sorted(languages, key=lambda x: x != language)
