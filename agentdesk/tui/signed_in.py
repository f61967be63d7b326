"""A desk signed in by someone who is not an agent: a supervisor or trainer on the team server.

Such a user has no agent record, so no calls, no status and nothing to accept; the desk
shows who they are and their role in the header, and keeps the inbox to look at. Without
this, the desk would fall back to the configured agent (A01) and work that agent's call.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from agentdesk.tui.i18n import Catalog

NO_AGENT_ACTIONS = frozenset({"accept_transfer", "cycle_status"})
"""Desk actions that need an agent of one's own."""


@dataclass
class SignedInWithoutAgent(Message):
    """The desk's user has no agent record."""

    name: str
    role: str | None
    """The team-server role (`supervisor`, `trainer`...); None for an embedded store."""

    def label(self, t: Catalog) -> str:
        """`boss · Supervisor`: the header's who-is-signed-in part."""
        role = t(f"role.{self.role}") if self.role else t("role.none")
        return f"{self.name} · {role}"


def without_agent(store: object, user: str) -> SignedInWithoutAgent:
    """Who is signed in, asking a team server (blocking: call it from a worker)."""
    whoami = getattr(store, "whoami", None)
    if whoami is None:
        return SignedInWithoutAgent(user, None)
    me = whoami()
    return SignedInWithoutAgent(str(me.get("name") or user), me.get("role"))
