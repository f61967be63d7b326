"""`RemoteStore`: the Store contract over the team server's HTTP API, for desks in team mode.

Same contract as `SqliteStore` (the contract suite runs against both), plus:

- **Push**: `events_stream(since)` follows the server-sent event stream, resuming from the
  last sequence number after a drop. `events_since` still works for polling.
- **Offline writes**: every write goes to a durable outbox first (`agentdesk.store.outbox`)
  and is sent with an `Idempotency-Key`. When the server cannot be reached, writes that
  do not need the server's decision are kept and answered optimistically from what the
  desk knows (e.g. a ticket note), then replayed exactly once, in order, when it is back.
  Writes the server must arbitrate (claiming, offering, declining a transfer) are refused
  with `StoreUnavailable` while offline, so two agents can never both think they hold a call.
- **Reads while offline** come from a small last-known cache (the last answer to the same
  request, with queued writes laid over single records); anything never loaded raises
  `StoreUnavailable` with a message saying so.
- **Connection state**: `connection` (online / offline / replaying, waiting and failed
  writes) and, for UIs that poll the change feed, `connection.*` events from
  `events_since` whenever it changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

import httpx

from agentdesk.domain import tickets as lifecycle
from agentdesk.domain.feedback import review
from agentdesk.domain.models import (
    Agent,
    AgentStatus,
    AuditEvent,
    BotFeedback,
    Call,
    Customer,
    KBArticle,
    Survey,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
    TrainingResult,
    Utterance,
    utcnow,
)
from agentdesk.domain.transfers import RoutingRationale, Transfer, TransferStatus, finishing_status
from agentdesk.nlp.terms import match_expression
from agentdesk.store.base import (
    KBHit,
    Store,
    StoreUnavailable,
    TicketQuery,
    TransferQuery,
)
from agentdesk.store.remote_client import (
    ConnectionState,
    InvalidRequest,
    NotAllowed,
    NotAuthenticated,
    RemoteClient,
    default_outbox_path,
    dump,
    error_for,
    segment,
)

__all__ = [
    "ConnectionState",
    "InvalidRequest",
    "NotAllowed",
    "NotAuthenticated",
    "RemoteStore",
    "default_outbox_path",
]


MAX_PAGE = 1000
"""The largest `limit` the server accepts for a list; longer reads are asked for in pages."""
MAX_EVENTS = 10_000
"""The largest `limit` the server accepts for `GET /events`."""

T = TypeVar("T")


def _pages(fetch: Callable[[int, int], list[T]], limit: int, offset: int) -> list[T]:
    """Up to `limit` rows of a listing from `offset`, asked for in windows the server accepts.

    A read that fits one window is one request, as before; rows written while a long read
    pages may shift between windows (callers that need every row once, such as the KPI
    inputs, keep each id once).
    """
    if limit <= MAX_PAGE:
        return fetch(limit, offset)
    rows: list[T] = []
    while len(rows) < limit:
        size = min(MAX_PAGE, limit - len(rows))
        page = fetch(size, offset + len(rows))
        rows.extend(page)
        if len(page) < size:
            break
    return rows


class RemoteStore(RemoteClient, Store):
    """The team server as a Store (see `RemoteClient` for the arguments)."""

    SUPPORTS_PUSH = True
    SUPPORTS_OFFLINE_WRITES = True

    # -- customers and agents ------------------------------------------------------------
    def upsert_customer(self, customer: Customer, *, actor: str | None = None) -> Customer:
        path = f"/customers/{segment(customer.id)}"
        return self._save("PUT", path, customer, actor, f"save customer {customer.id}", path)

    def get_customer(self, customer_id: str) -> Customer:
        return self._read(Customer, f"/customers/{segment(customer_id)}", f"customer {customer_id}")

    def list_customers(
        self, *, search: str | None = None, limit: int = 100, offset: int = 0, exact_phone: bool = False
    ) -> list[Customer]:
        # The server searches exactly for every role that sees numbers masked, asked or not.
        extra = {"search": search, **({"exact_phone": "true"} if exact_phone else {})} if search else {}
        return _pages(
            lambda n, o: self._read_all(
                Customer, "/customers", "the customer list", {"limit": n, "offset": o, **extra}
            ),
            limit,
            offset,
        )

    def upsert_agent(self, agent: Agent, *, actor: str | None = None) -> Agent:
        path = f"/agents/{segment(agent.id)}"
        return self._save("PUT", path, agent, actor, f"save agent {agent.id}", path)

    def get_agent(self, agent_id: str) -> Agent:
        return self._read(Agent, f"/agents/{segment(agent_id)}", f"agent {agent_id}")

    def list_agents(self) -> list[Agent]:
        return self._read_all(Agent, "/agents", "the agent list")

    def set_agent_status(self, agent_id: str, status: AgentStatus, *, actor: str | None = None) -> Agent:
        path, label = f"/agents/{segment(agent_id)}", f"set agent {agent_id} {status}"

        def offline() -> Agent:
            return self._known(path, Agent, f"agent {agent_id}").model_copy(
                update={"status": AgentStatus(status)}
            )

        body = {"status": str(status)}
        return self._write(
            "PUT",
            f"{path}/status",
            body,
            Agent.model_validate,
            actor=actor,
            label=label,
            optimistic=offline,
            cache_as=path,
        )

    # -- calls and utterances ------------------------------------------------------------
    def upsert_call(self, call: Call, *, actor: str | None = None) -> Call:
        path = f"/calls/{segment(call.id)}"
        return self._save("PUT", path, call, actor, f"save call {call.id}", path)

    def get_call(self, call_id: str) -> Call:
        return self._read(Call, f"/calls/{segment(call_id)}", f"call {call_id}")

    def list_calls(self, *, customer_id: str | None = None, limit: int = 100, offset: int = 0) -> list[Call]:
        extra = {"customer_id": customer_id} if customer_id else {}
        return _pages(
            lambda n, o: self._read_all(Call, "/calls", "the call list", {"limit": n, "offset": o, **extra}),
            limit,
            offset,
        )

    def append_utterance(self, call_id: str, utterance: Utterance, *, actor: str | None = None) -> Utterance:
        # Refused here too, so a blank line is never queued offline only to be refused on replay.
        utterance.require_text()
        # Offline, the line keeps seq 0 until the server gives it its place.
        line = utterance.model_copy(update={"call_id": call_id})
        path = f"/calls/{segment(call_id)}/utterances"
        return self._write(
            "POST", path, dump(utterance), Utterance.model_validate, actor=actor,
            label=f"add a line to call {call_id}", optimistic=lambda: line,
        )  # fmt: skip

    def retract_utterance(self, call_id: str, utterance_id: str, *, actor: str | None = None) -> Utterance:
        # Only the server knows whether the line is still partial: never queued offline.
        path = f"/calls/{segment(call_id)}/utterances/{segment(utterance_id)}"
        return self._write(
            "DELETE", path, None, Utterance.model_validate, actor=actor,
            label=f"take back line {utterance_id} of call {call_id}",
        )  # fmt: skip

    def list_utterances(self, call_id: str, *, since_seq: int = 0) -> list[Utterance]:
        path = f"/calls/{segment(call_id)}/utterances"
        return self._read_all(Utterance, path, "this transcript", {"since_seq": since_seq})

    # -- transfers ---------------------------------------------------------------------
    def create_transfer(self, transfer: Transfer, *, actor: str | None = None) -> Transfer:
        # Refused here as the server does, so a blank packet line is never queued offline only
        # to be refused on replay, when the bot that sent it has moved on.
        for n, line in enumerate(transfer.packet.transcript):
            line.require_text(field=f"packet.transcript.{n}.text")
        path = f"/transfers/{segment(transfer.id)}"
        return self._save("POST", "/transfers", transfer, actor, f"queue transfer {transfer.id}", path)

    def get_transfer(self, transfer_id: str) -> Transfer:
        return self._read(Transfer, f"/transfers/{segment(transfer_id)}", f"transfer {transfer_id}")

    @staticmethod
    def _transfer_params(query: TransferQuery, limit: int, offset: int | None = None) -> dict[str, Any]:
        # An empty status set means "any status" to SqliteStore; the API needs them named.
        params: dict[str, Any] = {"status": sorted(query.statuses or TransferStatus), "limit": limit}
        params["offset"] = query.offset if offset is None else offset
        params |= {
            k: v for k, v in (("claimed_by", query.claimed_by), ("customer_id", query.customer_id)) if v
        }
        return params

    def list_transfers(self, query: TransferQuery = TransferQuery()) -> list[Transfer]:
        def fetch(limit: int, offset: int) -> list[Transfer]:
            params = self._transfer_params(query, limit, offset)
            page = self._get("/transfers", params, what="the transfer queue")
            return [Transfer.model_validate(t) for t in page["items"]]

        return _pages(fetch, query.limit, query.offset)

    def count_transfers(self, query: TransferQuery = TransferQuery()) -> int:
        return int(self._get("/transfers", self._transfer_params(query, 0), what="the queue size")["total"])

    def _step(self, transfer_id: str, step: str, body: dict[str, Any], actor: str | None,
              offline: Callable[[], Transfer] | None = None) -> Transfer:  # fmt: skip
        path = f"/transfers/{segment(transfer_id)}"
        return self._write(
            "POST", f"{path}/{step}", body, Transfer.model_validate, actor=actor,
            label=f"{step} transfer {transfer_id}", optimistic=offline, cache_as=path,
        )  # fmt: skip

    def claim_transfer(
        self,
        transfer_id: str,
        agent_id: str,
        *,
        rationale: RoutingRationale | None = None,
        actor: str | None = None,
    ) -> Transfer:
        body = {"agent_id": agent_id, "rationale": dump(rationale) if rationale else None}
        # As in SqliteStore, the claiming agent is the actor unless one is named.
        return self._step(transfer_id, "claim", body, actor or agent_id)

    def offer_transfer(
        self, transfer_id: str, agent_id: str, rationale: RoutingRationale, *, actor: str | None = None
    ) -> Transfer:
        return self._step(transfer_id, "offer", {"agent_id": agent_id, "rationale": dump(rationale)}, actor)

    def decline_transfer(self, transfer_id: str, agent_id: str, *, actor: str | None = None) -> Transfer:
        return self._step(transfer_id, "decline", {"agent_id": agent_id}, actor or agent_id)

    def finish_transfer(
        self,
        transfer_id: str,
        status: TransferStatus,
        *,
        ticket_id: str | None = None,
        actor: str | None = None,
    ) -> Transfer:
        status = finishing_status(status)

        def offline() -> Transfer:
            known = self._known(f"/transfers/{segment(transfer_id)}", Transfer, f"transfer {transfer_id}")
            update = {"status": status, "completed_at": utcnow(), "ticket_id": ticket_id or known.ticket_id}
            return known.model_copy(update=update)

        step = "complete" if status == TransferStatus.COMPLETED else "abandon"
        return self._step(transfer_id, step, {"ticket_id": ticket_id}, actor, offline)

    # -- tickets -----------------------------------------------------------------------
    def create_ticket(self, ticket: Ticket, *, actor: str | None = None) -> Ticket:
        ticket = lifecycle.with_sla(ticket)
        path = f"/tickets/{segment(ticket.id)}"
        return self._save("POST", "/tickets", ticket, actor, f"file ticket {ticket.id}", path)

    def get_ticket(self, ticket_id: str) -> Ticket:
        return self._read(Ticket, f"/tickets/{segment(ticket_id)}", f"ticket {ticket_id}")

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
        changes = {
            "status": status, "note": note, "assignee_id": assignee_id, "disposition": disposition,
            "priority": priority, "type": type, "subject": subject, "survey_id": survey_id,
            "link_call_id": link_call_id,
        }  # fmt: skip
        body = {k: str(v) for k, v in changes.items() if v is not None}
        path = f"/tickets/{segment(ticket_id)}"

        def offline() -> Ticket:
            known = self._known(path, Ticket, f"ticket {ticket_id}")
            # The same rules the server applies, so the optimistic answer matches the replayed one.
            return lifecycle.apply_update(known, actor or "me", at=utcnow(), **changes)  # type: ignore[arg-type]

        label = f"update ticket {ticket_id}"
        return self._write(
            "PATCH",
            path,
            body,
            Ticket.model_validate,
            actor=actor,
            label=label,
            optimistic=offline,
            cache_as=path,
        )

    @staticmethod
    def _ticket_params(q: TicketQuery, limit: int, offset: int | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit, "offset": q.offset if offset is None else offset}
        for name in ("text", "type", "priority", "customer_id", "assignee_id"):
            if (value := getattr(q, name)) is not None:
                params[name] = str(value)
        if q.text is not None and match_expression(q.text, prefix=True) is None:
            # Text with no word in it filters nothing, as in every store; the server refuses it.
            del params["text"]
        if q.statuses:
            params["status"] = sorted(q.statuses)
        if q.overdue_at is not None:
            params["overdue_at"] = q.overdue_at.isoformat()
        if q.search_masked:
            params["search_masked"] = "true"
        return params

    def list_tickets(self, query: TicketQuery = TicketQuery()) -> list[Ticket]:
        if query.statuses is not None and not query.statuses:
            return []

        def fetch(limit: int, offset: int) -> list[Ticket]:
            page = self._get("/tickets", self._ticket_params(query, limit, offset), what="the ticket list")
            return [Ticket.model_validate(t) for t in page["items"]]

        return _pages(fetch, query.limit, query.offset)

    def count_tickets(self, query: TicketQuery = TicketQuery()) -> int:
        if query.statuses is not None and not query.statuses:
            return 0
        return int(self._get("/tickets", self._ticket_params(query, 0), what="the ticket count")["total"])

    # -- knowledge base ------------------------------------------------------------------
    def upsert_article(self, article: KBArticle, *, actor: str | None = None) -> KBArticle:
        path = f"/kb/articles/{segment(article.id)}"

        def offline() -> KBArticle:
            known = self._cache.get(path + "?")
            version = known["version"] + 1 if known else article.version
            return article.model_copy(update={"version": version, "updated_at": utcnow()})

        label = f"save article {article.id}"
        parse = KBArticle.model_validate
        return self._write(
            "PUT", path, dump(article), parse, actor=actor, label=label, optimistic=offline, cache_as=path
        )

    def get_article(self, article_id: str) -> KBArticle:
        return self._read(KBArticle, f"/kb/articles/{segment(article_id)}", f"article {article_id}")

    def list_articles(self, *, language: str | None = None, category: str | None = None) -> list[KBArticle]:
        params = {k: v for k, v in (("language", language), ("category", category)) if v}
        return self._read_all(KBArticle, "/kb/articles", "the KB", params)

    def search_kb(self, text: str, *, language: str | None = None, limit: int = 5) -> list[KBHit]:
        params: dict[str, Any] = {
            "q": text,
            "limit": max(1, limit),
            **({"language": language} if language else {}),
        }
        hits = self._get("/kb/search", params, what="KB search")
        return [KBHit(KBArticle.model_validate(h["article"]), float(h["score"])) for h in hits]

    # -- surveys -----------------------------------------------------------------------
    def upsert_survey(self, survey: Survey, *, actor: str | None = None) -> Survey:
        path = f"/surveys/{segment(survey.id)}"
        return self._save("PUT", path, survey, actor, f"save survey {survey.id}", path)

    def get_survey(self, survey_id: str) -> Survey:
        return self._read(Survey, f"/surveys/{segment(survey_id)}", f"survey {survey_id}")

    def list_surveys(self, *, ticket_id: str | None = None, status: str | None = None) -> list[Survey]:
        params = {k: str(v) for k, v in (("ticket_id", ticket_id), ("status", status)) if v}
        return self._read_all(Survey, "/surveys", "the survey list", params)

    # -- bot feedback --------------------------------------------------------------------
    def create_feedback(self, feedback: BotFeedback, *, actor: str | None = None) -> BotFeedback:
        path, label = f"/feedback/{segment(feedback.id)}", f"flag bot line ({feedback.reason})"
        # As in SqliteStore, whoever flagged it is the actor unless one is named.
        return self._save("POST", "/feedback", feedback, actor or feedback.flagged_by, label, path)

    def get_feedback(self, feedback_id: str) -> BotFeedback:
        return self._read(BotFeedback, f"/feedback/{segment(feedback_id)}", f"feedback {feedback_id}")

    def list_feedback(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[BotFeedback]:
        extra = {"status": str(status)} if status else {}
        return _pages(
            lambda n, o: self._read_all(
                BotFeedback, "/feedback", "the review queue", {"limit": n, "offset": o, **extra}
            ),
            limit,
            offset,
        )

    def review_feedback(
        self, feedback_id: str, *, accepted: bool, reviewer: str, article: KBArticle | None = None,
        attribution: Literal["bot", "human"] | None = None, note: str = "", actor: str | None = None,
    ) -> BotFeedback:  # fmt: skip
        path = f"/feedback/{segment(feedback_id)}"
        body = {
            "accepted": accepted, "reviewer": reviewer, "article": dump(article) if article else None,
            "attribution": attribution, "note": note,
        }  # fmt: skip

        def offline() -> BotFeedback:
            known = self._known(path, BotFeedback, f"feedback {feedback_id}")
            return review(known, reviewer, accept=accepted, now=utcnow(), attribution=attribution, note=note)

        return self._write(
            "POST", f"{path}/review", body, BotFeedback.model_validate, actor=actor or reviewer,
            label=f"review feedback {feedback_id}", optimistic=offline, cache_as=path,
        )  # fmt: skip

    # -- trainer results -----------------------------------------------------------------
    def save_training_result(self, result: TrainingResult, *, actor: str | None = None) -> TrainingResult:
        path, label = f"/training/results/{segment(result.id)}", f"save training result {result.id}"
        # As in SqliteStore, the trainee is the actor unless one is named.
        return self._save("PUT", path, result, actor or result.trainee, label, path)

    def list_training_results(
        self, *, trainee: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[TrainingResult]:
        extra = {"trainee": trainee} if trainee else {}
        return _pages(
            lambda n, o: self._read_all(
                TrainingResult, "/training/results", "trainer results", {"limit": n, "offset": o, **extra}
            ),
            limit,
            offset,
        )

    # -- change feed -------------------------------------------------------------------
    def events_since(
        self, seq: int = 0, *, limit: int = 1000, entity_id: str | None = None
    ) -> list[AuditEvent]:
        """Changes after `seq`; connection changes come first as `connection.*` events with seq = `seq`.

        Offline this returns only those connection events (no exception every poll). At most
        `MAX_EVENTS` come back per call (the server's limit; it also leaves out events the
        role may not see), so read on from the last `seq` returned.
        """
        notices: list[AuditEvent] = []
        if entity_id is None:
            while self._notices:
                notices.append(self._notices.popleft().model_copy(update={"seq": seq}))
        params: dict[str, Any] = {
            "since": seq,
            "limit": min(limit, MAX_EVENTS),
            **({"entity_id": entity_id} if entity_id else {}),
        }
        try:
            data = (
                self._get("/events", params, what="the change feed")
                if self._state.status != "offline"
                else []
            )
        except StoreUnavailable:
            data = []
        return notices + [AuditEvent.model_validate(e) for e in data]

    def last_seq(self) -> int:
        return int(self._get("/events/last", what="the change feed position")["seq"])

    def events_stream(
        self, since: int | None = None, *, stop: threading.Event | None = None
    ) -> Iterator[AuditEvent]:
        """Follow the server's event stream (SSE), reconnecting from the last event after a drop.

        Args:
            since: start after this sequence number; None starts at the newest change.
            stop: set it to end the iteration (checked between events and reconnects).
        """
        last = since
        stop = stop or threading.Event()
        while not stop.is_set():
            headers = {"Accept": "text/event-stream"}
            if last is not None:
                headers["Last-Event-ID"] = str(last)
            try:
                with self._http.stream(
                    "GET", "/events/stream", headers=headers, timeout=httpx.Timeout(10.0, read=60.0)
                ) as r:
                    if r.status_code >= 400:
                        r.read()
                        raise error_for(r)
                    for event in _parse_sse(r.iter_lines()):
                        last = event.seq
                        yield event
                        if stop.is_set():
                            return
            except httpx.TransportError as exc:
                self._offline(exc)
                stop.wait(self._replayer.interval)

    def whoami(self) -> dict[str, Any]:
        """Who the token belongs to: `name`, `role`, `agent_id` (the agent a desk works as), `permissions`."""
        return dict(self._get("/me", what="who this token belongs to"))


def _parse_sse(lines: Iterator[str]) -> Iterator[AuditEvent]:
    """AuditEvents from the lines of an SSE stream (comments and retry hints skipped)."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield AuditEvent.model_validate_json("\n".join(data))
            data = []
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
