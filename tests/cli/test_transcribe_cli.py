"""`agentdesk transcribe`: options that cannot work together, or cannot work on this file, are refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agentdesk.cli import cli
from tests.speech.conftest import FIXTURES

HELLO = str(FIXTURES / "hello_en.wav")


@pytest.mark.parametrize(
    ("flags", "named"),
    [(["--json", "--srt"], "--json and --srt"), (["--txt", "--json"], "--txt and --json")],
)
def test_two_output_formats_are_refused_rather_than_the_last_one_winning(
    flags: list[str], named: str
) -> None:
    result = CliRunner().invoke(cli, ["transcribe", HELLO, *flags])
    assert result.exit_code == 2
    assert f"give one output format, not {named}" in result.output
    assert result.stdout == ""


def test_a_start_past_the_end_says_so_instead_of_no_speech_found() -> None:
    result = CliRunner().invoke(cli, ["transcribe", HELLO, "--start", "9999"])
    assert result.exit_code == 2
    assert "--start 9999 s is past the end of hello_en.wav (" in result.stderr
    assert "No speech found" not in result.output
