"""`agentdesk desk --audio`: a recording that cannot be opened stops the desk with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from agentdesk.cli import cli
from tests.speech.conftest import FIXTURES


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("/no/such/call.wav", "no such file: /no/such/call.wav"),
        (str(FIXTURES), "is a folder, not a recording"),
    ],
)
def test_desk_with_an_unusable_recording_refuses_to_open_and_says_why(given: str, says: str) -> None:
    result = CliRunner().invoke(cli, ["desk", "--audio", given])
    assert result.exit_code == 2
    assert "--audio" in result.output and says in result.output


def test_a_recording_from_the_config_file_is_named_as_ui_audio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[ui]\naudio = "{FIXTURES / "empty.wav"}"\n', encoding="utf-8")
    monkeypatch.setenv("AGENTDESK_CONFIG_FILE", str(config))
    result = CliRunner().invoke(cli, ["desk"])
    assert result.exit_code == 2
    assert "ui.audio" in result.output and "empty.wav is empty (0 bytes)" in result.output
