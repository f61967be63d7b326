"""Edges integrators hit: a trailing slash, an empty ticket search, the last supervisor's own token."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import Ticket
from agentdesk.nlp.demo_kb import demo_articles
from tests.server.conftest import Served


def test_a_trailing_slash_names_the_same_resource_instead_of_redirecting(served: Served) -> None:
    with served.client("bot") as bot:
        listed = bot.get("/calls/")
        created = bot.post("/calls/", json={"id": "CALL-SLASH"})
        one = bot.get("/calls/CALL-SLASH/")
        health = bot.get("/health/")
    assert [a.status_code for a in (listed, created, one, health)] == [200, 201, 200, 200]
    assert [c["id"] for c in listed.json()] == ["CALL-1"]
    assert one.json()["id"] == "CALL-SLASH"
    assert served.store.get_call("CALL-SLASH").id == "CALL-SLASH"


def test_an_unknown_route_with_a_trailing_slash_is_a_json_404(served: Served) -> None:
    with served.client("bot") as bot:
        answer = bot.get("/nothing-here/")
    assert (answer.status_code, answer.json()["error"]) == (404, "no_such_route")


@pytest.mark.parametrize("text", ['"', "*", " ", "😡", "", "?!"])
def test_a_ticket_search_with_no_word_in_it_is_refused_not_a_list_of_everything(
    served: Served, text: str
) -> None:
    served.store.create_ticket(Ticket(subject="refund for double charge"))
    with served.client("agent") as agent:
        answer = agent.get("/tickets", params={"text": text})
        word = agent.get("/tickets", params={"text": "refund"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["details"][0]["loc"] == "query.text"
    assert "nothing to search for" in answer.json()["message"]
    assert word.json()["total"] == 1


def test_the_last_supervisor_cannot_revoke_their_own_token_until_another_exists(served: Served) -> None:
    with served.client("supervisor") as boss:
        alone = boss.delete("/users/boss")
        still_in = boss.get("/users")
        boss.post("/users", json={"name": "boss2", "role": "supervisor"})
        with_another = boss.delete("/users/boss")
    assert (alone.status_code, alone.json()["error"]) == (409, "conflict")
    assert "last active supervisor" in alone.json()["message"]
    assert still_in.status_code == 200
    assert with_another.status_code == 200
    assert served.app.state.agentdesk.users.get("boss").revoked_at is not None


def test_a_kb_search_in_one_language_lists_that_languages_articles_for_a_mixed_query(served: Served) -> None:
    for article in demo_articles():
        served.store.upsert_article(article)
    with served.client("bot") as bot:
        answer = bot.get("/kb/search", params={"q": "roaming 漫游", "language": "en", "limit": 3})
    hits = answer.json()
    assert answer.status_code == 200 and len(hits) == 3
    assert {h["article"]["language"] for h in hits} == {"en"}
    assert any("roaming" in h["article"]["title"].lower() for h in hits)
