"""`agentdesk bench tui`: desk first paint, inbox paint over a big store, keypress-to-render."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from agentdesk.bench.stats import Figure, report


def _probe(
    db: Path, presses: int, transcription: str | None, transfer_id: str | None = None
) -> dict[str, object]:
    env = {**os.environ, "AGENTDESK_BENCH_T0": repr(time.time())}
    if transfer_id:
        env["AGENTDESK_BENCH_TRANSFER"] = transfer_id
    done = subprocess.run(
        [sys.executable, "-m", "agentdesk.bench.tui_probe", str(db), str(presses), transcription or "none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if done.returncode != 0:
        raise click.ClickException(f"the probe failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _demo_transfer(db: Path) -> str:
    """Queue a sample call as the demo bot would, so its recording plays when accepted."""
    from agentdesk.calls.demo import DemoTraffic
    from agentdesk.calls.library import find_script, load_script
    from agentdesk.config import Settings
    from agentdesk.store.sqlite import SqliteStore

    with SqliteStore(db) as store:
        script = load_script(find_script("en-05"))
        played = DemoTraffic(store, Settings(), [script], sleep=lambda _: False).play(script)
        assert played is not None and played.transfer_id
        return played.transfer_id


@click.command()
@click.option("--runs", default=5, show_default=True, help="Fresh desk processes per figure.")
@click.option("--transfers", default=10_000, show_default=True, help="Waiting transfers in the big store.")
@click.option("--tickets", default=100_000, show_default=True, help="Tickets in the big store.")
@click.option("--presses", default=200, show_default=True, help="Arrow-key presses timed while transcribing.")
@click.option(
    "--transcription",
    type=click.Choice(["whisper", "scripted"]),
    default="whisper",
    show_default=True,
    help="What runs during the keypress figure: the real model, or the scripted stand-in.",
)
@click.option("--json", "as_json", is_flag=True)
def tui(runs: int, transfers: int, tickets: int, presses: int, transcription: str, as_json: bool) -> None:
    """Desk first paint on the demo store; inbox first paint with TRANSFERS waiting and TICKETS
    stored; keypress-to-render p95 while a call is being transcribed."""
    from agentdesk.bench.bigstore import bench_db, copy_db
    from agentdesk.store.seed import seed_store
    from agentdesk.store.sqlite import SqliteStore

    first, inbox_small, inbox_big, inbox_big_start, keys = (
        Figure("first paint (process start)", "s"),
        Figure("inbox paint, demo store (from mount)", "ms"),
        Figure(f"inbox paint, {transfers} transfers + {tickets} tickets (from mount)", "ms"),
        Figure("  same, from process start", "s"),
        Figure(f"keypress to render while transcribing ({transcription})", "ms"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.db"
        with SqliteStore(small) as store:
            seed_store(store)
        for _ in range(runs):
            r = _probe(small, 0, None)
            first.samples.append(float(r["first_paint_s"]))  # type: ignore[arg-type]
            inbox_small.samples.append(float(r["inbox_paint_from_mount_s"]) * 1000)  # type: ignore[arg-type]
        click.echo(
            f"building or reusing the big store ({transfers} transfers, {tickets} tickets)...", err=True
        )
        big = bench_db(
            transfers,
            tickets,
            progress=lambda d, t: click.echo(f"  {d}/{t}", err=True) if d % 20000 == 0 else None,
        )
        for i in range(runs):
            db = copy_db(big, Path(tmp) / f"big{i}.db")
            last = i == runs - 1
            transfer_id = _demo_transfer(db) if last else None
            r = _probe(db, presses if last else 0, transcription if last else None, transfer_id)
            inbox_big.samples.append(float(r["inbox_paint_from_mount_s"]) * 1000)  # type: ignore[arg-type]
            inbox_big_start.samples.append(float(r["inbox_paint_from_start_s"]))  # type: ignore[arg-type]
            if last:
                keys.samples.extend(float(x) for x in r["keypress_ms"])  # type: ignore[union-attr]
    click.echo(
        report(
            "tui (headless Textual, 120x40)",
            [first, inbox_small, inbox_big, inbox_big_start, keys],
            {"goals": "first paint <= 1.0 s; big inbox <= 300 ms; keypress p95 <= 50 ms"},
            as_json=as_json,
        )
    )
