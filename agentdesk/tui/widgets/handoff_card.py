"""The handoff card: everything the bot learned about the selected transfer (SPEC section 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from agentdesk.domain.masking import mask_detail, mask_text
from agentdesk.domain.models import Speaker
from agentdesk.domain.routing_explain import Route, route_of
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.store.base import StoreError
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.i18n import Catalog, detail_label
from agentdesk.tui.widgets.format import EMOTION_STYLE, emotion_badge, tier_badge, transfer_wait
from agentdesk.tui.widgets.supervisor_rationale import rationale_text
from agentdesk.tui.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from agentdesk.tui.app import AgentDeskApp

LABEL_WIDTH = {"en": 8, "zh": 8}
"""Width of the label column: the longest short label in each UI language."""
_AMOUNT_KEY = re.compile(r"(?:^|_)(?:amount|fee|cost|value|price|refund)(?:_\d+)?$")
_BARE_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def detail_line(key: str, value: str, language: str, t: Catalog) -> str:
    """One collected detail as the card shows it: `金额: ¥58.00`, `电话: 137****3732`.

    A key the catalog does not know reads as itself in English and, in another UI language,
    under that language's word for "other"; an amount heard on a Chinese call without its
    currency is in yuan; sensitive numbers are masked by the rule the team server uses.
    """
    label = detail_label(key, t)
    if t.lang != "en" and label == key.replace("_", " "):
        label = t("handoff.detail.other", name=label)
    shown = mask_detail(key, value)
    if language == "zh" and _AMOUNT_KEY.search(key) and _BARE_AMOUNT.fullmatch(value.strip()):
        shown = "¥" + value.strip()
    return f"{label}: {shown}"


def history_line(t: Catalog, tickets: int, calls: int) -> str:
    """The customer's history on the card: "1 ticket · 3 earlier calls" / "1 张工单 · 此前来电 3 次"."""
    return (
        t.count("handoff.history_tickets", tickets, n=tickets)
        + " · "
        + t.count("handoff.history_calls", calls, n=calls)
    )


def route_heading(route: Route, me: str, names: dict[str, str], t: Catalog) -> str:
    """Whose transfer this is, or will be: "Routed to you because:" / "Would go to 王芳 because:"."""
    if route.agent_id is None:
        return t("handoff.route.queued")
    name = names.get(route.agent_id, route.agent_id)
    if not route.matched:
        return t("handoff.route.taken_you") if route.agent_id == me else t("handoff.route.taken", agent=name)
    if route.agent_id == me:
        return t("handoff.route.you")
    return t("handoff.route.held" if route.held else "handoff.route.other", agent=name)


class HandoffCard(ReportsWorkerFailures, VerticalScroll):
    """A read-only card; the screen calls `show` when the selection changes and `tick` every second.

    The head line (name, tier, language, wait) and the packet below it are separate, so the
    wait can count without redrawing, or scrolling back, what the agent is reading. Below
    the packet, the routing rationale: why the transfer went (or would go) to whom, read
    from the agents in a worker and decided by the same routing pass as the supervisor's.
    """

    @dataclass
    class RouteLoaded(Message):
        """Routing decided where the transfer on the card goes."""

        transfer_id: str
        route: Route | None
        names: dict[str, str]

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._head = Static("", id="handoff-head")
        self._body = Static(Text(catalog("handoff.none"), style="dim"), id="handoff-body")
        self.shown: Transfer | None = None
        """The transfer on the card; None when it is empty."""
        self.queue: list[Transfer] = []
        """The open transfers the desk shows: routing decides the card's transfer among them."""
        self.route: HandoffCard.RouteLoaded | None = None
        """Where the transfer on the card goes, once routing has decided it."""
        self._grid: Table | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._head
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("handoff.title")
        self._head.display = False

    @property
    def desk_app(self) -> AgentDeskApp:
        return self.app  # type: ignore[return-value]

    def clear(self) -> None:
        self.shown = None
        self.route = None
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
        if not (same and self.shown is not None and self.shown.status == transfer.status):
            self.route = None
            self.load_route(transfer, list(self.queue))
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
                Text("\n".join(detail_line(k, v, p.language, t) for k, v in p.details.items())),
            )
        if p.summary:
            grid.add_row(t("handoff.summary"), Text(mask_text(p.summary)))
        if p.bot_answers:
            grid.add_row(t("handoff.bot_answers"), Text(", ".join(p.bot_answers), style="dim"))
        grid.add_row(t("handoff.history"), history_line(t, prior_tickets, prior_calls))
        self._grid = grid
        self._draw()
        if not same:  # the history arriving for the same transfer keeps the agent's place
            self.scroll_home(animate=False)

    def _draw(self) -> None:
        if self._grid is None:
            return
        loaded = self.route
        if loaded is None or loaded.route is None:
            self._body.update(self._grid)
            return
        me = self.desk_app.agent_id
        heading = Text(route_heading(loaded.route, me, loaded.names, self.t), style="bold")
        why = rationale_text(loaded.route.rationale, self.t.lang, self.t)
        self._body.update(Group(self._grid, Text(""), heading, why))

    @work(thread=True, exclusive=True, group="handoff-route", exit_on_error=False)
    def load_route(self, transfer: Transfer, queue: list[Transfer]) -> None:
        app = self.desk_app
        try:
            agents = app.store.list_agents()
        except StoreError:
            return  # the card reads whole without it; the header already says the store is away
        route = route_of(transfer, queue, agents, utcnow(), app.settings.routing)
        self.post_message(self.RouteLoaded(transfer.id, route, {a.id: a.name for a in agents}))

    @on(RouteLoaded)
    def _route_loaded(self, message: RouteLoaded) -> None:
        message.stop()
        if self.shown is None or self.shown.id != message.transfer_id:
            return  # the cursor moved on while routing was deciding
        self.route = message
        self._draw()


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
