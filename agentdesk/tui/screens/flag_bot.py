"""Flag one bot utterance as wrong, with the reason and the right article or text (SPEC section 9)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from agentdesk.domain.models import FeedbackReason, KBArticle, Utterance
from agentdesk.tui.i18n import Catalog

NO_ARTICLE = "-no-article-"
"""Option id of "no article" in the article list (an article is optional)."""


def article_matches(article: KBArticle, query: str) -> bool:
    """Whether every word of `query` is in the article's title, id, category or tags (any case)."""
    haystack = " ".join([article.title, article.id, article.category, *article.tags]).casefold()
    return all(word in haystack for word in query.casefold().split())


@dataclass(frozen=True)
class Flag:
    """What the agent filled in."""

    utterance: Utterance
    reason: FeedbackReason
    article_id: str | None
    text: str


class FlagBotModal(ModalScreen[Flag | None]):
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    """On a 24-row terminal the lists are shorter, so the Save button stays on screen."""
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
                search = Input(
                    placeholder=t("flag.article_filter", count=len(self.articles)),
                    id="flag-article-filter",
                    compact=True,
                )
                search.tooltip = t("flag.article_filter.tip")
                yield search
            yield OptionList(id="flag-article", compact=True)
            yield Input(placeholder=t("flag.text"), id="flag-text", compact=True)
            with Horizontal(classes="modal-row modal-actions"):
                yield Label("", id="flag-status")
                yield Button(t("flag.save"), id="flag-save", variant="warning", compact=True)

    def on_mount(self) -> None:
        lines = self.query_one("#flag-lines", OptionList)
        lines.highlighted = len(self.bot_lines) - 1 if self.bot_lines else None
        lines.focus()
        self._show_articles("")

    def _show_articles(self, query: str) -> None:
        """List the articles matching `query` in the order given (the call's language first);
        with a query, the best match is picked, so Tab on from the filter keeps it."""
        picker = self.query_one("#flag-article", OptionList)
        shown = [a for a in self.articles if article_matches(a, query)]
        picker.clear_options()
        picker.add_option(Option(Text(self.t("flag.no_article"), style="italic"), id=NO_ARTICLE))
        picker.add_options(
            Option(Text.assemble(a.title, (f"  {a.language} · {a.id}", "dim")), id=a.id) for a in shown
        )
        if query and not shown:
            picker.add_option(Option(Text(self.t("flag.no_article_match"), style="dim"), disabled=True))
        picker.highlighted = 1 if query and shown else 0

    @on(Input.Changed, "#flag-article-filter")
    def _filter_articles(self, event: Input.Changed) -> None:
        self._show_articles(event.value)

    @on(Input.Submitted, "#flag-article-filter")
    def _to_articles(self) -> None:
        self.query_one("#flag-article", OptionList).focus()

    @property
    def article_id(self) -> str | None:
        """The article picked in the list, or None (no article)."""
        picker = self.query_one("#flag-article", OptionList)
        if picker.highlighted is None:
            return None
        option = picker.get_option_at_index(picker.highlighted)
        return None if option.id in (None, NO_ARTICLE) else option.id

    @on(Button.Pressed, "#flag-save")
    def _save(self) -> None:
        lines = self.query_one("#flag-lines", OptionList)
        if lines.highlighted is None or not self.bot_lines:
            self.query_one("#flag-status", Label).update(self.t("flag.pick_line"))
            return
        self.dismiss(
            Flag(
                utterance=self.bot_lines[lines.highlighted],
                reason=FeedbackReason(self.query_one("#flag-reason", Select).value),
                article_id=self.article_id,
                text=self.query_one("#flag-text", Input).value.strip(),
            )
        )
