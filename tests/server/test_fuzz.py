"""Schemathesis fuzzes every operation of the OpenAPI document: no input makes the server fail (5xx)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from agentdesk.server.app import create_app
from agentdesk.store.sqlite import SqliteStore
from tests.server.conftest import seed_basics

# The schema must exist when pytest collects this module, so the app is built here, in-process
# over ASGI (no port is opened), on a throw-away database removed at exit.
_DIR = Path(tempfile.mkdtemp(prefix="agentdesk-fuzz-"))
_STORE = SqliteStore(_DIR / "fuzz.db", actor="fuzz")
atexit.register(shutil.rmtree, _DIR, True)
atexit.register(_STORE.close)
seed_basics(_STORE)
_APP = create_app(_STORE)
# A supervisor holds every permission, so fuzzed input reaches every handler (refusals by role
# happen before any input is used, and the auth matrix covers them).
_TOKEN = _APP.state.agentdesk.users.add("fuzzer", "supervisor")[1]

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP)


@schema.exclude(path_regex=r"/events/stream$").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_makes_the_server_fail(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_TOKEN}"})
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
