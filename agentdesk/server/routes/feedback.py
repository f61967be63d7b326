"""Bot feedback: agents flag wrong bot utterances; trainers review, and accepted fixes edit the KB."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from agentdesk.domain.models import BotFeedback, FeedbackStatus, utcnow
from agentdesk.server.auth import require
from agentdesk.server.bodies import Strict
from agentdesk.server.owned import check_new_feedback
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import Limit, Offset, errors
from agentdesk.server.schemas import ReviewRequest
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["feedback"])


@router.post("/feedback", response_model=BotFeedback, status_code=201, responses=errors(409, 422))
def create_feedback(feedback: Strict[BotFeedback], w: Write = Depends(writer("feedback:create"))) -> Response:
    """Flag a bot utterance (misheard, wrong answer, wrong or needless transfer) for review.

    A flag is raised as the caller (`flagged_by` is their user name or agent id) and starts
    open and unreviewed; only imports (`actor:any`) may set other values.
    """
    check_new_feedback(feedback, w.principal, utcnow(), w.state.idempotency_retention)
    return w.run(lambda actor: w.state.store.create_feedback(feedback, actor=actor), status=201)


@router.get("/feedback", response_model=list[BotFeedback], responses=errors(422))
def list_feedback(
    request: Request,
    status: FeedbackStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    who: Principal = Depends(require("feedback:read")),
) -> Response:
    """The review queue, newest first."""
    found = state_of(request).store.list_feedback(status=status, limit=limit, offset=offset)
    return respond(found, who)


@router.get("/feedback/{feedback_id}", response_model=BotFeedback, responses=errors(404))
def get_feedback(
    request: Request, feedback_id: str, who: Principal = Depends(require("feedback:read"))
) -> Response:
    """One flag."""
    return respond(state_of(request).store.get_feedback(feedback_id), who)


@router.post("/feedback/{feedback_id}/review", response_model=BotFeedback, responses=errors(404, 409, 422))
def review_feedback(
    feedback_id: str, review: ReviewRequest, w: Write = Depends(writer("feedback:review"))
) -> Response:
    """Accept or reject a flag; an accepted fix's article is saved in the same step."""
    store = w.state.store
    return w.run(
        lambda actor: store.review_feedback(
            feedback_id,
            accepted=review.accepted,
            reviewer=review.reviewer or actor,
            article=review.article,
            attribution=review.attribution,
            note=review.note,
            actor=actor,
        )
    )
