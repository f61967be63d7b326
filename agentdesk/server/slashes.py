"""A trailing slash names the same resource: `/api/v1/calls/` is `/api/v1/calls`.

URL-joining code in clients often leaves one. Starlette would answer 307 with the other
form, which many HTTP clients do not follow for a POST, or follow without the
Authorization header, so an integrator sees a confusing failure. One answer for both
forms is what they expect.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class TrailingSlash:
    """ASGI middleware routing `/path/` (any number of trailing slashes) as `/path`.

    Args:
        app: the app behind it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
            if raw := scope.get("raw_path"):
                scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)
