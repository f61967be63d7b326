"""Opening the desk (or any command) on a team server: a bad token or address stops it with the reason."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from agentdesk.commands.common import open_remote
from agentdesk.config import Settings


def _settings(url: str, token: str) -> Settings:
    return Settings(store={"server": url, "token": token})  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the outbox file goes here


def test_a_refused_token_stops_the_desk_with_the_reason(team_server: tuple[str, str]) -> None:
    url, _ = team_server
    with pytest.raises(click.ClickException, match="refused the token"):
        open_remote(_settings(url, "adk_not-a-real-token"))


def test_an_address_that_is_not_an_agentdesk_server_stops_the_desk(team_server: tuple[str, str]) -> None:
    url, token = team_server
    with pytest.raises(click.ClickException, match="did not answer as an AgentDesk team server"):
        open_remote(_settings(url + "/wrong", token))


def test_the_guides_base_url_with_api_v1_is_accepted(team_server: tuple[str, str]) -> None:
    url, token = team_server
    settings = _settings(url + "/api/v1/", token)
    store = open_remote(settings)
    try:
        assert settings.store.server == url
        assert store.whoami()["name"] == "boss"
    finally:
        store.close()


def test_an_unreachable_server_still_opens_offline(tmp_path: Path) -> None:
    from agentdesk.server.runner import free_port

    store = open_remote(_settings(f"http://127.0.0.1:{free_port()}", "adk_whatever"))
    try:
        assert store.connection.status == "offline"  # type: ignore[attr-defined]
    finally:
        store.close()
