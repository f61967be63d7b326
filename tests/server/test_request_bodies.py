"""Records posted to the API are held to the schema: unknown fields and malformed ids get 422."""

from __future__ import annotations

from typing import Any

import pytest

from agentdesk.domain.transfers import HandoffPacket, Transfer
from tests.server.conftest import Served

ARTICLE = {"id": "zh-9", "language": "zh", "category": "refunds", "title": "t", "answer": "a"}
FLAG = {"call_id": "CALL-1", "reason": "misheard", "flagged_by": "A1"}

MISSPELT: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("bot", "POST", "/calls", {"id": "CALL-X", "languag": "en"}, "languag"),
    ("bot", "PUT", "/calls/CALL-1", {"id": "CALL-1", "stauts": "ended"}, "stauts"),
    ("bot", "POST", "/calls/CALL-1/utterances", {"speaker": "customer", "text": "hi", "fnal": True}, "fnal"),
    ("bot", "POST", "/transfers", {"packet": {"emotion_levl": 3}}, "packet.emotion_levl"),
    (
        "bot",
        "POST",
        "/transfers",
        {"packet": {"transcript": [{"speaker": "customer", "text": "x", "emotoin": 2}]}},
        "packet.transcript.0.emotoin",
    ),
    (
        "bot",
        "POST",
        "/transfers",
        {"packet": {"ledger": [{"rule": "asked-for-human", "turn": 1, "evidnce": "x"}]}},
        "packet.ledger.0.evidnce",
    ),
    ("agent", "POST", "/tickets", {"subject": "x", "priorty": "high"}, "priorty"),
    (
        "agent",
        "POST",
        "/tickets",
        {"subject": "x", "notes": [{"author": "A1", "text": "n", "knd": "note"}]},
        "notes.0.knd",
    ),
    ("bot", "PUT", "/customers/C9", {"id": "C9", "name": "x", "teir": "vip"}, "teir"),
    (
        "bot",
        "PUT",
        "/customers/C9",
        {"id": "C9", "name": "x", "contacts": [{"kind": "phone", "value": "1", "primary": True}]},
        "contacts.0.primary",
    ),
    ("supervisor", "PUT", "/agents/A9", {"id": "A9", "name": "x", "skils": ["billing"]}, "skils"),
    ("trainer", "PUT", "/kb/articles/zh-9", {**ARTICLE, "anwser": "b"}, "anwser"),
    ("bot", "PUT", "/surveys/SV-9", {"id": "SV-9", "scroe": 5}, "scroe"),
    ("agent", "POST", "/feedback", {**FLAG, "commment": "x"}, "commment"),
    (
        "agent",
        "PUT",
        "/training/results/TRN-9",
        {"id": "TRN-9", "trainee": "A1", "script_id": "s", "decisons": []},
        "decisons",
    ),
    (
        "supervisor",
        "POST",
        "/transfers/TR-1/offer",
        {"agent_id": "A1", "rationale": {"scor": 1}},
        "rationale.scor",
    ),
    (
        "supervisor",
        "POST",
        "/transfers/TR-1/claim",
        {"agent_id": "A1", "rationale": {"stag": 1}},
        "rationale.stag",
    ),
]


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "field"), MISSPELT, ids=[f"{m[1]} {m[2]} {m[4]}" for m in MISSPELT]
)
def test_a_misspelt_field_is_refused_naming_it_and_nothing_is_written(
    served: Served, role: str, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    served.store.create_transfer(Transfer(id="TR-1", packet=HandoffPacket()))
    before = served.store.last_seq()
    with served.client(role) as client:
        answer = client.request(method, path, json=body)
    assert answer.status_code == 422, answer.text
    error = answer.json()
    assert error["error"] == "invalid_request"
    assert f"body.{field}" in [d["loc"] for d in error["details"]]
    assert field.rsplit(".", 1)[-1] in error["message"]
    assert served.store.last_seq() == before


def test_a_misspelt_field_in_a_reviewed_article_is_refused(served: Served) -> None:
    with served.client("agent") as agent:
        flag = agent.post("/feedback", json=FLAG).json()
    with served.client("trainer") as trainer:
        answer = trainer.post(
            f"/feedback/{flag['id']}/review", json={"accepted": True, "article": {**ARTICLE, "tilte": "x"}}
        )
    assert answer.status_code == 422
    assert "body.article.tilte" in [d["loc"] for d in answer.json()["details"]]


def test_the_documented_packet_is_accepted_as_it_is(served: Served) -> None:
    packet = {
        "customer_id": "C1",
        "customer_name": "李娜",
        "tier": "vip",
        "language": "zh",
        "intent": "双重扣费，要求退款",
        "request_type": "billing",
        "summary": "客户本月被扣费两次",
        "key_sentences": ["我这个月被扣了两次钱"],
        "transcript": [{"id": "U-6", "speaker": "customer", "text": "我这个月被扣了两次钱", "emotion": 2}],
        "emotion_level": 3,
        "emotion_trend": [1, 2, 3],
        "bot_answers": ["zh-billing-07"],
        "details": {"phone": "13812345678", "amount": "58.00"},
        "ledger": [{"rule": "asked-for-human", "turn": 7, "evidence": "我要转人工", "confidence": 0.98}],
        "complexity": 2,
        "prior_ticket_ids": ["TK-1A2B3C4D5E"],
        "prior_contacts": 2,
    }
    with served.client("bot") as bot:
        answer = bot.post(
            "/transfers", json={"id": "TR-20261124-0001", "call_id": "CALL-1", "packet": packet}
        )
    assert answer.status_code == 201, answer.text
    assert answer.json()["packet"]["emotion_level"] == 3


BAD_IDS = ["", "   ", "a/b", "x" * 101, "TK 1", "工单1", "a?b", "../etc"]

CREATES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("bot", "POST", "/calls", {}),
    ("bot", "PUT", "/calls/CALL-X", {}),
    ("bot", "POST", "/calls/CALL-1/utterances", {"speaker": "customer", "text": "hi"}),
    ("bot", "POST", "/transfers", {"packet": {}}),
    ("agent", "POST", "/tickets", {"subject": "x"}),
    ("agent", "POST", "/feedback", FLAG),
    ("bot", "PUT", "/customers/C-X", {"name": "x"}),
    ("supervisor", "PUT", "/agents/A-X", {"name": "x"}),
    ("trainer", "PUT", "/kb/articles/zh-x", {k: v for k, v in ARTICLE.items() if k != "id"}),
    ("bot", "PUT", "/surveys/SV-X", {}),
    ("agent", "PUT", "/training/results/TRN-X", {"trainee": "A1", "script_id": "s"}),
]


