"""KB retrieval: BM25 (bm25s) over titles, question variants, tags and answers.

One `KBIndex` holds Chinese and English articles together. Terms come from
`text.search_terms` (jieba words + character bigrams + English stems), so a
two-character Chinese word such as 退款 finds every article that contains it.
The query's language weights the articles: same language 1.0, the other 0.5,
both 1.0 for mixed text.

A follow-up line ("I paid by credit card" after "when will I get my refund?")
can be searched with the caller's earlier lines as `context`: their scores
join the line's at a lower weight (half for the previous line, a quarter for
the one before), so the call's topic ranks the articles the line could mean.
Context only helps articles the line itself points at, so "thanks" never
re-answers the previous question, and confidence still measures how much of
the line the article explains.

Scores become a confidence in [0, 1] through `calibration.Calibration`: a
logistic model over scale-free features (how much of the query the article
explains, weighted by idf; the score relative to the best; the margin to the
next article), fitted on held-out question variants of the demo KB against
unrelated queries. A confidence of 0.7 means roughly 7 of 10 such answers
were the right article in that calibration.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from agentdesk.domain.models import KBArticle, Language
from agentdesk.nlp.calibration import Calibration, MatchFeatures
from agentdesk.nlp.lexicon import word_list
from agentdesk.nlp.text import detect_language, normalise, search_terms
from agentdesk.nlp.thesaurus import Rewriter, rewriter_for

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Candidate", "KBIndex", "KBMatch", "KBResult", "article_terms"]

# Field repetition (title/questions counted twice) was tried on held-out demo-KB
# variants and did not help, so every field counts once; kept as knobs.
_TITLE_REPEAT = 1
_QUESTION_REPEAT = 1
_OTHER_LANGUAGE_WEIGHT = 0.5
_CONTEXT_DECAY = 0.5
"""Weight of the previous customer line in a contextual search; each older line halves it again."""
_CONTEXT_LINES = 3
EXACT_CONFIDENCE = 0.95
"""Confidence of an article that lists the customer's words as one of its questions."""
_NOT_KEY = re.compile(r"[\W_]+")


def _as_sentence(clause: str) -> str:
    """A clause cut from an answer read as a sentence: a part cut after a semicolon starts with
    a capital, and one cut at a semicolon ends with a full stop ("... credit cards 7 to 15.")."""
    clause = clause.strip()
    clause = clause[:1].upper() + clause[1:]
    if clause.endswith((";", "；")):
        return clause[:-1] + ("。" if clause.endswith("；") else ".")
    return clause


def _terms_key(terms: Iterable[str]) -> str:
    """A question as its search terms read it, in any order; "" under two distinct terms,
    too few to say which article a line means."""
    distinct = sorted(set(terms))
    return "\x00" + " ".join(distinct) if len(distinct) >= 2 else ""


def question_key(text: str) -> str:
    """A question as exact matching reads it: normalised, lower case, without spaces or punctuation."""
    return _NOT_KEY.sub("", normalise(text).replace("’", "'").lower())


@dataclass(frozen=True)
class KBMatch:
    """One retrieved article.

    Attributes:
        article: the article.
        score: raw BM25 score (language-weighted); only comparable within one query.
        confidence: calibrated probability in [0, 1] that this article answers the query.
        matched_terms: query terms found in the article, best evidence first.
    """

    article: KBArticle
    score: float
    confidence: float
    matched_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class KBResult:
    """The answer to one query: ranked matches and the no-answer decision.

    Attributes:
        query: the text searched for.
        language: detected language of the query.
        matches: best first, at most k, only articles sharing a term with the query.
        threshold: confidence below which the bot should not answer.
    """

    query: str
    language: Language
    matches: tuple[KBMatch, ...] = ()
    threshold: float = 0.45

    @property
    def best(self) -> KBMatch | None:
        """The top match whatever its confidence, or None when nothing matched."""
        return self.matches[0] if self.matches else None

    @property
    def answer(self) -> KBMatch | None:
        """The top match if its confidence reaches the threshold, else None (no-answer)."""
        best = self.best
        return best if best is not None and best.confidence >= self.threshold else None

    @property
    def confidence(self) -> float:
        """Confidence of the top match; 0.0 when nothing matched."""
        return self.matches[0].confidence if self.matches else 0.0


