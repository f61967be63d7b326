"""`agentdesk bench tui`: the real desk on a pseudo-terminal; first paint, inbox paint over a
big store, and keypress-to-render while a call is being transcribed.

Each run starts a fresh `agentdesk` process (instrumented by `tui_probe`) on a PTY at
120x40, reads everything it draws (as a terminal would) and sends keys through the
PTY. Latency of a key = the frame that follows the cursor move it caused.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

import click

from agentdesk.bench.stats import Figure, report

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "quit": b"\x11"}


class DeskProcess:
    """One instrumented desk on a PTY; a thread drains what it draws."""

    def __init__(self, args: list[str], out: Path, *, width: int = 120, height: int = 40) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "AGENTDESK_BENCH_T0": repr(time.time()),
            "AGENTDESK_BENCH_OUT": str(out),
            "COLUMNS": str(width),
            "LINES": str(height),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentdesk.bench.tui_probe", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.out = out
        self.screen = bytearray()
        self._lock = threading.Lock()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.screen += _ANSI.sub(b"", data)
                del self.screen[:-200_000]

    def wait_for(self, text: str, timeout: float = 120.0) -> None:
        needle = text.encode()
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                if needle in self.screen:
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise click.ClickException(f"the desk never showed {text!r} (exit code {self.proc.poll()})")

    def press(self, key: str) -> float:
        sent = time.time()
        os.write(self.master, KEYS[key])
        return sent

    def finish(self, timeout: float = 30.0) -> dict[str, object]:
        self.press("quit")
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise click.ClickException("the desk did not quit") from None
        os.close(self.master)
        return json.loads(self.out.read_text())


def _after(times: list[float], moment: float) -> float | None:
    return next((t for t in times if t >= moment), None)


def _paints(data: dict[str, object]) -> tuple[float, float, float]:
    """(first paint from process start, inbox rows painted after the first frame, ... from start)."""
    frames: list[float] = data["frames"]  # type: ignore[assignment]
    t0 = float(data["t0"])  # type: ignore[arg-type]
    rows = float(data["marks"]["inbox_rows"])  # type: ignore[index]
    painted = _after(frames, rows) or rows
    return frames[0] - t0, painted - frames[0], painted - t0


def _key_latencies(data: dict[str, object], sent: list[float]) -> list[float]:
    frames: list[float] = data["frames"]  # type: ignore[assignment]
    cursor: list[float] = data["cursor"]  # type: ignore[assignment]
    out = []
    for s in sent:
        moved = _after(cursor, s)
        shown = _after(frames, moved) if moved is not None else None
        if shown is not None:
            out.append((shown - s) * 1000)
    return out


def _demo_transfer(db: Path) -> str:
    """Queue a sample call as the demo bot would, so its recording plays when accepted."""
    from agentdesk.calls.demo import DemoTraffic
    from agentdesk.calls.library import find_script, load_script
    from agentdesk.config import Settings
    from agentdesk.store.sqlite import SqliteStore

    with SqliteStore(db) as store:
        script = load_script(find_script("en-02"))  # about 50 s of agent and customer after the transfer
        played = DemoTraffic(store, Settings(), [script], sleep=lambda _: False).play(script)
        assert played is not None and played.transfer_id
        return played.transfer_id


@click.command()
@click.option("--runs", default=5, show_default=True, help="Fresh desk processes per figure.")
@click.option("--transfers", default=10_000, show_default=True, help="Waiting transfers in the big store.")
@click.option("--tickets", default=100_000, show_default=True, help="Tickets in the big store.")
@click.option("--presses", default=200, show_default=True, help="Arrow-key presses timed while transcribing.")
@click.option("--json", "as_json", is_flag=True)
def tui(runs: int, transfers: int, tickets: int, presses: int, as_json: bool) -> None:
    """Desk first paint on the demo store; inbox first paint with TRANSFERS waiting and TICKETS
    stored; keypress-to-render while a call's recording is transcribed by the offline model."""
    from agentdesk.bench.bigstore import bench_db, copy_db
    from agentdesk.store.seed import seed_store
    from agentdesk.store.sqlite import SqliteStore

    first = Figure("first paint, from process start", "s")
    small = Figure("inbox rows painted after first paint (demo store)", "ms")
    big = Figure(f"inbox rows painted after first paint ({transfers} transfers, {tickets} tickets)", "ms")
    big_start = Figure("  same, from process start", "s")
    keys = Figure("keypress to render while transcribing (whisper)", "ms")
    live = Figure("accept to first live text", "s")
    with tempfile.TemporaryDirectory() as tmp:
        demo_db = Path(tmp) / "demo.db"
        with SqliteStore(demo_db) as store:
            seed_store(store)
        for i in range(runs):
            desk = DeskProcess(["--db", str(demo_db), "--lang", "en", "desk"], Path(tmp) / f"s{i}.json")
            desk.wait_for("waiting")
            time.sleep(0.5)
            f, inbox, _ = _paints(desk.finish())
            first.samples.append(f)
            small.samples.append(inbox * 1000)
        click.echo(
            f"building or reusing the big store ({transfers} transfers, {tickets} tickets)...", err=True
        )
        source = bench_db(transfers, tickets)
        for i in range(runs):
            db = copy_db(source, Path(tmp) / f"big{i}.db")
            last = i == runs - 1
            args = ["--db", str(db), "--lang", "en", "desk"]
            if last:
                args += ["--accept", _demo_transfer(db)]
            desk = DeskProcess(args, Path(tmp) / f"b{i}.json")
            desk.wait_for("waiting")
            sent: list[float] = []
            if last:
                desk.wait_for("On call with")
                time.sleep(5.0)  # the model loaded and the recording is being transcribed
                for n in range(presses):
                    sent.append(desk.press("down" if (n // 20) % 2 == 0 else "up"))
                    time.sleep(0.05)  # about the repeat rate of a held arrow key
                time.sleep(0.5)
            data = desk.finish()
            _, inbox, from_start = _paints(data)
            big.samples.append(inbox * 1000)
            big_start.samples.append(from_start)
            if last:
                keys.samples.extend(_key_latencies(data, sent))
                heard = data["marks"].get("first_live_text")  # type: ignore[union-attr]
                if heard:
                    live.samples.append(float(heard) - float(data["marks"]["inbox_rows"]))  # type: ignore[index]
    click.echo(
        report(
            "tui (real terminal driver on a PTY, 120x40)",
            [first, small, big, big_start, keys, live],
            {"goals": "first paint <= 1.0 s; big inbox <= 300 ms; keypress p95 <= 50 ms"},
            as_json=as_json,
        )
    )
