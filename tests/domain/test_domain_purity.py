"""The new domain rules stay pure: importing them loads no settings loader, storage, network or UI."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "agentdesk.domain.routing",
    "agentdesk.domain.routing_callbacks",
    "agentdesk.domain.hours",
    "agentdesk.domain.complaints",
    "agentdesk.domain.surveys",
    "agentdesk.domain.kpis",
    "agentdesk.domain.feedback",
]
FORBIDDEN = ["agentdesk.config", "pydantic_settings", "platformdirs", "sqlite3", "httpx", "textual", "numpy"]


@pytest.mark.parametrize("module", MODULES)
def test_domain_module_imports_only_stdlib_and_pydantic(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not [name for name in FORBIDDEN if name in loaded]
