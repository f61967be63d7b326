"""One ticket per call: saved during the call, updated by later saves, finalised at wrap-up;
the customer's open ticket for the case (shown on the handoff card) is used, never duplicated."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, TextArea

from agentdesk.domain.models import SurveyStatus, TicketStatus
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import StoreUnavailable, TicketQuery
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.call_tickets import find_call_ticket
from agentdesk.tui.screens.wrap_up import WrapUpModal
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from tests.tui.conftest import accept, notified, settle

SIZE = (120, 40)
NO_OPEN_TICKET = "TR-D003"
"""胡斌 (C015): the handoff card names no open ticket."""
WITH_OPEN_TICKET = "TR-D001"
"""王秀英 (C003): the card shows `Open ticket: TK-H016` (a complaint waiting on her, A02's)."""


def _tickets_of(store, customer_id: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {t.id: t for t in store.list_tickets(TicketQuery(customer_id=customer_id, limit=500))}


async def _wrap_up(pilot, note: str, *, new_ticket: bool = False) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("w")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, WrapUpModal)
    modal.query_one("#wrap-notes", TextArea).text = note
    if new_ticket:
        modal.query_one("#wrap-update-case", Checkbox).value = False
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize(("lang", "says"), [("en", "accept the transfer first"), ("zh", "请先接听该转接")])
async def test_saving_off_call_saves_nothing_and_says_to_accept_first(
    seeded_store, settings, lang: str, says: str
) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = seeded_store.count_tickets()
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert seeded_store.count_tickets() == before
        assert notified(app, says)
        assert says in str(app.screen.query_one("#ticket-status").render())


async def test_the_first_save_on_a_call_creates_the_calls_ticket_for_this_agent(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, NO_OPEN_TICKET)
        transfer = seeded_store.get_transfer(NO_OPEN_TICKET)
        before = _tickets_of(seeded_store, transfer.customer_id)
        app.screen.query_one("#ticket-subject", Input).value = "Data used overnight"
        app.screen.query_one("#ticket-notes", TextArea).text = "Usage at 3am while asleep."
        await pilot.press("ctrl+s")
        await settle(pilot)
        [new_id] = set(_tickets_of(seeded_store, transfer.customer_id)) - set(before)
        ticket = seeded_store.get_ticket(new_id)
        assert ticket.subject == "Data used overnight"
        assert ticket.assignee_id == settings.ui.agent_id and ticket.status == TicketStatus.IN_PROGRESS
        assert "Usage at 3am while asleep." in [n.text for n in ticket.notes]
        assert ticket.linked_call_ids == [transfer.call_id]
        assert app.screen.query_one(CallWorkspace).active.ticket_id == new_id
        assert app.screen.query_one("#ticket-notes", TextArea).text == ""  # it is in the history now


async def test_later_saves_update_the_same_ticket_and_append_their_note(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, NO_OPEN_TICKET)
        customer = seeded_store.get_transfer(NO_OPEN_TICKET).customer_id
        before = set(_tickets_of(seeded_store, customer))
        notes = app.screen.query_one("#ticket-notes", TextArea)
        notes.text = "First note."
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes.text = "Second note."
        app.screen.query_one("#ticket-subject", Input).value = "Overnight data: check the apps"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")  # nothing new typed: no empty note, still the same ticket
        await settle(pilot)
        [only] = set(_tickets_of(seeded_store, customer)) - before
        ticket = seeded_store.get_ticket(only)
        assert ticket.subject == "Overnight data: check the apps"
        texts = [n.text for n in ticket.notes if n.kind != "status"]
        assert texts[-2:] == ["First note.", "Second note."]


async def test_two_quick_saves_still_make_one_ticket(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, NO_OPEN_TICKET)
        customer = seeded_store.get_transfer(NO_OPEN_TICKET).customer_id
        before = set(_tickets_of(seeded_store, customer))
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+s")
        await settle(pilot)
        assert len(set(_tickets_of(seeded_store, customer)) - before) == 1


async def test_wrap_up_finalises_the_ticket_saved_during_the_call(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, NO_OPEN_TICKET)
        customer = seeded_store.get_transfer(NO_OPEN_TICKET).customer_id
        before = set(_tickets_of(seeded_store, customer))
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        [saved_id] = set(_tickets_of(seeded_store, customer)) - before
        await pilot.press("w")
        await settle(pilot)
        assert saved_id in str(app.screen.query_one("#wrap-target").render())  # says what it finalises
        app.screen.query_one("#wrap-notes", TextArea).text = "Reset the app's background data."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert set(_tickets_of(seeded_store, customer)) - before == {saved_id}
        ticket = seeded_store.get_ticket(saved_id)
        assert ticket.status == TicketStatus.RESOLVED and ticket.disposition == "resolved_first_contact"
        assert "Reset the app's background data." in [n.text for n in ticket.notes]
        transfer = seeded_store.get_transfer(NO_OPEN_TICKET)
        assert transfer.status == TransferStatus.COMPLETED and transfer.ticket_id == saved_id


async def test_the_call_works_on_the_customers_open_ticket_shown_on_the_card(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, WITH_OPEN_TICKET)
        transfer = seeded_store.get_transfer(WITH_OPEN_TICKET)
        before = set(_tickets_of(seeded_store, transfer.customer_id))
        assert app.screen.query_one("#ticket-subject", Input).value == "漫游费用异议重新核查"  # TK-H016's
        assert "TK-H016" in str(app.screen.query_one("#ticket-status").render())
        app.screen.query_one("#ticket-notes", TextArea).text = "Fourth call; materials were sent last week."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert set(_tickets_of(seeded_store, transfer.customer_id)) == before  # nothing new
        ticket = seeded_store.get_ticket("TK-H016")
        assert "Fourth call; materials were sent last week." in [n.text for n in ticket.notes]
        assert transfer.call_id in ticket.linked_call_ids
        assert ticket.status == TicketStatus.WAITING_CUSTOMER  # a note, not a status change


async def test_wrap_up_updates_the_customers_open_ticket_by_default(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, WITH_OPEN_TICKET)
        transfer = seeded_store.get_transfer(WITH_OPEN_TICKET)
        before = set(_tickets_of(seeded_store, transfer.customer_id))
        await pilot.press("w")
        await settle(pilot)
        offer = app.screen.query_one("#wrap-update-case", Checkbox)
        assert offer.value is True and "TK-H016" in str(offer.label)
        app.screen.query_one("#wrap-notes", TextArea).text = "Roaming charge refunded after review."
        app.screen.query_one("#wrap-resolved", Checkbox).value = True  # a repeat contact starts unticked
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert set(_tickets_of(seeded_store, transfer.customer_id)) == before  # no duplicate
        ticket = seeded_store.get_ticket("TK-H016")
        assert ticket.status == TicketStatus.RESOLVED and ticket.disposition == "complaint_logged"
        assert ticket.assignee_id == settings.ui.agent_id
        assert transfer.call_id in ticket.linked_call_ids
        assert "Roaming charge refunded after review." in [n.text for n in ticket.notes]
        assert seeded_store.get_survey(ticket.survey_id).status == SurveyStatus.SENT  # a complaint
        done = seeded_store.get_transfer(WITH_OPEN_TICKET)
        assert done.status == TransferStatus.COMPLETED and done.ticket_id == "TK-H016"


async def test_wrap_up_can_open_a_new_ticket_and_still_links_the_call_to_the_open_one(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, WITH_OPEN_TICKET)
        transfer = seeded_store.get_transfer(WITH_OPEN_TICKET)
        before = set(_tickets_of(seeded_store, transfer.customer_id))
        await _wrap_up(pilot, "A different issue: a new SIM.", new_ticket=True)
        [new_id] = set(_tickets_of(seeded_store, transfer.customer_id)) - before
        assert seeded_store.get_transfer(WITH_OPEN_TICKET).ticket_id == new_id
        assert seeded_store.get_ticket(new_id).linked_call_ids == [transfer.call_id]
        case = seeded_store.get_ticket("TK-H016")
        assert case.status == TicketStatus.WAITING_CUSTOMER and transfer.call_id in case.linked_call_ids


def test_only_the_customers_own_open_ticket_counts_as_the_case(seeded_store) -> None:  # type: ignore[no-untyped-def]
    transfer = seeded_store.get_transfer(WITH_OPEN_TICKET)
    found = find_call_ticket(seeded_store, transfer)
    assert found is not None and found.ticket.id == "TK-H016" and found.is_case

    someone_else = transfer.packet.model_copy(update={"details": {"open_ticket": "TK-H063"}})  # C037's
    assert find_call_ticket(seeded_store, transfer.model_copy(update={"packet": someone_else})) is None

    seeded_store.update_ticket("TK-H016", status=TicketStatus.RESOLVED, disposition="info_given")
    assert find_call_ticket(seeded_store, transfer) is None


class AnswerLostOnce(SqliteStore):
    """A real store whose first `lose` write goes through but whose answer never arrives
    (a server that saved, then went away before it replied)."""

    lose = ""

    def _lost(self, method: str) -> None:
        if self.lose == method:
            self.lose = ""
            raise StoreUnavailable("the team server is unavailable (timeout): no answer")

    def create_ticket(self, ticket, *, actor=None):  # type: ignore[no-untyped-def]
        saved = super().create_ticket(ticket, actor=actor)
        self._lost("create_ticket")
        return saved

    def finish_transfer(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        finished = super().finish_transfer(*args, **kwargs)
        self._lost("finish_transfer")
        return finished


@pytest.mark.parametrize("lose", ["create_ticket", "finish_transfer"])
async def test_a_wrap_up_retried_after_a_lost_answer_files_one_new_ticket(settings, lose) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    store = AnswerLostOnce(":memory:", actor="A01")
    seed_store(store)
    app = make_app(settings, store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, WITH_OPEN_TICKET)
        transfer = store.get_transfer(WITH_OPEN_TICKET)
        before = set(_tickets_of(store, transfer.customer_id))
        store.lose = lose
        await _wrap_up(pilot, "A different issue: a new SIM.", new_ticket=True)
        assert app.screen.query_one(CallWorkspace).active is not None  # the call goes on
        await _wrap_up(pilot, "A different issue: a new SIM.", new_ticket=True)
        [new_id] = set(_tickets_of(store, transfer.customer_id)) - before
        assert store.get_transfer(WITH_OPEN_TICKET).ticket_id == new_id
        notes = [n.text for n in store.get_ticket(new_id).notes]
        assert notes.count("A different issue: a new SIM.") == 1


async def test_a_first_contact_wrap_up_retried_after_a_lost_answer_keeps_one_ticket_and_note(
    settings,
) -> None:  # type: ignore[no-untyped-def]
    from agentdesk.tui.app import make_app

    store = AnswerLostOnce(":memory:", actor="A01")
    seed_store(store)
    app = make_app(settings, store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await accept(pilot, NO_OPEN_TICKET)
        customer = store.get_transfer(NO_OPEN_TICKET).customer_id
        before = set(_tickets_of(store, customer))
        store.lose = "create_ticket"
        await _wrap_up(pilot, "Reset the app's background data.")
        assert app.screen.query_one(CallWorkspace).active is not None
        await _wrap_up(pilot, "Reset the app's background data.")
        [ticket_id] = set(_tickets_of(store, customer)) - before
        assert store.get_transfer(NO_OPEN_TICKET).status == TransferStatus.COMPLETED
        notes = [n.text for n in store.get_ticket(ticket_id).notes]
        assert notes.count("Reset the app's background data.") == 1


def test_a_retried_wrap_up_of_a_reopened_case_keeps_the_earlier_calls_answered_survey() -> None:
    from datetime import UTC, datetime

    from agentdesk.domain import surveys
    from agentdesk.domain.models import Survey, SurveyStatus, Ticket, TicketStatus
    from agentdesk.tui.call_tickets import wrap_up_call

    store = SqliteStore(":memory:", actor="A01")
    seed_store(store)
    at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    customer = store.list_customers()[0]
    old = Survey(
        id="SV-OLD", customer_id=customer.id, call_id="CALL-OLD", status=SurveyStatus.SENT, sent_at=at
    )
    store.upsert_survey(surveys.answer(old, 5, at), actor="A01")
    case = store.create_ticket(
        Ticket(
            id="TK-CASE",
            type="complaint",
            subject="Roaming charge",
            customer_id=customer.id,
            status=TicketStatus.IN_PROGRESS,
            survey_id="SV-OLD",
        ),
        actor="A01",
    )
    saved = wrap_up_call(
        store,
        case.model_copy(update={"disposition": "resolved_first_contact"}),
        "Refunded.",
        resolved=True,
        stored=True,
        call_id="CALL-NEW",
        agent_id="A01",
        at=at,
        retry=True,
    )
    assert store.get_survey("SV-OLD").status is SurveyStatus.ANSWERED
    assert saved.survey_id != "SV-OLD" and store.get_survey(saved.survey_id).call_id == "CALL-NEW"
