"""The desk, instrumented, for `agentdesk bench tui` (run as a child on a pseudo-terminal).

It runs the real desk with the real terminal driver, so frames are actually rendered
and written. Hooks timestamp every frame, every inbox cursor move and the moment the
inbox first shows rows; the parent sends keys through the terminal and reads these
timestamps (one JSON object on stdout at exit) to compute keypress-to-render.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

T0 = float(os.environ.get("AGENTDESK_BENCH_T0", time.time()))
"""When the parent started this process: interpreter start-up counts toward first paint."""

FRAMES: list[float] = []
CURSOR: list[float] = []
MARKS: dict[str, float] = {}


def _instrument() -> None:
    from textual.app import App
    from textual.widgets import DataTable

    from agentdesk.tui.widgets.transcript_pane import TranscriptPane
    from agentdesk.tui.widgets.transfer_inbox import TransferInbox

    display, watch, show, upsert = (
        App._display,
        DataTable.watch_cursor_coordinate,
        TransferInbox.show,
        TranscriptPane.upsert,
    )

    def _display(self: Any, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is not None:
            FRAMES.append(time.time())

    def _watch(self: Any, old: Any, new: Any) -> None:
        watch(self, old, new)
        if self.id == "inbox-table":
            CURSOR.append(time.time())

    def _show(self: Any, transfers: Any, total: int) -> None:
        show(self, transfers, total)
        if transfers:
            MARKS.setdefault("inbox_rows", time.time())

    def _upsert(self: Any, line: Any) -> None:
        # Live lines get a transient high seq; lines from the bot conversation do not.
        if line.seq >= 10**6:
            MARKS.setdefault("first_live_text", time.time())
        upsert(self, line)

    App._display = _display  # type: ignore[method-assign]
    DataTable.watch_cursor_coordinate = _watch  # type: ignore[method-assign]
    TransferInbox.show = _show  # type: ignore[method-assign]
    TranscriptPane.upsert = _upsert  # type: ignore[method-assign]


def main() -> None:
    started = time.time()
    from agentdesk.cli import cli

    _instrument()
    MARKS["imported"] = time.time()
    try:
        cli.main(sys.argv[1:], prog_name="agentdesk", standalone_mode=False)
    finally:
        result = {"t0": T0, "started": started, "frames": FRAMES, "cursor": CURSOR, "marks": MARKS}
        with open(os.environ["AGENTDESK_BENCH_OUT"], "w") as fh:
            json.dump(result, fh)


if __name__ == "__main__":
    main()
