"""What the bot read: for the customer's latest line, the signals the bot engine acted on.

Emotion level with its cues, the best KB article with its confidence (and whether that
is enough to answer), what the detectors heard, and which transfer rules fired; below,
one row per customer line so far, so the trainee sees the call build up to a decision.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.calls.training import Playback, Reading, TrainingSession
from agentdesk.domain.masking import mask_text
from agentdesk.nlp.kb import KBResult
from agentdesk.tui.i18n import Catalog, detail_label
from agentdesk.tui.widgets.assist_panel import confidence_bar
from agentdesk.tui.widgets.format import EMOTION_STYLE, emotion_badge, emotion_dots

MAX_CUES = 4
KB_SHOWN = 3
"""KB candidates shown: the runners-up show how close the bot came to another answer."""
KB_LABEL = 8
KB_GAUGE = 11


def kb_reading(kb: KBResult, t: Catalog, width: int) -> Text:
    """The best articles, highest confidence first, then whether the bot's pick is enough to answer.

    The ranking's runners-up can carry a higher calibrated confidence than the article ranked
    first; listing by confidence reads like the desk's suggestions, and the bot's own pick
    (the one the verdict is about) stays highlighted wherever it lands.
    """
    out = Text()
    shown = sorted(kb.matches[:KB_SHOWN], key=lambda m: -m.confidence)
    for match in shown:
        title = Text(match.article.title, style="cyan" if match is kb.best else "dim")
        title.truncate(width, overflow="ellipsis", pad=True)
        out.append_text(title).append(" ").append_text(confidence_bar(match.confidence)).append("\n")
    verdict = "trainer.signals.kb_answered" if kb.answer else "trainer.signals.kb_below"
    out.append(t(verdict, threshold=f"{kb.threshold:.0%}"), style="dim")
    return out


class SignalPanel(VerticalScroll, can_focus=False):
    """Redrawn when the replay finishes a customer line."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._seen: tuple[object, ...] = ()
        self._readings: dict[int, Reading] = {}
        self._body = Static(Text(catalog("trainer.signals.none"), style="dim"), id="trainer-signals-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("trainer.signals.title")

    def clear(self) -> None:
        self._seen = ()
        self._body.update(Text(self.t("trainer.signals.none"), style="dim"))

    def show(self, session: TrainingSession, playback: Playback) -> None:
        """The reading of every customer line said in full so far; the latest in detail."""
        if not self._seen or self._seen[0] != id(session):
            self._readings = session.readings()
        heard = [i for i in self._readings if i < playback.shown and playback.spoken(i) >= 1.0]
        seen = (id(session), len(heard))
        if seen == self._seen:
            return
        self._seen = seen
        if not heard:
            self._body.update(Text(self.t("trainer.signals.none"), style="dim"))
            return
        latest = self._readings[heard[-1]]
        self._body.update(Group(self._detail(latest), Text(""), self._history(heard)))

    def _detail(self, r: Reading) -> Group:
        t = self.t
        head = Text(t("trainer.signals.turn", turn=r.turn.index + 1), style="bold")
        said = Text("“" + mask_text(r.turn.text) + "”", style="italic dim", overflow="ellipsis")
        a = r.analysis
        if a is None:
            return Group(head, said, Text(t("trainer.signals.human"), style="green"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(t("trainer.signals.emotion"), emotion_badge(a.emotion.level, t))
        cues = [c for c in a.emotion.cues if c.kind != "model" and not c.negated][:MAX_CUES]
        if cues:
            grid.add_row(
                t("trainer.signals.cues"),
                Text(" · ").join(Text(f"{c.text} ({t(f'trainer.cue.{c.kind}')})") for c in cues),
            )
        if len(r.trend) > 1:
            trend = Text(" → ").join(Text(str(level), style=EMOTION_STYLE[level]) for level in r.trend)
            grid.add_row(t("trainer.signals.trend"), trend)
        grid.add_row(t("trainer.signals.kb"), self._kb(r))
        flags = [
            t(f"trainer.signal.{name}")
            for name, d in (
                ("human", a.human),
                ("dissatisfied", a.dissatisfied),
                ("complaint", a.complaint),
                ("closing", a.closing),
            )
            if d.found
        ]
        flags += [f"{detail_label(k, t)} {mask_text(v)}" for k, v in a.details.items()]
        if flags:
            grid.add_row(t("trainer.signals.heard"), Text(" · ".join(flags)))
        rules = Text()
        for n, e in enumerate(r.turn.entries):
            rules.append("\n" if n else "")
            rules.append(t(f"rule.{e.rule}"), style="bold red")
            rules.append(f" {e.confidence:.0%}", style="dim")
        grid.add_row(t("trainer.signals.rules"), rules or Text(t("trainer.signals.rules_none"), style="dim"))
        return Group(head, said, grid)

    def _kb(self, r: Reading) -> Text:
        a = r.analysis
        if a is None or a.kb.best is None:
            return Text(self.t("trainer.signals.kb_none"), style="dim")
        # The pane's width less the label column and the gauge: the bar stays on the title's line.
        return kb_reading(a.kb, self.t, max(8, self.content_region.width - KB_LABEL - KB_GAUGE))

    def _history(self, heard: list[int]) -> Group:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim", justify="right")
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        for i in heard:
            r = self._readings[i]
            a = r.analysis
            if a is None:
                grid.add_row(str(i + 1), "", "", Text(self.t("trainer.signals.agent_phase"), style="dim"))
                continue
            kb = Text(f"{a.kb.confidence:.0%}", style="cyan" if a.kb.answer else "dim")
            rules = " · ".join(dict.fromkeys(self.t(f"rule.short.{e.rule}") for e in r.turn.entries))
            grid.add_row(
                str(i + 1),  # the line number the transcript and the verdicts use
                emotion_dots(a.emotion.level),
                kb,
                Text(rules, style="bold red") if rules else Text("—", style="dim"),
            )
        return Group(Text(self.t("trainer.signals.lines"), style="bold"), grid)
