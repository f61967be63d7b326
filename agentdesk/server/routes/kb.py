"""The knowledge base: list, get, create or edit (the version goes up), search."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from agentdesk.domain.models import KBArticle
from agentdesk.server.auth import require
from agentdesk.server.bodies import Replacing
from agentdesk.server.permissions import Principal
from agentdesk.server.routes.common import errors, replacement
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
    """Articles the bot would consider for the text, ranked and scored as the bot does.

    The bot's own KB index (as `agentdesk kb search` uses) over the store's articles: best
    first, each with its calibrated `confidence`, whether it reaches the bot's answer
    threshold, and whether the bot would reply with it (`bot_answers`, the top hit at or
    above the threshold; no hit has it when the bot has no answer). `language` is the
    call's language: its articles count fully, the other language's half, and a match in
    the other language is listed as its counterpart in this one (dropped when it has none).
    """
    # Imported here: the index (tokeniser, dictionaries) is heavy and only this route needs it.
    from agentdesk.nlp.kb import shared_index

    state = state_of(request)
    articles = state.store.list_articles()
    if not articles or not q.strip():
        return respond([], who)
    index = shared_index(articles)
    result = index.search(q, k=limit, threshold=state.kb_threshold, language=language)
    if language is not None:
        # as the bot reads a call: each match in the other language is its counterpart in this one
        result = index.in_language(result, language)
    answer = result.answer
    hits = [
        KBHitOut(
            article=m.article,
            score=m.score,
            confidence=m.confidence,
            above_threshold=m.confidence >= result.threshold,
            bot_answers=answer is not None and m.article.id == answer.article.id,
        )
        for m in result.matches
    ]
    return respond(hits, who)


@router.get("/kb/articles/{article_id}", response_model=KBArticle, responses=errors(404))
def get_article(request: Request, article_id: str, who: Principal = Depends(require("kb:read"))) -> Response:
    """One article."""
    return respond(state_of(request).store.get_article(article_id), who)


@router.put("/kb/articles/{article_id}", response_model=KBArticle, responses=errors(422))
def put_article(
    article_id: str, article: Replacing[KBArticle], w: Write = Depends(writer("kb:write"))
) -> Response:
    """Create an article, or replace one (its version goes up by one).

    PUT replaces the whole article: send every field but `version` and `updated_at` (the
    store sets them when it replaces one); a missing field is refused with 422 naming it.
    `id` may be left out (the path names the article).
    """
    article = replacement("article", article_id, article, server_owned={"version", "updated_at"})
    return w.run(lambda actor: w.state.store.upsert_article(article, actor=actor))
