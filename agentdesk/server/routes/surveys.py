"""Satisfaction surveys: the bot sends them after a resolution; the answer closes the loop."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from agentdesk.domain.models import Survey, SurveyStatus
from agentdesk.server.auth import require
from agentdesk.server.bodies import Replacing
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import errors, replacement
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["surveys"])


@router.get("/surveys", response_model=list[Survey], responses=errors(422))
def list_surveys(
    request: Request,
    ticket_id: str | None = None,
    status: SurveyStatus | None = None,
    who: Principal = Depends(require("surveys:read")),
) -> Response:
    """Surveys by id, optionally of one ticket or status."""
    return respond(state_of(request).store.list_surveys(ticket_id=ticket_id, status=status), who)


@router.get("/surveys/{survey_id}", response_model=Survey, responses=errors(404))
def get_survey(
    request: Request, survey_id: str, who: Principal = Depends(require("surveys:read"))
) -> Response:
    """One survey."""
    return respond(state_of(request).store.get_survey(survey_id), who)


@router.put("/surveys/{survey_id}", response_model=Survey, responses=errors(422))
def put_survey(
    survey_id: str, survey: Replacing[Survey], w: Write = Depends(writer("surveys:write"))
) -> Response:
    """Create a survey or record its answer.

    PUT replaces the whole survey: send every field (`null` where there is none), e.g. the
    survey as GET returns it with the answer filled in; a missing field is refused with 422
    naming it. `id` may be left out (the path names the survey).
    """
    survey = replacement("survey", survey_id, survey)
    return w.run(lambda actor: w.state.store.upsert_survey(survey, actor=actor))
