"""`agentdesk bench kb`: KB retrieval latency over a synthetic bilingual KB.

The KB is the demo KB (zh + en) expanded to N articles: each generated article
takes a demo article's title, question variants and answer, substitutes plan
names, amounts, places and products, and borrows a sentence from another
article, so term statistics look like a real KB many times the demo's size.
Queries are demo question variants with everyday prefixes and suffixes.

Measured: index build time (tokenising every article + the BM25 matrix), the
rebuild after one article changes, and top-5 query latency (tokenising the
query, scoring, confidences) for our `KBIndex` (bm25s) and for rank-bm25 over
the same terms.
"""

from __future__ import annotations

import random
import time

import click

from agentdesk.bench.stats import Figure, percentile, report

GOAL_P95_MS = 5.0

_ZH_SWAPS = {
    "places": ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆"],
    "products": [
        "畅享套餐",
        "家庭融合套餐",
        "学生卡",
        "商务卡",
        "5G尊享包",
        "千兆宽带",
        "国际漫游包",
        "视频会员",
    ],
    "prefixes": ["请问", "你好，", "麻烦问一下，", "我想问下", "", "", "喂，"],
    "suffixes": ["", "？", "，谢谢", "，急", "啊", "呢"],
}
_EN_SWAPS = {
    "places": [
        "London",
        "Leeds",
        "Bristol",
        "Glasgow",
        "Cardiff",
        "Belfast",
        "York",
        "Oxford",
        "Bath",
        "Derby",
    ],
    "products": [
        "Family Plan",
        "Student SIM",
        "Business Plus",
        "5G Unlimited",
        "Fibre 900",
        "Roam Pack",
        "TV Extra",
    ],
    "prefixes": ["hi, ", "hello, ", "quick question: ", "", "", "um, "],
    "suffixes": ["", "?", " please", " thanks", " asap"],
}


def synthetic_kb(n: int, seed: int = 7) -> list:
    """`n` articles expanded from the bundled demo KB (both languages, ids unique)."""
    from agentdesk.nlp.demo_kb import demo_articles

    rng = random.Random(seed)
    base = demo_articles()
    if not base:
        raise click.ClickException("the demo KB (assets/kb/articles.*.yaml) is missing")
    by_lang = {lang: [a for a in base if a.language == lang] for lang in ("zh", "en")}
    out = []
    for i in range(n):
        a = base[i % len(base)]
        swaps = _ZH_SWAPS if a.language == "zh" else _EN_SWAPS
        place, product = rng.choice(swaps["places"]), rng.choice(swaps["products"])
        other = rng.choice(by_lang[a.language])
        borrowed = rng.choice(other.answer.replace("。", ".").split(".") or [other.answer])
        amount = str(rng.choice([9, 19, 29, 39, 59, 99, 129, 199, 299]))
        if a.language == "zh":
            title = f"{a.title}（{place}·{product}）"
            questions = [f"{q}（{product}）" if rng.random() < 0.3 else q for q in a.questions]
            questions.append(f"{place}的{product}{rng.choice(a.questions)}")
            answer = f"{a.answer} 适用于{place}地区{product}用户，月费{amount}元。{borrowed}"
        else:
            title = f"{a.title} ({product}, {place})"
            questions = [f"{q} on {product}" if rng.random() < 0.3 else q for q in a.questions]
            questions.append(f"{rng.choice(a.questions)} in {place}")
            answer = f"{a.answer} Applies to {product} customers in {place}, {amount} a month. {borrowed}"
        rng.shuffle(questions)
        out.append(
            a.model_copy(
                update={"id": f"{a.id}-{i:05d}", "title": title, "questions": questions, "answer": answer}
            )
        )
    return out


def synthetic_queries(n: int, seed: int = 11) -> list[str]:
    """`n` customer-like queries drawn from the demo KB's question variants."""
    from agentdesk.nlp.demo_kb import demo_articles

    rng = random.Random(seed)
    pool = [(a.language, q) for a in demo_articles() for q in a.questions]
    out = []
    for _ in range(n):
        lang, q = rng.choice(pool)
        swaps = _ZH_SWAPS if lang == "zh" else _EN_SWAPS
        out.append(f"{rng.choice(swaps['prefixes'])}{q}{rng.choice(swaps['suffixes'])}")
    return out


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def run(articles: int, queries: int) -> tuple[list[Figure], dict[str, object]]:
    """Measure everything; returns the figures and the extra facts for the report."""
    import numpy as np

    from agentdesk.nlp.kb import KBIndex, article_terms
    from agentdesk.nlp.text import search_terms

    kb = synthetic_kb(articles)
    qs = synthetic_queries(queries)
    search_terms("预热 warm up")  # load jieba and the stemmer outside the timings

    t0 = time.perf_counter()
    index = KBIndex(kb)
    index.warm_up()
    build = time.perf_counter() - t0

    changed = kb[len(kb) // 2].model_copy(update={"answer": kb[len(kb) // 2].answer + " 更新。updated."})
    t0 = time.perf_counter()
    index.upsert(changed)
    index.warm_up()
    rebuild = time.perf_counter() - t0

    ours = Figure("KBIndex (bm25s) top-5 query", "ms")
    answered = 0
    for q in qs:
        t0 = time.perf_counter()
        result = index.search(q, k=5)
        ours.samples.append(_ms(time.perf_counter() - t0))
        answered += result.answer is not None

    from rank_bm25 import BM25Okapi  # dev dependency: only this bench compares against it

    corpus = [article_terms(a) or [""] for a in kb]
    t0 = time.perf_counter()
    okapi = BM25Okapi(corpus)
    okapi_build = time.perf_counter() - t0
    theirs = Figure("rank-bm25 (BM25Okapi) top-5 query", "ms")
    for q in qs:
        t0 = time.perf_counter()
        scores = okapi.get_scores(search_terms(q))
        top = np.argpartition(-scores, 5)[:5]
        top[np.argsort(-scores[top])]
        theirs.samples.append(_ms(time.perf_counter() - t0))

    p95 = percentile(ours.samples, 95)
    extra: dict[str, object] = {
        "articles": len(kb),
        "queries": len(qs),
        "index build incl. tokenising (s)": round(build, 3),
        "rebuild after one edit (s)": round(rebuild, 3),
        "rank-bm25 build from cached terms (s)": round(okapi_build, 3),
        "answered at default threshold": f"{answered}/{len(qs)}",
        "goal": f"top-5 p95 <= {GOAL_P95_MS} ms: {'met' if p95 <= GOAL_P95_MS else 'MISSED'} ({p95:.2f} ms)",
    }
    return [ours, theirs], extra


@click.command()
@click.option("--articles", default=5000, show_default=True, help="Articles in the synthetic KB.")
@click.option("--queries", default=500, show_default=True, help="Queries to time.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of text.")
def kb(articles: int, queries: int, as_json: bool) -> None:
    """KB retrieval latency over N articles (bm25s vs rank-bm25)."""
    if articles < 1 or queries < 1:
        raise click.BadParameter("--articles and --queries must be at least 1")
    figures, extra = run(articles, queries)
    click.echo(report(f"kb retrieval over {articles} articles", figures, extra, as_json=as_json))
