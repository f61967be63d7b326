"""Demo traffic: the built-in bot takes the sample calls as if they were ringing in now.

Each call is written to the store as it happens (call, lines, the bot's replies); when
the bot decides to transfer, a transfer with its handoff packet joins the queue, so a
desk's inbox fills live. Decisions use the script's own clock (an off-hours call stays
off hours), while stored times are real, so wait timers and charts make sense.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from agentdesk.bot.engine import BotEngine
from agentdesk.bot.state import Outcome
from agentdesk.calls.affinity import with_affinity
from agentdesk.config import Settings
from agentdesk.domain import routing
from agentdesk.domain.models import Call, CallStatus, Speaker, Utterance, utcnow
from agentdesk.domain.scripts import CallScript
from agentdesk.domain.transfers import Transfer
from agentdesk.nlp.kb import shared_index
from agentdesk.store.base import Store


@dataclass(frozen=True)
class DemoCall:
    """What happened to one demo call, for a status line."""

    script: CallScript
    call_id: str
    outcome: Outcome
    transfer_id: str | None


def interleave(scripts: Sequence[CallScript]) -> list[CallScript]:
    """Alternate Chinese and English calls so the queue shows both from the start."""
    zh = [s for s in scripts if s.language == "zh"]
    en = [s for s in scripts if s.language == "en"]
    mixed = [s for pair in itertools.zip_longest(zh, en) for s in pair if s is not None]
    return mixed


class DemoTraffic:
    """Plays sample calls through the bot into a store.

    Args:
        store: where calls, lines, transfers and tickets go.
        settings: bot, hours and routing settings.
        scripts: the calls to play, in order (see `interleave`).
        speed: 2.0 plays the bot's part of each call twice as fast as recorded.
        gap: seconds between one call ending and the next ringing.
        sleep: waits that long, or returns True early when the demo should stop.
        clock: the real time stored on records.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        scripts: Sequence[CallScript],
        *,
        speed: float = 1.0,
        gap: float = 8.0,
        sleep: Callable[[float], bool],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.settings = settings
        self.scripts = list(scripts)
        self.speed = speed
        self.gap = gap
        self.sleep = sleep
        self.clock = clock
        self.engine = BotEngine(shared_index(store.list_articles()), settings)

    def run(self, *, loop: bool = True) -> Iterator[DemoCall]:
        """Play the calls one after another (forever when `loop`), yielding each outcome."""
        rounds = itertools.count() if loop else range(1)
        for round_no in rounds:
            for script in self.scripts:
                call = self.play(script, suffix=f"{round_no}")
                if call is None:
                    return
                yield call
                if self.sleep(self.gap):
                    return

    def prefill(self, count: int) -> list[DemoCall]:
        """Calls already waiting when the demo opens: the bot parts of the first `count`
        transferred scripts, played at once, so there is a real call to accept straight away."""
        scripts = [s for s in self.scripts if s.expected.outcome == "transferred"][:count]
        pacing, self.sleep = self.sleep, lambda _seconds: False
        try:
            played = [self.play(script, suffix="w") for script in scripts]
        finally:
            self.sleep = pacing
        if scripts:  # live traffic carries on after the last call already waiting
            after = self.scripts.index(scripts[-1]) + 1
            self.scripts = self.scripts[after:] + self.scripts[:after]
        return [call for call in played if call is not None]

    def play(self, script: CallScript, *, suffix: str = "0") -> DemoCall | None:
        """One call's bot part; None when the demo was stopped midway."""
        customer = self.store.get_customer(script.customer)
        started = self.clock()
        call = self.store.upsert_call(
            Call(
                id=f"CALL-DEMO-{script.id}-{suffix}-{started:%H%M%S}",
                customer_id=customer.id,
                language=script.language,
                status=CallStatus.BOT,
                started_at=started,
                source=f"sample:{script.id}",
            ),
            actor="bot",
        )
        state, greeting = self.engine.start(
            call.id, script.language, script.at, customer=customer, context=script.context
        )
        self._store_line(call.id, greeting)
        elapsed = 0.0
        for turn in script.turns:
            if turn.speaker == Speaker.AGENT:
                break  # the human part of the recording plays when an agent accepts
            if turn.speaker != Speaker.CUSTOMER:
                continue
            at = turn.end if turn.end is not None else elapsed + 5.0
            if self.sleep(max(0.0, (at - elapsed) / self.speed)):
                return None
            elapsed = at
            bt = self.engine.hear(state, turn.text, script.at + timedelta(seconds=at))
            self._store_line(call.id, bt.heard)
            if bt.reply is not None:
                self._store_line(call.id, bt.reply)
            if state.outcome is Outcome.TRANSFERRED:
                break
        # the bot's tickets are filed as the call ends: a callback the caller moved to another time
        # later in the call ("after two on Monday", a number to ring) is filed as it stands
        for ticket in state.tickets:
            self.store.create_ticket(
                ticket.model_copy(update={"created_at": self.clock(), "updated_at": self.clock()}),
                actor="bot",
            )
        return self._finish(script, call, state)

    def _finish(self, script: CallScript, call: Call, state) -> DemoCall:  # type: ignore[no-untyped-def]
        now = self.clock()
        if state.outcome is Outcome.TRANSFERRED:
            packet = with_affinity(self.store, self.engine.packet(state, wait_started_at=now), now)
            rank = routing.queue_rank(packet, now, self.settings.routing)
            transfer = self.store.create_transfer(
                Transfer(call_id=call.id, packet=packet, created_at=now, queue_rank=rank), actor="bot"
            )
            return DemoCall(script, call.id, state.outcome, transfer.id)
        outcome = "callback" if state.outcome is Outcome.CALLBACK else "contained"
        self.store.upsert_call(
            call.model_copy(update={"status": CallStatus.ENDED, "ended_at": now, "outcome": outcome}),
            actor="bot",
        )
        return DemoCall(script, call.id, state.outcome, None)

    def _store_line(self, call_id: str, line: Utterance) -> None:
        self.store.append_utterance(call_id, line.model_copy(update={"at": self.clock()}), actor="bot")
