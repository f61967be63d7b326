"""`agentdesk eval CORPORA_DIR`: accuracy of the bot brain on real public corpora.

Each corpus folder is read in its published format (see its SOURCE.md) and
scored by `agentdesk.nlp.evaluation`; a missing folder is skipped with a
message. Nothing here is tuned on these corpora: they only measure.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import click

from agentdesk.nlp.evaluation import EvalFigure

__all__ = ["CORPORA", "evaluate", "load_banking77", "load_esun", "run_all"]

Loader = Callable[[Path, int], list[EvalFigure]]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_esun(folder: Path) -> tuple[list, list[tuple[str, str]]]:
    """E.SUN FAQ as KB articles (one per pid) and (query, gold pid) pairs."""
    from agentdesk.domain.models import KBArticle

    kb = json.loads((folder / "pid_map_content.json").read_text(encoding="utf-8"))
    articles = []
    for pid, pairs in kb.items():
        questions = [str(p.get("question", "")) for p in pairs]
        answers = [
            a if isinstance(a, str) else json.dumps(a, ensure_ascii=False)
            for p in pairs
            for a in p.get("answers", [])
        ]
        articles.append(
            KBArticle(
                id=str(pid),
                language="zh",
                category="faq",
                title=questions[0] if questions else "",
                questions=questions,
                answer=" ".join(answers),
            )
        )
    queries = json.loads((folder / "faq_queries_with_gold.json").read_text(encoding="utf-8"))
    return articles, [(str(q["query"]), str(q["gold_pid"])) for q in queries]


def load_banking77(folder: Path) -> tuple[list, list[tuple[str, str]]]:
    """banking77 as a KB of its 77 intent names ("card_arrival" -> "card arrival") and labelled queries."""
    from agentdesk.domain.models import KBArticle

    names = json.loads((folder / "categories.json").read_text(encoding="utf-8"))
    articles = [
        KBArticle(id=n, language="en", category="general", title=n.replace("_", " "), answer="")
        for n in names
    ]
    queries = [(r["text"], r["category"]) for r in _rows(folder / "banking77_test_sample.csv")]
    return articles, queries


def _esun(folder: Path, level: int) -> list[EvalFigure]:
    from agentdesk.nlp.evaluation import retrieval

    articles, queries = load_esun(folder)
    s = retrieval(articles, queries)
    name = folder.name
    return [
        EvalFigure(name, "FAQ retrieval (617 docs)", "top-1", s.top1, s.n),
        EvalFigure(name, "FAQ retrieval (617 docs)", "top-3", s.top3, s.n, goal=0.80),
    ]


def _banking77(folder: Path, level: int) -> list[EvalFigure]:
    from agentdesk.nlp.evaluation import retrieval

    articles, queries = load_banking77(folder)
    s = retrieval(articles, queries)
    name = folder.name
    note = "KB = the 77 intent names only"
    return [
        EvalFigure(name, "intent retrieval", "top-1", s.top1, s.n, note=note),
        EvalFigure(name, "intent retrieval", "top-3", s.top3, s.n, note=note),
    ]


def _sentiment(
    file: str, text_col: str, label_col: str, negative: str, positive: str, goal: float, language: str
) -> Loader:
    def run(folder: Path, level: int) -> list[EvalFigure]:
        from agentdesk.nlp.evaluation import (
            binary_sentiment,
            held_out_review_model,
            unseen_by_english_model,
        )

        rows = [r for r in _rows(folder / file) if r[label_col] in (negative, positive)]
        examples = [(r[text_col], r[label_col] == negative) for r in rows]
        reviews = None
        if language == "en":
            examples, seen = unseen_by_english_model(examples)
            held_out = f"{seen} found in the English model's training sentences and left out"
        else:
            reviews, left_out = held_out_review_model(text for text, _ in examples)
            held_out = f"review model retrained without the {left_out} training reviews found here"
            held_out = held_out if left_out else ""
        s = binary_sentiment(examples, reviews=reviews)
        note = f"negative recall {s.true_negative_hits}/{s.true_negative_hits + s.missed_negative}"
        if held_out:
            note += f"; {held_out}"
        return [
            EvalFigure(folder.name, "binary sentiment", "accuracy", s.accuracy, s.n, goal=goal, note=note)
        ]

    return run


def _anger(file: str, text_col: str, label_col: str, angry: str) -> Loader:
    def run(folder: Path, level: int) -> list[EvalFigure]:
        from agentdesk.nlp.evaluation import anger_detection

        rows = _rows(folder / file)
        s = anger_detection(((r[text_col], r[label_col] == angry) for r in rows), transfer_level=level)
        note = f"angry = emotion level >= {level}; {s.angry} angry of {s.n}"
        return [
            EvalFigure(folder.name, "anger vs rest", "precision", s.precision, s.n, goal=0.60, note=note),
            EvalFigure(folder.name, "anger vs rest", "recall", s.recall, s.n, goal=0.75, note=note),
        ]

    return run


CORPORA: dict[str, tuple[str, Loader]] = {
    "esun_bank_faq_zh_tw": ("pid_map_content.json", _esun),
    "banking77_en": ("banking77_test_sample.csv", _banking77),
    "waimai_10k_zh": (
        "waimai_10k_sample400.csv",
        _sentiment("waimai_10k_sample400.csv", "review", "label", "0", "1", 0.85, "zh"),
    ),
    "chnsenticorp_htl_zh": (
        "chnsenticorp_htl_sample400.csv",
        _sentiment("chnsenticorp_htl_sample400.csv", "review", "label", "0", "1", 0.85, "zh"),
    ),
    "twitter_airline_sentiment_en": (
        "airline_tweets_sample400.csv",
        _sentiment(
            "airline_tweets_sample400.csv", "text", "airline_sentiment", "negative", "positive", 0.80, "en"
        ),
    ),
    "smp2020_ewect_weibo_emotion_zh": (
        "ewect_usual_test_sample360.csv",
        _anger("ewect_usual_test_sample360.csv", "content", "label", "angry"),
    ),
    "tweeteval_emotion_en": (
        "tweeteval_emotion_test_sample200.csv",
        _anger("tweeteval_emotion_test_sample200.csv", "text", "label", "anger"),
    ),
}
"""Corpus folder -> (file that must exist, scorer)."""


def run_all(
    corpora_dir: Path, *, transfer_level: int = 3, progress: Callable[[str], None] | None = None
) -> list[EvalFigure]:
    """Every figure for every corpus present under `corpora_dir`; absent ones yield a skip figure."""
    figures: list[EvalFigure] = []
    for name, (required, scorer) in CORPORA.items():
        folder = corpora_dir / name
        if not (folder / required).is_file():
            figures.append(EvalFigure(name, "-", "-", None, note=f"skipped: {folder / required} not found"))
            continue
        if progress:
            progress(name)
        figures.extend(scorer(folder, transfer_level))
    return figures


def _table(figures: list[EvalFigure]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="AgentDesk bot brain on real corpora")
    table.add_column("corpus", no_wrap=True)
    table.add_column("task")
    table.add_column("metric", no_wrap=True)
    for col in ("value", "goal", "n"):
        table.add_column(col, justify="right", no_wrap=True)
    notes: dict[str, str] = {}
    for f in figures:
        value = "-" if f.value is None else f"{f.value:.3f}"
        if f.met is not None:
            value = f"[green]{value}[/]" if f.met else f"[red]{value}[/]"
        goal = "" if f.goal is None else f">= {f.goal:.2f}"
        table.add_row(f.corpus, f.task, f.metric, value, goal, str(f.n or ""))
        if f.note:
            notes.setdefault(f.corpus, f.note)
    console = Console()
    console.print(table)
    for corpus, note in notes.items():
        console.print(f"  {corpus}: {note}")


@click.command()
@click.argument("corpora_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of a table.")
def evaluate(corpora_dir: Path, as_json: bool) -> None:
    """Accuracy figures on real corpora in CORPORA_DIR (each set skipped when absent).

    Exits 1 when CORPORA_DIR holds none of them: a run that measured nothing is no result.
    """
    from dataclasses import asdict

    from agentdesk.config import ConfigError, load_settings

    try:
        level = load_settings().bot.emotion_transfer_level
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if not corpora_dir.is_dir():
        raise click.ClickException(f"corpora directory {corpora_dir} does not exist")
    say = (lambda name: None) if as_json else (lambda name: click.echo(f"evaluating {name} ...", err=True))
    if not any((corpora_dir / name / required).is_file() for name, (required, _) in CORPORA.items()):
        expected = ", ".join(f"{name}/{required}" for name, (required, _) in CORPORA.items())
        raise click.ClickException(
            f"no evaluation corpus in {corpora_dir}, so nothing to measure; expected one or more of {expected}"
        )
    figures = run_all(corpora_dir, transfer_level=level, progress=say)
    if as_json:
        rows = [{**asdict(f), "met": f.met} for f in figures]
        click.echo(json.dumps({"corpora": str(corpora_dir), "figures": rows}, ensure_ascii=False, indent=2))
    else:
        _table(figures)
