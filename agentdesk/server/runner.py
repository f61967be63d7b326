"""Running the server on loopback for tests and benches: in a thread, or as a real child process.

Both always stop what they started (use them as context managers), and both wait until
the server answers `/api/v1/health` before returning, so callers never race the start-up.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import httpx
import uvicorn
from fastapi import FastAPI

HEALTH = "/api/v1/health"


def http_implementation() -> str:
    """The HTTP parser uvicorn picks by itself: httptools when installed (faster), else h11."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 20.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Block until `url` answers its health check.

    Raises:
        RuntimeError: it did not within `timeout`, or the process died first.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server process exited with {process.returncode} before answering")
        try:
            if httpx.get(url + HEALTH, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {url} within {timeout:g} s")


class ServerThread:
    """Uvicorn serving `app` from a thread of this process, on a port of its own.

    Args:
        app: the ASGI app.
        host: the address to listen on (loopback by default).
        port: the port; a free one by default (pass the old one to come back after `stop`).
    """

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        # IPPROTO_TCP spelled out: asyncio only sets TCP_NODELAY on connections from a socket
        # whose proto says TCP, and without it every answer waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port = int(self._socket.getsockname()[1])
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="agentdesk-server", daemon=True
        )

    def start(self) -> ServerThread:
        """Start serving; returns once the server answers."""
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server thread did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ServerProcess:
    """`agentdesk serve` as a child process, which can be killed hard and started again.

    Args:
        db: the database file it serves.
        port: the port (kept across restarts, so clients can reconnect); free one by default.
        host: the address to listen on.
        extra: more `serve` options.
    """

    def __init__(
        self, db: str | Path, port: int | None = None, host: str = "127.0.0.1", extra: list[str] | None = None
    ) -> None:
        self.db = Path(db)
        self.host = host
        self.port = port or free_port(host)
        self.url = f"http://{host}:{self.port}"
        self.extra = extra or []
        self.http = (
            next((self.extra[i + 1] for i, a in enumerate(self.extra[:-1]) if a == "--http"), None)
            or http_implementation()
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> ServerProcess:
        """Start the process; returns once it answers."""
        command = [sys.executable, "-m", "agentdesk", "serve", "--db", str(self.db), "--host", self.host,
                   "--port", str(self.port), "--log-level", "warning", *self.extra]  # fmt: skip
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_up(self.url, timeout, self.process)
        except RuntimeError:
            self.stop()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL: the server dies mid-request, as in a crash or a power cut of its host."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Stop the process (politely, then hard)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process.stderr is not None:
            self.process.stderr.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
