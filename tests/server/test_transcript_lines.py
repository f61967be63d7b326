"""Transcript lines over the API: never saved blank; a partial that came to nothing is taken back."""

from __future__ import annotations

import pytest

from agentdesk.store.base import TransferQuery
from tests.server.conftest import Served

LINES = "/calls/CALL-1/utterances"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u3000"])
@pytest.mark.parametrize("final", [True, False])
def test_a_line_with_no_text_is_refused_naming_the_text(served: Served, text: str, final: bool) -> None:
    before = served.store.last_seq()
    with served.client("bot") as bot:
        answer = bot.post(LINES, json={"id": "U-1", "speaker": "customer", "text": text, "final": final})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request"
    assert body["details"] == [
        {"loc": "body.text", "msg": "A transcript line needs text", "type": "blank_line"}
    ]
    assert "DELETE /calls/CALL-1/utterances/U-1" in body["message"]
    assert served.store.list_utterances("CALL-1") == []
    assert served.store.last_seq() == before


@pytest.mark.parametrize("text", ["", "  ", "\u3000"])
def test_a_transfer_whose_packet_holds_a_line_with_no_text_is_refused_naming_the_line(
    served: Served, text: str
) -> None:
    before = served.store.last_seq()
    transcript = [
        {"id": "U-1", "speaker": "customer", "text": "我要转人工"},
        {"id": "U-2", "speaker": "customer", "text": text},
    ]
    with served.client("bot") as bot:
        answer = bot.post("/transfers", json={"call_id": "CALL-1", "packet": {"transcript": transcript}})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request"
    assert body["details"] == [
        {"loc": "body.packet.transcript.1.text", "msg": "A transcript line needs text", "type": "blank_line"}
    ]
    assert "U-2" in body["message"]
    assert served.store.count_transfers(TransferQuery(statuses=frozenset())) == 0
    assert served.store.last_seq() == before


def test_a_partial_cannot_be_emptied_but_the_bot_takes_it_back(served: Served) -> None:
    with served.client("bot") as bot:
        bot.post(LINES, json={"id": "U-1", "speaker": "bot", "text": "您好"})
        bot.post(LINES, json={"id": "U-2", "speaker": "customer", "text": "嗯", "final": False})
        emptied = bot.post(LINES, json={"id": "U-2", "speaker": "customer", "text": " ", "final": True})
        taken = bot.delete(f"{LINES}/U-2", headers={"Idempotency-Key": "take-back-U-2"})
        retried = bot.delete(f"{LINES}/U-2", headers={"Idempotency-Key": "take-back-U-2"})
        next_line = bot.post(LINES, json={"id": "U-3", "speaker": "customer", "text": "查话费"})
        events = bot.get("/events", params={"since": 0}).json()
    assert emptied.status_code == 422
    assert taken.status_code == 200, taken.text
    assert (taken.json()["id"], taken.json()["seq"], taken.json()["final"]) == ("U-2", 2, False)
    assert (retried.status_code, retried.headers.get("Idempotent-Replayed")) == (200, "true")
    assert next_line.json()["seq"] == 3
    assert [(u.id, u.seq) for u in served.store.list_utterances("CALL-1")] == [("U-1", 1), ("U-3", 3)]
    retracted = [e for e in events if e["kind"] == "utterance.retracted"]
    assert [(e["entity_id"], e["actor"], e["data"]) for e in retracted] == [
        ("CALL-1", "voicebot", {"id": "U-2", "seq": 2})
    ]


def test_a_final_line_stays_and_a_missing_one_is_not_found(served: Served) -> None:
    with served.client("bot") as bot:
        bot.post(LINES, json={"id": "U-1", "speaker": "customer", "text": "我要转人工"})
        final = bot.delete(f"{LINES}/U-1")
        missing = bot.delete(f"{LINES}/U-9")
        no_call = bot.delete("/calls/NOPE/utterances/U-1")
    assert (final.status_code, final.json()["error"]) == (409, "conflict")
    assert "final" in final.json()["message"]
    assert (missing.status_code, missing.json()["entity"]) == (404, "utterance")
    assert (no_call.status_code, no_call.json()["entity"]) == (404, "call")
    assert [u.text for u in served.store.list_utterances("CALL-1")] == ["我要转人工"]


def test_only_the_writer_or_a_supervisor_takes_a_partial_back(served: Served) -> None:
    with served.client("bot") as bot:
        bot.post(LINES, json={"id": "U-1", "speaker": "customer", "text": "我想", "final": False})
        bot.post(LINES, json={"id": "U-2", "speaker": "customer", "text": "退", "final": False})
    with served.client("agent") as agent:
        refused = agent.delete(f"{LINES}/U-1")
    with served.client("supervisor") as boss:
        allowed = boss.delete(f"{LINES}/U-2")
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    assert "voicebot" in refused.json()["message"]
    assert allowed.status_code == 200
    assert [u.id for u in served.store.list_utterances("CALL-1")] == ["U-1"]


def test_a_line_id_posted_again_after_it_was_taken_back_belongs_to_its_new_writer(served: Served) -> None:
    with served.client("bot") as bot:
        bot.post(LINES, json={"id": "U-1", "speaker": "customer", "text": "我想", "final": False})
        bot.delete(f"{LINES}/U-1")
    with served.client("agent") as agent:
        agent.post(LINES, json={"id": "U-1", "speaker": "agent", "text": "您好", "final": False})
        own = agent.post(LINES, json={"id": "U-1", "speaker": "agent", "text": "您好，我是小李"})
    assert own.status_code == 200, own.text
    assert [u.text for u in served.store.list_utterances("CALL-1")] == ["您好，我是小李"]
