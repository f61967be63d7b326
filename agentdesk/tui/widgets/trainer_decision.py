"""The decision panel: the questions at a decision point, then right or wrong and why.

Questions come one at a time (outcome, then the agent level if the trainee transfers,
then the ticket); keys 1-6 or the arrows and Enter answer. When the point's questions
are answered the panel posts `Answered`, and the screen hands back the verdicts to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.calls.training import NONE, DecisionPoint, Question, Verdict, ledger_by_turn
from agentdesk.domain.masking import mask_text
from agentdesk.domain.transfers import TriggerEntry
from agentdesk.tui.i18n import Catalog


def option_label(t: Catalog, point: str, value: str) -> str:
    """An answer in the UI language: `Transfer to a human agent`, `senior`, `complaint`, `Bill lookup`."""
    if point == "outcome":
        return t(f"trainer.opt.outcome.{value}")
    if value == NONE:
        return t(f"trainer.opt.{point}.none")
    prefix = {"agent_level": "level", "ticket_type": "type", "hand_back": "task"}[point]
    return t(f"{prefix}.{value}")


def evidence_rows(entries: list[tuple[int, TriggerEntry]], t: Catalog, *, one_line: bool = False) -> Table:
    """The ledger grouped by line: `line 4  strong emotion 80% · bot had no answer 88%` and the quote."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1, overflow="fold")
    for turn, group in ledger_by_turn(entries):
        rules = Text(" · ", style="dim").join(
            Text.assemble((t(f"rule.{e.rule}"), "bold red"), (f" {e.confidence:.0%}", "dim")) for e in group
        )
        quote = Text(f"“{mask_text(group[0].evidence)}”", style="italic dim")
        if one_line:
            quote.no_wrap, quote.overflow = True, "ellipsis"
        grid.add_row(t("trainer.summary.line", turn=turn + 1), Group(rules, quote))
    return grid


def verdict_view(v: Verdict, t: Catalog, *, detail: bool = True, one_line: bool = True) -> Table:
    """✓/✗ with the answer and, in detail, why the expected answer is right (hanging indent)."""
    d = v.decision
    point = t(f"trainer.point.{d.point}")
    chosen, expected = option_label(t, d.point, d.chosen), option_label(t, d.point, d.expected)
    if d.correct:
        mark, head = (
            Text("✓", style="bold green"),
            Text(t("trainer.verdict.right", point=point, chosen=chosen)),
        )
    else:
        mark = Text("✗", style="bold red")
        head = Text(t("trainer.verdict.wrong", point=point, chosen=chosen, expected=expected), style="bold")
    body: list[RenderableType] = [head]
    if detail:
        if d.point == "outcome":
            why = t(f"trainer.why.outcome.{d.expected}")
        elif d.point == "agent_level":
            why = " · ".join(v.rationale) if v.rationale else t("trainer.why.level.none")
        elif d.point == "ticket_type":
            why = t(f"trainer.why.ticket.{d.expected}")
        else:
            key = "trainer.why.hand_back.none" if d.expected == NONE else "trainer.why.hand_back"
            why = t(key, result=mask_text(v.result) or "—")
        body.append(Text(why, style="dim"))
        if v.evidence:
            body.append(evidence_rows(list(v.evidence), t, one_line=one_line))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=1)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(mark, Group(*body))
    return grid


class DecisionPanel(VerticalScroll, can_focus=False):
    """Asks the pending point's questions and shows the verdicts."""

    @dataclass
    class Answered(Message):
        """Every question of the point that applies has an answer."""

        point: DecisionPoint
        answers: dict[str, str] = field(default_factory=dict)

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.point: DecisionPoint | None = None
        self.answers: dict[str, str] = {}
        self.question: Question | None = None
        self.verdicts: list[Verdict] = []

    def compose(self) -> ComposeResult:
        yield Static(id="trainer-question")
        yield OptionList(id="trainer-options")
        yield Static(id="trainer-decision-hint")

    @property
    def asking(self) -> bool:
        return self.question is not None

    def ask(self, point: DecisionPoint, n_turns: int) -> None:
        """Start asking `point`'s questions."""
        self.point, self.answers = point, {}
        title = (
            self.t("trainer.decision.title", turn=point.turn + 1)
            if point.turn < n_turns
            else self.t("trainer.decision.title_end")
        )
        self.border_title, self.border_subtitle = title, ""
        self.set_class(True, "-asking")
        self.remove_class("-verdicts", "-compact")
        self._next()

    def _next(self) -> None:
        assert self.point is not None
        self.question = q = self.point.next_question(self.answers)
        if q is None:
            self.set_class(False, "-asking")
            self.post_message(self.Answered(self.point, dict(self.answers)))
            return
        self.query_one("#trainer-question", Static).update(Text(self.t(f"trainer.q.{q.point}"), style="bold"))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(Text.assemble((f"{n} ", "bold cyan"), option_label(self.t, q.point, value)), id=value)
            for n, value in enumerate(q.options, start=1)
        )
        options.highlighted = 0
        options.focus()
        hint = self.t("trainer.decision.hint", count=len(q.options))
        self.query_one("#trainer-decision-hint", Static).update(Text(hint, style="dim"))

    def choose(self, n: int) -> bool:
        """Answer the current question with its n-th option (1-based); False if there is none."""
        if self.question is None or not 1 <= n <= len(self.question.options):
            return False
        self.answers[self.question.point] = self.question.options[n - 1]
        self._next()
        return True

    @on(OptionList.OptionSelected, "#trainer-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option_index + 1)

    def show_verdicts(self, verdicts: list[Verdict], *, detail: bool = True) -> None:
        """Right or wrong for each answer; in detail with the reasons while the replay waits for Space."""
        self.question = None
        self.verdicts = verdicts
        right = sum(v.decision.correct for v in verdicts)
        self.border_title = self.t("trainer.decision.verdicts", right=right, total=len(verdicts))
        body = [verdict_view(v, self.t, detail=detail) for v in verdicts]
        self.query_one("#trainer-question", Static).update(Group(*body))
        # In the border, so it stays in sight however long the reasons are.
        self.border_subtitle = self.t("trainer.decision.continue") if detail else ""
        self.remove_class("-asking")
        self.set_class(True, "-verdicts")
        self.set_class(not detail, "-compact")

    def collapse(self) -> None:
        """Keep only the right/wrong lines once the replay goes on, so the transcript gets the room."""
        if self.has_class("-verdicts") and not self.has_class("-compact"):
            self.show_verdicts(self.verdicts, detail=False)

    def reset(self) -> None:
        self.point, self.question, self.answers, self.verdicts = None, None, {}, []
        self.remove_class("-asking", "-verdicts", "-compact")
