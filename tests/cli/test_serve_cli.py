"""`agentdesk serve`: the address it prints is the one it answers on, and what an empty database lacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx


def test_serve_on_port_0_prints_the_port_it_really_listens_on_and_that_it_has_no_agents(
    tmp_path: Path,
) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "agentdesk", "serve", "--db", str(tmp_path / "team.db"), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        announced, before = "", []
        for line in server.stderr:
            if "AgentDesk server on" in line:
                announced = line
                break
            before.append(line)
        assert any("No agents yet" in line for line in before)  # an empty database says what it lacks
        found = re.search(r"http://127\.0\.0\.1:(\d+)/api/v1", announced)
        assert found is not None, announced
        assert found.group(1) != "0"
        answer = httpx.get(f"{found.group(0)}/health", timeout=10)
        assert answer.json()["status"] == "ok"
    finally:
        server.terminate()
        server.wait(timeout=15)
