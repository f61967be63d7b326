"""The replay's status bar: which call, the situation, and the transport (state, position, speed, sound)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from agentdesk.calls.training import Playback, TrainingSession
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import duration, tier_badge
from agentdesk.tui.widgets.trainer_calls import when

STATE_STYLE = {
    "playing": "bold green",
    "paused": "bold yellow",
    "decide": "bold black on yellow",
    "finished": "bold",
}


def playback_state(session: TrainingSession, playback: Playback) -> str:
    """`playing`, `paused`, `decide` (held at a decision point) or `finished`."""
    if playback.holding and session.pending is not None:
        return "decide"
    if playback.finished:
        return "finished"
    return "playing" if playback.playing else "paused"


class PlayerBar(Static):
    """Two lines: the call and its situation, then the transport."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._seen: tuple[object, ...] = ()

    def show(self, session: TrainingSession, playback: Playback, audio: Text) -> None:
        """Redraw when anything shown changed (the bar moves in whole cells)."""
        t, s = self.t, session.script
        state = playback_state(session, playback)
        label = Text(f" {t(f'trainer.state.{state}')} ", style=STATE_STYLE[state])
        clock = Text(f"{duration(playback.position)} / {duration(playback.duration)}")
        speed = Text(t("trainer.speed", speed=f"{playback.speed:g}"), style="bold")
        room = self.size.width - 2  # padding
        width = max(10, room - sum(p.cell_len for p in (label, clock, speed, audio)) - 8)
        filled = round(width * playback.position / playback.duration) if playback.duration else 0
        seen = (
            id(session),
            session.answered,
            filled,
            int(playback.position),
            speed.plain,
            state,
            audio.plain,
            room,
        )
        if seen == self._seen:
            return
        self._seen = seen
        situation = Text.assemble(
            (s.id[:5], "bold"),
            " ",
            (session.customer.name if session.customer else s.customer, "bold"),
            " ",
            tier_badge(session.customer.tier, t, short=True) if session.customer else "",
            ("  ·  ", "dim"),
            when(s, session.timezone, session.lines_open, t),
            ("  ·  ", "dim"),
            (s.title, "dim"),
        )
        situation.truncate(room, overflow="ellipsis")
        bar = Text("━" * filled, style="bold cyan") + Text("─" * (width - filled), style="dim")
        for point in session.points[session.answered :]:  # where the replay will stop for the trainee
            at = playback.spans[point.turn][0] if point.turn < len(playback.spans) else playback.duration
            pos = min(width - 1, round(width * at / playback.duration)) if playback.duration else 0
            bar = bar[:pos] + Text("◆", style="bold yellow") + bar[pos + 1 :]
        transport = Text.assemble(label, "  ", bar, "  ", clock, "  ", speed, "  ", audio)
        self.update(Text("\n").join([situation, transport]))
