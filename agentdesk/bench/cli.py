"""The `agentdesk bench` group; each benchmark lives in its own module, imported on use."""

from __future__ import annotations

import importlib
import importlib.util

import click

BENCHES: dict[str, tuple[str, str]] = {
    "kb": ("agentdesk.bench.kb:kb", "KB retrieval latency over N articles (bm25s vs rank-bm25)."),
    "routing": ("agentdesk.bench.routing:routing", "Rank and assign N waiting transfers over M agents."),
    "store": ("agentdesk.bench.store:store", "Store claim race and write/read latency."),
    "asr": ("agentdesk.bench.asr:asr", "Live transcription at real-time pace: latency, RTF, lag, WER."),
    "tui": ("agentdesk.bench.tui:tui", "Desk first paint and keypress-to-render latency."),
    "server": ("agentdesk.bench.server:server", "Team server throughput and p95 with concurrent clients."),
}


def _available(name: str) -> bool:
    return importlib.util.find_spec(BENCHES[name][0].split(":")[0]) is not None


class _LazyBenches(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n in BENCHES if _available(n))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in BENCHES or not _available(cmd_name):
            return None
        module_name, attr = BENCHES[cmd_name][0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, BENCHES[n][1]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Benchmarks"):
                formatter.write_dl(rows)


@click.group(cls=_LazyBenches)
def bench() -> None:
    """Measure speed on this machine; every figure is median/p95 with the core count."""
