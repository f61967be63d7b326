"""Measurements taken inside one desk process, for `agentdesk bench tui` (run as a subprocess).

Paint times are read off the terminal driver: the moment the app writes a frame that
shows what we wait for. Prints one JSON object on stdout.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

T0 = float(os.environ.get("AGENTDESK_BENCH_T0", time.time()))
"""When the parent started this process: interpreter start-up counts toward first paint."""


FRAMES: list[float] = []
"""When the app wrote each frame to the (headless) terminal."""


def _record_frames() -> None:
    """Timestamp every frame any app writes, from its very first one."""
    from textual.drivers.headless_driver import HeadlessDriver

    original = HeadlessDriver.write

    def write(self: HeadlessDriver, data: str) -> None:
        FRAMES.append(time.time())
        original(self, data)

    HeadlessDriver.write = write  # type: ignore[method-assign]


async def _frame_after(moment: float, timeout: float = 2.0) -> float:
    """The first frame written after `moment` (waits for it); NaN if none comes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        later = [t for t in FRAMES[-50:] if t > moment]
        if later:
            return later[0]
        await asyncio.sleep(0.001)
    return float("nan")


async def _until(predicate: Any, timeout: float = 60.0) -> float:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return time.time()
        await asyncio.sleep(0.002)
    raise TimeoutError("the desk did not reach the measured state")


async def probe(
    db: Path, *, presses: int, transcription: str | None, lang: str
) -> dict[str, float | list[float]]:
    from agentdesk.config import Settings
    from agentdesk.store.sqlite import SqliteStore
    from agentdesk.tui.app import make_app

    imported = time.time()
    _record_frames()
    store = SqliteStore(db, actor="A01")
    app = make_app(Settings(), store, lang=lang)
    if transcription:
        app.live_transcription = transcription  # type: ignore[assignment]
    out: dict[str, float | list[float]] = {"import_s": imported - T0}
    async with app.run_test(size=(120, 40)) as pilot:
        from agentdesk.tui.widgets.transfer_inbox import TransferInbox

        mounted = time.time()
        inbox = app.screen.query_one(TransferInbox)
        filled = await _until(lambda: inbox.table.row_count > 0)
        painted = await _frame_after(filled)
        out["first_paint_s"] = (FRAMES[0] if FRAMES else painted) - T0
        out["inbox_paint_from_mount_s"] = painted - mounted
        out["inbox_paint_from_start_s"] = painted - T0
        out["inbox_rows"] = float(inbox.table.row_count)
        out["queue_total"] = float(inbox.total)
        if transcription:
            await _start_transcribed_call(app, pilot)
            out["transcribing"] = 1.0
        out["keypress_ms"] = await _keypresses(app, pilot, presses)
    store.close()
    return out


async def _start_transcribed_call(app: Any, pilot: Any) -> None:
    """Accept the demo transfer (its recording plays through live transcription)."""
    from agentdesk.tui.widgets.call_workspace import CallWorkspace

    demo_id = os.environ["AGENTDESK_BENCH_TRANSFER"]
    # The demo transfer may sit outside the inbox window of a 10k queue: claim it directly,
    # through the same worker the accept key uses.
    app.screen.claim(app.store.get_transfer(demo_id))
    workspace = app.screen.query_one(CallWorkspace)
    await _until(lambda: workspace.active is not None)
    await _until(lambda: any(w.group == "transcription" and w.is_running for w in app.workers))
    await pilot.pause(3.0)  # the model loaded and audio flowing before we measure


async def _keypresses(app: Any, pilot: Any, presses: int) -> list[float]:
    """Cursor moves in the inbox, each timed from the key to the frame that shows it."""
    app.screen.query_one("#inbox-table").focus()
    samples = []
    for i in range(presses):
        key = "down" if (i // 20) % 2 == 0 else "up"
        start = time.time()
        await pilot.press(key)
        shown = await _frame_after(start)
        samples.append((shown - start) * 1000)
        await asyncio.sleep(0.05)  # about as fast as a person holds an arrow key
    return samples


def main() -> None:
    db = Path(sys.argv[1])
    presses = int(sys.argv[2])
    transcription = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "none" else None
    result = asyncio.run(probe(db, presses=presses, transcription=transcription, lang="en"))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
