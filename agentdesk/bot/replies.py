"""What the bot says, in Chinese and English. Wording lives here, decisions live in the engine."""

from __future__ import annotations

import re

from agentdesk.domain.models import Customer, Tier
from agentdesk.domain.transfers import TriggerRule

_LINES: dict[str, tuple[str, str]] = {
    "greeting": (
        "您好，明讯通信智能客服，请问有什么可以帮您？",
        "Hello, you're through to Lumen Connect. How can I help today?",
    ),
    "greeting_named": (
        "{name}您好，明讯通信智能客服，请问有什么可以帮您？",
        "Hello {name}, you're through to Lumen Connect. How can I help today?",
    ),
    "clarify": (
        "抱歉，我没有完全明白，您能说得具体一些吗？比如是账单、流量套餐、订单还是退款的问题？",
        "Sorry, I didn't quite get that. Could you tell me a bit more: is it about a bill, your plan, an order or a refund?",
    ),
    "clarify_more": (
        "您能说得具体一些吗？比如是账单、流量套餐、订单还是退款的问题？",
        "Could you tell me a bit more: is it about a bill, your plan, an order or a refund?",
    ),
    "confirm_topic": ("请问是关于{title}的问题吗？", "Is it about {title}?"),
    "sorry_trouble": ("非常抱歉给您带来不便。", "I'm sorry about the trouble."),
    "sorry_again": ("抱歉刚才没有答到点上。", "Sorry, that wasn't what you needed."),
    "clarify_topic": (
        "关于{topic}，您具体想了解什么？说一下具体情况我来帮您查。",
        "What would you like to know about your {topic}? Tell me a little more and I'll look into it.",
    ),
    "clarify_topic_2": (
        "您能换个说法说说{topic}的问题吗？如果想找人工客服，直接说就可以。",
        "Could you put your {topic} question another way? If you'd rather talk to an adviser, just say so.",
    ),
    "sorry_again_2": ("抱歉，我还是没能帮上忙。", "I'm sorry, I still haven't got it."),
    "clarify_more_2": (
        "您能换个说法吗？比如“这个月话费为什么变多了”或者“我的订单到哪了”。想找人工客服的话，直接说就可以。",
        'Could you put it another way? For example, "why is my bill higher this month?" or "where is my order?"'
        " If you'd rather talk to an adviser, just say so.",
    ),
    "anything_else": ("好的。请问还有其他可以帮您的吗？", "Okay. Is there anything else I can help with?"),
    "order_go_on": ("好的，请接着说完订单号。", "Got that, go on: what's the rest of the order number?"),
    "complaint_added": (
        "好的，已补充到您的投诉工单{ticket}，处理的同事会一并看到。",
        "Thank you, I've added that to your complaint {ticket} so the team handling it sees it.",
    ),
    "complaint_added_2": (
        "收到，这一条也记到工单{ticket}上了。",
        "Got it, that's on complaint {ticket} too.",
    ),
    "take_your_time": ("好的，您不着急，我在听。", "No problem, take your time. I'm still here."),
    "how_can_i_help": ("请问有什么可以帮您？", "What can I help you with today?"),
    "slower_first": (
        "好的，我说慢一点。请问有什么可以帮您？",
        "Of course, I'll speak more slowly. What can I help you with today?",
    ),
    "social_bot": (
        "是的，我是明讯通信的智能客服，大部分问题我都能帮您处理；想找人工的话，直接说“转人工”就可以。",
        "Yes, I'm Lumen Connect's virtual assistant. I can sort out most things, and if you'd rather speak to a person, just say so.",
    ),
    "social_intro": ("您好，很高兴为您服务。", "Hello, nice to speak to you."),
    "social_chat": ("是啊，谢谢您跟我聊这些。", "Thanks for the chat, I enjoyed that."),
    "anything_more": ("请问还有其他可以帮您的吗？", "Is there anything else I can help with?"),
    "greeting_back": ("您好，请问有什么可以帮您？", "Hello! What can I help you with today?"),
    "say_again": ("好的，我再说一遍：", "Of course, here it is again:"),
    "in_short": ("简单说就是：", "In short:"),
    "goodbye": ("不客气，感谢您的来电，再见。", "You're welcome. Thanks for calling Lumen Connect. Goodbye."),
    "collecting": (
        "好的，已为您记录，坐席马上为您服务，请稍候。",
        "Thank you, I've noted that. An adviser will be with you shortly.",
    ),
    "adviser_soon": ("坐席马上为您服务，请稍候。", "An adviser will be with you shortly."),
    "adviser_soon_2": (
        "请不要挂机，坐席很快就会接听。",
        "Please stay on the line; an adviser will pick up shortly.",
    ),
    "adviser_soon_3": ("请再稍等一下，坐席马上就来。", "Just a moment longer; an adviser is on the way."),
    "adviser_busy": (
        "目前排队人数较多，坐席空闲后会尽快为您接通，请稍候。",
        "It's busy right now; you'll be put through as soon as an adviser is free.",
    ),
    "adviser_busy_2": (
        "您仍在排队中，坐席一有空闲就为您接通。",
        "You're still in the queue, and I'll put you through the moment an adviser is free.",
    ),
    "adviser_busy_3": (
        "感谢您耐心等待，您仍在队列中，下一位空闲的坐席会为您服务。",
        "Thanks for bearing with us; you're still in line for the next free adviser.",
    ),
    "queue_position": (
        "目前大约有{n}位客户在排队，坐席空闲后会尽快为您接通，请稍候。",
        "There are about {n} callers waiting; you'll be put through as soon as an adviser is free.",
    ),
    "noted": ("好的，已为您记录。", "Thank you, I've noted that."),
    "noted_upset": (
        "抱歉让您这么着急，您说的我都记下了，坐席接通后不用再重复。",
        "I'm sorry it's come to this. I've noted all of it, so you won't have to repeat yourself.",
    ),
    "noted_upset_2": (
        "明白，这些也都记下了。",
        "Understood, and that's on record too.",
    ),
    "noted_2": ("明白，这一点我也记下了。", "Got it, I've noted that too."),
    "noted_3": ("好的，已补充到您的记录里。", "Okay, that's added to your notes."),
    "added_for_adviser": (
        "这个问题我也已经记下，坐席接通时就能看到，您不用再重复说明。",
        "I've added that to what the adviser will see, so you won't need to explain it again.",
    ),
    "added_for_adviser_2": (
        "这个问题也已一并转给坐席，接通后坐席能直接看到。",
        "That's been added for the adviser as well, so they'll see it when they pick up.",
    ),
    "welcome": ("不客气。", "You're welcome."),
    "wait_goodbye": (
        "好的，您说的情况我都已记录，下次来电无需重复说明。感谢您的来电，再见。",
        "No problem. Everything you've told me is on record, so you won't need to repeat it if you call again. Thanks for calling, goodbye.",
    ),
    "callback_noted": (
        "好的，已记录，我们回电时会一并为您处理。",
        "Thank you, I've noted that with your callback, and we'll go through it when we call you.",
    ),
    "callback_noted_2": (
        "明白，这一点也已补充到回电工单里。",
        "Got it, that's added to your callback notes too.",
    ),
    "callback_noted_3": (
        "好的，这个也记下了，给您回电的同事都能看到。",
        "Okay, I've noted that as well; whoever calls you back will see it.",
    ),
    "callback_nobody_now": (
        "是的，现在是非人工服务时间，暂时没有坐席可以处理。已为您登记回电，我们会在{promise}，您说的情况都已记录。",
        "That's right, no adviser is on at the moment. Your callback is booked: we'll {promise}, with everything you've told me.",
    ),
    "callback_other_number": (
        "可以的。请告诉我您希望我们回电的号码，我记在回电工单上。",
        "Yes, of course. What number should we call you on? I'll put it on your callback.",
    ),
    "callback_number": (
        "好的，已记下回电号码（尾号{last4}），我们会在{promise}。",
        "Thank you, I've put that number, ending {last4}, on your callback: we'll {promise}.",
    ),
    "callback_offer": (
        "现在是非人工服务时间。您可以先告诉我是什么问题，很多问题我现在就能帮您处理；需要人工的话，我为您登记回电。",
        "Our advisers are closed right now. Tell me what it's about: I can help with a lot straight away, or book you a callback.",
    ),
    "callback_rest": (
        "其余的需要人工办理，已记在回电工单上，回电的同事会为您处理。",
        "The rest needs an adviser: it's on your callback, and they'll take it from there when they call.",
    ),
    "callback_booked": (
        "现在是非人工服务时间，已为您登记回电工单。",
        "Our advisers are closed right now, so I've booked you a callback.",
    ),
    "callback_tell_me": (
        "您也可以先说说具体情况，能马上处理的我现在就帮您。",
        "Meanwhile, tell me what's happened: I may be able to help straight away.",
    ),
    "callback_time_set": (
        "我们会在{when}给您回电，已记在回电工单上。",
        "We'll call you {when}; that's on your callback now.",
    ),
    "callback_time_outside": (
        "抱歉，{wish}不在人工服务时间内，最早可以在{when}给您回电。您希望的时间也已记在回电工单上。",
        "Sorry, our advisers aren't working {wish}. The soonest we can call you is {when}, and I've put the time you'd like on your callback.",
    ),
    "callback_time_noted": (
        "好的，您说的回电时间“{words}”已记在回电工单上，回电的同事会看到。目前我们会在{promise}。",
        "Thank you, I've put \"{words}\" on your callback so the adviser sees when suits you. For now we'll {promise}.",
    ),
    "wait_callback_offer": (
        "抱歉让您久等了，您说的情况都已记录，下次来电无需重复说明。需要的话，我可以为您登记回电，免得您再打过来，您看需要吗？",
        "Sorry for the wait. Everything you've told me is on record. If you like, I can book you a callback so you don't have to ring again. Shall I?",
    ),
    "callback_offer_procedure": (
        "这一步需要人工办理，现在是非人工服务时间。需要的话，我可以为您登记回电，人工上班后联系您。",
        "That part needs an adviser, and they're closed right now. Would you like me to book you a callback for when they're in?",
    ),
    "callback_cancelled": (
        "好的，回电已取消，我们不会给您打电话。感谢您的来电，再见。",
        "No problem: I've cancelled the callback, so nobody will ring you. Thanks for calling, goodbye.",
    ),
    "callback_cancelled_opening": (
        "好的，回电已取消，我们不会给您打电话。人工服务{opening}开始，欢迎届时来电。感谢您的来电，再见。",
        "No problem: I've cancelled the callback, so nobody will ring you. Our advisers are in again {opening}. Thanks for calling, goodbye.",
    ),
    "callback_accepted": (
        "好的，已为您登记回电，我们会在{promise}，您说的情况都已记录。感谢您的来电，再见。",
        "Done: your callback is booked, and we'll {promise}, with everything you've told me. Thanks for calling, goodbye.",
    ),
    "transfer": (
        "好的，正在为您转接人工客服，请稍候。",
        "Of course. I'm putting you through to an adviser now.",
    ),
    "transfer_procedure": (
        "正在为您转接专员，请稍候。",
        "I'm putting you through to a specialist now.",
    ),
    "transfer_unanswered": (
        "这个问题我暂时无法解答，我已记下您的问题，为您转接人工客服，请稍候。",
        "I can't answer that myself, so I've noted your question and I'm putting you through to an adviser.",
    ),
    "transfer_dissatisfied": (
        "抱歉没能解决您的问题，我为您转接人工客服进一步处理，请稍候。",
        "I'm sorry I haven't been able to help. I'll put you through to an adviser.",
    ),
    "transfer_priority": (
        "非常理解您的心情，您的情况我已完整记录，马上为您优先转接资深专员。",
        "I completely understand. I'm putting you through to a senior specialist with everything you've told me.",
    ),
    "transfer_vip": (
        "您的需求比较复杂，我为您转接专属坐席，请稍候。",
        "Understood. I'm putting you through to your dedicated adviser now.",
    ),
    "queue_busy": ("目前排队人数较多，请您耐心等待。", "It's busy right now, so there may be a short wait."),
    "callback": (
        "现在是非人工服务时间，已为您登记回电工单，我们会在{promise}。",
        "Our advisers are closed right now, so I've booked you a callback: we'll {promise}.",
    ),
    "complaint_facts": (
        "非常抱歉给您带来不便。请您说一下具体情况，比如订单号或号码、发生的时间和地点，我为您登记。",
        "I'm sorry to hear that. Tell me the details, such as the order or number, when and where it happens, and I'll log it.",
    ),
    "complaint_filed": (
        "感谢您提供的信息。{remedy}已为您登记投诉，工单号{ticket}。",
        "Thank you. {remedy} Your complaint reference is {ticket}.",
    ),
    "order_not_found": (
        "您的账户下没有找到订单{order}，麻烦您核对一下订单号。",
        "I can't find order {order} on your account. Could you check the number for me?",
    ),
    "end_politely": (
        "感谢您的耐心，坐席会尽快跟进，再见。",
        "Thank you for your patience; an adviser will follow up. Goodbye.",
    ),
    "survey": (
        "稍后会给您发送一条满意度短信，欢迎您抽空评价。",
        "We'll text you a short satisfaction survey. Thank you.",
    ),
}


