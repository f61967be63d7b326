"""Phone, ID and card numbers leave the server masked unless the role may see them (supervisors)."""

from __future__ import annotations

import httpx
import pytest

from agentdesk.domain.models import Speaker, Ticket, Utterance
from agentdesk.domain.transfers import HandoffPacket, Transfer
from tests.server.conftest import ID_NUMBER, PHONE, Served

CARD = "4111 1111 1111 1111"
MASKED_PHONE = "138****5678"


def _sensitive_records(served: Served) -> None:
    line = Utterance(speaker=Speaker.CUSTOMER, text=f"我的手机是{PHONE}，卡号{CARD}")
    served.store.append_utterance("CALL-1", line)
    packet = HandoffPacket(
        customer_id="C1",
        summary=f"customer {PHONE} disputes a charge on card {CARD}",
        transcript=[line],
        details={"phone": PHONE, "id_number": ID_NUMBER, "order_id": "LC20261101-8812"},
    )
    served.store.create_transfer(Transfer(id="TR-S", call_id="CALL-1", packet=packet))
    served.store.create_ticket(
        Ticket(id="TK-S", subject=f"回电 {PHONE}", intent=f"card {CARD} charged twice")
    )


def _texts(served: Served, role: str) -> dict[str, str]:
    with served.client(role) as c:
        responses = {
            "customer": c.get("/customers/C1"),
            "customers": c.get("/customers", params={"search": "李"}),
            "transfer": c.get("/transfers/TR-S"),
            "queue": c.get("/transfers"),
            "utterances": c.get("/calls/CALL-1/utterances"),
            "events": c.get("/events"),
        }
        if role != "bot":
            responses["ticket"] = c.get("/tickets/TK-S")
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    return {name: r.text for name, r in responses.items()}


@pytest.mark.parametrize("role", ["agent", "bot", "trainer"])
def test_roles_without_clearance_never_receive_a_full_number(served: Served, role: str) -> None:
    _sensitive_records(served)
    for name, text in _texts(served, role).items():
        assert PHONE not in text, name
        assert ID_NUMBER not in text, name
        assert CARD not in text, name
    texts = _texts(served, role)
    assert MASKED_PHONE in texts["customer"]
    assert "1111" in texts["transfer"] and "**** **** **** 1111" in texts["transfer"]
    # Order numbers are not sensitive: agents need to read them out.
    assert "LC20261101-8812" in texts["transfer"]


def test_supervisors_see_the_numbers_as_stored(served: Served) -> None:
    _sensitive_records(served)
    texts = _texts(served, "supervisor")
    for name in ("customer", "transfer", "utterances", "ticket"):
        assert PHONE in texts[name], name
    assert ID_NUMBER in texts["customer"] and CARD in texts["transfer"]


def test_masking_changes_only_what_goes_out(served: Served) -> None:
    _sensitive_records(served)
    _texts(served, "agent")
    assert served.store.get_customer("C1").phone == PHONE
    assert served.store.get_transfer("TR-S").packet.details["id_number"] == ID_NUMBER


def test_a_bot_posting_a_packet_gets_it_back_masked(served: Served) -> None:
    body = {"packet": {"customer_id": "C1", "details": {"phone": PHONE}, "summary": f"call me on {PHONE}"}}
    with served.client("bot") as bot:
        created = bot.post("/transfers", json=body)
    assert created.status_code == 201
    assert PHONE not in created.text and MASKED_PHONE in created.text
    assert served.store.get_transfer(created.json()["id"]).packet.details["phone"] == PHONE


@pytest.mark.parametrize("role", ["agent", "bot", "trainer"])
def test_masked_digits_cannot_be_recovered_through_customer_search(served: Served, role: str) -> None:
    with served.client(role) as c:

        def found(term: str) -> list[str]:
            response = c.get("/customers", params={"search": term})
            assert response.status_code == 200
            return [x["id"] for x in response.json()]

        # The QA probe: the masked 138****5678 shows 138; guess the next digits one by one.
        assert [found(PHONE[:3] + d) for d in "0123456789"] == [[]] * 10
        assert found(PHONE[3:7]) == [] and found(PHONE[:-1]) == [] and found(PHONE[-4:]) == []
        # The whole number still identifies a caller (the bot needs that), as does the name.
        assert found(PHONE) == ["C1"] and found("138 1234 5678") == ["C1"] and found("李娜") == ["C1"]


