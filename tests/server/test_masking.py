"""Phone, ID and card numbers leave the server masked unless the role may see them (supervisors)."""

from __future__ import annotations

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
