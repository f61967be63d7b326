"""Values that cannot be true are refused with 422 naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import Served

LINE = {"speaker": "customer", "text": "我要转人工"}
PACKET = {"customer_id": "C1"}

NONSENSE: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("bot", "POST", "/calls/CALL-1/utterances", {**LINE, "start": -5, "end": -10}, "body.start"),
    ("bot", "POST", "/calls/CALL-1/utterances", {**LINE, "start": 20, "end": 10}, "body"),
    ("bot", "POST", "/calls/CALL-1/utterances", {**LINE, "start": 1e308}, "body.start"),
    ("bot", "POST", "/calls/CALL-1/utterances", {**LINE, "final": "yes"}, "body.final"),
    ("bot", "POST", "/calls/CALL-1/utterances", {**LINE, "final": 1}, "body.final"),
    ("bot", "POST", "/calls", {"started_at": "0001-01-01T00:00:00Z"}, "body.started_at"),
    ("bot", "POST", "/calls", {"started_at": "9999-12-31T00:00:00Z"}, "body.started_at"),
    ("bot", "POST", "/calls", {"started_at": -1}, "body.started_at"),
    (
        "bot",
        "POST",
        "/calls",
        {"started_at": "2026-11-24T10:00:00Z", "ended_at": "2026-11-24T09:00:00Z"},
        "body",
    ),
    ("agent", "POST", "/tickets", {"subject": "x", "sla_due": "1900-01-01T00:00:00Z"}, "body.sla_due"),
    ("agent", "POST", "/tickets", {"subject": "  "}, "body.subject"),
    ("bot", "POST", "/transfers", {"packet": {**PACKET, "prior_contacts": -5}}, "body.packet.prior_contacts"),
    ("bot", "POST", "/transfers", {"packet": {**PACKET, "order_value": -1e300}}, "body.packet.order_value"),
    ("bot", "POST", "/transfers", {"call_id": "NO-CALL", "packet": PACKET}, "body.call_id"),
    ("bot", "POST", "/transfers", {"packet": {"customer_id": "NOBODY"}}, "body.packet.customer_id"),
]


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "loc"), NONSENSE, ids=[f"{n[2]} {n[3]}" for n in NONSENSE]
)
def test_an_impossible_value_is_refused_naming_its_field(
    served: Served, role: str, method: str, path: str, body: dict[str, Any], loc: str
) -> None:
    before = served.store.last_seq()
    with served.client(role) as client:
        answer = client.request(method, path, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert loc in [d["loc"] for d in answer.json()["details"]], answer.json()
    assert served.store.last_seq() == before


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"assignee_id": "NOBODY"}, "body.assignee_id"),
        ({"link_call_id": "NO-CALL"}, "body.link_call_id"),
        ({"subject": ""}, "body.subject"),
    ],
)
def test_a_ticket_change_naming_nothing_or_emptying_the_subject_is_refused(
    served: Served, change: dict[str, str], loc: str
) -> None:
    with served.client("agent") as agent:
        agent.post("/tickets", json={"id": "TK-V", "subject": "roaming"}).raise_for_status()
        answer = agent.patch("/tickets/TK-V", json=change)
        ticket = agent.get("/tickets/TK-V").json()
    assert answer.status_code == 422, answer.text
    assert loc in [d["loc"] for d in answer.json()["details"]]
    assert (ticket["subject"], ticket["assignee_id"], ticket["linked_call_ids"]) == ("roaming", None, [])


def test_a_ticket_is_assigned_to_an_agent_and_linked_to_a_call_that_exist(served: Served) -> None:
    with served.client("agent") as agent:
        agent.post("/tickets", json={"id": "TK-V", "subject": "roaming"}).raise_for_status()
        answer = agent.patch("/tickets/TK-V", json={"assignee_id": "A1", "link_call_id": "CALL-1"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["assignee_id"], answer.json()["linked_call_ids"]) == ("A1", ["CALL-1"])


def test_kpis_since_after_until_are_refused(served: Served) -> None:
    with served.client("supervisor") as boss:
        answer = boss.get("/kpis", params={"since": "2026-11-24T00:00:00Z", "until": "2026-11-01T00:00:00Z"})
    assert answer.status_code == 422
    assert [d["loc"] for d in answer.json()["details"]] == ["query.until"]


def test_a_transfer_for_a_known_call_and_customer_is_queued(served: Served) -> None:
    with served.client("bot") as bot:
        answer = bot.post("/transfers", json={"call_id": "CALL-1", "packet": {**PACKET, "order_value": 58.0}})
    assert answer.status_code == 201, answer.text