def test_supervisors_still_find_customers_by_part_of_a_number(served: Served) -> None:
    with served.client("supervisor") as boss:
        assert [x["id"] for x in boss.get("/customers", params={"search": PHONE[3:7]}).json()] == ["C1"]


@pytest.mark.parametrize("role", ["agent", "trainer"])
def test_ticket_search_matches_no_digit_that_is_masked_for_the_reader(served: Served, role: str) -> None:
    served.store.create_ticket(Ticket(id="TK-N", subject="回电 订单 LC20261101-8812"))
    served.store.update_ticket("TK-N", note=f"客户手机 {PHONE}")
    with served.client(role) as c, served.client("supervisor") as boss:

        def found(client: httpx.Client, text: str) -> list[str]:
            page = client.get("/tickets", params={"text": text}).json()
            assert page["total"] == len(page["items"])
            return [t["id"] for t in page["items"]]

        assert found(c, PHONE) == []
        assert found(c, "LC20261101") == ["TK-N"] and found(c, "回电") == ["TK-N"]
        assert found(boss, PHONE) == ["TK-N"]


def test_numbers_written_with_dots_or_in_chinese_numerals_go_out_masked(served: Served) -> None:
    for i, text in enumerate(["phone 138.1234.5678", "我的手机是一三八一二三四五六七八"]):
        served.store.append_utterance("CALL-1", Utterance(id=f"U-N{i}", speaker=Speaker.CUSTOMER, text=text))
    with served.client("agent") as agent:
        lines = agent.get("/calls/CALL-1/utterances").text
        events = agent.get("/events").text
    for text in (lines, events):
        assert "1234" not in text and "一二三四" not in text
        assert "138.****.5678" in text and "一三八****五六七八" in text


def test_a_card_read_over_two_lines_goes_out_masked_as_one_number(served: Served) -> None:
    halves = ["the card number is 4929 1234", "5678 9012"]
    lines = [Utterance(id=f"U-H{i}", speaker=Speaker.CUSTOMER, text=t) for i, t in enumerate(halves)]
    for line in lines:
        served.store.append_utterance("CALL-1", line)
    packet = HandoffPacket(
        customer_id="C1", key_sentences=halves, summary=" / ".join(halves), transcript=lines
    )
    served.store.create_transfer(Transfer(id="TR-H", call_id="CALL-1", packet=packet))
    with served.client("agent") as agent:
        said = [u["text"] for u in agent.get("/calls/CALL-1/utterances").json()]
        shown = agent.get("/transfers/TR-H").json()["packet"]
    assert said == ["the card number is **** ****", "**** 9012"]
    assert shown["key_sentences"] == said
    assert [u["text"] for u in shown["transcript"]] == said
    assert shown["summary"] == "the card number is **** **** / **** 9012"


def test_a_number_read_out_in_english_words_goes_out_masked(served: Served) -> None:
    text = "my mobile is oh seven seven double oh nine double oh three five nine"
    served.store.append_utterance("CALL-1", Utterance(id="U-W", speaker=Speaker.CUSTOMER, text=text))
    with served.client("agent") as agent:
        said = agent.get("/calls/CALL-1/utterances").json()[0]["text"]
    assert said == "my mobile is * * * * * * * oh three five nine"


def test_polling_only_the_new_lines_still_masks_the_second_half_of_a_card(served: Served) -> None:
    halves = ["the card number is 4929 1234", "5678 9012"]
    for i, text in enumerate(halves):
        served.store.append_utterance("CALL-1", Utterance(id=f"U-P{i}", speaker=Speaker.CUSTOMER, text=text))
    with served.client("agent") as agent:
        first = agent.get("/calls/CALL-1/utterances").json()
        since = first[0]["seq"]
        polled = agent.get("/calls/CALL-1/utterances", params={"since_seq": since}).json()
    with served.client("supervisor") as boss:
        raw = boss.get("/calls/CALL-1/utterances", params={"since_seq": since}).json()
    assert [u["text"] for u in polled] == ["**** 9012"]
    assert [u["text"] for u in raw] == ["5678 9012"]
