"""Tickets, KB articles, surveys and bot feedback in SQLite, with bilingual full-text search."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Literal

from agentdesk.domain import masking
from agentdesk.domain import tickets as lifecycle
from agentdesk.domain.feedback import review
from agentdesk.domain.models import (
    BotFeedback,
    FeedbackStatus,
    KBArticle,
    Survey,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
    utcnow,
)
from agentdesk.nlp.terms import index_terms, match_expression, typed_prefix
from agentdesk.store.base import AlreadyExists, Conflict, KBHit, NotFound, TicketQuery
from agentdesk.store.sqlite_base import ts
from agentdesk.store.sqlite_transfers import SqliteTransfers


def _ticket_texts(t: Ticket) -> list[str]:
    """The texts of a ticket its search index holds; the id (never masked) first."""
    return [t.id, t.subject, t.intent, t.disposition or "", t.promise or "", *(n.text for n in t.notes)]


def _ticket_terms(t: Ticket) -> str:
    return index_terms(" ".join(_ticket_texts(t)))


def _masked_terms_hold(data: str, wanted: str) -> int:
    """SQL function: whether the ticket (JSON), its numbers masked, still has every `wanted` term.

    The index holds the real text; a reader who sees numbers masked must not find a ticket
    by digits that are hidden from them (the search would tell them the hidden digits).
    """
    try:
        ticket_id, *texts = _ticket_texts(Ticket.model_validate_json(data))
        terms = set(index_terms(" ".join([ticket_id, *(masking.mask_text(x) for x in texts)])).split())
        return int(all(_holds(terms, w) for w in json.loads(wanted)))
    except ValueError:  # a row that does not load cannot be shown either
        return 0


def _holds(terms: set[str], wanted: str) -> bool:
    """Whether `terms` has `wanted`, or a term it begins when it ends in `*` (a typed prefix)."""
    if wanted.endswith("*"):
        return any(t.startswith(wanted[:-1]) for t in terms)
    return wanted in terms


def _digit_terms(text: str) -> list[str]:
    """The query terms holding a digit: the only ones masking can change. The last word, which
    search matches as a prefix (`match_expression(prefix=True)`), ends in `*`."""
    terms = index_terms(text).split()
    if terms and typed_prefix(text) is not None:
        terms[-1] += "*"
    return sorted({t for t in terms if any(ch.isdigit() for ch in t)})


def _article_terms(a: KBArticle) -> str:
    return index_terms(" ".join([a.title, a.title, *a.questions, a.answer, *a.tags]))


def _ticket_where(q: TicketQuery) -> tuple[str, list[Any], bool]:
    clauses, params, fts = [], [], False
    if q.text and (expr := match_expression(q.text, prefix=True)):
        clauses.append("tickets_fts MATCH ?")
        params.append(expr)
        fts = True
        if q.search_masked and (digits := _digit_terms(q.text)):
            clauses.append("adk_masked_terms_hold(t.data, ?)")
            params.append(json.dumps(digits))
    for column, value in (
        ("type", q.type),
        ("priority", q.priority),
        ("customer_id", q.customer_id),
        ("assignee_id", q.assignee_id),
    ):
        if value is not None:
            clauses.append(f"t.{column} = ?")
            params.append(str(value))
    statuses = q.statuses
    if q.overdue_at is not None:
        statuses = (statuses or lifecycle.OPEN_STATUSES) & lifecycle.OPEN_STATUSES
        clauses.append("t.sla_due IS NOT NULL AND t.sla_due < ?")
        params.append(ts(q.overdue_at))
    if statuses is not None:
        clauses.append(f"t.status IN ({','.join('?' * len(statuses)) or 'NULL'})")
        params.extend(sorted(statuses))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params, fts


class SqliteTickets(SqliteTransfers):
    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        conn.create_function("adk_masked_terms_hold", 2, _masked_terms_hold, deterministic=True)
        return conn

    # -- tickets --------------------------------------------------------------------
    def _write_ticket(self, c, t: Ticket, *, insert: bool) -> None:  # type: ignore[no-untyped-def]
        values = (
            t.customer_id,
            t.type,
            t.status,
            t.priority,
            t.assignee_id,
            ts(t.created_at),
            ts(t.updated_at),
            ts(t.sla_due),
            t.model_dump_json(),
        )
        if insert:
            cur = c.execute(
                "INSERT INTO tickets (customer_id, type, status, priority, assignee_id, created_at, updated_at,"
                " sla_due, data, id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (*values, t.id),
            )
            rowid = cur.lastrowid
        else:
            c.execute(
                "UPDATE tickets SET customer_id=?, type=?, status=?, priority=?, assignee_id=?, created_at=?,"
                " updated_at=?, sla_due=?, data=? WHERE id = ?",
                (*values, t.id),
            )
            rowid = c.execute("SELECT rowid FROM tickets WHERE id = ?", (t.id,)).fetchone()[0]
            c.execute("DELETE FROM tickets_fts WHERE rowid = ?", (rowid,))
        c.execute("INSERT INTO tickets_fts (rowid, terms) VALUES (?, ?)", (rowid, _ticket_terms(t)))

    def create_ticket(self, ticket: Ticket, *, actor: str | None = None) -> Ticket:
        ticket = lifecycle.with_sla(ticket)
        with self._write() as c:
            if c.execute("SELECT 1 FROM tickets WHERE id = ?", (ticket.id,)).fetchone():
                raise AlreadyExists(f"ticket {ticket.id} exists already")
            self._write_ticket(c, ticket, insert=True)
            self._emit(
                c,
                "ticket.created",
                ticket.id,
                actor,
                {"status": ticket.status, "type": ticket.type, "customer_id": ticket.customer_id},
            )
        return ticket

    def get_ticket(self, ticket_id: str) -> Ticket:
        row = self._one("SELECT data FROM tickets WHERE id = ?", (ticket_id,))
        if row is None:
            raise NotFound("ticket", ticket_id)
        return Ticket.model_validate_json(row[0])

    def update_ticket(
        self,
        ticket_id: str,
        *,
        status: TicketStatus | None = None,
        note: str | None = None,
        assignee_id: str | None = None,
        disposition: str | None = None,
        priority: TicketPriority | None = None,
        type: TicketType | None = None,
        subject: str | None = None,
        survey_id: str | None = None,
        link_call_id: str | None = None,
        actor: str | None = None,
    ) -> Ticket:
        who = actor or self.actor
        with self._write() as c:
            row = c.execute("SELECT data FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
            if row is None:
                raise NotFound("ticket", ticket_id)
            t = lifecycle.apply_update(
                Ticket.model_validate_json(row[0]),
                who,
                at=utcnow(),
                status=status,
                note=note,
                assignee_id=assignee_id,
                disposition=disposition,
                priority=priority,
                type=type,
                subject=subject,
                survey_id=survey_id,
                link_call_id=link_call_id,
            )
            self._write_ticket(c, t, insert=False)
            self._emit(
                c, "ticket.updated", ticket_id, who, {"status": t.status, "assignee_id": t.assignee_id}
            )
        return t

    def list_tickets(self, query: TicketQuery = TicketQuery()) -> list[Ticket]:
        where, params, fts = _ticket_where(query)
        join = " JOIN tickets_fts ON tickets_fts.rowid = t.rowid" if fts else ""
        order = "tickets_fts.rank, t.updated_at DESC" if fts else "t.updated_at DESC"
        sql = f"SELECT t.data FROM tickets t{join}{where} ORDER BY {order} LIMIT ? OFFSET ?"
        return [
            Ticket.model_validate_json(r[0]) for r in self._rows(sql, [*params, query.limit, query.offset])
        ]

    def count_tickets(self, query: TicketQuery = TicketQuery()) -> int:
        where, params, fts = _ticket_where(query)
        join = " JOIN tickets_fts ON tickets_fts.rowid = t.rowid" if fts else ""
        row = self._one(f"SELECT COUNT(*) FROM tickets t{join}{where}", params)
        return int(row[0]) if row else 0

    # -- knowledge base -------------------------------------------------------------
    def upsert_article(self, article: KBArticle, *, actor: str | None = None) -> KBArticle:
        with self._write() as c:
            row = c.execute("SELECT rowid, data FROM kb_articles WHERE id = ?", (article.id,)).fetchone()
            if row is not None:
                old = KBArticle.model_validate_json(row[1])
                article = article.model_copy(update={"version": old.version + 1, "updated_at": utcnow()})
                c.execute("DELETE FROM kb_fts WHERE rowid = ?", (row[0],))
                c.execute(
                    "UPDATE kb_articles SET language=?, category=?, data=? WHERE id=?",
                    (article.language, article.category, article.model_dump_json(), article.id),
                )
                rowid = row[0]
            else:
                rowid = c.execute(
                    "INSERT INTO kb_articles (id, language, category, data) VALUES (?,?,?,?)",
                    (article.id, article.language, article.category, article.model_dump_json()),
                ).lastrowid
            c.execute("INSERT INTO kb_fts (rowid, terms) VALUES (?, ?)", (rowid, _article_terms(article)))
            self._emit(c, "article.saved", article.id, actor, {"version": article.version})
        return article

    def get_article(self, article_id: str) -> KBArticle:
        row = self._one("SELECT data FROM kb_articles WHERE id = ?", (article_id,))
        if row is None:
            raise NotFound("article", article_id)
        return KBArticle.model_validate_json(row[0])

    def list_articles(self, *, language: str | None = None, category: str | None = None) -> list[KBArticle]:
        clauses, params = [], []
        for column, value in (("language", language), ("category", category)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [
            KBArticle.model_validate_json(r[0])
            for r in self._rows(f"SELECT data FROM kb_articles{where} ORDER BY id", params)
        ]

    def search_kb(self, text: str, *, language: str | None = None, limit: int = 5) -> list[KBHit]:
        expr = match_expression(text, mode="any")
        if expr is None:
            return []
        sql = (
            "SELECT a.data, -bm25(kb_fts) FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid"
            " WHERE kb_fts MATCH ?"
        )
        params: list[Any] = [expr]
        if language:
            sql += " AND a.language = ?"
            params.append(language)
        sql += " ORDER BY bm25(kb_fts) LIMIT ?"
        return [
            KBHit(KBArticle.model_validate_json(r[0]), float(r[1])) for r in self._rows(sql, [*params, limit])
        ]

    # -- surveys --------------------------------------------------------------------
    def upsert_survey(self, survey: Survey, *, actor: str | None = None) -> Survey:
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO surveys (id, ticket_id, customer_id, status, data) VALUES (?,?,?,?,?)",
                (survey.id, survey.ticket_id, survey.customer_id, survey.status, survey.model_dump_json()),
            )
            self._emit(c, "survey.saved", survey.id, actor, {"status": survey.status, "score": survey.score})
        return survey

    def get_survey(self, survey_id: str) -> Survey:
        row = self._one("SELECT data FROM surveys WHERE id = ?", (survey_id,))
        if row is None:
            raise NotFound("survey", survey_id)
        return Survey.model_validate_json(row[0])

    def list_surveys(self, *, ticket_id: str | None = None, status: str | None = None) -> list[Survey]:
        clauses, params = [], []
        for column, value in (("ticket_id", ticket_id), ("status", status)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(str(value))
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [
            Survey.model_validate_json(r[0])
            for r in self._rows(f"SELECT data FROM surveys{where} ORDER BY id", params)
        ]

    # -- bot feedback ---------------------------------------------------------------
    def create_feedback(self, feedback: BotFeedback, *, actor: str | None = None) -> BotFeedback:
        with self._write() as c:
            if c.execute("SELECT 1 FROM feedback WHERE id = ?", (feedback.id,)).fetchone():
                raise AlreadyExists(f"feedback {feedback.id} exists already")
            c.execute(
                "INSERT INTO feedback (id, call_id, status, created_at, data) VALUES (?,?,?,?,?)",
                (
                    feedback.id,
                    feedback.call_id,
                    feedback.status,
                    ts(feedback.created_at),
                    feedback.model_dump_json(),
                ),
            )
            self._emit(
                c,
                "feedback.created",
                feedback.id,
                actor or feedback.flagged_by,
                {"reason": feedback.reason, "call_id": feedback.call_id},
            )
        return feedback

    def get_feedback(self, feedback_id: str) -> BotFeedback:
        row = self._one("SELECT data FROM feedback WHERE id = ?", (feedback_id,))
        if row is None:
            raise NotFound("feedback", feedback_id)
        return BotFeedback.model_validate_json(row[0])

    def list_feedback(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[BotFeedback]:
        sql, params = "SELECT data FROM feedback", []
        if status:
            sql += " WHERE status = ?"
            params.append(str(status))
        sql += " ORDER BY created_at DESC, id LIMIT ? OFFSET ?"
        return [BotFeedback.model_validate_json(r[0]) for r in self._rows(sql, [*params, limit, offset])]

    def review_feedback(
        self,
        feedback_id: str,
        *,
        accepted: bool,
        reviewer: str,
        article: KBArticle | None = None,
        attribution: Literal["bot", "human"] | None = None,
        note: str = "",
        actor: str | None = None,
    ) -> BotFeedback:
        with self._write() as c:
            row = c.execute("SELECT data FROM feedback WHERE id = ?", (feedback_id,)).fetchone()
            if row is None:
                raise NotFound("feedback", feedback_id)
            fb = BotFeedback.model_validate_json(row[0])
            if fb.status != FeedbackStatus.OPEN:
                raise Conflict(f"feedback {feedback_id} was already {fb.status}")
            fb = review(fb, reviewer, accept=accepted, now=utcnow(), attribution=attribution, note=note)
            c.execute(
                "UPDATE feedback SET status = ?, data = ? WHERE id = ?",
                (fb.status, fb.model_dump_json(), fb.id),
            )
            self._emit(c, "feedback.reviewed", fb.id, actor or reviewer, {"status": fb.status})
            if accepted and article is not None:
                # Nested write: the fix and the review commit together or not at all.
                self.upsert_article(article, actor=actor or reviewer)
        return fb
