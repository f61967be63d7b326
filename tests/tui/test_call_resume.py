"""A live call is never lost by closing the desk: quitting asks first, and a reopened desk
brings back the call the agent still holds."""

from __future__ import annotations

import pytest

from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TransferQuery
from agentdesk.tui import app as app_module
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transfer_inbox import TransferInbox
from tests.tui.conftest import accept, notified, settle

SIZE = (120, 40)
HU_BIN = "TR-D003"
"""胡斌, the call the QA report lost (B1)."""


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "the call stays yours and comes back when you reopen the desk"),
        ("zh", "重新打开工作台时会自动恢复"),
    ],
)
async def test_quitting_during_a_call_warns_first_naming_the_customer(
    seeded_store, settings, lang: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        await pilot.press("q")
        await settle(pilot)
        assert app.return_code is None, "the first press must not quit"
        assert notified(app, "胡斌") and notified(app, says)
        await pilot.press("ctrl+q")  # a second press soon after quits
        await pilot.pause(0.1)
        assert app.return_code == 0
    held = seeded_store.get_transfer(HU_BIN)
    assert (held.status, held.claimed_by) == (TransferStatus.CLAIMED, settings.ui.agent_id)


async def test_quitting_off_call_quits_at_once(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause(0.1)
        assert app.return_code == 0


async def test_a_late_second_quit_press_only_warns_again(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        await pilot.press("q")
        await settle(pilot)
        app._quit_asked_at -= app_module.QUIT_CONFIRM_SECONDS + 1  # as if the agent waited
        await pilot.press("q")
        await settle(pilot)
        assert app.return_code is None
        assert sum("Still on a call" in (n.title or "") for n in app._notifications) == 2


@pytest.mark.parametrize(("lang", "says"), [("en", "is back"), ("zh", "已恢复")])
async def test_a_reopened_desk_resumes_the_call_the_agent_still_holds(
    seeded_store, settings, lang: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    first = make_app(settings, seeded_store, lang=lang)
    async with first.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        await pilot.press("q", "q")
        await pilot.pause(0.1)

    again = make_app(settings, seeded_store, lang=lang)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        workspace = again.screen.query_one(CallWorkspace)
        assert workspace.active is not None and workspace.active.transfer.id == HU_BIN
        assert workspace.has_class("-on-call")
        assert notified(again, says) and notified(again, "胡斌")
        assert "胡斌" in str(again.screen.query_one("#call-bar").render())
        assert again.screen.check_action("wrap_up", ()) is True
        assert HU_BIN not in again.screen.query_one(TransferInbox).table.rows  # still not waiting
        await pilot.press("q")  # the resumed call is guarded too
        await settle(pilot)
        assert again.return_code is None


async def test_held_calls_come_back_one_after_another(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    waiting = [t.id for t in seeded_store.list_transfers(TransferQuery())]
    held = waiting[-2:]
    for transfer_id in held:
        seeded_store.claim_transfer(transfer_id, settings.ui.agent_id)
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        workspace = app.screen.query_one(CallWorkspace)
        first = workspace.active.transfer.id
        assert first in held
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert seeded_store.get_transfer(first).status == TransferStatus.COMPLETED
        assert workspace.active is not None and {workspace.active.transfer.id, first} == set(held)


async def test_a_resumed_call_keeps_working_on_the_ticket_it_saved_before(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.store.base import TicketQuery

    customer = seeded_store.get_transfer(HU_BIN).customer_id
    before = {t.id for t in seeded_store.list_tickets(TicketQuery(customer_id=customer))}
    first = make_app(settings, seeded_store, lang="en")
    async with first.run_test(size=SIZE) as pilot:
        await accept(pilot, HU_BIN)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("q", "q")
        await pilot.pause(0.1)
    [saved] = {t.id for t in seeded_store.list_tickets(TicketQuery(customer_id=customer))} - before

    again = make_app(settings, seeded_store, lang="en")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.screen.query_one(CallWorkspace).active.ticket_id == saved
        assert saved in str(again.screen.query_one("#ticket-status").render())
        await pilot.press("ctrl+s", "w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = {t.id for t in seeded_store.list_tickets(TicketQuery(customer_id=customer, limit=500))}
    assert after - before == {saved}
    assert seeded_store.get_transfer(HU_BIN).ticket_id == saved
