"""The handoff card: everything the bot learned about the selected transfer (SPEC section 3)."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Speaker
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog, detail_label
from agentdesk.tui.widgets.format import EMOTION_STYLE, emotion_badge, tier_badge, transfer_wait

LABEL_WIDTH = {"en": 8, "zh": 8}
"""Width of the label column: the longest short label in each UI language."""


def history_line(t: Catalog, tickets: int, calls: int) -> str:
    """The customer's history on the card: "1 ticket · 3 earlier calls" / "1 张工单 · 此前来电 3 次"."""
    return (
        t.count("handoff.history_tickets", tickets, n=tickets)
        + " · "
        + t.count("handoff.history_calls", calls, n=calls)
    )


class HandoffCard(VerticalScroll):
    """A read-only card; the screen calls `show` when the selection changes and `tick` every second.

    The head line (name, tier, language, wait) and the packet below it are separate, so the
    wait can count without redrawing, or scrolling back, what the agent is reading.
    """

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._head = Static("", id="handoff-head")
        self._body = Static(Text(catalog("handoff.none"), style="dim"), id="handoff-body")
        self.shown: Transfer | None = None
        """The transfer on the card; None when it is empty."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._head
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("handoff.title")
        self._head.display = False

    def clear(self) -> None:
        self.shown = None
        self._head.display = False
        self._body.update(Text(self.t("handoff.none"), style="dim"))

    def tick(self, now: datetime) -> None:
        """Count the wait on; only the head line changes."""
        if self.shown is not None:
            self._head.update(self._head_line(self.shown, now))

    def _head_line(self, transfer: Transfer, now: datetime) -> Text:
        p = transfer.packet
        return Text.assemble(
            (p.customer_name or p.customer_id or "?", "bold"),
            " ",
            tier_badge(p.tier, self.t),
            "  ",
            (p.language.upper(), "dim"),
            "  ",
            ("⏱ " + transfer_wait(transfer, now), "dim"),
        )

    def show(self, transfer: Transfer, *, prior_tickets: int = 0, prior_calls: int = 0) -> None:
        """Render the packet of `transfer`; sensitive numbers are masked."""
        same = self.shown is not None and self.shown.id == transfer.id
        self.shown = transfer
        self._head.display = True
        self._head.update(self._head_line(transfer, utcnow()))
        t, p = self.t, transfer.packet
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
        grid.add_row(t("handoff.emotion"), emotion_summary(p, t))
        if p.details:
            grid.add_row(
                t("handoff.details"),
                Text("\n".join(f"{detail_label(k, t)}: {mask_text(v)}" for k, v in p.details.items())),
            )
        if p.summary:
            grid.add_row(t("handoff.summary"), Text(mask_text(p.summary)))
        if p.bot_answers:
            grid.add_row(t("handoff.bot_answers"), Text(", ".join(p.bot_answers), style="dim"))
        grid.add_row(t("handoff.history"), history_line(t, prior_tickets, prior_calls))
        if transfer.rationale:
            grid.add_row(t("handoff.routing"), Text("\n".join(transfer.rationale.lines(t.lang))))
        self._body.update(grid)
        if not same:  # the history arriving for the same transfer keeps the agent's place
            self.scroll_home(animate=False)


def peak_turn(packet: HandoffPacket) -> int | None:
    """The turn (1-based, as the ledger counts) of the first customer line at the peak emotion.

    None when the trend does not line up with the customer lines of the transcript.
    """
    customer_turns = [n for n, u in enumerate(packet.transcript) if u.speaker == Speaker.CUSTOMER]
    trend = [int(e) for e in packet.emotion_trend]
    if len(trend) != len(customer_turns):
        return None
    peak = int(packet.emotion_level)
    for turn, level in zip(customer_turns, trend, strict=True):
        if level >= peak:
            return turn + 1
    return None


def emotion_summary(packet: HandoffPacket, t: Catalog) -> Text:
    """The emotion now and, when the customer has calmed since, the peak and its turn; then the trend.

    The peak alone ("angry") would read as the customer's mood now, when the trend ends calmer.
    """
    peak = int(packet.emotion_level)
    trend = [int(e) for e in packet.emotion_trend]
    now = trend[-1] if trend else peak
    line = Text()
    if now >= peak:
        line.append_text(emotion_badge(peak, t))
    else:
        turn = peak_turn(packet)
        level = t(f"emotion.{peak}")
        peak_text = (
            t("handoff.emotion.peak_turn", level=level, turn=t("handoff.turn", turn=turn))
            if turn is not None
            else t("handoff.emotion.peak", level=level)
        )
        line.append("●" * (peak + 1) + " ", style=EMOTION_STYLE[peak])
        line.append(peak_text, style=EMOTION_STYLE[peak])
        line.append(t("handoff.emotion.now", level=t(f"emotion.{now}")), style=EMOTION_STYLE[now])
    if trend:
        line.append("\n")
        line.append_text(Text(" → ").join(Text(str(e), style=EMOTION_STYLE[e]) for e in trend))
    return line
