"""`agentdesk tickets`: listing, searching and reading tickets, masked as on the desk."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from agentdesk.cli import cli
from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import (
    Agent,
    Customer,
    Survey,
    SurveyStatus,
    Ticket,
    TicketNote,
    TicketStatus,
    TicketType,
    utcnow,
)
from agentdesk.domain.transfers import TransferStatus
from agentdesk.store.base import TicketQuery
from agentdesk.store.sqlite import SqliteStore

PHONE = "13812345678"
PHONE_MASKED = "138****5678"
UK_PHONE = "+44 7700 900123"


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """Three tickets written through the Store API, one carrying phone numbers."""
    db = tmp_path / "small.db"
    now = utcnow()
    with SqliteStore(db) as store:
        store.upsert_agent(Agent(id="A01", name="王芳"))
        store.upsert_customer(Customer(id="C900", name="李雷"))
        store.create_ticket(
            Ticket(
                id="TK-T1",
                type=TicketType.CALLBACK,
                customer_id="C900",
                subject=f"申请退款没有到账，请回拨 {PHONE}",
                created_at=now - timedelta(hours=40),
                updated_at=now - timedelta(hours=2),
                notes=[TicketNote(author="A01", text=f"Customer asked for a callback on {UK_PHONE}")],
            )
        )
        store.create_ticket(
            Ticket(
                id="TK-T2",
                type=TicketType.COMPLAINT,
                status=TicketStatus.RESOLVED,
                customer_id="C900",
                assignee_id="A01",
                subject="Roaming charges in Japan look wrong",
                language="en",
                updated_at=now - timedelta(hours=1),
            )
        )
        store.create_ticket(Ticket(id="TK-T3", subject="宽带安装预约", updated_at=now - timedelta(hours=3)))
        store.upsert_survey(
            Survey(
                ticket_id="TK-T2",
                customer_id="C900",
                status=SurveyStatus.ANSWERED,
                score=2,
                comment=f"call me on {PHONE}",
                answered_at=now,
            )
        )
    return db


def tickets(db: Path, *args: str, columns: int = 200) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "tickets", *args], env={"COLUMNS": str(columns)})


def ids_in(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [t["id"] for t in json.loads(result.stdout)]


def test_tickets_list_filters_by_status(demo_db: Path) -> None:
    result = tickets(demo_db, "list", "--status", "in_progress", "--limit", "1000", "--json")
    data = json.loads(result.stdout)
    with SqliteStore(demo_db) as store:
        expected = store.count_tickets(TicketQuery(statuses=frozenset({TicketStatus.IN_PROGRESS})))
        everything = store.count_tickets()
    assert 0 < len(data) == expected < everything
    assert {t["status"] for t in data} == {"in_progress"}


def test_tickets_list_for_people_shows_the_columns_and_only_the_status_asked_for(demo_db: Path) -> None:
    result = tickets(demo_db, "list", "--status", "closed")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "type", "status", "prio", "customer", "assignee", "SLA", "title"]
    rows = [line for line in lines if line.startswith("TK-")]
    assert rows and all(line.split()[2] == "closed" for line in rows)
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_tickets_list_combines_filters_and_limit(demo_db: Path) -> None:
    data = json.loads(
        tickets(demo_db, "list", "--type", "complaint", "--customer", "C003", "--limit", "2", "--json").stdout
    )
    assert len(data) == 2 and all(t["type"] == "complaint" and t["customer_id"] == "C003" for t in data)
    assigned = json.loads(tickets(demo_db, "list", "--assignee", "A01", "--json").stdout)
    assert assigned and {t["assignee_id"] for t in assigned} == {"A01"}


def test_tickets_list_is_most_recently_changed_first(small_db: Path) -> None:
    assert ids_in(tickets(small_db, "list", "--json")) == ["TK-T2", "TK-T1", "TK-T3"]


@pytest.mark.parametrize(("option", "valid"), [("--status", "waiting_customer"), ("--type", "follow-up")])
def test_invalid_status_or_type_is_refused_with_the_valid_values(
    demo_db: Path, option: str, valid: str
) -> None:
    result = tickets(demo_db, "list", option, "bogus")
    assert result.exit_code == 2
    assert "'bogus' is not one of" in result.output and valid in result.output


@pytest.mark.parametrize(
    ("query", "expected"),
    [("退款", "TK-T1"), ("roaming", "TK-T2"), ("charge", "TK-T2"), ("TK-T3", "TK-T3")],
)
def test_tickets_search_finds_chinese_two_character_words_and_english_words(
    small_db: Path, query: str, expected: str
) -> None:
    assert ids_in(tickets(small_db, "search", query, "--json")) == [expected]


def test_tickets_search_in_the_demo_data_matches_every_word(demo_db: Path) -> None:
    found = json.loads(tickets(demo_db, "search", "漫游", "--limit", "100", "--json").stdout)
    assert len(found) >= 3 and all("漫游" in t["subject"] + str(t["notes"]) for t in found)
    assert ids_in(tickets(demo_db, "search", "漫游 日本", "--json")) == ["TK-H014"]


def test_tickets_search_without_searchable_words_is_a_usage_error(small_db: Path) -> None:
    result = tickets(small_db, "search", "?!")
    assert result.exit_code == 2 and "nothing to search for" in result.output


def test_a_phone_number_in_a_ticket_is_masked_for_people(small_db: Path) -> None:
    for result in (
        tickets(small_db, "list"),
        tickets(small_db, "list", columns=60),  # narrow: title under the fields
        tickets(small_db, "search", "退款"),
        tickets(small_db, "show", "TK-T1"),
    ):
        assert result.exit_code == 0, result.output
        assert PHONE_MASKED in result.stdout and PHONE not in result.stdout
    shown = tickets(small_db, "show", "TK-T1").stdout
    assert mask_text(UK_PHONE) in shown and UK_PHONE not in shown and "0123" in shown


def test_a_phone_number_in_a_ticket_is_masked_in_json(small_db: Path) -> None:
    for args in (("list",), ("search", "退款"), ("show", "TK-T1"), ("show", "TK-T2")):
        result = tickets(small_db, *args, "--json")
        assert result.exit_code == 0, result.output
        assert PHONE not in result.stdout and UK_PHONE not in result.stdout
    shown = json.loads(tickets(small_db, "show", "TK-T1", "--json").stdout)
    assert shown["subject"] == f"申请退款没有到账，请回拨 {PHONE_MASKED}"
    assert shown["notes"][0]["text"] == f"Customer asked for a callback on {mask_text(UK_PHONE)}"
    survey = json.loads(tickets(small_db, "show", "TK-T2", "--json").stdout)["survey"]
    assert survey["comment"] == f"call me on {PHONE_MASKED}"


def test_tickets_show_gives_fields_notes_linked_calls_and_survey(demo_db: Path) -> None:
    with SqliteStore(demo_db) as store:
        ticket = store.get_ticket("TK-H004")
    data = json.loads(tickets(demo_db, "show", "TK-H004", "--json").stdout)
    assert data["id"] == "TK-H004" and data["status"] == ticket.status and data["sla_due"]
    assert [n["text"] for n in data["notes"]] == [n.text for n in ticket.notes]
    assert [c["id"] for c in data["calls"]] == ticket.linked_call_ids
    assert data["customer"]["id"] == ticket.customer_id and data["customer"]["name"]
    assert data["survey"]["score"] == 4 and data["overdue"] is False
    result = tickets(demo_db, "show", "TK-H004")
    assert result.exit_code == 0, result.output
    for text in (ticket.subject, ticket.notes[-1].text, ticket.linked_call_ids[0], "4/5", "history (3)"):
        assert text in result.stdout


def test_tickets_show_lists_the_transfer_that_led_to_the_ticket(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    with SqliteStore(demo_db) as source, SqliteStore(db) as store:
        store.bulk_load([*source.list_agents(), *source.list_customers(limit=1000)])
        transfer = source.list_transfers()[0]
        store.create_transfer(transfer)
        store.create_ticket(Ticket(id="TK-FROM-TR", customer_id=transfer.customer_id, subject="x"))
        store.claim_transfer(transfer.id, "A01")
        store.finish_transfer(transfer.id, TransferStatus.COMPLETED, ticket_id="TK-FROM-TR")
    data = json.loads(tickets(db, "show", "TK-FROM-TR", "--json").stdout)
    assert [t["id"] for t in data["transfers"]] == [transfer.id]
    assert data["transfers"][0]["status"] == "completed" and data["transfers"][0]["rules"]
    assert transfer.id in tickets(db, "show", "TK-FROM-TR").stdout


def test_tickets_show_of_an_unknown_id_fails_with_a_message(small_db: Path) -> None:
    result = tickets(small_db, "show", "TK-NOPE")
    assert result.exit_code != 0
    assert "no ticket with id 'TK-NOPE'" in result.output


def test_overdue_open_tickets_say_how_late_they_are(small_db: Path) -> None:
    data = {t["id"]: t for t in json.loads(tickets(small_db, "list", "--json").stdout)}
    assert data["TK-T1"]["overdue"] is True  # a normal callback has 36 h
    assert data["TK-T2"]["overdue"] is False  # resolved tickets are never overdue
    row = next(line for line in tickets(small_db, "list").stdout.splitlines() if line.startswith("TK-T1"))
    assert "late " in row


def test_ticket_commands_do_not_load_the_textual_ui(demo_db: Path) -> None:
    code = (
        "import sys; from click.testing import CliRunner; from agentdesk.cli import cli;"
        f"r = CliRunner().invoke(cli, ['--db', {str(demo_db)!r}, 'tickets', 'show', 'TK-H004']);"
        "assert r.exit_code == 0, r.output; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_english_and_a_chinese_desk_show_a_ticket_at_the_same_centre_time(demo_db: Path) -> None:
    def shown(lang: str) -> list[str]:
        result = CliRunner().invoke(
            cli, ["--db", str(demo_db), "--lang", lang, "tickets", "show", "TK-H016"], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        return [line for line in lines if line.strip().startswith(("created", "times in"))]

    assert shown("en") == shown("zh")
    assert any("Asia/Shanghai" in line for line in shown("en"))
