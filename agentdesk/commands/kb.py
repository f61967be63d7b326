"""`agentdesk kb`: search the knowledge base the way the bot does, and read its articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import click

from agentdesk.commands.output import console, echo_json, masked, store_session

if TYPE_CHECKING:
    from agentdesk.domain.models import KBArticle, Language
    from agentdesk.nlp.kb import KBMatch, KBResult

LANGS = click.Choice(["zh", "en"])


@click.group()
def kb() -> None:
    """Search and inspect the knowledge base (the store's articles, as the bot reads them)."""


def _match_json(rank: int, m: KBMatch, result: KBResult) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": m.article.id,
        "title": m.article.title,
        "language": m.article.language,
        "category": m.article.category,
        "confidence": round(m.confidence, 4),
        "score": round(m.score, 4),
        "above_threshold": m.confidence >= result.threshold,
        "procedure": m.article.procedure,
        "matched_terms": list(m.matched_terms),
    }


def _verdict(result: KBResult) -> str:
    """One line: what the bot would do with this query."""
    answer = result.answer
    if answer is None:
        why = (
            f"nothing reaches the answer threshold {result.threshold:.2f}"
            if result.matches
            else "no article shares a word with the query"
        )
        return (
            f"no answer: {why}; the bot would say it does not know, and transfer (no-answer) "
            "if the customer asks again"
        )
    line = f"answer: the bot would reply with {answer.article.id} ({answer.confidence:.2f})"
    if answer.article.procedure:
        line += ", then transfer: the article is a procedure only a person can carry out (no-answer)"
    return line


def _render_search(result: KBResult) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(
        Text.assemble(
            ("kb search ", "bold"),
            masked(result.query),
            (f" · {result.language} · answer threshold {result.threshold:.2f}", "dim"),
        )
    )
    if result.matches:
        table = Table(box=None, pad_edge=False, expand=False)
        table.add_column("#", justify="right")
        table.add_column("article", no_wrap=True)
        table.add_column("title", overflow="fold")
        table.add_column("conf", justify="right")
        table.add_column("answer", no_wrap=True)
        table.add_column("matched", no_wrap=True, overflow="ellipsis", style="dim")
        answer_id = result.answer.article.id if result.answer else None
        for rank, m in enumerate(result.matches, start=1):
            if m.article.id == answer_id:
                mark = Text("✓ bot answers", style="bold green")
            elif m.confidence >= result.threshold:
                mark = Text("above threshold", style="green")
            else:
                mark = Text("below", style="dim")
            conf_style = "green" if m.confidence >= result.threshold else "dim"
            table.add_row(
                str(rank),
                Text(m.article.id, style="cyan"),
                Text(masked(m.article.title)),
                Text(f"{m.confidence:.2f}", style=conf_style),
                mark,
                masked(" ".join(m.matched_terms[:4])),
            )
        out.print(table)
    out.print(Text(_verdict(result), style="bold green" if result.answer else "bold yellow"))


@kb.command()
@click.argument("query")
@click.option(
    "--top", "top", type=click.IntRange(1, 50), default=5, show_default=True, help="Matches to show."
)
@click.option(
    "--lang",
    "lang",
    type=LANGS,
    help="The call's language: its articles count fully, the other language's half "
    "(as on a call). Default: detected from the query.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def search(ctx: click.Context, query: str, top: int, lang: str | None, as_json: bool) -> None:
    """Find the articles the bot would answer QUERY with, ranked, with calibrated confidence.

    Uses the desk's own KB index over the store's articles and the `bot.kb_threshold`
    setting: the top match answers only when its confidence reaches the threshold,
    otherwise the bot has no answer. Chinese and English both work.
    """
    from agentdesk.nlp.kb import shared_index

    if not query.strip():
        raise click.UsageError("QUERY is empty")
    with store_session(ctx) as (settings, store):
        articles = store.list_articles()
    if not articles:
        raise click.ClickException("the knowledge base has no articles (run `agentdesk seed`)")
    index = shared_index(articles)
    language = cast("Language | None", lang)
    result = index.search(query, k=top, threshold=settings.bot.kb_threshold, language=language)
    if as_json:
        answer = result.answer
        echo_json(
            {
                "query": result.query,
                "language": result.language,
                "threshold": result.threshold,
                "answer": answer.article.id if answer else None,
                "verdict": _verdict(result),
                "matches": [_match_json(i, m, result) for i, m in enumerate(result.matches, start=1)],
            }
        )
    else:
        _render_search(result)


def _article_json(a: KBArticle) -> dict[str, Any]:
    return a.model_dump(mode="json")


@kb.command()
@click.argument("article_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool) -> None:
    """One article: title, question variants, answer, language, category, last update."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    with store_session(ctx) as (_settings, store):
        article = store.get_article(article_id)
    if as_json:
        echo_json(_article_json(article))
        return
    out = console()
    out.print(Text.assemble((article.id, "bold cyan"), "  ", (masked(article.title), "bold")))
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="dim", no_wrap=True)
    meta.add_column()
    meta.add_row("language", article.language)
    meta.add_row("category", article.category)
    meta.add_row("updated", f"{article.updated_at:%Y-%m-%d %H:%M %Z}  (version {article.version})")
    if article.tags:
        meta.add_row("tags", masked(", ".join(article.tags)))
    if article.procedure:
        meta.add_row("procedure", "yes: the bot reads it, then transfers to a person")
    out.print(meta)
    out.print(Text(f"questions ({len(article.questions)})", style="bold"))
    for q in article.questions:
        out.print(Padding(Text("• " + masked(q)), (0, 0, 0, 2), expand=False))
    out.print(Text("answer", style="bold"))
    out.print(Padding(Text(masked(article.answer)), (0, 0, 0, 2), expand=False))


@kb.command(name="list")
@click.option("--lang", "lang", type=LANGS, help="Only articles in this language.")
@click.option("--category", help="Only articles in this category (e.g. refunds, billing).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_(ctx: click.Context, lang: str | None, category: str | None, as_json: bool) -> None:
    """Every article: id, language, category and title, by id."""
    from rich.table import Table
    from rich.text import Text

    with store_session(ctx) as (_settings, store):
        articles = store.list_articles(language=lang, category=category)
        known = sorted({a.category for a in store.list_articles()}) if category and not articles else []
    if as_json:
        echo_json([_article_json(a) for a in articles])
        return
    out = console()
    if not articles:
        hint = f" (categories: {', '.join(known)})" if known else ""
        out.print(Text("no articles match" + hint, style="yellow"))
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, style="cyan")
    table.add_column("lang")
    table.add_column("category", no_wrap=True)
    table.add_column("title", overflow="fold")
    for a in articles:
        table.add_row(a.id, a.language, a.category, Text(masked(a.title)))
    out.print(table)
    out.print(Text(f"{len(articles)} articles", style="dim"))
