"""The review place (F6): agents' flags on bot lines for trainers and KB editors.

Left, the flags of one status (open, accepted, rejected), newest first; right, the flag
with the call around the flagged line and the KB fix side by side. Accepting applies the
fix to the article and saves both in one store transaction; rejecting leaves the KB alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header

from agentdesk.domain.feedback import FeedbackError
from agentdesk.domain.models import BotFeedback, FeedbackStatus
from agentdesk.store.base import Conflict
from agentdesk.tui.clock import now as utcnow
from agentdesk.tui.messages import StoreChanged
from agentdesk.tui.screens.base import AgentDeskScreen
from agentdesk.tui.widgets.key_footer import KeyFooter
from agentdesk.tui.widgets.review_case import ReviewCase, ReviewOutcome, load_case, save_review
from agentdesk.tui.widgets.review_detail import FlagDetail, attribution_label
from agentdesk.tui.widgets.review_dialog import ReviewDecision, ReviewDialog
from agentdesk.tui.widgets.review_list import FlagList

REVIEW_WINDOW = 200
"""Flags listed per status at most (newest first); the tab counts stop at this too."""
POLL_SECONDS = 2.0


@dataclass
class FlagsLoaded(Message):
    status: FeedbackStatus
    flags: list[BotFeedback]
    counts: dict[FeedbackStatus, int]
    names: dict[str, str]
    seq: int


@dataclass
class CaseLoaded(Message):
    case: ReviewCase


@dataclass
class FlagReviewed(Message):
    outcome: ReviewOutcome


@dataclass
class ReviewRights(Message):
    """Whether the signed-in user may accept or reject flags."""

    allowed: bool


def may_review(store: object) -> bool:
    """Whether the store's user may accept or reject flags (blocking: call it from a worker).

    An embedded store has no roles; on the team server it takes `feedback:review`.
    """
    whoami = getattr(store, "whoami", None)
    if whoami is None:
        return True
    return "feedback:review" in (whoami().get("permissions") or ())


@dataclass
class ReviewRefused(Message):
    """The flag could not be reviewed (someone else was first)."""

    reason: str


class ReviewScreen(AgentDeskScreen):
    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding(
            "a", "review(True)", "Accept", tooltip="Accept the flag and apply its KB fix", id="review-accept"
        ),
        Binding(
            "x",
            "review(False)",
            "Reject",
            tooltip="Reject the flag; the KB stays as it is",
            id="review-reject",
        ),
        Binding(
            "f", "next_filter", "Filter", tooltip="Show open, accepted or rejected flags", id="review-filter"
        ),
        Binding(
            "d",
            "focus_detail",
            "Detail",
            tooltip="Scroll the detail pane",
            id="review-focus-detail",
            show=False,
        ),
        Binding(
            "l", "focus_list", "List", tooltip="Back to the list of flags", id="review-focus-list", show=False
        ),
        # Not in the footer: the list follows the store by itself, and without it the Chinese
        # footer shows every key up to f6 at 100 columns, beside the palette key.
        Binding("r", "refresh", "Refresh", tooltip="Reload the flags", id="review-refresh", show=False),
        Binding("q", "app.quit", "Quit", tooltip="Leave AgentDesk", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="review")
        self.seq = -1
        """Change-feed position this screen has seen; -1 until the first load."""
        self.names: dict[str, str] = {}
        self.selected: BotFeedback | None = None
        self.allowed = True
        """The user may accept or reject flags; until the server says otherwise, assumed."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-body"):
            yield FlagList(self.t, id="flags")
            yield FlagDetail(self.t, id="flag-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load_flags(FeedbackStatus.OPEN)
        self.load_rights()
        self.follow_store(POLL_SECONDS, self.poll_changes)
        self.query_one("#review-table").focus()

    @property
    def flag_list(self) -> FlagList:
        return self.query_one(FlagList)

    # -- workers: blocking store calls, results posted as messages ------------------------
    @work(thread=True, exclusive=True, group="review-flags", exit_on_error=False)
    def load_flags(self, status: FeedbackStatus) -> None:
        store = self.store
        seq = store.last_seq()
        counts = {s: len(store.list_feedback(status=s.value, limit=REVIEW_WINDOW)) for s in FeedbackStatus}
        flags = store.list_feedback(status=status.value, limit=REVIEW_WINDOW)
        names = {a.id: a.name for a in store.list_agents()}
        self.post_message(FlagsLoaded(status, flags, counts, names, seq))

    @work(thread=True, exclusive=True, group="review-rights", exit_on_error=False)
    def load_rights(self) -> None:
        self.post_message(ReviewRights(may_review(self.store)))

    @work(thread=True, exclusive=True, group="review-case", exit_on_error=False)
    def open_case(self, feedback: BotFeedback) -> None:
        self.post_message(CaseLoaded(load_case(self.store, feedback, utcnow())))

    @work(thread=True, exclusive=True, group="review-sync", exit_on_error=False)
    def poll_changes(self) -> None:
        if self.seq < 0:
            return
        events = self.store.events_since(self.seq)
        if events:
            self.post_message(StoreChanged(events))

    @work(thread=True, group="review-store", exit_on_error=False)
    def save(self, case: ReviewCase, decision: ReviewDecision) -> None:
        try:
            outcome = save_review(
                self.store,
                case,
                accept=decision.accept,
                reviewer=self.agent_id,
                attribution=decision.attribution,
                note=decision.note,
                now=utcnow(),
                question=decision.question,
                answer=decision.answer,
            )
        except (Conflict, FeedbackError) as exc:
            self.post_message(ReviewRefused(str(exc)))
            return
        self.post_message(FlagReviewed(outcome))

    # -- handlers: own the state ------------------------------------------------------------
    @on(FlagsLoaded)
    def _flags_loaded(self, message: FlagsLoaded) -> None:
        self.seq = max(self.seq, message.seq)
        if message.status is not self.flag_list.status:
            return  # the filter changed while this was loading
        self.names = message.names
        self.flag_list.counts(message.counts, REVIEW_WINDOW)
        self.flag_list.show(message.flags, utcnow(), message.names)
        if not message.flags:
            self.selected = None
            self.query_one(FlagDetail).clear()

    @on(ReviewRights)
    def _rights(self, message: ReviewRights) -> None:
        self.allowed = message.allowed
        detail = self.query_one(FlagDetail)
        detail.read_only = "" if message.allowed else self.t("review.read_only")
        if detail.case is not None:
            detail.show(detail.case, utcnow(), self.names)
        self.refresh_bindings()  # accept and reject leave the footer

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.allowed or action != "review"  # accept and reject only for those who may

    @on(FlagList.FilterChanged)
    def _filter_changed(self, message: FlagList.FilterChanged) -> None:
        self.load_flags(message.status)

    @on(FlagList.Highlighted)
    def _flag_highlighted(self, message: FlagList.Highlighted) -> None:
        self.selected = message.feedback
        self.open_case(message.feedback)

    @on(CaseLoaded)
    def _case_loaded(self, message: CaseLoaded) -> None:
        if self.selected is None or message.case.feedback.id != self.selected.id:
            return  # the cursor moved on while this was loading
        self.query_one(FlagDetail).show(message.case, utcnow(), self.names)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        self.seq = max(self.seq, message.events[-1].seq)
        if any(e.kind.startswith(("feedback.", "article.")) for e in message.events):
            self.load_flags(self.flag_list.status)

    @on(FlagReviewed)
    def _reviewed(self, message: FlagReviewed) -> None:
        fb, article = message.outcome.feedback, message.outcome.article
        verdict = self.t(f"review.status.{fb.status.value}")
        if article is not None:
            text = self.t(
                "review.done.fixed", id=fb.id, verdict=verdict, article=article.id, version=article.version
            )
        else:
            text = self.t("review.done", id=fb.id, verdict=verdict)
        self.notify(text + " " + self.t("review.done.party", party=attribution_label(fb, self.t).plain))
        self.load_flags(self.flag_list.status)

    @on(ReviewRefused)
    def _refused(self, message: ReviewRefused) -> None:
        self.notify(self.t("review.refused", reason=message.reason), severity="warning")
        self.load_flags(self.flag_list.status)

    # -- actions --------------------------------------------------------------------------
    def action_review(self, accept: bool) -> None:
        if not self.allowed:
            self.notify(self.t("review.read_only"), severity="warning")
            return
        case = self.query_one(FlagDetail).case
        if case is None or self.selected is None or case.feedback.id != self.selected.id:
            return
        if case.feedback.status is not FeedbackStatus.OPEN:
            self.notify(self.t("review.not_open"), severity="warning")
            return

        def decided(decision: ReviewDecision | None) -> None:
            if decision is not None:
                self.save(case, decision)

        self.app.push_screen(ReviewDialog(case, accept=accept, catalog=self.t), decided)

    def action_next_filter(self) -> None:
        self.flag_list.next_filter()

    def action_focus_detail(self) -> None:
        self.query_one(FlagDetail).focus()

    def action_focus_list(self) -> None:
        self.query_one("#review-table").focus()

    def action_refresh(self) -> None:
        self.load_flags(self.flag_list.status)
