"""Every PUT replaces the record the path names: the id comes from the path, the whole record from the body."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel

from agentdesk.domain.models import Agent, Call, Customer, KBArticle, Survey, TrainingResult
from tests.server.conftest import Served

# (path, the record as a client would send it, a field to leave out, fields the server owns)
RECORDS: list[tuple[str, BaseModel, str, set[str]]] = [
    ("/customers/{id}", Customer(id="C7", name="王芳", notes="VIP since 2019"), "notes", set()),
    ("/agents/{id}", Agent(id="A7", name="Zhao", capacity=3, skills=["billing"]), "skills", {"active_calls"}),
    ("/calls/{id}", Call(id="CALL-7", customer_id="C1", language="en"), "customer_id", set()),
    (
        "/kb/articles/{id}",
        KBArticle(id="zh-7", language="zh", category="billing", title="话费", answer="拨打10086"),
        "questions",
        {"version", "updated_at"},
    ),
    ("/surveys/{id}", Survey(id="SV-7", call_id="CALL-1", score=4), "score", set()),
    (
        "/training/results/{id}",
        TrainingResult(id="TRN-7", trainee="A1", script_id="zh-05"),
        "finished_at",
        set(),
    ),
]
IDS = [r[0].split("/{")[0].strip("/") for r in RECORDS]


def _stored(served: Served, record: BaseModel) -> BaseModel | None:
    """The record of that type and id as the server's store holds it."""
    store, rid = served.store, record.id  # type: ignore[attr-defined]
    if isinstance(record, TrainingResult):
        return next((r for r in store.list_training_results(trainee=record.trainee) if r.id == rid), None)
    getters = {Customer: store.get_customer, Agent: store.get_agent, Call: store.get_call}
    getters |= {KBArticle: store.get_article, Survey: store.get_survey}
    return getters[type(record)](rid)


def _body(record: BaseModel, *leave_out: str) -> dict[str, Any]:
    return {k: v for k, v in record.model_dump(mode="json").items() if k not in leave_out}


@pytest.mark.parametrize(("path", "record", "field", "owned"), RECORDS, ids=IDS)
def test_a_put_without_an_id_saves_the_record_under_the_path_id(
    served: Served, path: str, record: BaseModel, field: str, owned: set[str]
) -> None:
    with served.client("supervisor") as boss:
        answer = boss.put(path.format(id=record.id), json=_body(record, "id", *owned))  # type: ignore[attr-defined]
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == record.id  # type: ignore[attr-defined]
    stored = _stored(served, record)
    assert stored is not None and getattr(stored, field) == getattr(record, field)


@pytest.mark.parametrize(("path", "record", "field", "owned"), RECORDS, ids=IDS)
def test_a_put_whose_body_names_another_record_is_refused_and_writes_nothing(
    served: Served, path: str, record: BaseModel, field: str, owned: set[str]
) -> None:
    before = served.store.last_seq()
    with served.client("supervisor") as boss:
        answer = boss.put(path.format(id="OTHER-1"), json=_body(record))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert "differs from the one in the path ('OTHER-1')" in answer.json()["message"]
    assert served.store.last_seq() == before


@pytest.mark.parametrize(("path", "record", "field", "owned"), RECORDS, ids=IDS)
def test_a_put_leaving_a_field_out_is_refused_naming_it_and_resets_nothing(
    served: Served, path: str, record: BaseModel, field: str, owned: set[str]
) -> None:
    url = path.format(id=record.id)  # type: ignore[attr-defined]
    with served.client("supervisor") as boss:
        assert boss.put(url, json=_body(record)).status_code == 200
        before = _stored(served, record)
        answer = boss.put(url, json=_body(record, field))
    assert answer.status_code == 422, answer.text
    assert [d["loc"] for d in answer.json()["details"]] == [f"body.{field}"]
    assert answer.json()["message"].startswith("PUT replaces the whole")
    assert _stored(served, record) == before


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema of the OpenAPI document, its `$ref` followed."""
    ref = schema.get("$ref", "")
    return document["components"]["schemas"][ref.split("/")[-1]] if ref else schema


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_the_openapi_document_lets_a_put_body_leave_the_id_out_and_answers_always_name_it(
    served: Served, record: tuple[str, BaseModel, str, set[str]]
) -> None:
    with served.client("supervisor") as client:
        document = client.get("/openapi.json").json()
    named = re.escape("/api/v1" + record[0]).replace(r"\{id\}", r"\{\w+\}")
    path = next(p for p in document["paths"] if re.fullmatch(named, p))
    put = document["paths"][path]["put"]
    body = _schema(document, put["requestBody"]["content"]["application/json"]["schema"])
    assert "id" in body["properties"]
    assert "id" not in body.get("required", [])
    # The record's own schema is untouched: where its id is required, it stays so in answers.
    own = document["components"]["schemas"][type(record[1]).__name__]
    answer = _schema(document, put["responses"]["200"]["content"]["application/json"]["schema"])
    assert answer == own
    if type(record[1]).model_fields["id"].is_required():
        assert "id" in own["required"]
