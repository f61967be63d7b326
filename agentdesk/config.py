"""Settings: defaults, then the TOML config file, then `AGENTDESK_*` environment variables.

Nested fields use a double underscore in the environment, e.g.
`AGENTDESK_BOT__KB_THRESHOLD=0.4`. Every field is documented so `agentdesk doctor`
and the README can list them.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from agentdesk import locations
from agentdesk.domain.hours import parse_period

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(Exception):
    """The config file or environment holds something AgentDesk cannot use."""


class Section(BaseModel):
    """A settings section; misspelt keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class StoreSettings(Section):
    db: Path | None = None
    """SQLite file for the embedded store; default in the user data directory."""
    server: str | None = None
    """Team server URL (`http://host:port`); when set the desk uses the remote store."""
    token: SecretStr | None = None
    """Bearer token for the team server."""
    busy_timeout_ms: int = Field(5000, ge=0)
    """How long a write waits for a lock held by another program before failing."""


class SpeechSettings(Section):
    model: str = "auto"
    """`auto` (tiny.en for English, base otherwise), `tiny.en`, `base`, or a model directory."""
    language: Literal["auto", "zh", "en"] = "auto"
    """Spoken language; `auto` detects it per utterance (slower)."""
    cpu_threads: int = Field(2, ge=1)
    """Threads for whisper; physical cores, not more."""
    beam_size: int = Field(5, ge=1)
    """Beam size for final text; partial text always uses 1."""
    input_device: str | None = None
    """Microphone: a sounddevice index or name; default device when unset."""


class BotSettings(Section):
    kb_threshold: float = Field(0.45, ge=0.0, le=1.0)
    """KB confidence below which the bot does not answer (no-answer rule)."""
    confirm_threshold: float = Field(0.25, ge=0.0, le=1.0)
    """KB confidence from which a match below `kb_threshold` is offered back to the caller
    ("Is it about data rollover?") instead of a general clarify question; a yes answers it.
    Set it to `kb_threshold` or above to turn the question off."""
    dissatisfaction_limit: int = Field(3, ge=1)
    """Dissatisfied or unresolved turns before a transfer (repeated-dissatisfaction)."""
    emotion_transfer_level: int = Field(3, ge=1, le=3)
    """Emotion level (0 calm .. 3 angry) at which the call transfers (strong-emotion)."""
    emotion_rise: int = Field(2, ge=1, le=3)
    """A rise of this many levels within a call also transfers."""
    high_value_amount: float = Field(5000.0, ge=0.0)
    """Order value (in the customer's currency) that makes a complex request high-value."""


class RoutingSettings(Section):
    aging_per_minute: float = Field(1.0, ge=0.0)
    """Priority points a waiting transfer gains per minute, so nothing starves."""
    widen_after_seconds: list[Annotated[int, Field(ge=0)]] = Field(default_factory=lambda: [60, 180])
    """Wait times after which the agent pool widens by one level each."""
    offer_timeout_seconds: int = Field(30, ge=1)
    """An offered transfer not accepted within this time is offered to someone else."""
    affinity_wait_seconds: int = Field(30, ge=0)
    """How long a VIP, or a customer asking for a dedicated adviser, may wait for their busy
    previous agent before going to someone else (counted from queueing; 0 = never wait)."""


class WeeklyHours(Section):
    timezone: str = "Asia/Shanghai"
    """IANA time zone the hours are written in."""
    weekly: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "mon": ["09:00-18:00"],
            "tue": ["09:00-18:00"],
            "wed": ["09:00-18:00"],
            "thu": ["09:00-18:00"],
            "fri": ["09:00-18:00"],
            "sat": ["09:00-12:00"],
            "sun": [],
        }
    )
    """Opening periods per weekday (`mon`..`sun`), `HH:MM-HH:MM`."""
    holidays: list[date] = Field(default_factory=lambda: [date(2026, 12, 25), date(2027, 1, 1)])
    """Dates the centre is closed all day."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)") from None
        return value

    @field_validator("weekly")
    @classmethod
    def _real_periods(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for day, specs in value.items():
            if day not in _WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r} (use {', '.join(_WEEKDAYS)})")
            for spec in specs:
                parse_period(spec)
        return value


class HoursSettings(Section):
    lines: dict[str, WeeklyHours] = Field(
        default_factory=lambda: {"zh": WeeklyHours(), "en": WeeklyHours(timezone="Europe/London")}
    )
    """Business hours per language line (customers are served in their language)."""

    @property
    def centre_timezone(self) -> str:
        """The centre's own time zone, for reports and charts: its first line's, else UTC."""
        return next(iter(self.lines.values())).timezone if self.lines else "UTC"


class UISettings(Section):
    lang: Literal["en", "zh"] | None = None
    """Interface language; default from the locale."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys, e.g. `{"accept-transfer" = "ctrl+a"}`."""
    agent_id: str = "A01"
    """Which agent this desk signs in as (embedded mode)."""
    audio: str | None = None
    """What the desk transcribes live into each call the agent takes: `mic` (the
    `speech.input_device`), `mic:DEVICE`, or the path of a recording of the call. Unset: the
    call's lines come from the store (the voice bot or a softphone writes them)."""


class ServerSettings(Section):
    host: str = "127.0.0.1"
    """Address `agentdesk serve` listens on."""
    port: int = Field(8765, ge=1, le=65535)
    """Port `agentdesk serve` listens on."""


class Settings(BaseSettings):
    """All AgentDesk settings."""

    model_config = SettingsConfigDict(env_prefix="agentdesk_", env_nested_delimiter="__", extra="forbid")

    store: StoreSettings = Field(default_factory=StoreSettings)
    speech: SpeechSettings = Field(default_factory=SpeechSettings)
    bot: BotSettings = Field(default_factory=BotSettings)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)
    hours: HoursSettings = Field(default_factory=HoursSettings)
    ui: UISettings = Field(default_factory=UISettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=locations.config_file())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning any problem into a `ConfigError` that names the file and field.

    Raises:
        ConfigError: the config file is not valid TOML or a value is invalid.
    """
    path = locations.config_file()
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 TOML"
        ) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"invalid setting in {path} or AGENTDESK_* environment: {problems}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
