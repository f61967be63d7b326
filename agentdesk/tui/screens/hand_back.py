"""Pick a bounded task to hand the customer back to the bot for (SPEC section 7)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from agentdesk.bot.tasks import TASKS
from agentdesk.domain.models import BotMode
from agentdesk.tui.i18n import Catalog


class HandBackModal(ModalScreen[str | None]):
    """Returns a task name (`bill_lookup`...), a bot mode (`mode:collect_only`...), `cancel`
    (drop the task waiting for the caller's answer, offered first when `asking`), or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", tooltip="Keep the call", id="cancel-hand-back")]

    def __init__(self, catalog: Catalog, suggested: str | None = None, *, asking: str | None = None) -> None:
        """`asking`: the task waiting for the caller's answer, if one is."""
        super().__init__(id="hand-back")
        self.t = catalog
        self.suggested = suggested
        self.asking = asking

    def compose(self) -> ComposeResult:
        t = self.t
        options = [
            Option(
                t(f"task.{task}") + (f"  ★ {t('handback.suggested')}" if task == self.suggested else ""),
                id=task,
            )
            for task in TASKS
        ]
        options += [
            Option(t(f"botmode.{mode}"), id=f"mode:{mode}") for mode in BotMode if mode != BotMode.NORMAL
        ]
        if self.asking:
            options.insert(0, Option(t("handback.cancel", task=t(f"task.{self.asking}")), id="cancel"))
        with Vertical(id="hand-back-box", classes="modal-box"):
            yield Label(t("handback.title"), classes="modal-title")
            yield OptionList(*options, id="hand-back-options")
            yield Label(t("handback.hint"), classes="modal-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.asking:
            options.highlighted = 0  # cancelling the waiting task is what b is pressed for then
        elif self.suggested:
            options.highlighted = list(TASKS).index(self.suggested)  # type: ignore[arg-type]
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