def article_terms(article: KBArticle) -> list[str]:
    """The retrieval terms of one article, fields weighted by repetition."""
    terms = search_terms(article.title) * _TITLE_REPEAT
    for question in article.questions:
        terms += search_terms(question) * _QUESTION_REPEAT
    terms += search_terms(" ".join(article.tags))
    terms += search_terms(article.answer)
    return terms


_SECOND_SENTENCE = 0.6
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+")


@cache
def _kb_cues(key: str) -> tuple[str, ...]:
    """Cue phrases for reading KB answers (`key` in the moves lexicons), normalised."""
    return tuple(normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", key))


def without_handover(answer: str, language: str) -> str:
    """`answer` without its sentences that announce a hand-over to a person ("... so I'll note
    the amount and put you through."; `hands_over` in the moves lexicons): the bot reads a
    procedure's answer before its own transfer or callback line, which says what happens next."""
    cues = _kb_cues("hands_over")
    sentences = [x.strip() for x in _SENTENCE_END.split(answer.strip()) if x.strip()]
    kept = [x for x in sentences if not any(c in normalise(x) for c in cues)]
    return ("" if language == "zh" else " ").join(kept)


def details_promise(article: KBArticle) -> str | None:
    """What `article` promises once the caller gives the details its answer asks for, or None
    when it asks for none.

    "Tell me your full address, when the problem happens and your phone model, and I'll log a
    network quality ticket. A network engineer will analyse it within 3 working days ..." asks
    and commits the bot to act (`asks_details` and `asks_details_commit` in the moves lexicons);
    "申诉时请提供我们的投诉工单号" asks for nothing the bot acts on. The promise is the sentence
    after the ask, or the ask itself when it is the answer's last sentence.
    """
    sentences = [x.strip() for x in _SENTENCE_END.split(article.answer.strip()) if x.strip()]
    asks, commits = _kb_cues("asks_details"), _kb_cues("asks_details_commit")
    for i, sentence in enumerate(sentences):
        norm = normalise(sentence).replace("’", "'")
        if any(cue in norm for cue in asks) and any(cue in norm for cue in commits):
            return sentences[i + 1] if i + 1 < len(sentences) else sentence
    return None


def _article_text(article: KBArticle) -> str:
    return "\n".join((article.title, *article.questions, " ".join(article.tags), article.answer))


@dataclass(frozen=True)
class Candidate:
    """A retrieved article id with its score and the features of its confidence."""

    article_id: str
    score: float
    features: MatchFeatures
    matched: tuple[str, ...]


@dataclass
class _Built:
    ids: list[str]
    model: object
    doc_terms: list[frozenset[str]]
    df: Counter[str]
    rewrite: Rewriter
    """Callers' words -> this KB's words (see `agentdesk.nlp.thesaurus`)."""
    masks: dict[str, np.ndarray] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)
    """A question variant as `question_key` and `_terms_key` read it -> the one article that lists it."""


_LONE_CHARACTER_CAP = 0.3
"""Highest confidence of a match on lone Chinese characters only: 好 in "好的 谢谢" shares a
character with 好几天 in an article's questions, which says nothing about the article."""


def _cap_for(matched: Sequence[str]) -> float:
    """The confidence a match can have given the terms it matched on (`_LONE_CHARACTER_CAP`)."""
    lone = matched and all(len(t) == 1 and "\u4e00" <= t <= "\u9fff" for t in matched)
    return _LONE_CHARACTER_CAP if lone else 1.0


