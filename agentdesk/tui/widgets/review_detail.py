"""The review detail pane: the flag, the call around the flagged line, and the KB fix side by side."""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from agentdesk.domain.feedback import FixKind, attribute
from agentdesk.domain.masking import mask_speakers, mask_text
from agentdesk.domain.models import BotFeedback, FeedbackReason, FeedbackStatus, KBArticle
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import SPEAKER_STYLE
from agentdesk.tui.widgets.review_case import ReviewCase
from agentdesk.tui.widgets.review_list import age_label

_TOKENS = re.compile(r"[A-Za-z0-9'’]+|\s+|.", re.S)
"""Words for Latin text, one character at a time for Chinese and punctuation."""
DELETED = "strike red"
INSERTED = "bold green"
STATUS_STYLE = {
    FeedbackStatus.OPEN: "bold yellow",
    FeedbackStatus.ACCEPTED: "bold green",
    FeedbackStatus.REJECTED: "bold red",
}


def diff_texts(old: str, new: str) -> tuple[Text, Text]:
    """`old` with removed words struck through and `new` with added words highlighted."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left, right = Text(), Text()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append("".join(a[i1:i2]))
            right.append("".join(b[j1:j2]))
        else:
            left.append("".join(a[i1:i2]), style=DELETED)
            right.append("".join(b[j1:j2]), style=INSERTED)
    return left, right


def _questions(article: KBArticle, added: set[str] | None = None) -> Table:
    """The article's questions, one a line; `added` ones marked `+` (a column, so long ones wrap under themselves)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for q in article.questions:
        new = added is not None and q in added
        grid.add_row(
            Text("+" if new else "·", style=INSERTED if new else "dim"),
            Text(q, style=INSERTED if new else ""),
        )
    return grid


