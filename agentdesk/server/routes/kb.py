"""The knowledge base: list, get, create or edit (the version goes up), search."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.domain.models import KBArticle
from agentdesk.server.auth import require
from agentdesk.server.bodies import Strict
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import errors, same_id
from agentdesk.server.schemas import KBHitOut
from agentdesk.server.state import state_of
from agentdesk.server.writes import Write, respond, writer

router = APIRouter(tags=["kb"])


@router.get("/kb/articles", response_model=list[KBArticle], responses=errors(422))
def list_articles(
    request: Request,
    language: Literal["zh", "en"] | None = None,
    category: str | None = None,
    who: Principal = Depends(require("kb:read")),
) -> Response:
    """Articles by id, optionally of one language or category."""
    return respond(state_of(request).store.list_articles(language=language, category=category), who)


@router.get("/kb/search", response_model=list[KBHitOut], responses=errors(422))
def search_kb(
    request: Request,
    q: Annotated[str, Query(max_length=2000, description="What the customer said, Chinese or English.")],
    language: Literal["zh", "en"] | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    who: Principal = Depends(require("kb:read")),
) -> Response:
    """Articles matching the text, best first, with their rank score."""
    hits = state_of(request).store.search_kb(q, language=language, limit=limit)
    return respond([KBHitOut(article=h.article, score=h.score) for h in hits], who)


@router.get("/kb/articles/{article_id}", response_model=KBArticle, responses=errors(404))
def get_article(request: Request, article_id: str, who: Principal = Depends(require("kb:read"))) -> Response:
    """One article."""
    return respond(state_of(request).store.get_article(article_id), who)


@router.put("/kb/articles/{article_id}", response_model=KBArticle, responses=errors(422))
def put_article(
    article_id: str, article: Strict[KBArticle], w: Write = Depends(writer("kb:write"))
) -> Response:
    """Create an article, or replace one (its version goes up by one)."""
    same_id("article", article_id, article.id)
    return w.run(lambda actor: w.state.store.upsert_article(article, actor=actor))
