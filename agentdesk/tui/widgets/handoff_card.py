"""The handoff card: everything the bot learned about the selected transfer (SPEC section 3)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.transfers import Transfer
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog, detail_label
from agentdesk.tui.widgets.format import EMOTION_STYLE, emotion_badge, tier_badge, waited

LABEL_WIDTH = {"en": 8, "zh": 8}
"""Width of the label column: the longest short label in each UI language."""


class HandoffCard(VerticalScroll):
    """A read-only card; the screen calls `show` when the selection changes."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._body = Static(Text(catalog("handoff.none"), style="dim"), id="handoff-body")
        self._shown: tuple[Transfer, int, int] | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("handoff.title")
        self.set_interval(1.0, self._tick)  # the wait keeps counting, as in the inbox

    def _tick(self) -> None:
        if self._shown is not None:
            transfer, tickets, calls = self._shown
            self.show(transfer, prior_tickets=tickets, prior_calls=calls)

    def clear(self) -> None:
        self._shown = None
        self._body.update(Text(self.t("handoff.none"), style="dim"))

    def show(self, transfer: Transfer, *, prior_tickets: int = 0, prior_calls: int = 0) -> None:
        """Render the packet of `transfer`; sensitive numbers are masked."""
        self._shown = (transfer, prior_tickets, prior_calls)
        t, p = self.t, transfer.packet
        head = Text.assemble(
            (p.customer_name or p.customer_id or "?", "bold"),
            " ",
            tier_badge(p.tier, t),
            "  ",
            (p.language.upper(), "dim"),
            "  ",
            ("⏱ " + waited(p.wait_started_at, utcnow()), "dim"),
        )
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True, width=LABEL_WIDTH[t.lang])
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(t("handoff.intent"), Text(p.intent or "—"))
        if p.ledger:
            why = Text()
            for n, entry in enumerate(p.ledger):
                why.append("\n" if n else "")
                why.append(t(f"rule.{entry.rule}"), style="bold red")
                why.append(f" {t('handoff.turn', turn=entry.turn + 1)} {entry.confidence:.0%}", style="dim")
                if entry.evidence:
                    why.append("\n“" + mask_text(entry.evidence) + "”", style="italic")
            grid.add_row(t("handoff.ledger"), why)
        trend = Text(" → ").join(Text(str(int(e)), style=EMOTION_STYLE[int(e)]) for e in p.emotion_trend)
        grid.add_row(t("handoff.emotion"), Text.assemble(emotion_badge(p.emotion_level, t), "  ", trend))
        if p.details:
            grid.add_row(
                t("handoff.details"),
                Text("\n".join(f"{detail_label(k, t)}: {mask_text(v)}" for k, v in p.details.items())),
            )
        if p.summary:
            grid.add_row(t("handoff.summary"), Text(mask_text(p.summary)))
        if p.bot_answers:
            grid.add_row(t("handoff.bot_answers"), Text(", ".join(p.bot_answers), style="dim"))
        grid.add_row(
            t("handoff.history"), t("handoff.history_value", tickets=prior_tickets, calls=prior_calls)
        )
        if transfer.rationale:
            grid.add_row(t("handoff.routing"), Text("\n".join(transfer.rationale.lines(t.lang))))
        parts: list[object] = [head, grid]
        self._body.update(Group(*parts))
        self.scroll_home(animate=False)
