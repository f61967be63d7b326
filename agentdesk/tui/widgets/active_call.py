"""The call this agent is on, and the blocking steps the workspace runs for it with the bot.

The functions read and write the store: call them from worker threads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from agentdesk.bot import replies
from agentdesk.bot.tasks import TaskResult, answer_task, run_task
from agentdesk.domain.models import BotFeedback, BotMode, Customer, Speaker, Utterance
from agentdesk.domain.transfers import Transfer
from agentdesk.store.base import Store, StoreError
from agentdesk.tui.screens.flag_bot import Flag
from agentdesk.tui.screens.wrap_up import WrapUp


@dataclass
class ActiveCall:
    """The call this agent is on."""

    transfer: Transfer
    customer: Customer | None
    started: datetime
    source: str = ""
    resolved: bool = False
    customer_lines: list[str] = field(default_factory=list)
    history_lines: int = 0
    """Customer lines from the bot conversation; more than this means the agent is talking."""
    ticket_id: str | None = None
    """The ticket this call works on (saved during it, or the customer's open one); wrap-up finalises it."""
    ticket_is_case: bool = False
    """`ticket_id` is the customer's open ticket the handoff card shows, not one this call opened."""
    new_ticket_id: str | None = None
    """The id a new ticket chosen at wrap-up got on its first try; a retry files no second one."""
    wrap_up_failed: bool = False
    """A wrap-up of this call failed, perhaps after its write went through (the answer was lost)."""
    bot_mode: BotMode = BotMode.NORMAL
    """What the agent set the bot to do for this call (the call bar shows it)."""
    wrap_kept: WrapUp | None = None
    """The wrap-up dialog's choices when the agent last left it with Esc; it opens with them."""
    asking: TaskResult | None = None
    """A hand-back task waiting for the caller's answer (the identity check's question)."""
    asked_seq: int = 0
    """The caller's lines stored after this seq (the bot's question) answer `asking`."""
    answering: bool = False
    """An answer is being checked: later lines wait for the bot's next question."""

    @property
    def call_id(self) -> str:
        return self.transfer.call_id or self.transfer.id

    @property
    def language(self) -> str:
        return "en" if self.transfer.packet.language == "en" else "zh"


def run_bot_task(
    store: Store, call: ActiveCall, task: str, *, agent_id: str, at: datetime
) -> tuple[TaskResult, Utterance] | None:
    """Hand the customer to the bot for `task`; its answer is stored as a bot line of the call.

    None when the caller is not linked to a customer, so the bot has nothing to look up.
    """
    customer = call.customer or (
        store.get_customer(call.transfer.customer_id) if call.transfer.customer_id else None
    )
    if customer is None:
        return None
    result = run_task(
        task,
        customer,
        call.language,
        store,
        # what the bot collected (billing_month: 2026-09) first, so the customer's latest words win
        hint=" ".join([*call.transfer.packet.details.values(), *call.customer_lines[-2:]]),
        caller=customer.phone,  # type: ignore[arg-type]
        call_id=call.call_id,
        ticket_id=call.transfer.ticket_id,
        now=at,
    )
    return result, _bot_says(store, call, result.text, agent_id=agent_id)


def answer_bot_task(
    store: Store, call: ActiveCall, asking: TaskResult, said: str, *, agent_id: str
) -> tuple[TaskResult, Utterance]:
    """Give the caller's answer `said` to the task waiting for it; what the bot says next (its
    result, or the question once more) is stored as a bot line of the call."""
    result = answer_task(asking, said, call.language)
    return result, _bot_says(store, call, result.text, agent_id=agent_id)


def _bot_says(store: Store, call: ActiveCall, text: str, *, agent_id: str) -> Utterance:
    """Store what the bot said to the caller as a bot line of the call."""
    return store.append_utterance(
        call.call_id,
        Utterance(speaker=Speaker.BOT, text=text, language=call.language),  # type: ignore[arg-type]
        actor=agent_id,
    )


MODE_LINES = {BotMode.END_POLITELY: "end_politely"}
"""The line the bot says to the caller the moment the agent sets a mode, by mode: the same
words the bot engine uses (`bot.replies`) when it runs the call in that mode."""


def stored_bot_mode(store: Store, transfer: Transfer) -> BotMode:
    """The bot's mode stored with the transfer's call, so a resumed call shows its badge again;
    normal for a transfer without a stored call, or when the store cannot say (the badge is
    all that depends on it). Blocking: call it from a worker thread."""
    if not transfer.call_id:
        return BotMode.NORMAL
    try:
        return store.get_call(transfer.call_id).bot_mode
    except StoreError:  # not found, a team server away, a locked database
        return BotMode.NORMAL


def set_bot_mode(store: Store, call: ActiveCall, mode: BotMode, *, agent_id: str) -> Utterance | None:
    """Switch the bot's mode for the call (SPEC section 7); a mode that speaks at once (ending
    the call politely) has the bot say its line, stored as a bot line of the call."""
    stored = store.get_call(call.call_id)
    store.upsert_call(stored.model_copy(update={"bot_mode": mode}), actor=agent_id)
    key = MODE_LINES.get(mode)
    if key is None:
        return None
    line = Utterance(speaker=Speaker.BOT, text=replies.say(key, call.language), language=call.language)  # type: ignore[arg-type]
    return store.append_utterance(call.call_id, line, actor=agent_id)


def flag_feedback(flag: Flag, call_id: str, agent_id: str) -> BotFeedback:
    """The review-queue entry for a bot line the agent flagged."""
    return BotFeedback(
        call_id=call_id,
        utterance_id=flag.utterance.id,
        utterance_text=flag.utterance.text,
        reason=flag.reason,
        correct_article_id=flag.article_id,
        correct_text=flag.text,
        flagged_by=agent_id,
    )