class FlagDetail(VerticalScroll):
    """Shows one `ReviewCase`; the screen calls `show` whenever a flag is selected or reloaded."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = catalog
        self.case: ReviewCase | None = None
        self.read_only: str = ""
        """Said above the flag when the user's role may not accept or reject it; else empty."""
        self._body = Static(Text(catalog("review.detail.none"), style="dim"), id="review-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def on_mount(self) -> None:
        self.border_title = self.t("review.detail.title")

    def clear(self) -> None:
        self.case = None
        self.border_subtitle = ""
        self._body.update(Text(self.t("review.detail.none"), style="dim"))

    def show(self, case: ReviewCase, now: datetime, names: dict[str, str]) -> None:
        """Render the flag; `names` maps agent ids to names."""
        self.case = case
        self.border_subtitle = case.feedback.id
        parts: list[RenderableType] = [Text(self.read_only, style="bold yellow")] if self.read_only else []
        parts.append(self._head(case, now, names))
        parts += [self._rule("review.detail.transcript"), self._transcript(case)]
        parts += [self._rule(f"review.fix.{case.kind.value}"), *self._fix(case)]
        parts += [self._rule("review.detail.attribution"), self._attribution(case)]
        self._body.update(Group(*parts))
        self.scroll_home(animate=False)

    def _rule(self, key: str) -> Rule:
        return Rule(Text(self.t(key), style="bold"), align="left", style="dim")

    def _head(self, case: ReviewCase, now: datetime, names: dict[str, str]) -> Table:
        t, fb = self.t, case.feedback
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        status = Text(t(f"review.status.{fb.status.value}"), style=STATUS_STYLE[fb.status])
        grid.add_row(
            t("review.detail.reason"),
            Text.assemble((t(f"review.reason.{fb.reason.value}"), "bold"), "  ", status),
        )
        who = names.get(fb.flagged_by, fb.flagged_by)
        seconds = (now - fb.created_at).total_seconds()
        key = "review.detail.by" if seconds >= 60 else "review.detail.by.now"  # not "just now ago"
        age = age_label(seconds, t)
        grid.add_row(t("review.detail.flagged"), t(key, who=who, id=fb.flagged_by, age=age))
        call = case.call
        where = fb.call_id if call is None else f"{fb.call_id} · {call.language} · {call.started_at:%Y-%m-%d}"
        grid.add_row(t("review.detail.call"), where)
        if fb.correct_text.strip() and case.kind is not FixKind.CORRECT_ANSWER:  # else the fix shows it
            grid.add_row(t("review.detail.correct"), Text(mask_text(fb.correct_text.strip()), style="green"))
        if fb.reviewed_by:
            reviewer = names.get(fb.reviewed_by, fb.reviewed_by)
            grid.add_row(t("review.detail.reviewed"), reviewer)
        if fb.note:
            grid.add_row(t("review.detail.note"), Text(mask_text(fb.note), style="italic"))
        return grid

    def _transcript(self, case: ReviewCase) -> RenderableType:
        t = self.t
        if not case.lines:
            said = Text("▶ " + mask_text(case.feedback.utterance_text), style="bold black on yellow")
            return Group(Text(t("review.detail.no_call"), style="dim"), said)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        said = mask_speakers([(u.speaker, u.text) for u in case.lines])
        for i, u in enumerate(case.lines):
            label = Text(t(f"speaker.short.{u.speaker}"), style=SPEAKER_STYLE.get(u.speaker, ""))
            if i == case.flagged:
                grid.add_row(
                    Text("▶ ", style="bold yellow") + label,
                    Text(said[i], style="bold black on yellow"),
                )
            else:
                grid.add_row(Text("  ") + label, Text(said[i]))
        if case.flagged is None:
            return Group(Text(t("review.detail.line_missing"), style="dim"), grid)
        return grid

    def _fix(self, case: ReviewCase) -> list[RenderableType]:
        t, fb = self.t, case.feedback
        if case.kind is FixKind.NONE:
            transfer = fb.reason in (FeedbackReason.WRONG_TRANSFER, FeedbackReason.UNNEEDED_TRANSFER)
            return [
                Text(t("review.fix.none.transfer" if transfer else "review.fix.none.detail"), style="dim")
            ]
        parts: list[RenderableType] = []
        article = case.article
        if article is None:
            return [Text(t(f"review.problem.{case.problem or 'no_article'}"), style="bold red")]
        title = Text.assemble(
            (article.title, "bold cyan"), "  ", (f"{article.id} · v{article.version}", "dim")
        )
        parts.append(title)
        if not case.matched:
            parts.append(Text(t("review.fix.guessed"), style="italic yellow"))
        if case.problem:
            parts.append(Text(t(f"review.problem.{case.problem}"), style="yellow"))
        open_flag = case.feedback.status is FeedbackStatus.OPEN
        if case.kind is FixKind.CORRECT_ANSWER and case.note:
            # Not a diff: a note set against the whole answer would read as "delete it all".
            parts.append(Text(t("review.fix.note"), style="bold yellow"))
            table = Table(expand=True, show_edge=False, box=None, padding=(0, 1), header_style="bold")
            table.add_column(t("review.fix.now", version=article.version), ratio=1, overflow="fold")
            table.add_column(t("review.fix.proposal"), ratio=1, overflow="fold")
            table.add_row(Text(article.answer), Text(mask_text(fb.correct_text.strip()), style="green"))
            return [*parts, table]
        if case.kind is FixKind.CORRECT_ANSWER and case.proposed is not None and open_flag:
            parts.append(Text(t("review.fix.answer_editable"), style="italic dim"))
        after = case.proposed or article
        table = Table(expand=True, show_edge=False, box=None, padding=(0, 1), header_style="bold")
        table.add_column(t("review.fix.now", version=article.version), ratio=1, overflow="fold")
        table.add_column(t("review.fix.after", version=after.version), ratio=1, overflow="fold")
        if case.kind is FixKind.ADD_QUESTION:
            added = set(after.questions) - set(article.questions)
            table.add_row(_questions(article), _questions(after, added))
            if case.proposed is not None and open_flag:
                parts.append(Text(t("review.fix.editable"), style="italic dim"))
        else:
            old, new = diff_texts(article.answer, after.answer)
            table.add_row(old, new)
        parts.append(table)
        return parts

    def _attribution(self, case: ReviewCase) -> Text:
        return attribution_label(case.feedback, self.t)


def attribution_label(feedback: BotFeedback, t: Catalog) -> Text:
    """`Bot · The bot chose the wrong answer`: who was at fault and why, in the UI language."""
    a = attribute(feedback)
    reason = a.zh if t.lang == "zh" else a.en
    return Text.assemble((t(f"review.party.{a.party}"), "bold"), " · ", reason)
