"""Trainer results: a trainee's scored runs through sample calls (agents: only their own)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from agentdesk.domain.models import TrainingResult
from agentdesk.server.auth import require
from agentdesk.server.bodies import Replacing
from agentdesk.server.errors import ApiError
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import Limit, Offset, errors, replacement
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["training"])


def _own(principal: Principal, trainee: str | None) -> str | None:
    """The trainee a caller may see or save: anyone with training:any, else only themselves."""
    if principal.can("training:any"):
        return trainee
    if trainee not in (None, principal.agent_id) or principal.agent_id is None:
        raise ApiError(
            403, "forbidden", f"{principal.name} may only see and save their own trainer results",
            permission="training:any",
        )  # fmt: skip
    return principal.agent_id


@router.get("/training/results", response_model=list[TrainingResult], responses=errors(422))
def list_results(
    request: Request,
    trainee: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("training:read")),
) -> Response:
    """Results, newest first, optionally of one trainee."""
    store = state_of(request).store
    found = store.list_training_results(trainee=_own(who, trainee), limit=limit, offset=offset)
    return respond(found, who)


@router.put("/training/results/{result_id}", response_model=TrainingResult, responses=errors(422))
def put_result(
    result_id: str, result: Replacing[TrainingResult], w: Write = Depends(writer("training:write"))
) -> Response:
    """Save one trainee's scored run (replacing an earlier save of the same run).

    PUT replaces the whole result: send every field (`null` where there is none); a
    missing field is refused with 422 naming it. `id` may be left out (the path names it).
    """
    result = replacement("training result", result_id, result)
    _own(w.principal, result.trainee)
    return w.run(lambda actor: w.state.store.save_training_result(result, actor=actor))
