"""`agentdesk transcribe`: who speaks is not guessed, and the transcript starts at its first line."""

from __future__ import annotations

from click.testing import CliRunner

from agentdesk.cli import cli
from tests.speech.conftest import FIXTURES


def test_a_stereo_recording_labels_its_channels_not_roles_it_cannot_know() -> None:
    result = CliRunner().invoke(
        cli, ["transcribe", str(FIXTURES / "two_speakers.flac"), "--model", "tiny.en"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == ["speaker 2", "speaker 1"]
    assert "thank you for calling" in lines[0].lower() and "refund" in lines[1].lower()


def test_redirected_output_starts_with_the_first_line_not_blank_lines() -> None:
    result = CliRunner().invoke(cli, ["transcribe", str(FIXTURES / "hello_en.flac"), "--model", "tiny.en"])
    assert result.exit_code == 0, result.output
    assert result.output.lower().startswith("hello"), repr(result.output[:40])
    assert result.stderr == ""
