"""Human-to-bot tasks (SPEC section 7): the agent hands the customer back to the bot for one
bounded lookup; the bot answers from the customer's data and control returns to the agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from agentdesk.bot.details import corrected_order_id, spoken_order_id
from agentdesk.bot.identity import IdentityCheck, Verdict, answer, number_only, question_text, start_check
from agentdesk.bot.number_words import EN_MONTHS, han_number
from agentdesk.domain.models import Bill, BillItem, Customer, Order, Survey, SurveyStatus, utcnow
from agentdesk.domain.scripts import Task
from agentdesk.nlp.lexicon import load_lexicon
from agentdesk.store.base import Store

TASKS: tuple[Task, ...] = ("bill_lookup", "order_status", "balance", "identity_check", "send_survey")

_ORDER_STATUS = {
    "zh": {
        "processing": "正在备货",
        "shipped": "已发货",
        "out_for_delivery": "正在派送",
        "delivered": "已签收",
        "cancelled": "已取消",
        "returned": "已退货",
    },
    "en": {
        "processing": "being prepared",
        "shipped": "shipped",
        "out_for_delivery": "out for delivery",
        "delivered": "delivered",
        "cancelled": "cancelled",
        "returned": "returned",
    },
}


@dataclass(frozen=True)
class TaskResult:
    """What the bot says back, and whether the task could be done.

    A task that needs the caller's answer (the identity check) is `pending`: `text` is what
    the bot asks, and `answer_task` takes the caller's next line to the next result."""

    task: Task
    ok: bool
    text: str
    data: dict[str, object] = field(default_factory=dict)
    pending: IdentityCheck | None = None
    """The check waiting for the caller's answer; None once the task is done (or failed)."""
    note: str = ""
    """For the agent, not said to the caller: why an identity check passed or failed."""

    @property
    def awaiting_answer(self) -> bool:
        return self.pending is not None


def _identity_result(verdict: Verdict) -> TaskResult:
    check = verdict.check
    data: dict[str, object] = {"factor": check.factor, "caller_matches": check.caller_matches}
    if verdict.passed is None:
        return TaskResult("identity_check", False, verdict.text, data, pending=check)
    return TaskResult(
        "identity_check",
        verdict.passed,
        verdict.text,
        {**data, "verified": verdict.passed},
        note=verdict.note,
    )


def answer_task(result: TaskResult, said: str, lang: str) -> TaskResult:
    """The next result of a task waiting for the caller (`result.pending`), given what they
    said: the final result, or the question asked once more."""
    if result.pending is None:
        raise ValueError(f"{result.task} is not waiting for an answer")
    return _identity_result(answer(result.pending, said, lang))


def _money(amount: float, lang: str) -> str:
    return f"{amount:.2f}元".replace(".00元", "元") if lang == "zh" else f"¥{amount:,.2f}"


def _month(month: str, lang: str) -> str:
    y, m = month.split("-")
    if lang == "zh":
        return f"{int(m)}月"
    return datetime(int(y), int(m), 1).strftime("%B %Y")


def bill_text(bill: Bill, lang: str) -> str:
    """A bill read out: total, then each item; a bill without a due date is the month so far."""
    sep = "，" if lang == "zh" else ", "
    items = sep.join(
        f"{i.label}{_money(i.amount, lang)}" if lang == "zh" else f"{i.label} {_money(i.amount, lang)}"
        for i in bill.items
    )
    so_far = bill.due is None and not bill.paid
    if lang == "zh":
        if so_far:
            return f"您{_month(bill.month, lang)}截至目前的消费共{_money(bill.total, lang)}：{items}。"
        unpaid = "，已缴清" if bill.paid else f"，尚未缴费，请于{_spoken_date(bill.due or '', lang)}前缴清"
        return f"已查询到您{_month(bill.month, lang)}账单共{_money(bill.total, lang)}：{items}{unpaid}。"
    if so_far:
        return f"So far in {_month(bill.month, lang)} you have used {_money(bill.total, lang)}: {items}."
    if bill.paid:
        return (
            f"Your {_month(bill.month, lang)} bill is {_money(bill.total, lang)}: {items}. It has been paid."
        )
    return f"Your {_month(bill.month, lang)} bill is {_money(bill.total, lang)}: {items}; it is unpaid and due by {_spoken_date(bill.due or '', lang)}."


