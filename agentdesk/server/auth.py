"""Authentication (bearer tokens) and authorisation (the permission table) for every route.

`require("tickets:read")` is the dependency a route declares; it refuses a missing or
bad token with 401 and a role without the permission with 403. A route has exactly one
such dependency, which is how the app lists each operation's permission in the OpenAPI
document and how the tests enumerate the role-by-route matrix.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from agentdesk.server.errors import ApiError
from agentdesk.server.permissions import PERMISSIONS, Principal, roles_with
from agentdesk.server.state import ServerState, state_of
from agentdesk.server.users import User, hash_token

bearer = HTTPBearer(auto_error=False, description="A user token from `agentdesk users add`.")


def _principal(user: User) -> Principal:
    return Principal(
        name=user.name, role=user.role, agent_id=user.agent_id, generation=user.created_at.isoformat()
    )


async def authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The caller, or 401 when the token is missing, malformed, unknown or revoked."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(
            401,
            "unauthenticated",
            "send `Authorization: Bearer <token>`; tokens come from `agentdesk users add`",
        )
    principal = await check_token(state_of(request), credentials.credentials)
    if principal is None:
        raise ApiError(401, "unauthenticated", "the token is not valid (unknown or revoked)")
    return principal


async def check_token(state: ServerState, token: str) -> Principal | None:
    """The active user holding `token`, or None once it is unknown or revoked.

    Answers from the token cache for up to `CACHE_SECONDS`; revoking through the API clears
    the cache, so such a revocation is seen by the next check.
    """
    digest = hash_token(token)
    principal = state.tokens.get(digest)
    if principal is None:
        generation = state.tokens.generation
        # The look-up takes the store lock, which a long write may hold: off the event loop.
        user = await run_in_threadpool(state.users.authenticate, token)
        if user is None:
            return None
        principal = _principal(user)
        state.tokens.put(digest, principal, generation=generation)
    return principal


def forbidden(principal: Principal, permission: str) -> ApiError:
    """The 403 for a caller whose role lacks `permission`."""
    return ApiError(
        403,
        "forbidden",
        f"role {principal.role} may not {PERMISSIONS[permission]} (needs {permission}: {', '.join(roles_with(permission))})",
        permission=permission,
    )


def require(permission: str) -> Callable[..., Awaitable[Principal]]:
    """The dependency that lets a request through only with a valid token holding `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    async def dependency(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
    ) -> Principal:
        principal = await authenticate(request, credentials)
        if not principal.can(permission):
            raise forbidden(principal, permission)
        return principal

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency
