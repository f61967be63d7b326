"""What a customer line does in the conversation: closing, acknowledging, "still not solved", complaining.

The bot reads these next to the transfer detectors in `intents` so that a
"thanks" or an "okay" is never taken for an unanswered question:

- `detect_closing`: the customer is done (thanks, goodbye, 没有了，谢谢) and
  asks nothing more.
- `detect_acknowledgement`: an answer or offer is accepted (ok, that sounds
  fine, 好的, 行吧, 明白了) rather than a new question asked.
- `detect_unresolved`: the step the bot suggested did not solve it ("I've
  checked the lobby. Nothing.", 还是没到); distinct from dissatisfaction with
  the answer itself (`intents.detect_dissatisfaction`).
- `detect_complaint`: the customer is making a complaint (投诉, "I'd like to
  make a complaint", "not happy with the service").

Cues live in `assets/lexicons/moves.{zh,en}.yaml`. Short words such as 没有, 好,
"no" and "nothing" play these parts only as a whole clause (没有了。 but not
流量没有了; 好。 but not 好像), so those lists match whole clauses only, and
acknowledgements count only where a clause starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from agentdesk.nlp.categories import category_matcher
from agentdesk.nlp.cues import Cue, CueMatcher, window_before
from agentdesk.nlp.detection import FOUND, Detection, combine
from agentdesk.nlp.emotion import assess_emotion
from agentdesk.nlp.lexicon import weighted_words, word_list
from agentdesk.nlp.text import normalise

__all__ = [
    "asks",
    "asks_nobody_now",
    "asks_other_number",
    "asks_wait",
    "confirm_reply",
    "detect_acknowledgement",
    "detect_closing",
    "detect_complaint",
    "detect_sarcastic_praise",
    "detect_unresolved",
    "refers_back",
    "says_leaving",
    "strip_preamble",
]

_KINDS = ("not_closing", "closing", "acknowledgement", "unresolved", "tried", "complaint")
_CLAUSE_KINDS = ("closing", "acknowledgement", "unresolved")
_CLAUSE = re.compile(r"[^,.;:!?，。；：！？、…\n]+[,.;:!?，。；：！？、…\n]*")
_HAN = re.compile(r"[\u3400-\u9fff]")
# How much an acknowledgement or closing still counts when the rest of the line ...
_ASKS = 0.4  # ... asks a question, contrasts ("ok, but ..."), names a new topic or reports a problem
_REQUESTS = 0.75  # ... makes a request (行吧，那你们帮我催一下): accepted, with something to do
_STATES = 0.95  # ... adds a detail (好，明天上午我都方便)
_SARCASM = 0.7
"""Confidence that praise in front of a problem is dissatisfaction."""
_PROBLEM_POLARITY = -0.3
"""Lexical polarity at or below which the rest of a line reads as a problem, not a detail."""


@dataclass(frozen=True)
class _Lexicon:
    matcher: CueMatcher
    clause: dict[str, list[tuple[str, float]]]
    negators: tuple[str, ...]
    question_words: frozenset[str]
    question_marks: tuple[str, ...]
    request: CueMatcher
    contrast: CueMatcher
    filler_words: frozenset[str]
    filler_han: tuple[str, ...]


@cache
def _lexicon() -> _Lexicon:
    kinds: dict[str, dict[str, float]] = {kind: {} for kind in _KINDS}
    clause: dict[str, list[tuple[str, float]]] = {}
    negators: set[str] = set()
    question: list[str] = []
    request: list[str] = []
    contrast: list[str] = []
    filler: list[str] = []
    for lang in ("zh", "en"):
        name = f"moves.{lang}"
        kinds["not_closing"].update(dict.fromkeys(word_list(name, "not_closing"), 1.0))
        for kind in _KINDS[1:]:
            kinds[kind].update(weighted_words(name, kind))
        for kind in _CLAUSE_KINDS:
            for phrase, weight in weighted_words(name, f"{kind}_clause").items():
                clause.setdefault(normalise(phrase), []).append((kind, weight))
        negators.update(normalise(n) for n in word_list(name, "negators"))
        question += [normalise(q) for q in word_list(name, "question")]
        request += word_list(name, "request")
        contrast += word_list(name, "contrast")
        filler += [normalise(f) for f in word_list(name, "filler")]
    return _Lexicon(
        matcher=CueMatcher(kinds),
        clause=clause,
        negators=tuple(sorted(negators, key=len, reverse=True)),
        question_words=frozenset(q for q in question if q.isascii()),
        question_marks=tuple(q for q in question if not q.isascii()),
        request=CueMatcher({"request": dict.fromkeys(request, 1.0)}),
        contrast=CueMatcher({"contrast": dict.fromkeys(contrast, 1.0)}),
        filler_words=frozenset(f for f in filler if f.isascii()),
        filler_han=tuple(sorted((f for f in filler if not f.isascii()), key=len, reverse=True)),
    )


@cache
def _preamble() -> tuple[frozenset[str], tuple[str, ...]]:
    words: set[str] = set()
    han: list[str] = []
    for lang in ("zh", "en"):
        for item in word_list(f"moves.{lang}", "preamble"):
            item = normalise(item)
            if _HAN.search(item):
                han.append(item)
            else:
                words.update(re.findall(r"[a-z0-9']+", item))
    return frozenset(words), tuple(sorted(han, key=len, reverse=True))


def _is_preamble(clause: str) -> bool:
    words, han = _preamble()
    text = normalise(clause).replace("’", "'")
    for h in han:
        text = text.replace(h, " ")
    if _HAN.search(text):
        return False
    tokens = re.findall(r"[a-z0-9']+", text)
    return all(t in words for t in tokens)


_OPENING = re.compile(r"\s*[^,.;:!?，。；：！？、…\n]*[,.;:!?，。；：！？、…\n]+")


def only_greets(text: str) -> bool:
    """The line is nothing but a greeting and fillers ("hello?", "morning", 喂 你好), not "okay"."""
    return bool(text.strip()) and _is_preamble(text) and bool(_waiting("greeting").search(text))


def strip_preamble(text: str) -> str:
    """`text` without the greetings and fillers it opens with, for searching what it asks.

    "Hi there. Quick one. How much credit have I got left?" -> "How much credit have I
    got left?"; 喂，你好，我想查话费 -> 我想查话费. Words that carry no request
    lower a search's confidence in the right article, and a greeting is not the
    contact reason. Only whole opening clauses of greeting and filler words
    (`preamble` in the moves lexicons) go; a line that is nothing else is kept.
    """
    rest = text
    while (m := _OPENING.match(rest)) and _is_preamble(m.group()):
        if not rest[m.end() :].strip():
            break
        rest = rest[m.end() :]
    return rest.strip() or text


@cache
def _connectives() -> re.Pattern[str]:
    words = sorted(
        (w for lang in ("zh", "en") for w in word_list(f"moves.{lang}", "connective")), key=len, reverse=True
    )
    return re.compile(
        r"\s*(?:" + "|".join(re.escape(w) + (r"\b" if w.isascii() else "") for w in words) + r")[\s,，]*",
        re.I,
    )


def opens_with_connective(text: str) -> bool:
    """The line opens with 还有, 另外 or "and also": it adds something new."""
    return _connectives().match(strip_preamble(text)) is not None


def second_question(text: str) -> str | None:
    """The question a line adds to its first with 还有, 另外 or "and also", without that word;
    None when it adds none.

    "没用完的流量下个月还能用不，还有买那个流量包咋买？" -> 买那个流量包咋买; "Will my data carry
    over? And also, how do I buy an add-on?" -> "how do i buy an add-on". A last question
    with no such word ("For resetting it, what will they ask me?") may lean on the clause
    before it, so it is no second question.
    """
    clauses = _read(text).clauses
    last = next((i for i in range(len(clauses) - 1, 0, -1) if clauses[i].asks), None)
    if last is None:
        return None
    joiner = _connectives()
    asked = clauses[last].text.strip()
    if (m := joiner.match(asked)) is not None and asked[m.end() :].strip():
        return asked[m.end() :].strip()
    before = clauses[last - 1].text.strip()
    if last >= 2 and (m := joiner.match(before)) is not None and not before[m.end() :].strip():
        return asked
    return None


_SENTENCE = re.compile(r"[^.!?。！？]+[.!?。！？]*")


def asked_sentence(text: str) -> str:
    """The last sentence of `text` that ends in a question mark, or all of `text`.

    "Fifteen working days, that's long. Where can I see if it's processed?" -> "Where can I
    see if it's processed?": what the caller asks, without the remark before it. Unlike
    `asked_clause` it keeps the clauses of the question together ("And does that cover
    ringing home as well, or is that extra?").
    """
    asked = [m.group().strip() for m in _SENTENCE.finditer(text) if m.group().rstrip().endswith(("?", "？"))]
    return asked[-1] if asked else text


def asked_clause(text: str) -> str | None:
    """The last clause of a several-clause line that asks a question, for searching it alone.

    "好，我也不会去投诉什么的，那滞纳金是怎么算的？" -> 那滞纳金是怎么算的; "Was it a
    human error, or did I really use that much data in France?" -> "or did I really
    use that much data in France". The clauses before it often carry words the KB
    does not use (what the caller is not doing, who said what), which lower the
    confidence in the article that answers the question. None when the line is a
    single clause or asks nothing.
    """
    clauses = _read(text).clauses
    if len(clauses) < 2:
        return _unpunctuated_question(text) if len(clauses) == 1 else None
    return next((c.text for c in reversed(clauses) if c.asks), None)


MIN_LEAD_WORDS = 4
"""Words a line without punctuation says before its question for that question to be searched alone."""


def _unpunctuated_question(text: str) -> str | None:
    """The question a long line without punctuation ends with, from the last words a question
    starts with (`asks_from`): "... the refund went on my phone credit can you check my
    balance" -> "can you check my balance". None when the line starts with it or has none."""
    norm = normalise(text).replace("’", "'").rstrip(" ?？.。!！")
    if _SENTENCE_MARKS.search(norm):
        return None
    starts = [m.start() for m in _asks_from().finditer(norm)]
    if not starts:
        return None
    lead = norm[: starts[-1]]
    if len(lead.split()) < MIN_LEAD_WORDS and len(re.findall(r"[\u3400-\u9fff]", lead)) < 2 * MIN_LEAD_WORDS:
        return None
    return norm[starts[-1] :]


_SENTENCE_MARKS = re.compile(r"[,.;:!?，。；：！？、…]")


@cache
def _asks_from() -> re.Pattern[str]:
    words = sorted(
        (normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", "asks_from")),
        key=len,
        reverse=True,
    )
    return re.compile(
        "|".join(rf"(?<![a-z']){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w) for w in words)
    )


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    text: str  # the clause without its closing punctuation
    core: str  # the clause without filler at its edges
    asks: bool  # ends with a question mark


@dataclass(frozen=True)
class _Reading:
    """One line taken apart: its cues, and what it says besides them."""

    cues: tuple[Cue, ...]
    clauses: tuple[_Clause, ...]
    remainder: str
    rest_asks: bool
    rest_requests: bool
    rest_topic: bool

    def of(self, kind: str) -> list[Cue]:
        return [c for c in self.cues if c.kind == kind and not c.negated]


_FILLER_EDGE = ",.;:!?，。；：！？、…\n"


def _clauses(norm: str, lex: _Lexicon) -> list[_Clause]:
    out = []
    for m in _CLAUSE.finditer(norm):
        body = m.group().rstrip(_FILLER_EDGE)
        start = m.start() + len(body) - len(body.lstrip())
        body = body.strip()
        if body:
            asks = "?" in m.group() or "？" in m.group()
            out.append(_Clause(start, start + len(body), body, _core(body, lex), asks))
    return out


def _core(text: str, lex: _Lexicon) -> str:
    """A clause without filler at its edges ("oh, nothing" -> nothing, 那没有了 -> 没有了)."""
    if _HAN.search(text):
        stripped = True
        while stripped:
            stripped = False
            for f in lex.filler_han:
                if text.startswith(f) and len(text) > len(f):
                    text, stripped = text[len(f) :].strip(), True
                    break
        return text
    words = text.split()
    while words and words[0] in lex.filler_words:
        words = words[1:]
    while words and words[-1] in lex.filler_words:
        words = words[:-1]
    return " ".join(words)


def _is_filler(text: str, lex: _Lexicon) -> bool:
    for f in lex.filler_han:
        text = text.replace(f, " ")
    return not _HAN.search(text) and all(w in lex.filler_words for w in re.findall(r"[a-z0-9']+", text))


def _negated(norm: str, cue: Cue, floor: int, lex: _Lexicon) -> bool:
    window = window_before(norm, cue.start, floor, han_chars=3, words=3)
    for n in lex.negators:
        if n == "n't":
            if any(w.endswith("n't") for w in window.split()):
                return True
        elif n.isascii():
            if f" {n} " in f" {window} ":
                return True
        elif n in window:
            return True
    return False


def _phrase_cues(norm: str, clauses: list[_Clause], lex: _Lexicon) -> list[Cue]:
    """Lexicon phrases anywhere in the line; acknowledgements only where a clause starts."""
    starts = {c.start for c in clauses} | {c.start + c.text.find(c.core) for c in clauses if c.core}
    cues: list[Cue] = []
    floor = 0
    for cue in lex.matcher.find(norm):
        # 好的，… opens a clause; 银行, 好像 and "that's not fine" do not acknowledge
        if cue.kind == "acknowledgement" and cue.start not in starts:
            continue
        negated = cue.kind in ("tried", "unresolved", "complaint") and _negated(norm, cue, floor, lex)
        floor = cue.end
        cues.append(Cue(cue.kind, cue.text, cue.start, cue.end, 0.0 if negated else cue.weight, negated))
    return cues


def _clause_cues(clause: _Clause, found: list[Cue], lex: _Lexicon) -> list[Cue]:
    """Cues that are a whole clause (No. / 没有了。 / Nothing.), unless the clause asks ("Okay?")."""
    hits = lex.clause.get(clause.core) or lex.clause.get(clause.text) or []
    at = clause.start + clause.text.find(clause.core)
    out = []
    for kind, weight in hits:
        if clause.asks and kind != "unresolved":
            continue
        # a bare "Nothing." / 没有。 is only a possible outcome, weaker than "still nothing"
        kind = "outcome" if kind == "unresolved" else kind
        if not any(x.kind == kind and at <= x.start < clause.end for x in found):
            out.append(Cue(kind, clause.core, at, at + len(clause.core), weight))
    return out


def _leftover(clause: _Clause, spans: list[tuple[int, int]], lex: _Lexicon) -> str:
    """The clause with closing and acknowledgement words blanked out; "" when only filler is left."""
    chars = (
        " " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(clause.text, clause.start)
    )
    left = re.sub(r"\s+", " ", "".join(chars)).strip(" ,.'")
    return "" if _is_filler(left, lex) else left


_SOMEONE_ELSE = re.compile(r"(?<![你您])[让叫][^，,。！？\s]{1,4}$")


def _for_someone_else(text: str, at: int) -> bool:
    """A request word said of someone else doing it (我让我儿子给我充: "I'll have my son top it up
    for me"), not a request to the bot."""
    return bool(_SOMEONE_ELSE.search(text[max(0, at - 5) : at]))


@lru_cache(maxsize=64)  # closing, acknowledgement, sarcasm and unresolved all read the same line
def _read(text: str) -> _Reading:
    lex = _lexicon()
    norm = normalise(text).replace("’", "'")
    clauses = _clauses(norm, lex)
    cues = _phrase_cues(norm, clauses, lex)
    spans = [(c.start, c.end) for c in cues if c.kind in ("closing", "acknowledgement", "not_closing")]
    rest: list[str] = []
    asks = False
    for clause in clauses:
        asks = asks or clause.asks  # "Okay?" asks whether it is okay
        whole = _clause_cues(clause, cues, lex)
        cues += whole
        left = "" if whole else _leftover(clause, spans, lex)
        if left:
            rest.append(left)
            asks = asks or left.split()[0] in lex.question_words or any(q in left for q in lex.question_marks)
    remainder = ", ".join(rest)
    return _Reading(
        cues=tuple(sorted(cues, key=lambda c: c.start)),
        clauses=tuple(clauses),
        remainder=remainder,
        rest_asks=asks or bool(remainder and lex.contrast.find(remainder)),
        rest_requests=any(not _for_someone_else(remainder, c.start) for c in lex.request.find(remainder)),
        rest_topic=bool(remainder and category_matcher().find(remainder)),
    )


def _reports_problem(reading: _Reading) -> bool:
    """The rest of the line reports something wrong ("I haven't even used half my data", 流量没用完就扣了).

    Thanks or an "okay" in front of a problem is a reaction, often sarcastic ("Oh
    brilliant, thanks a lot. I haven't even used half my data."), not a closing or an
    acceptance. A problem is a negated statement about a topic the bot serves or
    with any negative tone (一个问题问了三遍都没解决), or a remainder the emotion
    lexicon reads as clearly negative.
    """
    rest = reading.remainder
    if not rest:
        return False
    lex = _lexicon()
    words = rest.split()
    negated = any(w.endswith("n't") or w in lex.negators for w in words) or any(
        n in rest for n in lex.negators if not n.isascii()
    )
    polarity = assess_emotion(rest).polarity
    return (negated and (reading.rest_topic or polarity < 0)) or polarity <= _PROBLEM_POLARITY


def _detection(cues: list[Cue], confidence: float, remainder: str = "") -> Detection:
    ranked = sorted(cues, key=lambda c: -c.weight)
    confidence = round(min(0.99, confidence), 3)
    return Detection(
        found=confidence >= FOUND,
        confidence=confidence,
        evidence=tuple(dict.fromkeys(c.text for c in ranked if c.weight > 0)),
        cues=tuple(sorted(cues, key=lambda c: c.start)),
        remainder=remainder,
    )


def detect_closing(text: str) -> Detection:
    """Whether the customer is done: thanks, goodbye, "that's all", 没有了，谢谢, 就这些.

    A line that goes on to ask something, contrasts ("thanks, but ..."),
    reports the problem is still there or reports a problem at all ("thanks a
    lot. I haven't even used half my data.") is not a closing; nor is "thanks
    for nothing". `remainder` is what the line says besides the closing words.
    """
    reading = _read(text)
    if reading.of("not_closing"):
        return _detection(reading.of("not_closing"), 0.0, reading.remainder)
    cues = reading.of("closing")
    confidence = combine(c.weight for c in cues)
    if reading.rest_asks or reading.rest_requests or reading.of("unresolved") or _reports_problem(reading):
        confidence *= _ASKS
    return _detection(cues, confidence, reading.remainder)


def detect_acknowledgement(text: str) -> Detection:
    """Whether the line opens by accepting what the bot said: ok, that sounds fine, 好的, 行吧, 明白了.

    It counts when the acknowledgement opens the line (or makes up a whole
    clause) and the rest asks no question, does not contrast ("ok, but ..."),
    raises no new topic and reports no problem ("Right. I typed it wrong and now
    it won't let me in"). A request after it (行吧，那你们
    帮我催一下) keeps it an acknowledgement at lower confidence; `remainder`
    holds that request for the caller to handle.
    """
    reading = _read(text)
    cues = reading.of("acknowledgement")
    if (last := _ends_accepting(reading)) is not None and not (
        reading.of("unresolved") or reading.of("complaint") or _reports_problem(reading)
    ):
        # "My travel agent said it would cost a fortune, but that sounds fine.": what goes
        # before a closing acceptance is conceded, not a new problem
        return _detection([last], last.weight, reading.remainder)
    if not cues:
        return _detection([], 0.0, reading.remainder)
    confidence = max(c.weight for c in cues)
    if (
        reading.rest_asks
        or reading.rest_topic
        or reading.of("unresolved")
        or reading.of("complaint")
        or _reports_problem(reading)
    ):
        confidence *= _ASKS
    elif reading.rest_requests:
        confidence *= _REQUESTS
    elif reading.remainder:
        confidence *= _STATES
    return _detection(cues, confidence, reading.remainder)


def _ends_accepting(reading: _Reading) -> Cue | None:
    """The acknowledgement that makes up the line's last clause after other clauses, asking
    nothing ("..., but that sounds fine." / ……，不过那也还行。); None otherwise."""
    lex = _lexicon()
    clauses = reading.clauses
    if len(clauses) < 2 or any(c.asks for c in clauses):
        return None
    last = clauses[-1]
    core = last.core
    for contrast in lex.contrast.find(core):
        if contrast.start == 0:
            core = core[contrast.end :].lstrip(" ,，")
            break
    found = [c for c in lex.matcher.find(core) if c.kind == "acknowledgement"]
    if not found or found[0].start != 0 or found[0].end != len(core):
        return None
    at = last.start + last.text.find(core)
    return Cue("acknowledgement", core, at, at + len(core), found[0].weight)


@cache
def _praise() -> frozenset[str]:
    return frozenset(normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", "praise"))


def detect_sarcastic_praise(text: str) -> Detection:
    """Thanks or praise in front of a problem: "Oh brilliant, thanks a lot. I haven't even used
    half my data.", 谢谢你们啊，一个问题问了三遍都没解决.

    The caller is saying the answer did not help, so the bot counts it as dissatisfaction.
    Only praise words (`praise` in the moves lexicons: thanks, brilliant, 谢谢 ...) count; a
    plain "Right." or 好的 in front of a problem just opens the report.
    """
    reading = _read(text)
    praise = [c for c in reading.of("closing") + reading.of("acknowledgement") if c.text in _praise()]
    if not praise or not _reports_problem(reading):
        return _detection([], 0.0, reading.remainder)
    return _detection(praise, _SARCASM, reading.remainder)


def detect_unresolved(text: str) -> Detection:
    """Whether the customer reports that the suggested step did not solve it.

    Strong cues stand alone (still nothing, 还是没到, "tried that already",
    都找过了). A bare negative outcome ("Nothing.", 都没有。) and a report of
    what the customer tried ("I've checked the lobby", 问过了) are weak alone
    and together enough. Read it after the bot has answered or suggested
    something; a closing (没有，谢谢) is never unresolved.
    """
    reading = _read(text)
    outcome = reading.of("unresolved") + reading.of("outcome")
    tried = reading.of("tried")
    if not (outcome or tried) or detect_closing(text).found:
        return _detection([*outcome, *tried], 0.0)
    confidence = combine(
        [max((c.weight for c in outcome), default=0.0), max((c.weight for c in tried), default=0.0)]
    )
    return _detection([*outcome, *tried], confidence)


def detect_complaint(text: str) -> Detection:
    """Whether the customer is making a complaint: 投诉, 我要反映一个问题, "I'd like to make a complaint".

    Unhappiness with the service ("not happy with", 服务太差) counts; a negated
    cue ("I'm not complaining", 不是投诉) does not. Confidence is the strongest
    cue's, raised a little for each further cue.
    """
    reading = _read(text)
    all_cues = [c for c in reading.cues if c.kind == "complaint"]
    kept = [c for c in all_cues if not c.negated]
    if not kept:
        return _detection(all_cues, 0.0)
    confidence = max(c.weight for c in kept) + 0.05 * (len(kept) - 1)
    return _detection(all_cues, confidence)


@cache
def _waiting(key: str) -> CueMatcher:
    words = [w for lang in ("zh", "en") for w in word_list(f"moves.{lang}", key)]
    return CueMatcher({key: dict.fromkeys(words, 1.0)})


def says_leaving(text: str) -> bool:
    """A caller waiting for an adviser says they are going (拜拜, 不等了, "I'll ring back later")."""
    return bool(_waiting("leaving").search(text))


_INTRO = re.compile(
    r"^\W*(?:(?i:hi|hello|hiya|hey|yes|yeah|morning|good morning|good afternoon|good evening|喂|你好|您好)\W+)*"
    r"(?:(?i:it's|its|it is|this is|my name is|my name's|i'm|i am)\s+(?:(?i:mr|mrs|ms|miss|dr)\.?\s+)?[A-Z][a-z]+"
    r"|我(?:是|叫|姓)(?!想|要|的|问|来|打|说|在|用|刚|上|从)[\u4e00-\u9fff]{1,3}(?=[，,。.！!\s]|$))"
)
"""A line that opens by saying who is calling ("It's Jack Robinson.", 我是林小红，…)."""


def social_line(text: str) -> str | None:
    """A line that asks nothing the KB must answer and names nothing the bot serves: `bot` (are
    you a robot?, 你是机器人吗), `intro` (who is calling: "It's Jack Robinson. My grandson
    usually does this for me.") or `chat` (the weather, "how are you?"); else None. Such a line
    gets a friendly word back, and is neither a miss nor a request for a person."""
    norm = normalise(text).replace("’", "'")
    if category_matcher().find(norm) or any(_lexicon().request.find(norm)):
        return None
    if _waiting("asks_if_bot").search(norm):
        return "bot"
    # who is calling, or the weather, said plainly: no negation ("nobody rang me back",
    # 下雨天就打不了电话), no feeling ("This is Ridiculous"), no question of its own
    # ("how are you going to fix this?", 我是学生，有没有优惠)
    if _NEGATION.search(_TAG_QUESTION.sub(".", norm)) or assess_emotion(text).level > 0:
        return None
    if _INTRO.match(text.strip()) and not _asks_anything(text):
        return "intro"
    if _waiting("chit_chat").search(norm) and not _asks_anything(text, tag_ok=True):
        return "chat"
    return None


_NEGATION = re.compile(r"n't\b|\b(?:not|no|nobody|never|nothing|none)\b|[不没别]")
_TAG_QUESTION = re.compile(r"(?:isn't it|is it|aren't we|don't you think|right|eh)\s*[?？]", re.IGNORECASE)


def _asks_anything(text: str, *, tag_ok: bool = False) -> bool:
    """The line asks something: a question mark (a tag question like "isn't it?" aside when
    `tag_ok`), a question word opening a clause, or a Chinese question form (有没有, 吗)."""
    rest = _TAG_QUESTION.sub(".", text) if tag_ok else text
    if "?" in rest or "？" in rest or re.search(r"有没有|吗|呢|怎么|什么|哪", rest):
        return True
    lex = _lexicon()
    return any(c.core.split()[:1] and c.core.split()[0] in lex.question_words for c in _read(rest).clauses)


def asks_again(text: str) -> str | None:
    """The caller asks the bot to say its last line again ("sorry, say that again?", 你说啥,
    再说一遍: `"repeat"`) or more simply (能说简单点吗, "slow down": `"simpler"`); else None."""
    if _waiting("asks_simpler").search(text):
        return "simpler"
    if _waiting("asks_repeat").search(text):
        return "repeat"
    return None


def restated(text: str) -> str | None:
    """The question a caller says again after a reaction ("不是这个意思，我是问我明明买了加油包，
    怎么还扣套餐外流量？", "No, I mean how long does the refund take?"), or None."""
    low = normalise(text).replace("’", "'")
    best = None
    for w in _restate_words():
        at = low.find(w)
        if at >= 0 and (w.isascii() is False or _word_edges(low, at, len(w))):
            end = at + len(w)
            best = end if best is None or end > best else best
    if best is None:
        return None
    rest = low[best:].lstrip(" ,，:：")
    return rest if len(rest) >= 4 else None


def _word_edges(text: str, at: int, n: int) -> bool:
    return (at == 0 or not text[at - 1].isalnum()) and (at + n == len(text) or not text[at + n].isalnum())


@cache
def _restate_words() -> tuple[str, ...]:
    return tuple(normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", "restate"))


def only_noise(text: str) -> bool:
    """The line is nothing but hesitation or line noise ("uh... um... hmm", 嗯……呃, "..."):
    the caller is thinking, not asking."""
    rest = normalise(text).replace("’", "'")
    for w in _noise_words()[1]:
        rest = rest.replace(w, " ")
    return not _HAN.search(rest) and all(w in _noise_words()[0] for w in re.findall(r"[a-z0-9']+", rest))


@cache
def _noise_words() -> tuple[frozenset[str], tuple[str, ...]]:
    words = [normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", "noise")]
    han = tuple(sorted((w for w in words if not w.isascii()), key=len, reverse=True))
    return frozenset(w for w in words if w.isascii()), han


def is_aside(text: str) -> bool:
    """The sentence is said to someone else or loses the place ("Hang on, love", 刚才说到哪了):
    it opens with such words, after any greeting or filler ("Sorry, where was I?"). "Calls
    hang on the dial tone" and 一打电话就断，等一下就断了 report a fault instead."""
    opening = normalise(strip_preamble(text)).replace("’", "'").lstrip(" ,.!?，。！？、…")
    return any(opening.startswith(w) for w in _aside_words())


@cache
def _aside_words() -> tuple[str, ...]:
    return tuple(normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", "aside"))


def asks_arrival(text: str) -> bool:
    """The caller asks when something arrives ("when's it getting here?", 那大概什么时候能到)."""
    return bool(_waiting("asks_arrival").search(text))


def asks_whereabouts(text: str) -> bool:
    """The caller asks where something they bought is ("where are my earbuds?", 手机壳到哪了)."""
    return bool(_waiting("asks_whereabouts").search(text))


def asks_wait(text: str) -> bool:
    """A caller waiting for an adviser asks how long the wait is (要等多久, "how many people are ahead")."""
    return bool(_waiting("asks_wait").search(text))


def asks(text: str) -> bool:
    """The line asks something: a clause ends in a question mark, or what it says besides its
    moves is a question (能退不, "what if it runs out")."""
    reading = _read(text)
    return reading.rest_asks or any(c.asks for c in reading.clauses)


def asks_nobody_now(text: str) -> bool:
    """The caller checks that nobody can do it now (现在没人能弄是吧, "so there's no one who can
    do it tonight?"): answered with the callback's promise."""
    return bool(_waiting("callback_nobody_now").search(text))


def asks_other_number(text: str) -> bool:
    """The caller would rather be called on another number (打我另一个号码, "my work phone")."""
    return bool(_waiting("callback_other_number").search(text))


def refers_back(text: str) -> bool:
    """The line points back at what was just said ("does that cover calls too?", "can I put a
    cap on it?", 那这个要收费吗): a follow-up on the answer the caller heard last. A Chinese line
    that opens with 那 ("then", 那打电话回来也要另外收钱吗) follows on from it too."""
    return bool(_waiting("refers_back").search(text)) or strip_preamble(text).startswith("那")


@cache
def _confirm_words() -> dict[str, frozenset[str]]:
    return {
        key: frozenset(
            normalise(w) for lang in ("zh", "en") for w in word_list(f"moves.{lang}", f"confirm_{key}")
        )
        for key in ("yes", "no", "yes_alone")
    }


_PARTICLES = "啊呀吧嘛呢哈"


@dataclass(frozen=True)
class ConfirmReply:
    """A line read as the answer to the bot's yes/no question."""

    answer: str | None
    """`yes`, `no`, or None when the line opens with neither."""
    rest: str
    """What the line says after its yes or no ("No, it's about my bill" -> "it's about my bill")."""
    soft: bool = False
    """The yes is an acknowledgement opening the line ("Okay. Can someone do it for me now?"):
    assent, unless the rest asks about something else."""


_BREAKS = re.compile(r"[\s,.;:!?，。；：！？、…~～]+")
_HAN_PAUSE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def confirm_reply(text: str) -> ConfirmReply:
    """Whether the line opens by answering the bot's yes/no question ("Is it about data
    rollover?"): its first clause is a whole yes (对, 是的, "Yes, please") or no (不是, "Nope");
    a bare 嗯 or "okay" is a yes, and one opening the line a soft yes. 对了 ("by the way") and
    "No problem" open with neither."""
    text = _HAN_PAUSE.sub("，", text)  # speech recognition writes a pause in Chinese as a space
    m = _OPENING.match(text)
    first = _BREAKS.sub(" ", normalise(m.group() if m else text).replace("’", "'")).strip()
    rest = text[m.end() :].strip() if m else ""
    words = _confirm_words()
    if _BREAKS.sub(" ", normalise(text)).strip().rstrip(_PARTICLES) in words["yes_alone"]:
        return ConfirmReply("yes", "")
    for clause in (first, first.rstrip(_PARTICLES) if _HAN.search(first) else first):
        for key in ("yes", "no"):
            if clause in words[key]:
                return ConfirmReply(key, rest)
        if clause in words["yes_alone"]:
            return ConfirmReply("yes", rest, soft=True)
    return ConfirmReply(None, text)
