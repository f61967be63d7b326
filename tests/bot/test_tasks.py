"""Human-to-bot tasks answer from the customer's own data, in the call's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agentdesk.bot.tasks import TASKS, run_task
from agentdesk.domain.models import Bill, BillItem, Contact, Customer, Order, SurveyStatus
from agentdesk.store.sqlite import SqliteStore


@pytest.fixture
def customer() -> Customer:
    return Customer(
        id="C1",
        name="林芳",
        contacts=[Contact(kind="phone", value="13812345678")],
        balance=23.5,
        bills=[
            Bill(
                month="2026-10",
                total=52,
                items=[BillItem(label="套餐月租", amount=39), BillItem(label="套餐外通话", amount=13)],
                due="2026-11-20",
                paid=True,
            ),
            Bill(month="2026-09", total=39, items=[BillItem(label="套餐月租", amount=39)], due="2026-10-20"),
        ],
        orders=[
            Order(
                id="LC20261117-3302",
                placed="2026-11-17",
                status="shipped",
                carrier="DPD",
                tracking="155",
                eta="2026-11-21",
            ),
            Order(id="LC20261001-1111", placed="2026-10-01", status="delivered"),
        ],
    )


@pytest.fixture
def store() -> SqliteStore:
    return SqliteStore(":memory:")


def test_bill_lookup_reads_the_latest_bill_item_by_item(customer: Customer, store: SqliteStore) -> None:
    zh = run_task("bill_lookup", customer, "zh", store)
    assert zh.ok and zh.text == "已查询到您10月账单共52元：套餐月租39元，套餐外通话13元，已缴清。"
    en = run_task("bill_lookup", customer, "en", store)
    assert (
        en.text == "Your October 2026 bill is ¥52.00: 套餐月租 ¥39.00, 套餐外通话 ¥13.00. It has been paid."
    )


def test_an_unpaid_bills_due_date_is_said_as_a_date_not_written_as_one(
    customer: Customer, store: SqliteStore
) -> None:
    unpaid = Bill(
        month="2026-11", total=39, items=[BillItem(label="套餐月租", amount=39)], due="2026-12-20", paid=False
    )
    customer = customer.model_copy(update={"bills": [unpaid, *customer.bills]})
    zh = run_task("bill_lookup", customer, "zh", store)
    assert zh.text.endswith("尚未缴费，请于12月20日前缴清。")
    en = run_task("bill_lookup", customer, "en", store)
    assert en.text.endswith("it is unpaid and due by 20 December.")


def test_bill_lookup_picks_the_month_the_customer_named(customer: Customer, store: SqliteStore) -> None:
    assert "9月账单共39元" in run_task("bill_lookup", customer, "zh", store, hint="我想看9月的账单").text


@pytest.mark.parametrize(
    "hint",
    ["还是九月份那笔漫游费没解决", "2026-09 我说的那笔", "What about my September bill?", "the Sept one"],
)
def test_bill_lookup_reads_the_month_however_it_was_said(
    customer: Customer, store: SqliteStore, hint: str
) -> None:
    result = run_task("bill_lookup", customer, "zh", store, hint=hint)
    assert result.data["month"] == "2026-09"


def test_may_i_ask_is_not_a_month(customer: Customer, store: SqliteStore) -> None:
    assert (
        run_task("bill_lookup", customer, "en", store, hint="May I ask about my bill?").data["month"]
        == "2026-10"
    )


def test_order_status_reports_open_orders_with_tracking(customer: Customer, store: SqliteStore) -> None:
    result = run_task("order_status", customer, "en", store)
    assert result.text == "Order LC20261117-3302 is shipped with DPD, tracking 155, expected by 21 November."
    named = run_task("order_status", customer, "zh", store, hint="LC20261001-1111 到了吗")
    assert named.text == "订单LC20261001-1111已签收。"


def test_balance_is_read_out(customer: Customer, store: SqliteStore) -> None:
    assert run_task("balance", customer, "zh", store).text == "您当前账户余额23.50元。"


@pytest.mark.parametrize(
    ("caller", "says"),
    [
        ("138 1234 5678", "is on the account"),
        ("13900000000", "is not on the account"),
        (None, "is not on the account"),
    ],
)
def test_identity_check_of_an_account_with_nothing_to_ask_says_what_the_calling_number_shows_and_does_not_pass(
    customer: Customer, store: SqliteStore, caller, says
) -> None:  # type: ignore[no-untyped-def]
    result = run_task("identity_check", customer, "en", store, caller=caller)
    assert not result.ok and says in result.note and "please verify manually" in result.note
    assert "13812345678" not in result.text + result.note


def test_send_survey_records_a_sent_survey(customer: Customer, store: SqliteStore) -> None:
    result = run_task("send_survey", customer, "en", store, ticket_id="TK-1", call_id="CALL-1")
    survey = store.get_survey(str(result.data["survey_id"]))
    assert (survey.status, survey.ticket_id) == (SurveyStatus.SENT, "TK-1")


def test_tasks_on_an_empty_account_say_so(store: SqliteStore) -> None:
    empty = Customer(id="C2", name="x")
    for task in ("bill_lookup", "order_status", "balance"):
        assert not run_task(task, empty, "en", store).ok
    assert set(TASKS) == {"bill_lookup", "order_status", "balance", "identity_check", "send_survey"}
    with pytest.raises(ValueError):
        run_task("teleport", empty, "en", store)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "hint", "bill", "balance"),
    [
        (
            "en",
            "I'll have our assistant pull up your October bill and your balance.",
            "Your October 2026 bill is ¥52.00",
            "Your balance is ¥23.50.",
        ),
        ("zh", "我帮您查一下10月账单和余额", "已查询到您10月账单共52元", "您当前账户余额23.50元。"),
    ],
)
def test_a_bill_lookup_asked_with_the_balance_answers_both_in_one_line(
    customer: Customer, store: SqliteStore, lang: str, hint: str, bill: str, balance: str
) -> None:
    result = run_task("bill_lookup", customer, lang, store, hint=hint)
    assert result.task == "bill_lookup" and result.ok
    assert result.text.startswith(bill) and result.text.endswith(balance)
    assert result.data["balance"] == 23.5 and result.data["month"] == "2026-10"


def test_a_balance_asked_with_the_bill_answers_both(customer: Customer, store: SqliteStore) -> None:
    result = run_task("balance", customer, "en", store, hint="Has my bill been paid, and what's my balance?")
    assert result.task == "balance"
    assert result.text.startswith("Your balance is ¥23.50.") and "October 2026 bill is ¥52.00" in result.text


def test_a_bill_lookup_that_names_no_balance_reads_the_bill_only(
    customer: Customer, store: SqliteStore
) -> None:
    result = run_task("bill_lookup", customer, "en", store, hint="Pull up the October bill, please.")
    assert "balance" not in result.text and "balance" not in result.data


@pytest.mark.parametrize(
    ("lang", "late"),
    [
        (
            "en",
            "Order LC20261117-3302 is shipped with DPD, tracking 155. It was due by 21 November and is late; I'm sorry.",
        ),
        ("zh", "订单LC20261117-3302已发货，DPD运单号155，原定11月21日送达，已经超时了，非常抱歉。"),
    ],
)
def test_an_order_still_on_its_way_after_its_expected_day_is_said_to_be_late(
    customer: Customer, store: SqliteStore, lang: str, late: str
) -> None:
    after = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert run_task("order_status", customer, lang, store, now=after).text == late


def test_an_order_on_time_on_the_call_day_is_still_expected(customer: Customer, store: SqliteStore) -> None:
    on_the_day = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    text = run_task("order_status", customer, "en", store, now=on_the_day).text
    assert text.endswith("expected by 21 November.") and "late" not in text
