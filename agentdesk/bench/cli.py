"""The `agentdesk bench` group; each benchmark lives in its own module, imported on use."""

from __future__ import annotations

import click

from agentdesk.lazy import LazyGroup

BENCHES: dict[str, tuple[str, str]] = {
    "kb": ("agentdesk.bench.kb:kb", "KB retrieval latency over N articles (bm25s vs rank-bm25)."),
    "routing": ("agentdesk.bench.routing:routing", "Rank and assign N waiting transfers over M agents."),
    "store": ("agentdesk.bench.store:store", "Store claim race and write/read latency."),
    "asr": ("agentdesk.bench.asr:asr", "Live transcription at real-time pace: latency, RTF, lag, WER."),
    "tui": ("agentdesk.bench.tui:tui", "Desk first paint and keypress-to-render latency."),
    "server": ("agentdesk.bench.server:server", "Team server throughput and p95 with concurrent clients."),
}


@click.group(cls=LazyGroup, lazy=BENCHES, section="Benchmarks")
def bench() -> None:
    """Measure speed on this machine; every figure is median/p95 with the core count."""
