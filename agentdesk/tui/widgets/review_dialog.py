"""The accept/reject confirmation: who was at fault, a note, and the example question to add.

Accepting a fix that teaches an article the customer's words offers those words in an
editable field first: a customer's sentence is often a complaint around the question
("I sent it last week! You keep making me wait..."), and the reviewer keeps only the question.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from agentdesk.domain.feedback import FixKind
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.review_case import Party, ReviewCase
from agentdesk.tui.widgets.review_detail import attribution_label
from agentdesk.tui.widgets.toggles import MarkedRadioButton


@dataclass(frozen=True)
class ReviewDecision:
    """What the reviewer confirmed."""

    accept: bool
    attribution: Party
    note: str
    question: str | None = None
    """The example question to add, as the reviewer left it; None when the fix adds none."""


class ReviewDialog(ModalScreen[ReviewDecision | None]):
    """Confirms an accept or reject; enter on the confirm button (focused first) decides."""

    BINDINGS = [
        Binding(
            "escape", "dismiss(None)", "Cancel", tooltip="Leave the flag open", id="review-dialog-cancel"
        ),
        Binding("b", "party('bot')", "Bot", tooltip="The bot was at fault", id="review-dialog-bot"),
        Binding(
            "h",
            "party('human')",
            "Human",
            tooltip="A person or the KB was at fault",
            id="review-dialog-human",
        ),
        Binding(
            "e",
            "edit_question",
            "Edit question",
            tooltip="Edit or trim the example question before accepting",
            id="review-dialog-edit",
        ),
    ]

    def __init__(self, case: ReviewCase, *, accept: bool, catalog: Catalog) -> None:
        super().__init__(id="review-dialog")
        self.case = case
        self.accept = accept
        self.t = catalog
        localize_bindings(self, catalog)

    def compose(self) -> ComposeResult:
        t, fb = self.t, self.case.feedback
        verb = "accept" if self.accept else "reject"
        with Vertical(id="review-dialog-box"):
            yield Static(
                Text(t(f"review.dialog.{verb}.title", id=fb.id), style="bold"), id="review-dialog-title"
            )
            yield Static(self._effect(), id="review-dialog-effect")
            if self.adds_question:
                yield Static(t("review.dialog.question"), classes="review-dialog-label")
                yield Input(
                    self.case.customer_text, id="review-dialog-question", select_on_focus=False, compact=True
                )
            yield Static(t("review.dialog.party"), classes="review-dialog-label")
            with RadioSet(id="review-dialog-party"):
                for party in ("bot", "human"):
                    yield MarkedRadioButton(
                        self._party_label(party), value=fb.attribution == party, id=f"party-{party}"
                    )
            yield Input(placeholder=t("review.dialog.note"), id="review-dialog-note", compact=True)
            with Horizontal(id="review-dialog-buttons"):
                yield Button(t("review.dialog.cancel"), id="review-dialog-no", compact=True)
                yield Button(
                    t(f"review.dialog.{verb}"),
                    id="review-dialog-yes",
                    variant="success" if self.accept else "error",
                    compact=True,
                )

    def on_mount(self) -> None:
        self.query_one("#review-dialog-yes", Button).focus()

    @property
    def adds_question(self) -> bool:
        """Accepting adds the customer's words to an article as an example question."""
        return self.accept and self.case.kind is FixKind.ADD_QUESTION and self.case.proposed is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_question":
            return self.adds_question
        return True

    def action_edit_question(self) -> None:
        field = self.query_one("#review-dialog-question", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def _party_label(self, party: Party) -> Text:
        return attribution_label(self.case.feedback.model_copy(update={"attribution": party}), self.t)

    def _effect(self) -> Text:
        """What confirming will change, in one line."""
        t, case = self.t, self.case
        if not self.accept:
            return Text(t("review.dialog.reject.effect"), style="dim")
        if case.proposed is not None and case.article is not None:
            return Text(
                t(
                    "review.dialog.accept.effect",
                    id=case.article.id,
                    old=case.article.version,
                    new=case.article.version + 1,
                ),
                style="green",
            )
        return Text(t("review.dialog.accept.no_change"), style="dim")

    @property
    def party(self) -> Party:
        pressed = self.query_one(RadioSet).pressed_button
        return "human" if pressed is not None and pressed.id == "party-human" else "bot"

    def action_party(self, party: Party) -> None:
        self.query_one(f"#party-{party}", RadioButton).value = True

    def _decide(self) -> None:
        note = self.query_one("#review-dialog-note", Input).value.strip()
        question = None
        if self.adds_question:
            question = self.query_one("#review-dialog-question", Input).value.strip()
            if not question:
                self.notify(self.t("review.dialog.question.empty"), severity="warning")
                self.action_edit_question()
                return
        self.dismiss(ReviewDecision(self.accept, self.party, note, question))

    @on(Button.Pressed, "#review-dialog-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self._decide()

    @on(Button.Pressed, "#review-dialog-no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Input.Submitted, "#review-dialog-note, #review-dialog-question")
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._decide()