class KBIndex:
    """A BM25 index over KB articles, built once and queried many times.

    Tokenised articles are cached by id and version, so `upsert` after an edit
    re-tokenises only the changed article before the (fast) matrix rebuild.

    Example:
        >>> index = KBIndex(articles)
        >>> result = index.search("我想退款", threshold=settings.bot.kb_threshold)
        >>> result.answer.article.id if result.answer else "no answer"
    """

    def __init__(
        self,
        articles: Iterable[KBArticle] = (),
        *,
        calibration: Calibration | None = None,
        k1: float = 1.5,
        b: float = 0.75,
    ) -> None:
        self._articles: dict[str, KBArticle] = {}
        self._terms: dict[str, tuple[int, list[str], str]] = {}
        """Article id -> (hash of its text, its search terms, its normalised text)."""
        self._calibration = calibration or Calibration.default()
        self._k1 = k1
        self._b = b
        self._built: _Built | None = None
        self.rebuild(articles)

    def __len__(self) -> int:
        return len(self._articles)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._articles

    @property
    def articles(self) -> list[KBArticle]:
        """The indexed articles in index order."""
        return list(self._articles.values())

    def get(self, article_id: str) -> KBArticle | None:
        """The article with this id, if indexed."""
        return self._articles.get(article_id)

    def counterpart(self, article: KBArticle, language: Language) -> KBArticle | None:
        """The same article in `language`: ids pair up across languages (zh-billing-003 / en-billing-003)."""
        if article.language == language:
            return article
        prefix = f"{article.language}-"
        if not article.id.startswith(prefix):
            return None
        twin = self._articles.get(f"{language}-{article.id[len(prefix) :]}")
        return twin if twin is not None and twin.language == language else None

    def in_language(self, result: KBResult, language: Language) -> KBResult:
        """`result` for a caller who speaks `language`: each match in the other language is
        replaced by its counterpart, or dropped when it has none, so the bot never reads an
        English caller a Chinese answer because they said 支付宝."""
        matches: list[KBMatch] = []
        seen: set[str] = set()
        for m in result.matches:
            twin = self.counterpart(m.article, language)
            if twin is None or twin.id in seen:
                continue
            seen.add(twin.id)
            matches.append(m if twin is m.article else replace(m, article=twin))
        return replace(result, matches=tuple(matches))

    def rebuild(self, articles: Iterable[KBArticle] | None = None) -> None:
        """Rebuild the index, from new articles if given (else from the current ones)."""
        if articles is not None:
            self._articles = {a.id: a for a in articles}
        self._terms = {k: v for k, v in self._terms.items() if k in self._articles}
        self._built = None

    def upsert(self, article: KBArticle) -> None:
        """Add or replace one article; the index is rebuilt on the next search."""
        self._articles[article.id] = article
        self._built = None

    def remove(self, article_id: str) -> bool:
        """Drop one article; True if it was indexed."""
        if self._articles.pop(article_id, None) is None:
            return False
        self._terms.pop(article_id, None)
        self._built = None
        return True

    def _terms_of(self, article: KBArticle) -> list[str]:
        return self._analysed(article)[1]

    def _analysed(self, article: KBArticle) -> tuple[int, list[str], str]:
        key = hash((article.language, article.title, *article.questions, *article.tags, article.answer))
        cached = self._terms.get(article.id)
        if cached is None or cached[0] != key:
            cached = (key, article_terms(article), normalise(_article_text(article)))
            self._terms[article.id] = cached
        return cached

    def _ensure_built(self) -> _Built | None:
        if self._built is not None or not self._articles:
            return self._built
        import bm25s  # ~0.2 s import; only when a KB is first searched
        import numpy as np

        ids = list(self._articles)
        corpus = [self._terms_of(self._articles[i]) or [""] for i in ids]
        model = bm25s.BM25(k1=self._k1, b=self._b)
        model.index(corpus, show_progress=False)
        doc_terms = [frozenset(t) for t in corpus]
        df: Counter[str] = Counter()
        for terms in doc_terms:
            df.update(terms)
        langs = np.array([self._articles[i].language for i in ids])
        masks = {
            "zh": np.where(langs == "zh", 1.0, _OTHER_LANGUAGE_WEIGHT).astype("float32"),
            "en": np.where(langs == "en", 1.0, _OTHER_LANGUAGE_WEIGHT).astype("float32"),
        }
        self._built = _Built(
            ids=ids,
            model=model,
            doc_terms=doc_terms,
            df=df,
            rewrite=rewriter_for(self._analysed(a)[2] for a in self._articles.values()),
            masks=masks,
            exact=self._exact_questions(),
        )
        return self._built

    def _exact_questions(self) -> dict[str, str]:
        owners: dict[str, set[str]] = {}
        for article in self._articles.values():
            for question in (article.title, *article.questions):
                for key in (question_key(question), _terms_key(search_terms(question))):
                    if key:
                        owners.setdefault(key, set()).add(article.id)
        # a question two articles both list answers neither for sure
        return {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def warm_up(self) -> None:
        """Build the index now (tokeniser and matrix) rather than on the first search."""
        self._ensure_built()

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        threshold: float = 0.45,
        language: Language | None = None,
        context: Sequence[str] = (),
    ) -> KBResult:
        """The top-k articles for a customer's words, with calibrated confidences.

        Args:
            query: what the customer said (any script, any width).
            k: how many matches to return at most.
            threshold: confidence below which `KBResult.answer` is None
                (pass `BotSettings.kb_threshold`).
            language: the call's language; detected from the query when None.
            context: the caller's earlier lines in this call, newest last; they
                rank the articles the line could mean (see `candidates`).
        """
        language = language or detect_language(query)
        result = self._result(query, k, threshold, language, context)
        exact = self._exact_match(result, query)
        if exact is not None:
            return exact
        if context and result.answer is None:
            # Context only chooses between articles the line could mean; a new question
            # that is answerable on its own ("那我现在还剩多少流量？" after a roll-over
            # question) must not lose its answer to the earlier topic.
            alone = self._result(query, k, threshold, language, ())
            if alone.answer is not None:
                return alone
        return result

    def answer_part(self, article: KBArticle, query: str, *, most: int = 2) -> str:
        """The sentences of `article`'s answer that speak to `query`, in the answer's order.

        For a follow-up on an article the caller has already heard ("which network will
        my phone use over there?" after the roaming charges): reading the whole article
        again makes them wait for the one sentence they asked about. The whole answer when
        no sentence shares a term with the query (see `speaking_part`).
        """
        return self.speaking_part(article, query, most=most) or article.answer

    def speaking_part(self, article: KBArticle, query: str, *, most: int = 2) -> str | None:
        """The sentences of `article`'s answer that share search terms with `query`, or None.

        At most `most` sentences, those sharing the most terms (rarest terms first), a second
        only when it shares nearly as much (`_SECOND_SENTENCE`), kept in the answer's order.
        """
        built = self._ensure_built()
        rewrite = built.rewrite if built is not None else normalise
        asked = set(search_terms(rewrite(query)))
        sentences = [s for s in _SENTENCE_END.split(article.answer.strip()) if s.strip()]
        scored = []
        for i, sentence in enumerate(sentences):
            shared = asked & set(search_terms(sentence))
            weight = sum(1.0 / (1 + (built.df.get(t, 0) if built else 0)) for t in shared)
            scored.append((weight, -i))
        best = sorted((s for s in scored if s[0] > 0), reverse=True)[:most]
        if not best:
            return None
        # a second sentence only when it speaks to the question nearly as much as the first
        best = [s for s in best if s[0] >= _SECOND_SENTENCE * best[0][0]]
        keep = sorted(-i for _, i in best)
        joiner = "" if article.language == "zh" else " "
        return joiner.join(_as_sentence(sentences[i]) for i in keep)

    def _exact_match(self, result: KBResult, query: str) -> KBResult | None:
        """`result` with the article that lists `query` as one of its questions first, at
        `EXACT_CONFIDENCE` at least; None when no single article lists it.

        A KB editor who writes "How can I pay my bill?" under *Ways to pay*, or accepts a
        flagged line as a new question variant, means that article to answer it, whatever
        BM25 makes of two common words. A question is listed when it says it word for word,
        or with the same search terms and only other function words ("How do I pay my
        bill?"; see `_terms_key`).
        """
        built = self._built
        if built is None:
            return None
        article_id = built.exact.get(question_key(query)) or built.exact.get(
            _terms_key(search_terms(built.rewrite(query)))
        )
        if article_id is None:
            return None
        rest = [m for m in result.matches if m.article.id != article_id]
        found = next((m for m in result.matches if m.article.id == article_id), None)
        article = self._articles[article_id]
        top = (
            replace(found, confidence=max(found.confidence, EXACT_CONFIDENCE))
            if found is not None
            else KBMatch(article=article, score=0.0, confidence=EXACT_CONFIDENCE)
        )
        return replace(result, matches=(top, *rest[: max(0, len(result.matches) - 1)]))

    def _result(
        self, query: str, k: int, threshold: float, language: Language, context: Sequence[str]
    ) -> KBResult:
        matches = tuple(
            KBMatch(
                article=self._articles[c.article_id],
                score=c.score,
                confidence=min(self._calibration.confidence(c.features), _cap_for(c.matched)),
                matched_terms=c.matched,
            )
            for c in self.candidates(query, k, language=language, context=context)
        )
        # BM25 order ranks better than the confidence does (eval: esun top-1 0.76 against 0.72),
        # so the order stays; a match is never shown as surer than one ranked above it
        capped: list[KBMatch] = []
        for m in matches:
            if capped and m.confidence > capped[-1].confidence:
                m = replace(m, confidence=capped[-1].confidence)
            capped.append(m)
        matches = tuple(capped)
        return KBResult(query=query, language=language, matches=matches, threshold=threshold)

    def candidates(
        self,
        query: str,
        k: int = 5,
        *,
        language: Language | None = None,
        context: Sequence[str] = (),
    ) -> list[Candidate]:
        """The top-k articles with the raw features behind their confidence.

        Used by `search` and by calibration, which fits the confidence on them.

        Args:
            query: the customer's line.
            k: how many candidates at most.
            language: weights articles by language; detected from the query when None.
            context: earlier lines, newest last. Their terms add to the score at
                `_CONTEXT_DECAY` per line of age (0.5, 0.25 ...), so the call's
                topic decides between articles the line could mean. Only
                articles sharing a term with `query` are candidates, and
                coverage (how much of the query an article explains) counts the
                line's own terms only: context never makes a line look better
                explained than it is, nor a self-contained new question worse.
        """
        built = self._ensure_built()
        terms = search_terms(built.rewrite(query)) if built is not None else []
        if built is None or not terms:
            return []
        import numpy as np

        mask = built.masks.get(language or detect_language(query))
        own = self._scores(terms, built, mask)
        if own is None:
            return []
        scores = own.copy()
        for line, weight in _context_lines(context):
            part = self._scores(search_terms(built.rewrite(line)), built, mask)
            if part is not None:
                scores += weight * np.where(own > 0, part, 0.0)
        # one extra candidate so the last returned match has a margin too
        n = min(k + 1, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if len(scores) > n else np.arange(len(scores))
        top = [int(i) for i in top[np.argsort(-scores[top], kind="stable")] if scores[i] > 0]
        if not top:
            return []
        ranked = [float(scores[i]) for i in top]
        idf = self._idf_weights(terms, built)
        total = sum(idf.values())
        out = []
        for rank, doc in enumerate(top[:k]):
            following = ranked[rank + 1] if rank + 1 < len(ranked) else 0.0
            matched = tuple(sorted((t for t in idf if t in built.doc_terms[doc]), key=lambda t: -idf[t]))
            feats = MatchFeatures(
                coverage=sum(idf[t] for t in matched) / total,
                relative=ranked[rank] / ranked[0],
                margin=(ranked[rank] - following) / ranked[0],
                terms=len(idf),
            )
            out.append(Candidate(built.ids[doc], ranked[rank], feats, matched))
        return out

    @staticmethod
    def _scores(terms: Sequence[str], built: _Built, mask: np.ndarray | None) -> np.ndarray | None:
        vocab = built.model.vocab_dict  # type: ignore[attr-defined]
        known = [t for t in terms if t in vocab]
        if not known:
            return None
        return built.model.get_scores(known, weight_mask=mask)  # type: ignore[attr-defined]

    def _idf_weights(self, terms: Sequence[str], built: _Built) -> dict[str, float]:
        # Terms the KB never uses get the highest idf: a query about something the
        # KB does not cover should lose confidence, not ignore those words.
        n = len(built.ids)
        return {t: math.log(1 + (n - built.df.get(t, 0) + 0.5) / (built.df.get(t, 0) + 0.5)) for t in terms}


def _context_lines(context: Sequence[str]) -> list[tuple[str, float]]:
    """Up to `_CONTEXT_LINES` earlier lines, newest first, with their weights."""
    recent = list(context)[-_CONTEXT_LINES:]
    return [(line, _CONTEXT_DECAY**age) for age, line in enumerate(reversed(recent), start=1)]


_SHARED: dict[tuple[tuple[str, int], ...], KBIndex] = {}


def shared_index(articles: Sequence[KBArticle]) -> KBIndex:
    """One built index per distinct set of article versions, shared within the process.

    Building costs seconds (tokenising every article); desks, the demo bot and the trainer
    that see the same KB reuse it. A changed article (new version) builds a new index.
    """
    key = tuple(sorted((a.id, a.version) for a in articles))
    index = _SHARED.get(key)
    if index is None:
        index = KBIndex(articles)
        index.warm_up()
        _SHARED.clear()  # keep only the current KB: old versions are never searched again
        _SHARED[key] = index
    return index
