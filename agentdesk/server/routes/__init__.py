"""The API routes, one module per resource; `ROUTERS` is what the app mounts under /api/v1.

Handlers that use the store are plain `def` functions: FastAPI runs them in its worker
threads, because a store call blocks (up to the busy timeout while another program holds
the database lock). On the event loop that would stall every other request, `/health` and
the event streams included. Only the event stream is `async`, and it calls the store
through `run_in_threadpool`.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from agentdesk.server.permissions import PERMISSIONS, roles_with
from agentdesk.server.routes import (
    agents,
    calls,
    customers,
    events,
    feedback,
    kb,
    kpis,
    surveys,
    tickets,
    training,
    transfers,
    users,
)

ROUTERS: list[APIRouter] = [
    customers.router,
    agents.router,
    calls.router,
    transfers.router,
    tickets.router,
    kb.router,
    feedback.router,
    surveys.router,
    kpis.router,
    training.router,
    events.router,
    users.router,
]


def route_permission(route: APIRoute) -> str | None:
    """The permission a route requires (from its `require`/`writer` dependency), or None if public."""
    pending = list(route.dependant.dependencies)
    while pending:
        dep = pending.pop()
        permission = getattr(dep.call, "permission", None)
        if permission:
            return str(permission)
        pending.extend(dep.dependencies)
    return None


def _document_permissions() -> None:
    """Put each operation's permission and roles into the OpenAPI document (once, at import)."""
    for router in ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute) or (permission := route_permission(route)) is None:
                continue
            roles = roles_with(permission)
            route.openapi_extra = {
                **(route.openapi_extra or {}),
                "x-permission": permission,
                "x-roles": roles,
            }
            route.description = (
                f"{route.description}\n\n**Permission:** `{permission}` ({PERMISSIONS[permission]}); "
                f"roles: {', '.join(roles)}."
            )


_document_permissions()
