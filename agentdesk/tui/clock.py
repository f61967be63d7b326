"""The time the UI shows: one function, so snapshot tests can freeze it."""

from __future__ import annotations

from datetime import datetime

from agentdesk.domain.models import utcnow

_frozen: datetime | None = None


def now() -> datetime:
    """The current time (UTC), or the frozen time in tests and demos recorded for docs."""
    return _frozen or utcnow()


def freeze(at: datetime | None) -> None:
    """Pin `now()` to `at`; None lets time run again."""
    global _frozen
    _frozen = at
