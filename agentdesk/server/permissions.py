"""Who may do what on the team server: the permission table, written as data (SPEC section 13).

Every route names exactly one permission; a role is the set of permissions it holds.
The OpenAPI document lists, for each operation, its permission and the roles that
hold it (see `agentdesk.server.app`), so integrators read the same table the server
enforces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["agent", "supervisor", "trainer", "bot"]
"""The four roles of SPEC section 13."""

PERMISSIONS: dict[str, str] = {
    "me:read": "see who the token belongs to and what its role may do",
    "customers:read": "read customers",
    "customers:write": "create or change customers",
    "agents:read": "read agents and their load",
    "agents:write": "create or change agents",
    "agents:status": "switch an agent's status (their own, unless agents:any)",
    "agents:any": "act for any agent: claim, decline or switch status on someone else's behalf",
    "calls:read": "read calls and their transcripts",
    "calls:write": "create calls and append utterances",
    "transfers:read": "read the transfer queue and handoff packets",
    "transfers:create": "post a transfer with its handoff packet",
    "transfers:claim": "claim, decline or complete a transfer",
    "transfers:offer": "offer a transfer to an agent (routing)",
    "transfers:abandon": "mark a transfer abandoned (the customer left)",
    "transfers:import": "create transfers in any state with their own queue rank (imports)",
    "tickets:read": "read and search tickets",
    "tickets:write": "create and work tickets",
    "kb:read": "read and search the knowledge base",
    "kb:write": "create or edit knowledge-base articles",
    "feedback:create": "flag a bot utterance as wrong",
    "feedback:read": "read the bot-feedback review queue",
    "feedback:review": "accept or reject bot feedback",
    "surveys:read": "read satisfaction surveys",
    "surveys:write": "create or record satisfaction surveys",
    "kpis:read": "read KPIs",
    "training:read": "read trainer results (their own, unless training:any)",
    "training:write": "save trainer results (their own, unless training:any)",
    "training:any": "read and save any trainee's trainer results",
    "events:read": "follow the change feed (each event also needs the read permission of its entity)",
    "users:manage": "list, add and revoke users",
    "sensitive:read": "see phone, ID and card numbers unmasked",
    "actor:any": "record another name as the actor or author of a write, replace anyone's transcript lines (imports, on-behalf work)",
}
"""Permission name -> what it allows, as shown in errors and in the OpenAPI document."""

_BOT = {
    "me:read",
    "customers:read",
    "customers:write",
    "agents:read",
    "calls:read",
    "calls:write",
    "transfers:read",
    "transfers:create",
    "transfers:abandon",
    "kb:read",
    "surveys:read",
    "surveys:write",
    "events:read",
}
_AGENT = {
    "me:read",
    "customers:read",
    "agents:read",
    "agents:status",
    "calls:read",
    "calls:write",
    "transfers:read",
    "transfers:claim",
    "transfers:abandon",
    "tickets:read",
    "tickets:write",
    "kb:read",
    "feedback:create",
    "feedback:read",
    "surveys:read",
    "surveys:write",
    "training:read",
    "training:write",
    "events:read",
}
_TRAINER = {
    "me:read",
    "customers:read",
    "agents:read",
    "calls:read",
    "transfers:read",
    "tickets:read",
    "kb:read",
    "kb:write",
    "feedback:create",
    "feedback:read",
    "feedback:review",
    "surveys:read",
    "training:read",
    "training:write",
    "training:any",
    "events:read",
}

ROLES: dict[str, frozenset[str]] = {
    "bot": frozenset(_BOT),
    "agent": frozenset(_AGENT),
    "trainer": frozenset(_TRAINER),
    "supervisor": frozenset(PERMISSIONS),
}
"""Role -> the permissions it holds. Only supervisors see sensitive numbers unmasked."""

ENTITY_PERMISSION: dict[str, str] = {
    "customer": "customers:read",
    "agent": "agents:read",
    "call": "calls:read",
    "utterance": "calls:read",
    "transfer": "transfers:read",
    "ticket": "tickets:read",
    "article": "kb:read",
    "survey": "surveys:read",
    "feedback": "feedback:read",
    "training": "training:read",
}
"""Change-feed entity -> the permission needed to see its events (unknown entities: supervisors)."""


def roles_with(permission: str) -> list[str]:
    """The roles holding `permission`, sorted."""
    return sorted(role for role, perms in ROLES.items() if permission in perms)


def can(role: str, permission: str) -> bool:
    """Whether `role` holds `permission` (unknown roles hold nothing)."""
    return permission in ROLES.get(role, frozenset())


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of a request."""

    name: str
    role: str
    agent_id: str | None = None
    generation: str = ""
    """When this user (name) was created: a name revoked and added anew is another caller."""

    @property
    def owner(self) -> str:
        """Whose idempotency records these are: the user, not just its name."""
        return f"{self.name} {self.generation}" if self.generation else self.name

    def can(self, permission: str) -> bool:
        """Whether this caller's role holds `permission`."""
        return can(self.role, permission)

    @property
    def sees_sensitive(self) -> bool:
        """Whether phone, ID and card numbers go out unmasked."""
        return self.can("sensitive:read")

    def may_act_for_agent(self, agent_id: str) -> bool:
        """Whether this caller may claim, decline or switch status as `agent_id`."""
        return agent_id == self.agent_id or self.can("agents:any")
