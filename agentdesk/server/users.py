"""Team-mode users: a name, a role, an optional agent id, and a token stored only as a hash.

A token is 32 random bytes (URL-safe base64, `adk_` prefix so it is recognisable in
logs and secret scanners). The database keeps its SHA-256: a copy of the database
does not hand out working tokens, and a long random secret needs no slow hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from agentdesk.domain.models import utcnow
from agentdesk.server.db import ServerDb
from agentdesk.server.permissions import ROLES
from agentdesk.store.base import AlreadyExists, NotFound
from agentdesk.store.sqlite_base import ts

TOKEN_PREFIX = "adk_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


def new_token() -> str:
    """A fresh random bearer token (printed once, never stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token: hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class User:
    """A team-mode account (never carries the token)."""

    name: str
    role: str
    agent_id: str | None
    """The agent this user works as at a desk; claims and status switches are limited to it."""
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


def _user(row: tuple[object, ...]) -> User:
    name, role, agent_id, created, revoked = row
    return User(
        name=str(name),
        role=str(role),
        agent_id=agent_id if isinstance(agent_id, str) else None,
        created_at=datetime.fromisoformat(str(created)),
        revoked_at=datetime.fromisoformat(str(revoked)) if revoked else None,
    )


_COLUMNS = "name, role, agent_id, created_at, revoked_at"


class UserStore:
    """Users in the store's database (table `users`, migration m002).

    Args:
        db: the server tables of an opened SQLite store.
    """

    def __init__(self, db: ServerDb) -> None:
        self.db = db

    def add(self, name: str, role: str, *, agent_id: str | None = None) -> tuple[User, str]:
        """Create a user, or give a revoked one a new life; returns the user and its new token.

        Agents default to working as the agent with their own name; that agent must exist
        (seed the demo data or `PUT /agents/{id}` first). Other roles work as no agent: an
        agent id would let their writes pass for that agent's in the change feed.

        Raises:
            ValueError: bad name, unknown role, an agent id for another role, or no such agent.
            AlreadyExists: an active user has that name.
        """
        if not _NAME.match(name):
            raise ValueError(
                f"user name {name!r}: use 1-64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit"
            )
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; choose one of {', '.join(sorted(ROLES))}")
        if agent_id is not None and role != "agent":
            raise ValueError(f"only agents work as an agent; a {role} user takes no agent id ({agent_id!r})")
        if agent_id is None and role == "agent":
            agent_id = name
        token = new_token()
        with self.db.transaction() as c:
            if (
                agent_id is not None
                and c.execute("SELECT 1 FROM agents WHERE id = ?", (agent_id,)).fetchone() is None
            ):
                raise ValueError(
                    f"no agent with id {agent_id!r} to work as: create the agent first (PUT /agents/{agent_id},"
                    " or the demo data: agentdesk seed / serve --seed-demo), or name one with --agent-id"
                )
            row = c.execute("SELECT revoked_at FROM users WHERE name = ?", (name,)).fetchone()
            if row is not None and row[0] is None:
                raise AlreadyExists(f"user {name} exists already; revoke it first to issue a new token")
            c.execute(
                "INSERT OR REPLACE INTO users (name, role, agent_id, token_hash, created_at, revoked_at)"
                " VALUES (?, ?, ?, ?, ?, NULL)",
                (name, role, agent_id, hash_token(token), ts(utcnow())),
            )
        return self.get(name), token

    def get(self, name: str) -> User:
        """One user by name.

        Raises:
            NotFound: no such user.
        """
        row = self.db.one(f"SELECT {_COLUMNS} FROM users WHERE name = ?", (name,))
        if row is None:
            raise NotFound("user", name)
        return _user(row)

    def list(self, *, include_revoked: bool = True) -> list[User]:
        """All users by name."""
        where = "" if include_revoked else " WHERE revoked_at IS NULL"
        return [_user(r) for r in self.db.rows(f"SELECT {_COLUMNS} FROM users{where} ORDER BY name")]

    def revoke(self, name: str) -> User:
        """Make the user's token stop working at once (the row stays, for the audit trail).

        Raises:
            NotFound: no such user.
        """
        with self.db.transaction() as c:
            cur = c.execute(
                "UPDATE users SET revoked_at = ?, token_hash = ? WHERE name = ? AND revoked_at IS NULL",
                # The hash is replaced too, so a revoked token can never match again.
                (ts(utcnow()), "revoked:" + secrets.token_hex(16), name),
            )
            if (
                cur.rowcount == 0
                and c.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None
            ):
                raise NotFound("user", name)
        return self.get(name)

    def authenticate(self, token: str) -> User | None:
        """The active user holding `token`, or None.

        The lookup goes through the hash index; the final comparison is constant-time so
        response timing says nothing about how close a guess was.
        """
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = hash_token(token)
        row = self.db.one(
            f"SELECT {_COLUMNS}, token_hash FROM users WHERE token_hash = ? AND revoked_at IS NULL", (digest,)
        )
        if row is None or not hmac.compare_digest(str(row[5]), digest):
            return None
        return _user(row[:5])

    def count(self) -> int:
        """Active users."""
        row = self.db.one("SELECT COUNT(*) FROM users WHERE revoked_at IS NULL")
        return int(row[0]) if row else 0