@pytest.mark.parametrize(("role", "method", "path", "body"), CREATES, ids=[f"{c[1]} {c[2]}" for c in CREATES])
def test_a_malformed_record_id_is_refused_on_every_create_route(
    served: Served, role: str, method: str, path: str, body: dict[str, Any]
) -> None:
    before = served.store.last_seq()
    with served.client(role) as client:
        for bad in BAD_IDS:
            answer = client.request(method, path, json={**body, "id": bad})
            assert answer.status_code == 422, (bad, answer.text)
            assert "body.id" in [d["loc"] for d in answer.json()["details"]], bad
    assert served.store.last_seq() == before


def test_ids_of_letters_digits_dots_colons_dashes_and_underscores_are_accepted(served: Served) -> None:
    with served.client("bot") as bot:
        call = bot.post("/calls", json={"id": "CALL-2026.11.24:0001_a"})
        line = bot.post(
            "/calls/CALL-2026.11.24:0001_a/utterances", json={"id": "U.1", "speaker": "bot", "text": "hi"}
        )
        server_picked = bot.post("/calls", json={})
    assert (call.status_code, line.status_code, server_picked.status_code) == (201, 200, 201)


def test_a_put_call_without_an_id_is_the_call_the_path_names(served: Served) -> None:
    with served.client("bot") as bot:
        call = bot.get("/calls/CALL-1").json()
        del call["id"]
        answer = bot.put("/calls/CALL-1", json={**call, "status": "ended", "outcome": "transferred"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["id"], answer.json()["status"]) == ("CALL-1", "ended")
    assert served.store.get_call("CALL-1").customer_id == "C1"


def test_a_put_call_leaving_fields_out_is_refused_naming_them_and_resets_nothing(served: Served) -> None:
    before = served.store.get_call("CALL-1")
    with served.client("bot") as bot:
        answer = bot.put(
            "/calls/CALL-1",
            json={"status": "ended", "ended_at": "2099-01-01T00:00:00Z", "outcome": "transferred"},
        )
    assert answer.status_code == 422, answer.text
    missing = {d["loc"] for d in answer.json()["details"]}
    assert {"body.customer_id", "body.started_at", "body.language"} <= missing
    assert "body.status" not in missing and "body.id" not in missing
    assert "PUT replaces the whole call" in answer.json()["message"]
    assert served.store.get_call("CALL-1") == before
