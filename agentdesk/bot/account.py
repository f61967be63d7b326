"""Answers from the caller's own account: their order's status, balance or bill, read out by
the bot when the caller asks (`KBArticle.lookup`, an order number) instead of only telling
them where to look. Pure over the call's state; the data comes with the customer."""

from __future__ import annotations

import re
from datetime import datetime

from agentdesk.bot import replies, tasks
from agentdesk.bot.analysis import LineAnalysis
from agentdesk.bot.details import order_id_in_two
from agentdesk.bot.number_words import en_prices
from agentdesk.bot.state import CallState
from agentdesk.domain.models import KBArticle, Order, Speaker
from agentdesk.nlp.lexicon import word_list
from agentdesk.nlp.moves import asks_arrival, asks_whereabouts
from agentdesk.nlp.text import zh_words


def _now(state: CallState) -> datetime:
    """The call's time: when the caller's latest line was heard (never the machine's clock)."""
    return state.utterances[-1].at if state.utterances else state.started_at


def names_account_item(line: str) -> bool:
    """The line names an order or a month: a lookup read before may now read another one."""
    return bool(tasks.order_ids(line) or tasks.months_named(line))


def figure(state: CallState, article: KBArticle, line: str, *, heard: bool) -> str:
    """The caller's own figure that answers `article` (their balance, bill or order status),
    or "" when it has no lookup or the account cannot say. On a follow-up on a heard article
    only a line naming another order or month is looked up again."""
    if not article.lookup or state.customer is None or (heard and not names_account_item(line)):
        return ""
    result = tasks.lookup(article.lookup, state.customer, state.language, hint=line, at=_now(state))
    return result.text if result.ok else ""


def order_reply(state: CallState, a: LineAnalysis, *, asked: bool = False) -> str:
    """The status of the caller's order the line names, read from their account, when the
    bot was asked to check it: the line answers its request for the order number (`asked`),
    its best KB match is an answer that offers to check the order, or it asks nothing else
    the KB answers ("It's LC20261110-2718."). An id not on the account is said so. Empty
    when the line names no order or asks something else."""
    ids = tasks.order_ids(a.text) or _read_in_two(state, a.text)
    best = a.kb.best
    offers_check = best is not None and best.article.lookup == "order_status"
    if (
        not ids
        and state.customer is not None
        and (offers_check or asks_arrival(a.text) or asks_whereabouts(a.text))
    ):
        named = named_order(state.customer.orders, a.text)  # "我买的手机壳到哪了"
        ids = [named.id] if named else []
        asks_where = asks_arrival(a.text) or asks_whereabouts(a.text)
        if not ids and offers_check and (asks_where or _still_on_order(state)):
            # "我在你们商城买的东西到哪了？", or "就前天买的那个，单号我没记" after it: an order
            # that names none is one still on its way
            ids = [o.id for o in state.customer.orders if o.status in _ON_THE_WAY][:_MOST_READ]
    if state.customer is None or not ids:
        return ""
    if not (asked or offers_check or a.kb.answer is None):
        return ""
    named = [o for o in state.customer.orders if o.id in ids]
    if not named:
        return replies.say("order_not_found", state.language, order=ids[0])
    return replies.join(state.language, *(tasks.order_text(o, state.language, at=_now(state)) for o in named))


_ON_THE_WAY = frozenset({"processing", "shipped", "out_for_delivery"})
_MOST_READ = 3
"""Orders on their way read out at once, at most, when the caller names none."""


def _still_on_order(state: CallState) -> bool:
    """The caller's line before this one (the last analysed is this one) was about an
    order's status too."""
    best = state.analyses[-2].kb.best if len(state.analyses) >= 2 else None
    return best is not None and best.article.lookup == "order_status"


_BRACKETED = re.compile(r"（[^）]*）|\([^)]*\)")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_EN_WORD = re.compile(r"[a-z]{4,}")


def item_names(order: Order) -> set[str]:
    """What a caller calls an order by: each item's name and its head noun ("Wireless earbuds"
    -> earbuds, earbud; Mate 70 手机壳（蓝色） -> 手机壳; 双频路由器 -> 双频路由器, 路由器; "Tablet
    case" -> tablet case, as a bare "case" is an everyday word)."""
    names: set[str] = set()
    for item in order.items:
        item = _BRACKETED.sub(" ", item).lower()
        if han := _HAN_RUN.findall(item):
            words = zh_words(han[-1])
            head = words[-1] if len(words[-1]) > 1 or len(words) == 1 else words[-2] + words[-1]
            names |= {han[-1], head} if len(head) > 1 else {han[-1]}
        elif words := _EN_WORD.findall(item):
            head = " ".join(words[-2:]) if words[-1] in _GENERIC_ITEMS and len(words) > 1 else words[-1]
            names |= {head, head.removesuffix("s")}
    return names


