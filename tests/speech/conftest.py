"""Speech fixtures: real models (loaded once per session) and the committed audio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.calls.audio import audio_for, load_turns
from agentdesk.speech.corpus import corpora_dir
from agentdesk.speech.models import ModelInfo, resolve_model
from agentdesk.speech.whisper import WhisperTranscriber

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_CALLS = Path(__file__).resolve().parents[2] / "sample_calls"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache for the whole session, so the base model is assembled once."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def _shared_model_cache(model_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The root conftest gives every test a fresh cache directory; point the speech
    # tests back at the session cache so `base` is not reassembled per test.
    monkeypatch.setenv("AGENTDESK_MODEL_CACHE", str(model_cache))


@pytest.fixture(scope="session")
def tiny() -> WhisperTranscriber:
    transcriber = WhisperTranscriber(resolve_model("tiny.en"))
    transcriber.warm_up()
    return transcriber


@pytest.fixture(scope="session")
def base_model(model_cache: Path) -> ModelInfo:
    return resolve_model("base", cache_dir=model_cache)


@pytest.fixture(scope="session")
def base(base_model: ModelInfo) -> WhisperTranscriber:
    transcriber = WhisperTranscriber(base_model)
    transcriber.warm_up()
    return transcriber


def sample_calls(language: str) -> list[Path]:
    """Scripts of one language whose audio has been built and timed."""
    out = []
    for script in sorted(SAMPLE_CALLS.glob(f"{language}-*.yaml")):
        try:
            load_turns(script)
        except ValueError:
            continue
        if audio_for(script).is_file():
            out.append(script)
    return out


@pytest.fixture
def corpora() -> Iterator[Path]:
    """The shared real-speech corpora; tests using it skip when it is absent."""
    path = corpora_dir()
    if not (path / "speech_en" / "transcripts.tsv").is_file():
        pytest.skip(f"no speech corpora at {path} (set AGENTDESK_CORPORA)")
    yield path
