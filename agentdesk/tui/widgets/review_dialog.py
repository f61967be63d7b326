"""The accept/reject confirmation: who was at fault (with the reason code) and a note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from agentdesk.domain.feedback import attribute
from agentdesk.tui.i18n import Catalog, localize_bindings
from agentdesk.tui.widgets.review_case import Party, ReviewCase


@dataclass(frozen=True)
class ReviewDecision:
    """What the reviewer confirmed."""

    accept: bool
    attribution: Party
    note: str


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
            yield Static(t("review.dialog.party"), classes="review-dialog-label")
            with RadioSet(id="review-dialog-party"):
                for party in ("bot", "human"):
                    yield RadioButton(
                        self._party_label(party), value=fb.attribution == party, id=f"party-{party}"
                    )
            yield Input(placeholder=t("review.dialog.note"), id="review-dialog-note")
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

    def _party_label(self, party: Party) -> Text:
        a = attribute(self.case.feedback.model_copy(update={"attribution": party}))
        reason = a.zh if self.t.lang == "zh" else a.en
        return Text.assemble((self.t(f"review.party.{party}"), "bold"), "  ", (a.code, "cyan"), "  ", reason)

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
        self.dismiss(ReviewDecision(self.accept, self.party, note))

    @on(Button.Pressed, "#review-dialog-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self._decide()

    @on(Button.Pressed, "#review-dialog-no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Input.Submitted, "#review-dialog-note")
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._decide()