def charges(customer: Customer, amount: float, hint: str = "") -> tuple[Bill, list[BillItem]] | None:
    """The bill items of `amount` on the customer's bill the hint names (a month), else on the
    newest bill that has one; None when no bill has an item of that amount."""
    months = months_named(hint)
    for bill in customer.bills:
        if months and int(bill.month.split("-")[1]) != months[-1]:
            continue
        items = [i for i in bill.items if abs(i.amount - amount) < 0.005]
        if items:
            return bill, items
    return None


def charge_text(bill: Bill, items: list[BillItem], lang: str) -> str:
    """What a charge was for: "The ¥1.50 on your October 2026 bill is for extra calls (10 min)."."""
    money = _money(items[0].amount, lang)
    if lang == "zh":
        return f"您{_month(bill.month, lang)}账单上的{money}是{'和'.join(i.label for i in items)}。"
    labels = " and ".join(_lower_first(i.label) for i in items)
    return f"The {money} on your {_month(bill.month, lang)} bill is for {labels}."


def _lower_first(label: str) -> str:
    """ "Extra calls (10 min)" reads as "extra calls (10 min)" mid-sentence; "SMS" stays."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _spoken_date(iso: str, lang: str) -> str:
    """A `YYYY-MM-DD` date as it is said: 11月21日, "21 November"."""
    try:
        day = datetime.strptime(iso, "%Y-%m-%d")
    except ValueError:
        return iso
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day.strftime('%B')}"


_OPEN = ("processing", "shipped", "out_for_delivery")


def is_late(order: Order, at: datetime | None) -> bool:
    """The order is still on its way after the day it was expected (judged at the call's time)."""
    return bool(at and order.eta and order.status in _OPEN and order.eta < at.date().isoformat())


def order_text(order: Order, lang: str, *, at: datetime | None = None) -> str:
    """An order's status read out, with carrier, tracking number and expected date when known.
    An order still on its way after its expected date (at `at`, the call's time) is said to be
    late, with an apology, not "expected by" a day already past."""
    status = _ORDER_STATUS["zh" if lang == "zh" else "en"][order.status]
    if order.status in _MONEY_BACK:
        return _money_back_text(order, status, lang)
    late = is_late(order, at)
    if lang == "zh":
        parts = [f"订单{order.id}{status}"]
        if order.carrier and order.tracking:
            parts.append(f"{order.carrier}运单号{order.tracking}")
        if late:
            parts.append(f"原定{_spoken_date(order.eta or '', lang)}送达，已经超时了，非常抱歉")
        elif order.eta and order.status in _OPEN:
            parts.append(f"预计{_spoken_date(order.eta, lang)}送达")
        return "，".join(parts) + "。"
    if order.status == "delivered":  # done: "was delivered by Royal Mail", not "is delivered with"
        text = f"Order {order.id} was delivered"
        carrier = f" by {order.carrier}, tracking {order.tracking}"
    else:
        text, carrier = f"Order {order.id} is {status}", f" with {order.carrier}, tracking {order.tracking}"
    if order.carrier and order.tracking:
        text += carrier
    if late:
        text += f". It was due by {_spoken_date(order.eta or '', lang)} and is late; I'm sorry"
    elif order.eta and order.status in _OPEN:
        text += f", expected by {_spoken_date(order.eta, lang)}"
    return text + "."


_MONEY_BACK = ("returned", "cancelled")
"""Orders whose money goes back: the parcel's carrier and tracking number no longer matter."""


def _money_back_text(order: Order, status: str, lang: str) -> str:
    """A returned or cancelled order: what it was and that its amount goes back the way it was paid."""
    items = ("、" if lang == "zh" else ", ").join(order.items)
    money = _money(order.amount, lang)
    if lang == "zh":
        what = f"（{items}）" if items else ""
        back = f"{money}将按原支付方式退回。" if order.amount else ""
        return f"订单{order.id}{what}{status}，{back}" if back else f"订单{order.id}{what}{status}。"
    what = f" ({items})" if items else ""
    back = f" The {money} goes back the way you paid." if order.amount else ""
    verb = "was returned" if order.status == "returned" else "was cancelled"
    return f"Order {order.id}{what} {verb}.{back}"


def arrival_text(order: Order, lang: str, *, at: datetime | None = None) -> str:
    """When an order arrives, for a caller who asks right after hearing its status."""
    zh = lang == "zh"
    date = _spoken_date(order.eta or "", lang)
    if is_late(order, at):
        return (
            f"原定{date}送达，已经超时了，非常抱歉。"
            if zh
            else f"It was due by {date} and is late; I'm sorry."
        )
    if order.status in _OPEN and order.eta:
        return f"预计{date}送达。" if zh else f"It's expected by {date}."
    if order.status == "delivered":
        return "这个订单已经签收了。" if zh else "It has already been delivered."
    if order.status in _OPEN:
        return "暂时还没有预计送达日期。" if zh else "It doesn't have a delivery date yet."
    return order_text(order, lang, at=at)


_ORDER_ID = re.compile(r"LC\d{8}-\d{4}", re.IGNORECASE)


def order_ids(text: str) -> list[str]:
    """Order ids named in `text` (LC20261119-4420, or read out digit by digit), upper-cased, in order."""
    written = [m.upper() for m in _ORDER_ID.findall(text or "")]
    spoken = spoken_order_id(text or "")
    named = [*written, spoken] if spoken and spoken not in written else written
    fixed = corrected_order_id(text) if named else None  # "…4809, sorry, I mean 4806"
    return [fixed] if fixed else named


def _pick_orders(customer: Customer, hint: str) -> list[Order]:
    """The orders named in `hint`, else every open order, else the latest order."""
    named = set(order_ids(hint))
    if named:
        return [o for o in customer.orders if o.id in named]
    open_orders = [o for o in customer.orders if o.status in _OPEN]
    return open_orders[:3] or customer.orders[:1]


_MONTH = re.compile(
    r"(?<!\d)\d{4}-(\d{2})(?!\d)|(?<!\d)(\d{1,2})月|([一二三四五六七八九十]{1,3})月|\b("
    + "|".join(sorted(EN_MONTHS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def months_named(text: str) -> list[int]:
    """The months `text` names, in order: 2026-09, 9月, 九月, September, Sept -> 9."""
    out = []
    for m in _MONTH.finditer(text or ""):
        iso, digits, han, word = m.groups()
        if iso or digits:
            value = int(iso or digits)
        elif han:
            value = han_number(han) or 0
        else:
            value = EN_MONTHS[word.lower()]
        if 1 <= value <= 12:
            out.append(value)
    return out


def _pick_bill(customer: Customer, hint: str) -> Bill | None:
    """The bill of the month the hint names last (the customer's latest words), else the latest bill."""
    months = months_named(hint)
    for bill in customer.bills:
        if months and int(bill.month.split("-")[1]) == months[-1]:
            return bill
    return customer.bills[0] if customer.bills else None


LOOKUPS: tuple[Task, ...] = ("bill_lookup", "order_status", "balance")
"""Tasks that only read the customer's account; the bot also runs them unasked (`KBArticle.lookup`)."""


def lookup(
    task: Task, customer: Customer, lang: str, *, hint: str = "", at: datetime | None = None
) -> TaskResult:
    """Read one figure from `customer`'s account: their bill, orders or balance, in `lang`.

    Args:
        hint: what the customer said (an order id or a month narrows the lookup).
        at: the call's time, to tell a late order from one on time.
    """
    zh = lang == "zh"
    if task == "bill_lookup":
        bill = _pick_bill(customer, hint)
        if bill is None:
            return TaskResult(
                task, False, "暂未查到您的账单记录。" if zh else "I can't find any bills on this account."
            )
        return TaskResult(task, True, bill_text(bill, lang), {"month": bill.month, "total": bill.total})
    if task == "order_status":
        orders = _pick_orders(customer, hint)
        if not orders:
            return TaskResult(
                task, False, "您名下暂无订单。" if zh else "There are no orders on this account."
            )
        text = ("" if zh else " ").join(order_text(o, lang, at=at) for o in orders)
        return TaskResult(task, True, text, {"orders": {o.id: o.status for o in orders}})
    if task == "balance":
        if customer.balance is None:
            return TaskResult(
                task, False, "暂未查到余额信息。" if zh else "I can't see a balance on this account."
            )
        money = _money(customer.balance, lang)
        return TaskResult(
            task,
            True,
            f"您当前账户余额{money}。" if zh else f"Your balance is {money}.",
            {"balance": customer.balance},
        )
    raise ValueError(f"{task!r} is not a lookup; lookups: {', '.join(LOOKUPS)}")


_PAIRED: dict[Task, Task] = {"bill_lookup": "balance", "balance": "bill_lookup"}


def also_asked(task: Task, hint: str) -> Task | None:
    """The other account figure the request names besides `task`: "pull up your October bill and
    your balance" for a bill lookup is the balance too (`assets/lexicons/handback.yaml`)."""
    other = _PAIRED.get(task)
    words = (load_lexicon("handback").get("also_asks") or {}).get(other) or {}
    text = (hint or "").lower()
    said = [str(w).lower() for lang_words in words.values() for w in lang_words or []]
    return other if other and any(w in text for w in said) else None


def _with_also_asked(result: TaskResult, customer: Customer, lang: str, hint: str) -> TaskResult:
    """`result` with the other figure the request named said after it, in one line: a request
    for two figures never silently gets one. The task stays the one the agent picked."""
    other = also_asked(result.task, hint)
    if other is None:
        return result
    extra = lookup(other, customer, lang, hint=hint)
    text = ("" if lang == "zh" else " ").join((result.text, extra.text))
    return TaskResult(result.task, result.ok, text, {**result.data, **extra.data})


def run_task(
    task: Task,
    customer: Customer,
    lang: str,
    store: Store,
    *,
    hint: str = "",
    caller: str | None = None,
    call_id: str | None = None,
    ticket_id: str | None = None,
    now: datetime | None = None,
) -> TaskResult:
    """Carry out one hand-back task for `customer`, answering in `lang`.

    Args:
        hint: what the agent or customer said (an order id or a month narrows the lookup).
        caller: the number the call came from, for the identity check. That check asks the
            caller first: its result is `pending`, and `answer_task` takes their answer.
        call_id, ticket_id: what a survey is about.
    """
    if task in LOOKUPS:
        return _with_also_asked(lookup(task, customer, lang, hint=hint, at=now), customer, lang, hint)
    zh = lang == "zh"
    if task == "identity_check":
        check = start_check(customer, caller)
        if check.factor is None:
            return _identity_result(number_only(check, lang))
        return _identity_result(Verdict(check, None, question_text(check, lang)))
    if task == "send_survey":
        at = now or utcnow()
        survey = store.upsert_survey(
            Survey(
                ticket_id=ticket_id,
                customer_id=customer.id,
                call_id=call_id,
                status=SurveyStatus.SENT,
                created_at=at,
                sent_at=at,
            )
        )
        text = (
            "满意度调查短信已发送，欢迎您抽空评价。"
            if zh
            else "I've sent you a short satisfaction survey by text. Thank you."
        )
        return TaskResult(task, True, text, {"survey_id": survey.id})
    raise ValueError(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")