_GENERIC_ITEMS = frozenset(["case", "cover", "pack", "set", "kit", "box", "bundle", "unit", "stand", "mount"])
"""English head nouns that are everyday words on their own ("in any case"): named with the word before."""


def named_order(orders: list[Order], line: str) -> Order | None:
    """The order whose item the line names ("the earbuds", 我买的手机充电器): the longest name
    said wins, so 手机充电器 is the charger, not the phone; a tie names none."""
    text = line.lower()
    said: list[tuple[int, Order]] = []
    for order in orders:
        hits = [
            n for n in item_names(order) if (n in text if not n.isascii() else re.search(rf"\b{n}s?\b", text))
        ]
        if hits:
            said.append((max(map(len, hits)), order))
    said.sort(key=lambda s: -s[0])
    if not said or (len(said) > 1 and said[0][0] == said[1][0] and said[0][1] is not said[1][1]):
        return None
    return said[0][1]


def charge_reply(state: CallState, a: LineAnalysis) -> str:
    """What a charge on the caller's bill was for, when the line names its amount and asks
    about it ("what's the 1.50 on my bill for?", 那个1块5是什么钱): the item read from their
    account. Empty when no bill item has an amount the line names, or the line does not ask."""
    if state.customer is None or not state.customer.bills:
        return ""
    lang = state.language
    text = a.text.lower()
    if not any(_said(c, text, lang) for c in word_list(f"details.{lang}", "charge_asks")):
        return ""
    if any(_said(v, text, lang) for v in word_list(f"details.{lang}", "charge_not_asks")):
        return ""  # paying, topping up or a refund of that amount is another question
    for amount in _amounts(a):
        if found := tasks.charges(state.customer, amount, a.text):
            return tasks.charge_text(*found, state.language)
    return ""


def _amounts(a: LineAnalysis) -> list[float]:
    """The amounts the line names: those collected as details, then prices said the short way
    ("the one fifty"), which only a figure on the account can confirm."""
    amounts = []
    for key, said in a.details.items():
        if key.startswith("amount") and not said.endswith("+"):
            try:
                amounts.append(float(said.lstrip("¥£$€").replace(",", "")))
            except ValueError:
                continue
    return amounts + en_prices(a.text)


def _read_in_two(state: CallState, line: str) -> list[str]:
    """An order number read out over the caller's last two lines (`details.order_id_in_two`),
    when the first holds no whole id."""
    said = [u.text for u in state.utterances if u.speaker is Speaker.CUSTOMER]
    if len(said) < 2 or said[-1] != line or tasks.order_ids(said[-2]):
        return []
    joined = order_id_in_two(said[-2], line)
    return [joined] if joined else []


RECENT_BOT_LINES = 3
"""How far back the bot's lines are read for the order a caller's "when will it arrive" means."""


def arrival_reply(state: CallState, a: LineAnalysis) -> str:
    """When the order the bot just read out arrives, for a caller who asks next ("so when's it
    actually getting here then?", 那大概什麼時候能到啊): from that order, not a KB search.
    Empty unless one of the bot's last few lines named exactly one of the caller's orders; while the caller
    waits for a person, the bot's hold lines since the transfer or callback are passed over."""
    if state.customer is None or tasks.order_ids(a.text) or not asks_arrival(a.text):
        return ""
    if a.request.category == "refunds":
        return ""  # "when will I get my money back" is about the refund, not the parcel
    bot = [u for u in state.utterances[:-1] if u.speaker is Speaker.BOT]
    waiting_from = state.decided_at_turn if state.decided and state.decided_at_turn is not None else None
    while len(bot) > 1 and waiting_from is not None and bot[-1].seq > waiting_from:
        if tasks.order_ids(bot[-1].text):
            break
        bot.pop()  # "an adviser will be with you shortly" names no order
    # the order read out lately: a clarifying line in between ("您能说得具体一些吗") names none
    said = next((u.text for u in reversed(bot[-RECENT_BOT_LINES:]) if tasks.order_ids(u.text)), "")
    named = set(tasks.order_ids(said))
    orders = [o for o in state.customer.orders if o.id in named]
    return tasks.arrival_text(orders[0], state.language, at=_now(state)) if len(orders) == 1 else ""


def _said(word: str, text: str, lang: str) -> bool:
    """`word` is in the (lower-cased) line: as a whole word in English, anywhere in Chinese."""
    if lang == "zh":
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None
