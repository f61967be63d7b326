"""References a request makes to other records: each must name a record that exists.

Checked inside the request's write transaction, so the record cannot vanish in between.
A reference to nothing is the caller's mistake in a field, answered with 422 naming it.
"""

from __future__ import annotations

from collections.abc import Callable

from agentdesk.server.errors import ApiError
from agentdesk.store.base import NotFound, Store


def _lookups(store: Store) -> dict[str, Callable[[str], object]]:
    return {"agent": store.get_agent, "call": store.get_call, "customer": store.get_customer}


def must_exist(store: Store, kind: str, field: str, record_id: str | None) -> None:
    """Refuse `field` when it names no `kind` record (None names none and passes).

    Raises:
        ApiError: 422 `invalid_request` with one `details` entry for `field`.
    """
    if record_id is None:
        return
    try:
        _lookups(store)[kind](record_id)
    except NotFound:
        message = f"no {kind} with id {record_id!r}"
        raise ApiError(
            422,
            "invalid_request",
            f"{field}: {message}",
            details=[{"loc": f"body.{field}", "msg": message, "type": "unknown_reference"}],
        ) from None
