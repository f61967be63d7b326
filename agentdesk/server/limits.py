"""Request size limits: a whole body, and the text of one transcript line.

Without them any token could post hundreds of megabytes: the server reads and parses the
body on its event loop (every other request waits), and the text lands in the change
feed, which every desk and bot replays.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agentdesk.server.errors import ApiError, render

MAX_BODY_BYTES = 1024 * 1024
"""The largest request body (1 MiB): far above any real record, a handoff packet included."""

MAX_UTTERANCE_CHARS = 5000
"""The longest transcript line. A minute of speech is about 300 Chinese characters or 200 words."""


class BodyLimit:
    """ASGI middleware answering 413 `payload_too_large` to a body above `max_bytes`.

    A declared `Content-Length` above the limit is refused before anything is read; a body
    sent in chunks is counted as it arrives and refused once it passes the limit. The body
    is then handed to the app as one message.

    Args:
        app: the app behind it.
        max_bytes: the largest body accepted.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before sending its whole request: nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the client to leave (streams)

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = ApiError(
            413,
            "payload_too_large",
            f"the request body is larger than {self.max_bytes} bytes; send less at a time",
            limit=self.max_bytes,
        )
        await render(error)(scope, receive, send)