def say(key: str, lang: str, **values: object) -> str:
    """A bot line by key in `lang` (`zh`, else English), with placeholders filled."""
    zh, en = _LINES[key]
    return (zh if lang == "zh" else en).format(**values)


def vary(key: str, lang: str, n: int, **values: object) -> str:
    """The `n`th wording (from 0) of a line the caller may hear again and again: `key`, then
    `key_2`, `key_3` ... in turn, so a caller who speaks again never hears the same sentence
    twice in a row."""
    keys = [key, *(k for i in range(2, 10) if (k := f"{key}_{i}") in _LINES)]
    return say(keys[n % len(keys)], lang, **values)


def greeting(customer: Customer | None, lang: str) -> str:
    """The opening line; known customers are greeted by name."""
    if customer is None:
        return say("greeting", lang)
    name = customer.name if lang == "zh" else customer.name.split()[0]
    return say("greeting_named", lang, name=name)


def transfer_line(
    rules: set[TriggerRule],
    tier: Tier,
    lang: str,
    *,
    busy: bool,
    procedure: bool = False,
    dissatisfied: bool = False,
) -> str:
    """The transfer announcement that fits why the call is going to a human.

    Args:
        rules: the rules in the ledger.
        tier: the customer's tier.
        lang: the call's language.
        busy: the queue is long; a wait is announced.
        procedure: the KB answer names a procedure only a person can carry out, so the
            no-answer rule is a hand-over to a specialist, not a question the bot missed.
        dissatisfied: the customer said an answer did not help; the bot apologises, unless
            it has just read the procedure the specialist carries out.
    """
    if rules & {TriggerRule.STRONG_EMOTION, TriggerRule.COMPLEX_COMPLAINT}:
        key = "transfer_priority"
    elif TriggerRule.HIGH_VALUE in rules or tier is Tier.VIP:
        key = "transfer_vip"
    elif TriggerRule.REPEATED_DISSATISFACTION in rules or (
        dissatisfied and TriggerRule.NO_ANSWER in rules and not procedure
    ):
        key = "transfer_dissatisfied"
    elif TriggerRule.ASKED_FOR_HUMAN in rules:
        key = "transfer"
    elif TriggerRule.NO_ANSWER in rules:
        key = "transfer_procedure" if procedure else "transfer_unanswered"
    else:
        key = "transfer"
    return join(lang, say(key, lang), say("queue_busy", lang) if busy else "")


