"""Agent assist: what to say and do next, refreshed on each final customer line (SPEC section 10).

Given the customer's latest line and the call so far, it returns KB answers with
calibrated confidence, one next best action, and a takeover script in the call's
language. Pure: the desk runs it in a worker and renders the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agentdesk.domain.models import EmotionLevel
from agentdesk.domain.scripts import Task
from agentdesk.domain.transfers import HandoffPacket, TriggerRule
from agentdesk.nlp.emotion import assess_emotion
from agentdesk.nlp.intents import classify_request
from agentdesk.nlp.kb import KBIndex, KBMatch

# Request categories a bot task can settle while the agent stays in control.
_TASK_FOR: dict[str, Task] = {"billing": "bill_lookup", "orders_delivery": "order_status"}
_TASK_WORDS: tuple[tuple[Task, tuple[str, ...]], ...] = (
    ("balance", ("余额", "balance", "credit left")),
    ("identity_check", ("核实身份", "验证身份", "verify", "identity", "是本人")),
    ("order_status", ("订单", "快递", "物流", "order", "parcel", "delivery")),
    ("bill_lookup", ("账单", "话费", "扣费", "bill", "charge")),
)


@dataclass(frozen=True)
class NextAction:
    """One recommended move, with the words to say or the task to hand back."""

    code: str
    """`de_escalate`, `hand_back`, `offer_callback`, `send_survey`, `answer` or `listen`."""
    text: str
    task: Task | None = None


@dataclass(frozen=True)
class Assist:
    """Everything the assist panel shows for one customer line."""

    line: str
    matches: tuple[KBMatch, ...]
    action: NextAction
    takeover: str


_SCRIPTS = {
    "takeover": (
        "{name}您好，我是{agent}。您和机器人的对话我都看到了，关于{intent}，我来为您处理。",
        "Hello {name}, this is {agent}. I've read your conversation with our assistant about {intent}, and I'll take it from here.",
    ),
    "de_escalate": (
        "非常理解您的心情，给您添麻烦了，我会负责跟进到底，先帮您把情况核实清楚。",
        "I'm really sorry about this, and I understand why you're upset. I'll own this and start by checking exactly what happened.",
    ),
    "hand_back": (
        "我请机器人帮您查一下，稍等几秒，结果马上回来。",
        "Let me have our assistant look that up for you; it takes a few seconds.",
    ),
    "offer_callback": (
        "这个需要进一步核实，我为您预约回电，在约定时间前给您答复，可以吗？",
        "This needs a little more checking. Shall I book a callback so we come back to you with the answer?",
    ),
    "send_survey": (
        "问题处理好了，稍后会给您发一条满意度短信，麻烦您评价一下。",
        "That's sorted. We'll text you a short survey afterwards; your feedback helps us.",
    ),
    "answer": ("可以这样回答：{answer}", "You can answer: {answer}"),
    "listen": (
        "先让客户说完，确认诉求后再给方案。",
        "Let the customer finish, confirm what they need, then offer a solution.",
    ),
}


def script(key: str, lang: str, **values: object) -> str:
    """A suggested line by key in the call's language."""
    zh, en = _SCRIPTS[key]
    return (zh if lang == "zh" else en).format(**values)


def _task_for(line: str, category: str) -> Task | None:
    lowered = line.lower()
    for task, words in _TASK_WORDS:
        if any(w in lowered for w in words):
            return task
    return _TASK_FOR.get(category)


def takeover_script(packet: HandoffPacket, agent_name: str) -> str:
    """What the agent says on picking up, so the customer knows nothing will be asked twice."""
    lang = "zh" if packet.language != "en" else "en"
    name = packet.customer_name or ("您" if lang == "zh" else "there")
    if lang == "en":
        name = name.split()[0]
    intent = packet.intent or ("您的问题" if lang == "zh" else "your request")
    return script("takeover", lang, name=name, agent=agent_name, intent=intent.rstrip("。.!！?？…"))


def suggest(
    line: str,
    packet: HandoffPacket,
    kb: KBIndex,
    *,
    agent_name: str,
    threshold: float = 0.45,
    context: Sequence[str] = (),
    resolved: bool = False,
) -> Assist:
    """Suggestions for the customer's latest final line.

    Args:
        line: the customer's latest final line.
        packet: the call's handoff packet (language, emotion, ledger).
        kb: the KB index the bot answers from.
        agent_name: who is speaking, for the takeover script.
        context: the customer's earlier lines, newest last.
        resolved: the agent marked the issue resolved (then a survey is next).
    """
    lang = "zh" if packet.language != "en" else "en"
    result = kb.search(line, k=3, threshold=threshold, language=lang, context=context)
    emotion = assess_emotion(line).level
    category = classify_request(line, result).category
    task = _task_for(line, category)
    if emotion >= EmotionLevel.UPSET or (
        TriggerRule.STRONG_EMOTION in packet.rules and emotion >= EmotionLevel.MILD
    ):
        action = NextAction("de_escalate", script("de_escalate", lang))
    elif resolved:
        action = NextAction("send_survey", script("send_survey", lang), task="send_survey")
    elif task is not None:
        action = NextAction("hand_back", script("hand_back", lang), task=task)
    elif result.answer is not None and not result.answer.article.procedure:
        action = NextAction("answer", script("answer", lang, answer=result.answer.article.answer))
    elif result.answer is not None:
        action = NextAction("offer_callback", script("offer_callback", lang))
    else:
        action = NextAction("listen", script("listen", lang))
    return Assist(
        line=line, matches=result.matches, action=action, takeover=takeover_script(packet, agent_name)
    )
