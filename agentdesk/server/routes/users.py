"""Users for supervisors (list, add, revoke) and `/me` for every caller."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from agentdesk.server.auth import require
from agentdesk.server.permissions import ROLES, Principal
from agentdesk.server.routes.common import errors
from agentdesk.server.schemas import Me, UserCreate, UserCreated, UserOut
from agentdesk.server.state import state_of
from agentdesk.server.users import User
from agentdesk.server.writes import Write, respond, writer
from agentdesk.store.base import Conflict

router = APIRouter(tags=["users"])


def _out(user: User) -> UserOut:
    return UserOut(
        name=user.name,
        role=user.role,
        agent_id=user.agent_id,
        created_at=user.created_at,
        revoked_at=user.revoked_at,
    )


@router.get("/me", response_model=Me, responses=errors())
def me(who: Principal = Depends(require("me:read"))) -> Response:
    """Who the token belongs to and what its role may do."""
    return respond(
        Me(name=who.name, role=who.role, agent_id=who.agent_id, permissions=sorted(ROLES[who.role])), who
    )


@router.get("/users", response_model=list[UserOut], responses=errors())
def list_users(request: Request, who: Principal = Depends(require("users:manage"))) -> Response:
    """Every user, revoked ones included (never their tokens)."""
    users = state_of(request).users.list()
    return respond([_out(u) for u in users], who)


@router.post("/users", response_model=UserCreated, status_code=201, responses=errors(409, 422))
def add_user(body: UserCreate, w: Write = Depends(writer("users:manage"))) -> Response:
    """Add a user; the answer holds its token, which the server never shows again."""

    def add(actor: str) -> UserCreated:
        user, token = w.state.users.add(body.name, body.role, agent_id=body.agent_id)
        return UserCreated(user=_out(user), token=token)

    # Not remembered for retries: the stored answer would hold the token in clear.
    return w.run(add, status=201, remember=False)


@router.delete("/users/{name}", response_model=UserOut, responses=errors(404, 409))
def revoke_user(name: str, w: Write = Depends(writer("users:manage"))) -> Response:
    """Revoke a user's token at once.

    The last active supervisor is not revoked (409 `conflict`): nobody could manage users
    over the API any more. Add another supervisor first; a supervisor may then revoke
    themselves.
    """

    def revoke(actor: str) -> UserOut:
        users = w.state.users
        supervisors = {u.name for u in users.list(include_revoked=False) if u.role == "supervisor"}
        if supervisors == {name}:
            raise Conflict(
                f"{name} is the last active supervisor: revoking that token would leave nobody to manage"
                " users; add another supervisor first (POST /users), then revoke it"
            )
        user = users.revoke(name)
        w.state.tokens.clear()
        return _out(user)

    return w.run(revoke)