def confirm_topic(title: str, lang: str) -> str:
    """The bot's yes/no question about the article it thinks the caller means; an English
    title reads in the sentence ("Is it about data rollover?"), an acronym stays (5G)."""
    if lang != "zh" and len(title) > 1 and title[1].islower():
        title = title[0].lower() + title[1:]
    return say("confirm_topic", lang, title=title)


TOPICS: dict[str, tuple[str, str]] = {
    "billing": ("账单", "bill"),
    "data_plans": ("套餐和流量", "plan or data"),
    "orders_delivery": ("订单", "order"),
    "refunds": ("退款", "refund"),
    "account_security": ("账户", "account"),
}
"""What a KB category is called when the bot asks about it ("Tell me a bit more about your refund")."""


def clarify(lang: str, n: int, topic: str | None = None) -> str:
    """The bot's `n`th request to say more (from 0), about the call's topic when the caller named
    one ("what about your refund ..."), else with the list of topics; worded anew each time."""
    if topic is None:
        return vary("clarify_more", lang, n)
    zh, en = TOPICS[topic]
    return vary("clarify_topic", lang, n, topic=zh if lang == "zh" else en)


def join(lang: str, *parts: str) -> str:
    """Sentences spoken one after another: no space between Chinese ones, one between English."""
    return ("" if lang == "zh" else " ").join(p.strip() for p in parts if p and p.strip())


_FIRST_SENTENCE = re.compile(r".+?(?:[。！？!?]|\.(?=\s|$)|$)", re.S)


def first_sentence(text: str) -> str:
    """The first sentence of a line ("In short: ..." for a caller who asked it more simply)."""
    m = _FIRST_SENTENCE.match(text.strip())
    return m.group().strip() if m else text.strip()
