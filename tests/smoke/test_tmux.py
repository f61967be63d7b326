"""The real `agentdesk` binary in a real terminal (tmux), as a person would see it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

AGENTDESK = [sys.executable, "-m", "agentdesk"]


class Terminal:
    """One tmux session running a command at a fixed size, on a tmux server of its own.

    A private server (`tmux -L`) means closing one terminal never races the next
    one starting: with a shared default server, killing the last session shuts
    the server down while the next `new-session` may be connecting to it.
    """

    def __init__(
        self, command: list[str], *, width: int = 100, height: int = 30, env: dict[str, str]
    ) -> None:
        self.name = f"adsmoke-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}='{v}'" for k, v in env.items())
        # tmux sizes a detached session's pane just after starting it: let that settle first.
        shell = f"sleep 0.5; env {exports} {' '.join(command)}; sleep 30"
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), shell)

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True, check=check)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.3)
        raise AssertionError(f"never saw {texts!r}; the terminal showed:\n{self.screen()}")

    def press(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def close(self) -> None:
        self._tmux("kill-server", check=False)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "AGENTDESK_CONFIG_FILE": str(tmp_path / "config.toml"),
    }


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for t in opened:
        t.close()


@pytest.mark.parametrize(
    ("lang", "panes"),
    [
        ("en", ("Transfer inbox", "Handoff", "Transcript", "Suggestions", "Ticket")),
        ("zh", ("转人工队列", "交接信息", "通话转写", "知识库建议", "工单")),
    ],
)
def test_first_run_seeds_and_shows_every_pane_at_100x30(
    env, terminals, lang: str, panes: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    term = Terminal([*AGENTDESK, "--lang", lang], env=env)
    terminals.append(term)
    screen = term.wait_for(*panes, "王秀英", "Grace")
    assert "Traceback" not in screen
    term.press("down")
    term.wait_for("周杰")
    term.press("q")


DEMO_SCREENS = {
    "en": {"waiting": "waiting ─", "why": "Reason ", "on_call": "On call with", "agent": "│ Agent ", "wrap": "Wrap up the call",
           "saved": "ticket TK-", "idle": "Not on a call"},
    "zh": {"waiting": "个等待中 ─", "why": "来电原因", "on_call": "正在与", "agent": "│ 坐席 ", "wrap": "结束通话并建单",
           "saved": "工单 TK-", "idle": "当前未在通话"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_fills_the_inbox_and_an_accepted_call_plays_live_into_a_ticket(
    env, terminals, lang: str
) -> None:  # type: ignore[no-untyped-def]
    words = DEMO_SCREENS[lang]
    term = Terminal(
        [*AGENTDESK, "--lang", lang, "demo", "--transcription", "scripted", "--speed", "8", "--gap", "1"],
        width=120,
        height=36,
        env=env,
    )
    terminals.append(term)
    term.wait_for(
        words["waiting"], words["why"], timeout=60
    )  # the bot's transfers; press as soon as one shows
    term.press("a")
    screen = term.wait_for(words["on_call"], timeout=20)
    assert "Traceback" not in screen
    term.wait_for(words["agent"], timeout=60)  # the human part of the recording, live
    term.press("w")
    term.wait_for(words["wrap"])
    term.press("C-s")
    term.wait_for(words["saved"], words["idle"], timeout=20)
