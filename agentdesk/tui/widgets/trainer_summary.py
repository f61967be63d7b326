"""The end of a trainer run: the score, every decision with its reason, the trigger ledger."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.calls.training import TrainingSession
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.trainer_decision import evidence_rows, verdict_view

GAUGE = 20


def score_gauge(score: float, width: int = GAUGE) -> Text:
    """██████░░░░ in the score's colour."""
    filled = round(score * width)
    style = "green" if score >= 0.999 else "yellow" if score >= 0.5 else "red"
    return Text("█" * filled + "░" * (width - filled), style=style)


class SummaryPanel(VerticalScroll):
    """Focusable so the trainee can scroll a long ledger with the keys."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self._body = Static(id="trainer-summary-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def show(self, session: TrainingSession, *, best: float | None, saved: bool) -> None:
        t, s = self.t, session
        self.border_title = f"{t('trainer.summary.title')} · {s.script.id}"
        right = sum(v.decision.correct for v in s.verdicts)
        score = Text.assemble(
            (t("trainer.summary.score", score=f"{s.score:.0%}"), "bold"),
            "  ",
            score_gauge(s.score),
            "  ",
            (t("trainer.summary.right", right=right, total=len(s.verdicts)), ""),
        )
        if best is not None:  # the trainee's record before this run, now including it
            score.append("  · " + t("trainer.summary.best", best=f"{max(best, s.score):.0%}"), style="dim")
        status = Text(t("trainer.summary.saved" if saved else "trainer.summary.saving"), style="dim")
        parts: list[RenderableType] = [Text(s.script.title, style="bold"), score, status, Text("")]
        parts.append(Text(t("trainer.summary.decisions"), style="bold underline"))
        parts += [verdict_view(v, t, one_line=False) for v in s.verdicts]
        parts += [Text(""), Text(t("trainer.summary.ledger"), style="bold underline"), self._ledger(s)]
        r = s.result
        if r.agent is not None and r.assignment is not None:
            # Routing's reasons are in the agent-level verdict above; here who it picked.
            routed = t("trainer.summary.routed", name=r.agent.name, level=t(f"level.{r.agent.level}"))
            parts += [Text(""), Text(routed, style="bold")]
        if s.script.notes:
            parts += [
                Text(""),
                Text(t("trainer.summary.teaches"), style="bold underline"),
                Text(s.script.notes.strip(), style="italic"),
            ]
        parts += [Text(""), Text(t("trainer.summary.hint"), style="dim")]
        self._body.update(Group(*parts))
        self.scroll_home(animate=False)

    def _ledger(self, s: TrainingSession) -> RenderableType:
        ledger = s.ledger()
        if not ledger:
            return Text(self.t("trainer.summary.ledger_none"), style="dim")
        return evidence_rows(ledger, self.t)
