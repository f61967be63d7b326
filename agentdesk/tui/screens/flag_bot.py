"""Flag one bot utterance as wrong, with the reason and the right article or text (SPEC section 9)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from agentdesk.domain.models import FeedbackReason, KBArticle, Utterance
from agentdesk.tui.i18n import Catalog


@dataclass(frozen=True)
class Flag:
    """What the agent filled in."""

    utterance: Utterance
    reason: FeedbackReason
    article_id: str | None
    text: str


class FlagBotModal(ModalScreen[Flag | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without flagging", id="cancel-flag")
    ]

    def __init__(self, catalog: Catalog, bot_lines: list[Utterance], articles: list[KBArticle]) -> None:
        super().__init__(id="flag-bot")
        self.t = catalog
        self.bot_lines = bot_lines
        self.articles = articles

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="flag-box", classes="modal-box"):
            yield Label(t("flag.title"), classes="modal-title")
            yield OptionList(*[Option(u.text, id=u.id) for u in self.bot_lines], id="flag-lines")
            with Horizontal(classes="modal-row"):
                yield Select(
                    [(t(f"flag.reason.{r}"), r) for r in FeedbackReason],
                    value=FeedbackReason.WRONG_ANSWER,
                    allow_blank=False,
                    id="flag-reason",
                    compact=True,
                )
                yield Select(
                    [(a.title, a.id) for a in self.articles],
                    prompt=t("flag.article"),
                    id="flag-article",
                    compact=True,
                )
            yield Input(placeholder=t("flag.text"), id="flag-text", compact=True)
            with Horizontal(classes="modal-row modal-actions"):
                yield Label("", id="flag-status")
                yield Button(t("flag.save"), id="flag-save", variant="warning", compact=True)

    def on_mount(self) -> None:
        lines = self.query_one("#flag-lines", OptionList)
        lines.highlighted = len(self.bot_lines) - 1 if self.bot_lines else None
        lines.focus()

    @on(Button.Pressed, "#flag-save")
    def _save(self) -> None:
        lines = self.query_one("#flag-lines", OptionList)
        if lines.highlighted is None or not self.bot_lines:
            self.query_one("#flag-status", Label).update(self.t("flag.pick_line"))
            return
        article = self.query_one("#flag-article", Select).value
        self.dismiss(
            Flag(
                utterance=self.bot_lines[lines.highlighted],
                reason=FeedbackReason(self.query_one("#flag-reason", Select).value),
                article_id=None if article is Select.BLANK else str(article),
                text=self.query_one("#flag-text", Input).value.strip(),
            )
        )
