"""The accept/reject confirmation: who was at fault, a note, and the KB text the fix writes.

Accepting a fix that teaches an article the customer's words offers those words in an
editable field first: a customer's sentence is often a complaint around the question
("I sent it last week! You keep making me wait..."), and the reviewer keeps only the question.

Accepting a corrected answer opens the new answer in an editor, pre-filled as
`domain.feedback.answer_draft` says: the agent's text when it is a whole answer, the
current answer when the agent's text is only a note about it (the note shown above).
What the editor holds when the reviewer confirms is what the bot will read out.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static, TextArea

from agentdesk.domain.feedback import FixKind
from agentdesk.domain.masking import mask_text
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
    answer: str | None = None
    """The article's new answer as the reviewer left it; None when the fix writes no answer."""


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
            "Edit",
            tooltip="Edit the example question or the new answer before accepting",
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
        with VerticalScroll(id="review-dialog-box"):
            yield Static(
                Text(t(f"review.dialog.{verb}.title", id=fb.id), style="bold"), id="review-dialog-title"
            )
            yield Static(self._effect(), id="review-dialog-effect")
            if self.adds_question:
                yield Static(t("review.dialog.question"), classes="review-dialog-label")
                yield Input(
                    self.case.customer_text, id="review-dialog-question", select_on_focus=False, compact=True
                )
            if self.edits_answer:
                yield from self._answer_editor()
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

    def _answer_editor(self) -> ComposeResult:
        t, fb = self.t, self.case.feedback
        yield Static(t("review.dialog.answer"), classes="review-dialog-label")
        if self.case.note:
            note = mask_text(fb.correct_text.strip())
            yield Static(
                Text(t("review.dialog.answer.note", note=note), style="yellow"), id="review-dialog-hint"
            )
        yield TextArea(self.case.draft, id="review-dialog-answer", soft_wrap=True, compact=True)
        with Horizontal(id="review-dialog-answer-buttons"):
            yield Button(t("review.dialog.use_current"), id="review-dialog-use-current", compact=True)
            yield Button(t("review.dialog.use_proposal"), id="review-dialog-use-proposal", compact=True)

    def on_mount(self) -> None:
        self.query_one("#review-dialog-yes", Button).focus(scroll_visible=False)

    @property
    def edits_answer(self) -> bool:
        """Accepting writes a new answer, which the reviewer sees and may edit first."""
        return (
            self.accept
            and self.case.kind is FixKind.CORRECT_ANSWER
            and self.case.article is not None
            and (self.case.proposed is not None or self.case.note)
        )

    @property
    def answer(self) -> str:
        """The new answer as the editor holds it (its starting text before it is composed)."""
        editors = self.query("#review-dialog-answer")
        return editors.first(TextArea).text.strip() if editors else self.case.draft.strip()

    @property
    def adds_question(self) -> bool:
        """Accepting adds the customer's words to an article as an example question."""
        return self.accept and self.case.kind is FixKind.ADD_QUESTION and self.case.proposed is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_question":
            return self.adds_question or self.edits_answer
        return True

    def action_edit_question(self) -> None:
        if self.edits_answer:
            editor = self.query_one("#review-dialog-answer", TextArea)
            editor.focus()
            editor.move_cursor(editor.document.end)
            return
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
        unchanged = case.article is not None and self.answer == case.article.answer.strip()
        if self.edits_answer and case.article is not None and unchanged:
            return Text(
                t("review.dialog.answer.unchanged", id=case.article.id, version=case.article.version),
                style="yellow",
            )
        if case.article is not None and (case.proposed is not None or self.edits_answer):
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
        question, answer = None, None
        if self.edits_answer:
            answer = self.answer
            if not answer:
                self.notify(self.t("review.dialog.answer.empty"), severity="warning")
                self.action_edit_question()
                return
        if self.adds_question:
            question = self.query_one("#review-dialog-question", Input).value.strip()
            if not question:
                self.notify(self.t("review.dialog.question.empty"), severity="warning")
                self.action_edit_question()
                return
        self.dismiss(ReviewDecision(self.accept, self.party, note, question, answer))

    @on(Button.Pressed, "#review-dialog-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self._decide()

    @on(Button.Pressed, "#review-dialog-use-current, #review-dialog-use-proposal")
    def _start_from(self, event: Button.Pressed) -> None:
        event.stop()
        article = self.case.article
        if article is None:
            return
        current = event.button.id == "review-dialog-use-current"
        text = article.answer.strip() if current else self.case.feedback.correct_text.strip()
        self.query_one("#review-dialog-answer", TextArea).load_text(text)
        self.action_edit_question()

    @on(TextArea.Changed, "#review-dialog-answer")
    def _answer_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#review-dialog-effect", Static).update(self._effect())

    @on(Button.Pressed, "#review-dialog-no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Input.Submitted, "#review-dialog-note, #review-dialog-question")
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._decide()
