"""The replay transcript: the call's lines as the recording reaches them.

A line being spoken shows word by word in the tentative style the desk uses for partial
text; lines on which a transfer rule fired carry a red mark; the moment a human takes
over and the pending decision are marked in the flow.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.calls.training import Playback, TrainingSession, partial_text
from agentdesk.domain.masking import mask_speakers
from agentdesk.domain.models import Speaker
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import SPEAKER_STYLE, duration


class ReplayTranscript(VerticalScroll, can_focus=False):
    """Redrawn from the session and the playback clock; cheap to call on every tick."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._seen: tuple[object, ...] = ()
        self._body = Static(
            Text(catalog("trainer.transcript.waiting"), style="dim"), id="trainer-transcript-body"
        )

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("trainer.transcript.title")

    def clear(self) -> None:
        self._seen = ()
        self._body.update(Text(self.t("trainer.transcript.waiting"), style="dim"))

    def show(self, session: TrainingSession, playback: Playback) -> None:
        """Draw the lines the replay has reached; skipped when nothing visible changed."""
        shown = playback.shown
        turns = session.script.turns
        last = partial_text(turns[shown - 1].text, playback.spoken(shown - 1)) if shown else ""
        seen = (id(session), shown, last, playback.holding)
        if seen == self._seen:
            return
        self._seen = seen
        if not shown and not playback.holding:
            self._body.update(Text(self.t("trainer.transcript.waiting"), style="dim"))
            return
        fired = {turn for turn, _ in session.ledger()}
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim", justify="right")  # line number, as verdicts cite it
        grid.add_column(no_wrap=True, style="dim")  # m:ss into the call
        grid.add_column(no_wrap=True)  # speaker
        grid.add_column(no_wrap=True, width=1)  # rule mark
        grid.add_column(ratio=1, overflow="fold")
        took_over = False
        said = mask_speakers(
            [(turn.speaker, turn.text if i < shown - 1 else last) for i, turn in enumerate(turns[:shown])]
        )
        for i in range(shown):
            turn = turns[i]
            if turn.speaker == Speaker.AGENT and not took_over:
                took_over = True
                takeover = Text(f"── {self.t('trainer.transcript.takeover')} ──", style="green")
                grid.add_row("", "", "", "", takeover)
            final = i < shown - 1 or playback.spoken(i) >= 1.0
            grid.add_row(
                str(i + 1),
                duration(playback.spans[i][0]),
                Text(self.t(f"speaker.short.{turn.speaker}"), style=SPEAKER_STYLE.get(turn.speaker, "")),
                Text("●", style="bold red") if i in fired and final else "",
                Text(said[i], style="" if final else "italic dim"),
            )
        if playback.holding:
            mark = Text(f"◆ {self.t('trainer.transcript.decision')}", style="bold yellow")
            grid.add_row("", "", "", "", mark)
        self._body.update(grid)
        self._follow()

    def on_resize(self) -> None:
        self._follow()  # the decision panel below grew or shrank: keep the latest line in sight

    def _follow(self) -> None:
        # After the refresh, when the new height is known; scrolling now would stop short.
        self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
