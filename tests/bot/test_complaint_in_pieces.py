"""A calm complaint whose details come a piece at a time: the bot asks for the details the
KB article's own team needs, logs the complaint with that article's promise, and puts what
the caller adds afterwards on the same ticket instead of searching it as a new question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import Outcome
from agentdesk.domain.models import Customer, TicketType

AT = {"zh": datetime(2026, 11, 24, 2, 30, tzinfo=UTC), "en": datetime(2026, 11, 24, 10, 30, tzinfo=UTC)}
LINES = {
    "zh": [
        "你好 我想投诉一下 就是我家里信号一直不太好",
        "地址是 嗯 朝阳区望京西园三区 十二号楼",
        "主要是晚上 在屋里打电话老断",
        "手机是华为mate六十",
    ],
    "en": [
        "Hi, I'd like to complain, the signal at my house has been rubbish for weeks",
        "It's 14 Mill Lane, flat 2",
        "Mostly in the evenings, calls just drop indoors",
        "I've got an iPhone 13",
    ],
}
SIGNAL = {"zh": "zh-complaint_policy-005", "en": "en-complaint_policy-005"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_complaint_told_in_pieces_is_logged_once_and_the_rest_goes_on_its_ticket(
    engine: BotEngine, lang: str
) -> None:
    customer = Customer(id="C903", name="赵敏" if lang == "zh" else "Kim Ray", language=lang)
    state, _ = engine.start("CALL-P", lang, AT[lang], customer=customer)
    turns = [
        engine.hear(state, line, AT[lang] + timedelta(seconds=10 * (i + 1)))
        for i, line in enumerate(LINES[lang])
    ]
    asked, logged, *added = turns
    article = engine.kb.get(SIGNAL[lang])
    assert article is not None and asked.reply is not None and asked.reply.text == article.answer
    assert logged.ticket is not None and logged.ticket.type is TicketType.COMPLAINT
    (ticket,) = [t for t in state.tickets if t.type is TicketType.COMPLAINT]
    assert ("3个工作日" if lang == "zh" else "3 working days") in (ticket.promise or "")
    for turn, line in zip(added, LINES[lang][2:], strict=True):
        assert turn.reply is not None and ticket.id in turn.reply.text
        assert any(line in n.text for n in ticket.notes)
    assert added[0].reply is not None and added[1].reply is not None
    assert added[0].reply.text != added[1].reply.text
    assert state.outcome is Outcome.CONTAINED and not state.ledger and state.unanswered == 0
