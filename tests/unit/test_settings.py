"""Settings refuse values AgentDesk cannot use, naming the field, instead of failing later."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentdesk.config import ConfigError, load_settings


def _load(text: str) -> None:
    Path(os.environ["AGENTDESK_CONFIG_FILE"]).write_text(text, encoding="utf-8")
    load_settings()


@pytest.mark.parametrize(
    ("toml", "field", "reason"),
    [
        ('[hours.lines.zh]\ntimezone = "Mars/Olympus"\n', "hours.lines.zh.timezone", "unknown time zone"),
        ('[hours.lines.en.weekly]\nmon = ["9-18"]\n', "hours.lines.en.weekly", "expected HH:MM-HH:MM"),
        (
            '[hours.lines.en.weekly]\nmon = ["09:00-25:00"]\n',
            "hours.lines.en.weekly",
            "invalid opening period",
        ),
        ('[hours.lines.zh.weekly]\nfunday = ["09:00-18:00"]\n', "hours.lines.zh.weekly", "unknown weekday"),
        ("[bot]\nkb_threshold = 4\n", "bot.kb_threshold", "less than or equal to 1"),
        ("[bot]\nemotion_transfer_level = 5\n", "bot.emotion_transfer_level", "less than or equal to 3"),
        ("[bot]\ndissatisfaction_limit = 0\n", "bot.dissatisfaction_limit", "greater than or equal to 1"),
        ("[speech]\ncpu_threads = 0\n", "speech.cpu_threads", "greater than or equal to 1"),
        ("[routing]\nwiden_after_seconds = [60, -5]\n", "routing.widen_after_seconds", "greater than"),
        ("[server]\nport = 70000\n", "server.port", "less than or equal to 65535"),
    ],
)
def test_an_unusable_setting_is_refused_with_its_field_named(toml: str, field: str, reason: str) -> None:
    with pytest.raises(ConfigError) as err:
        _load(toml)
    assert field in str(err.value) and reason in str(err.value)


def test_valid_hours_including_an_overnight_period_load() -> None:
    _load('[hours.lines.en]\ntimezone = "America/New_York"\n[hours.lines.en.weekly]\nfri = ["20:00-02:00"]\n')
    settings = load_settings()
    assert settings.hours.lines["en"].weekly["fri"] == ["20:00-02:00"]


def test_the_centre_time_zone_is_the_first_lines() -> None:
    _load('[hours.lines.zh]\ntimezone = "Asia/Hong_Kong"\n')
    assert load_settings().hours.centre_timezone == "Asia/Hong_Kong"


def test_a_config_file_that_is_not_utf8_is_refused_with_a_clear_message() -> None:
    Path(os.environ["AGENTDESK_CONFIG_FILE"]).write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings()
