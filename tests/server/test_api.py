"""The API's behaviour: a bot's call and transfer, errors as JSON, idempotent writes, audit, users, KPIs."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from agentdesk.domain.models import Ticket, utcnow
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.server.limits import MAX_BODY_BYTES, MAX_UTTERANCE_CHARS
from agentdesk.server.writes import prune
from tests.server.conftest import Served, start


# -- a voice bot's call -----------------------------------------------------------------
def test_bot_streams_a_transcript_and_partial_lines_are_replaced_by_id(served: Served) -> None:
    with served.client("bot") as bot:
        call = bot.post("/calls", json={"customer_id": "C1", "language": "zh"}).json()
        path = f"/calls/{call['id']}/utterances"
        bot.post(path, json={"id": "U-1", "speaker": "bot", "text": "您好，请问有什么可以帮您？"})
        partial = bot.post(
            path, json={"id": "U-2", "speaker": "customer", "text": "我想", "final": False}
        ).json()
        final = bot.post(path, json={"id": "U-2", "speaker": "customer", "text": "我想查账单"}).json()
        lines = bot.get(path).json()
    assert (partial["seq"], final["seq"]) == (2, 2)
    assert [(u["id"], u["text"], u["final"]) for u in lines] == [
        ("U-1", "您好，请问有什么可以帮您？", True),
        ("U-2", "我想查账单", True),
    ]


def test_posting_a_call_whose_id_exists_is_refused_and_a_retry_gets_the_first_answer(served: Served) -> None:
    body = {"id": "CALL-9", "customer_id": "C1"}
    with served.client("bot") as bot:
        first = bot.post("/calls", json=body, headers={"Idempotency-Key": "call-9"})
        retry = bot.post("/calls", json=body, headers={"Idempotency-Key": "call-9"})
        again = bot.post("/calls", json={"id": "CALL-9", "customer_id": "C2"})
        seeded = bot.post(
            "/calls", json={"id": "CALL-1", "language": "en"}, headers={"Idempotency-Key": "c1"}
        )
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true" and retry.json() == first.json()
    assert (again.status_code, again.json()["error"]) == (409, "already_exists")
    assert (seeded.status_code, seeded.json()["error"]) == (409, "already_exists")
    assert served.store.get_call("CALL-9").customer_id == "C1"
    assert served.store.get_call("CALL-1").language == "zh"
    assert [e.kind for e in served.store.events_since(0, entity_id="CALL-9")] == ["call.saved"]


def test_the_same_line_id_posted_to_two_calls_keeps_both_transcripts(served: Served) -> None:
    with served.client("bot") as bot:
        a = bot.post("/calls", json={"id": "CALL-A"}).json()["id"]
        b = bot.post("/calls", json={"id": "CALL-B"}).json()["id"]
        bot.post(f"/calls/{a}/utterances", json={"id": "U-7", "speaker": "customer", "text": "call A"})
        bot.post(f"/calls/{b}/utterances", json={"id": "U-7", "speaker": "customer", "text": "call B"})
        lines = {c: bot.get(f"/calls/{c}/utterances").json() for c in (a, b)}
    assert [(u["id"], u["seq"], u["text"]) for u in lines[a]] == [("U-7", 1, "call A")]
    assert [(u["id"], u["seq"], u["text"]) for u in lines[b]] == [("U-7", 1, "call B")]


def test_transfer_from_a_bot_is_queued_waiting_with_a_rank_from_its_packet(served: Served) -> None:
    with served.client("bot") as bot:
        vip = bot.post("/transfers", json={"packet": {"tier": "vip", "emotion_level": 3}, "queue_rank": 1e9})
        plain = bot.post("/transfers", json={"packet": {"tier": "standard"}})
        claimed = bot.post("/transfers", json={"packet": {}, "status": "claimed", "claimed_by": "A1"})
    assert (vip.status_code, plain.status_code) == (201, 201)
    assert vip.json()["status"] == "waiting"
    assert vip.json()["queue_rank"] != 1e9, "a bot cannot jump the queue"
    assert vip.json()["queue_rank"] > plain.json()["queue_rank"]
    assert claimed.status_code == 422
    assert "status" in claimed.json()["message"] and "claimed_by" in claimed.json()["message"]


# -- errors -------------------------------------------------------------------------------
def test_errors_are_json_with_a_stable_code_and_a_message(served: Served) -> None:
    served.store.create_transfer(Transfer(id="TR-1", packet=HandoffPacket()))
    served.store.claim_transfer("TR-1", "A2")
    ticket = served.store.create_ticket(Ticket(subject="x"))
    with served.client("supervisor") as c:
        missing = c.get("/tickets/TK-NOPE")
        claimed = c.post("/transfers/TR-1/claim", json={"agent_id": "A1"})
        illegal = c.patch(f"/tickets/{ticket.id}", json={"status": "waiting_customer"})
        invalid = c.post("/tickets", json={"subject": "x", "priority": "whenever"})
        mismatch = c.put("/customers/C9", json={"id": "C1", "name": "x"})
        unknown_field = c.patch(f"/tickets/{ticket.id}", json={"stauts": "closed"})
        not_json = c.post("/tickets", content=b"{subject", headers={"Content-Type": "application/json"})
        no_route = c.get("/nothing-here")
    assert (missing.status_code, missing.json()["error"], missing.json()["entity"]) == (
        404,
        "not_found",
        "ticket",
    )
    assert (claimed.status_code, claimed.json()["error"], claimed.json()["holder"]) == (
        409,
        "already_claimed",
        "A2",
    )
    assert (illegal.status_code, illegal.json()["error"], illegal.json()["current"]) == (
        422,
        "illegal_transition",
        "new",
    )
    assert invalid.status_code == 422 and "priority" in invalid.json()["message"]
    assert mismatch.status_code == 422 and "differs" in mismatch.json()["message"]
    assert unknown_field.status_code == 422 and "stauts" in unknown_field.json()["message"]
    assert not_json.status_code == 422 and not_json.json()["error"] == "invalid_request"
    assert no_route.status_code == 404 and no_route.json()["error"] == "no_such_route"
    assert served.store.get_ticket(ticket.id).status == "new"


def test_a_body_above_the_size_limit_is_refused_with_413_before_anything_is_written(served: Served) -> None:
    seq = served.store.last_seq()
    line = json.dumps({"speaker": "customer", "text": "a" * MAX_BODY_BYTES}).encode()
    json_type = {"Content-Type": "application/json"}
    with served.client("bot") as bot:
        declared = bot.post("/calls/CALL-1/utterances", content=line, headers=json_type)
        # Sent in chunks, without Content-Length: counted as it arrives.
        chunks = (line[i : i + 65536] for i in range(0, len(line), 65536))
        chunked = bot.post("/calls/CALL-1/utterances", content=chunks, headers=json_type)
        after = bot.get("/calls/CALL-1/utterances")
    for refused in (declared, chunked):
        assert refused.status_code == 413
        assert refused.json() == {
            "error": "payload_too_large",
            "message": refused.json()["message"],
            "limit": MAX_BODY_BYTES,
        }
    assert (after.status_code, after.json()) == (200, [])
    assert served.store.last_seq() == seq


def test_a_transcript_line_longer_than_the_limit_is_refused(served: Served) -> None:
    path = "/calls/CALL-1/utterances"
    with served.client("bot") as bot:
        longest = bot.post(
            path, json={"id": "U-1", "speaker": "customer", "text": "话" * MAX_UTTERANCE_CHARS}
        )
        too_long = bot.post(
            path, json={"id": "U-2", "speaker": "customer", "text": "话" * (MAX_UTTERANCE_CHARS + 1)}
        )
    assert longest.status_code == 200
    assert (too_long.status_code, too_long.json()["error"]) == (422, "invalid_request")
    assert too_long.json()["details"][0]["loc"] == "body.text"
    assert [u.id for u in served.store.list_utterances("CALL-1")] == ["U-1"]


def test_numbers_the_database_cannot_hold_are_refused_not_crashed_on(served: Served) -> None:
    with served.client("supervisor") as c:
        huge = c.put("/agents/A9", json={"id": "A9", "name": "x", "capacity": 2**70})
        nan = c.post("/tickets", content=b'{"subject": "x", "notes": [], "survey_id": NaN}',
                     headers={"Content-Type": "application/json"})  # fmt: skip
        far_seq = c.get("/events", params={"since": 2**70})
    assert [huge.status_code, nan.status_code, far_seq.status_code] == [422, 422, 422]


def test_a_locked_database_answers_503_and_the_write_can_be_retried(tmp_path: Path) -> None:
    served = start(tmp_path, busy_timeout_ms=100)
    other = sqlite3.connect(tmp_path / "server.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with served.client("supervisor") as c:
            locked = c.post("/tickets", json={"id": "TK-L", "subject": "x"}, headers={"Idempotency-Key": "k"})
            other.execute("ROLLBACK")
            retried = c.post(
                "/tickets", json={"id": "TK-L", "subject": "x"}, headers={"Idempotency-Key": "k"}
            )
        assert (locked.status_code, locked.json()["error"]) == (503, "store_locked")
        assert retried.status_code == 201
    finally:
        other.close()
        served.thread.stop()
        served.store.close()


# -- idempotency and audit ------------------------------------------------------------------
def test_a_repeated_idempotency_key_returns_the_first_answer_and_writes_once(served: Served) -> None:
    with served.client("agent") as agent:
        ticket = agent.post("/tickets", json={"subject": "refund"}).json()
        path = f"/tickets/{ticket['id']}"
        first = agent.patch(path, json={"note": "called back"}, headers={"Idempotency-Key": "note-1"})
        again = agent.patch(path, json={"note": "called back"}, headers={"Idempotency-Key": "note-1"})
        reused = agent.patch(path, json={"note": "other"}, headers={"Idempotency-Key": "note-1"})
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"
    assert [n.text for n in served.store.get_ticket(ticket["id"]).notes] == ["called back"]
    assert len(served.store.events_since(0, entity_id=ticket["id"])) == 2  # created + one note


def test_a_refusal_is_remembered_for_its_key(served: Served) -> None:
    served.store.create_transfer(Transfer(id="TR-1", packet=HandoffPacket()))
    with served.client("agent") as agent:
        won = agent.post("/transfers/TR-1/claim", json={"agent_id": "A1"}, headers={"Idempotency-Key": "c1"})
        lost = agent.post("/transfers/TR-1/claim", json={"agent_id": "A1"}, headers={"Idempotency-Key": "c2"})
        lost_again = agent.post(
            "/transfers/TR-1/claim", json={"agent_id": "A1"}, headers={"Idempotency-Key": "c2"}
        )
    assert (won.status_code, lost.status_code, lost_again.status_code) == (200, 409, 409)
    assert lost_again.headers["Idempotent-Replayed"] == "true"


def test_keys_are_per_user(served: Served) -> None:
    with served.client("agent") as agent, served.client("supervisor") as boss:
        a = agent.post("/tickets", json={"subject": "a"}, headers={"Idempotency-Key": "same"})
        b = boss.post("/tickets", json={"subject": "a"}, headers={"Idempotency-Key": "same"})
    assert a.json()["id"] != b.json()["id"]


def test_old_idempotency_records_are_pruned(served: Served) -> None:
    with served.client("agent") as agent:
        agent.post("/tickets", json={"subject": "a"}, headers={"Idempotency-Key": "old"})
    state = served.app.state.agentdesk
    assert prune(state, utcnow()) == 0
    assert prune(state, utcnow() + timedelta(hours=73)) == 1


def test_every_change_records_the_authenticated_user(served: Served) -> None:
    start_seq = served.store.last_seq()
    with served.client("agent") as agent, served.client("bot") as bot, served.client("supervisor") as boss:
        bot.post("/transfers", json={"id": "TR-A", "packet": {}})
        agent.post("/transfers/TR-A/claim", json={"agent_id": "A1"})
        agent.post("/tickets", json={"subject": "x"})
        boss.post("/tickets", json={"subject": "y"}, headers={"X-AgentDesk-Actor": "import-job"})
    events = served.store.events_since(start_seq)
    assert [(e.kind, e.actor) for e in events] == [
        ("transfer.created", "voicebot"),
        ("transfer.claimed", "A1"),
        ("ticket.created", "A1"),
        ("ticket.created", "import-job"),
    ]
    audit = served.store._rows("SELECT principal, actor, method, status FROM api_audit ORDER BY seq")
    assert audit[-1] == ("boss", "import-job", "POST", 201)


# -- users ---------------------------------------------------------------------------------
def test_a_supervisor_adds_a_user_whose_token_works_and_is_stored_only_hashed(served: Served) -> None:
    with served.client("supervisor") as boss:
        created = boss.post(
            "/users", json={"name": "li.na", "role": "trainer"}, headers={"Idempotency-Key": "u"}
        )
    token = created.json()["token"]
    with served.client(token=token) as li:
        me = li.get("/me").json()
    assert (me["name"], me["role"]) == ("li.na", "trainer")
    served.store._conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in Path(served.store.path).parent.glob("server.db*"))
    assert token.encode() not in raw


def test_kpis_are_reported_with_their_counts(served: Served) -> None:
    served.store.create_transfer(Transfer(packet=HandoffPacket()))
    with served.client("supervisor") as boss:
        report = boss.get("/kpis").json()
        window = boss.get(
            "/kpis", params={"since": "2000-01-01T00:00:00", "until": "2000-01-02T00:00:00"}
        ).json()
    assert report["kpis"]["transfer_accuracy"]["n"] == 0
    assert set(report["kpis"]) >= {"containment_rate", "csat", "sla_compliance", "first_contact_resolution"}
    assert all(k["n"] == 0 for k in window["kpis"].values())


@pytest.mark.parametrize("header", ["A01%0Aevil", "A01%00", "%FF%FE", "A01%09x", "A01%E2%80%AEx"])
def test_an_actor_header_with_control_characters_or_bytes_that_are_not_utf8_is_refused(
    served: Served, header: str
) -> None:
    before = served.store.last_seq()
    with served.client("supervisor") as boss:
        answer = boss.post("/calls", json={"id": "CALL-ACT"}, headers={"X-AgentDesk-Actor": header})
    assert answer.status_code == 422, answer.text
    assert answer.json()["details"][0]["loc"] == "header.X-AgentDesk-Actor"
    assert served.store.last_seq() == before


def test_a_supervisor_records_a_write_as_a_chinese_name(served: Served) -> None:
    with served.client("supervisor") as boss:
        answer = boss.post(
            "/calls", json={"id": "CALL-ACT"}, headers={"X-AgentDesk-Actor": "%E6%9D%8E%E5%A8%9C"}
        )
    assert answer.status_code == 201, answer.text
    assert served.store.events_since(0, entity_id="CALL-ACT")[0].actor == "李娜"


def test_a_name_revoked_and_given_to_someone_else_never_replays_the_previous_holders_answers(
    served: Served,
) -> None:
    users = served.app.state.agentdesk.users
    _, first = users.add("bot2", "bot")
    key = {"Idempotency-Key": "call-start-1"}
    with served.client(token=first) as old:
        assert old.post("/calls", json={"id": "CALL-IK"}, headers=key).status_code == 201
    users.revoke("bot2")
    _, second = users.add("bot2", "bot")
    with served.client(token=second) as new:
        answer = new.post("/calls", json={"id": "CALL-IK"}, headers=key)
    assert "Idempotent-Replayed" not in answer.headers
    assert (answer.status_code, answer.json()["error"]) == (409, "already_exists")


def test_json_nested_too_deep_is_refused_like_any_malformed_json(served: Served) -> None:
    with served.client("bot") as bot:
        deep = bot.post(
            "/calls", content="[" * 1000 + "]" * 1000, headers={"Content-Type": "application/json"}
        )
        broken = bot.post("/calls", content="{bad", headers={"Content-Type": "application/json"})
    assert (deep.status_code, deep.json()["error"]) == (broken.status_code, broken.json()["error"])
    assert (deep.status_code, deep.json()["error"]) == (422, "invalid_request")
    assert deep.json()["details"][0]["type"] == "json_invalid"


def test_the_transcript_of_an_unknown_call_is_not_found(served: Served) -> None:
    with served.client("agent") as agent:
        answer = agent.get("/calls/NOPE/utterances")
    assert (answer.status_code, answer.json()["entity"], answer.json()["entity_id"]) == (404, "call", "NOPE")


def test_a_method_the_url_does_not_take_is_answered_with_the_ones_it_does(served: Served) -> None:
    with served.client("bot") as bot:
        call = bot.delete("/calls/CALL-1")
        health = bot.post("/health")
    assert (call.status_code, call.headers["Allow"]) == (405, "GET, PUT")
    assert (health.status_code, health.headers["Allow"]) == (405, "GET, HEAD")


def test_monitors_may_probe_health_with_head(served: Served) -> None:
    with served.client() as anonymous:
        answer = anonymous.head("/health")
    assert (answer.status_code, answer.content) == (200, b"")


def test_a_retry_that_differs_only_in_json_spacing_or_key_order_gets_the_first_answer(served: Served) -> None:
    key = {"Idempotency-Key": "call-start-ws", "Content-Type": "application/json"}
    with served.client("bot") as bot:
        first = bot.post("/calls", content='{"id": "C-IK3", "language": "en"}', headers=key)
        retry = bot.post("/calls", content='{"language":"en","id":"C-IK3"}', headers=key)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"


def test_every_invalid_request_lists_its_problems_in_details(served: Served) -> None:
    with served.client("bot") as bot:
        answers = [
            bot.put("/calls/CALL-1", json={"id": "CALL-2"}),
            bot.post("/calls", json={}, headers={"Idempotency-Key": "k" * 201}),
            bot.post("/calls", content=b'{"id": NaN}', headers={"Content-Type": "application/json"}),
        ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        details = answer.json()["details"]
        assert details and all({"loc", "msg", "type"} <= set(d) for d in details), answer.text
    assert answers[1].json()["details"][0]["loc"] == "header.Idempotency-Key"


def test_an_error_from_inside_a_write_is_compact_json_like_every_other(served: Served) -> None:
    with served.client("bot") as bot:
        answer = bot.post("/calls", json={"id": "CALL-1"})  # exists: refused inside the write
    assert answer.status_code == 409
    assert answer.text.startswith('{"error":"already_exists","message":')
