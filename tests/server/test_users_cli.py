"""`agentdesk users add / list / revoke`: the token is printed once and only its hash is kept."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from agentdesk.cli import cli
from agentdesk.domain.models import Agent
from agentdesk.server.db import ServerDb
from agentdesk.server.users import UserStore
from agentdesk.store.sqlite import SqliteStore


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_prints_a_working_token_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    with SqliteStore(db) as store:
        store.upsert_agent(Agent(id="li.na", name="李娜"))
    code, out, err = _run("users", "--db", db, "add", "li.na", "--role", "agent")
    token = out.strip()
    assert code == 0 and token.startswith("adk_") and "shown only now" in err
    with SqliteStore(db) as store:
        users = UserStore(ServerDb(store))
        user = users.authenticate(token)
        assert user is not None and (user.name, user.role, user.agent_id) == ("li.na", "agent", "li.na")
        assert token not in str(store._rows("SELECT * FROM users"))
    code, listing, _ = _run("--db", db, "users", "list")
    assert code == 0 and "li.na" in listing and token not in listing


def test_revoke_stops_the_token_and_keeps_the_user_listed(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    token = _run("users", "--db", db, "add", "bot1", "--role", "bot")[1].strip()
    assert _run("users", "--db", db, "revoke", "bot1")[0] == 0
    with SqliteStore(db) as store:
        assert UserStore(ServerDb(store)).authenticate(token) is None
    assert "revoked" in _run("users", "--db", db, "list")[1]


def test_mistakes_get_a_clear_message(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    _run("users", "--db", db, "add", "boss", "--role", "supervisor")
    again = _run("users", "--db", db, "add", "boss", "--role", "supervisor")
    bad_role = _run("users", "--db", db, "add", "x", "--role", "admin")
    bad_name = _run("users", "--db", db, "add", "a b", "--role", "agent")
    nobody = _run("users", "--db", db, "revoke", "ghost")
    assert again[0] == 1 and "exists already" in again[2]
    assert bad_role[0] == 2 and "admin" in bad_role[2]
    assert bad_name[0] == 1 and "user name" in bad_name[2]
    assert nobody[0] == 1 and "no user with id 'ghost'" in nobody[2]


def test_serve_explains_itself() -> None:
    code, out, _ = _run("serve", "--help")
    assert code == 0 and "--port" in out and "/api/v1" in out


def test_an_agent_user_works_as_an_agent_that_exists(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    with SqliteStore(db) as store:
        store.upsert_agent(Agent(id="A01", name="李娜"))
    missing = _run("users", "--db", db, "add", "A02", "--role", "agent")
    named = _run("users", "--db", db, "add", "lina", "--role", "agent", "--agent-id", "A99")
    works = _run("users", "--db", db, "add", "lina", "--role", "agent", "--agent-id", "A01")
    assert missing[0] == 1 and "no agent with id 'A02'" in missing[2]
    assert named[0] == 1 and "no agent with id 'A99'" in named[2]
    assert works[0] == 0 and "works as agent A01" in works[2]


def test_only_agent_users_are_given_an_agent_id(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    with SqliteStore(db) as store:
        store.upsert_agent(Agent(id="A05", name="王芳"))
    bot = _run("users", "--db", db, "add", "x3", "--role", "bot", "--agent-id", "A05")
    assert bot[0] == 1 and "only agents work as an agent" in bot[2]
    assert "x3" not in _run("users", "--db", db, "list")[1]


def test_a_database_in_a_folder_that_does_not_exist_is_refused_not_created(tmp_path: Path) -> None:
    typo = tmp_path / "typo" / "dir" / "team.db"
    users = _run("users", "--db", str(typo), "list")
    serve = _run("serve", "--db", str(typo), "--port", "0")
    for code, _, err in (users, serve):
        assert code == 1 and "does not exist" in err
    assert not (tmp_path / "typo").exists()
