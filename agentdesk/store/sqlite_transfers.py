"""Transfers in SQLite: the queue, atomic claims, offers, declines."""

from __future__ import annotations

from typing import Any

from agentdesk.domain.models import CallStatus, utcnow
from agentdesk.domain.transfers import RoutingRationale, Transfer, TransferStatus, finishing_status
from agentdesk.store.base import AlreadyClaimed, AlreadyExists, Conflict, NotFound, TransferQuery
from agentdesk.store.sqlite_base import ts
from agentdesk.store.sqlite_people import SqlitePeople

_OPEN = ("waiting", "offered")


def _where(query: TransferQuery) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if query.statuses:
        clauses.append(f"status IN ({','.join('?' * len(query.statuses))})")
        params.extend(sorted(query.statuses))
    if query.claimed_by:
        clauses.append("claimed_by = ?")
        params.append(query.claimed_by)
    if query.customer_id:
        clauses.append("customer_id = ?")
        params.append(query.customer_id)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class SqliteTransfers(SqlitePeople):
    def _save_transfer(self, c, t: Transfer) -> None:  # type: ignore[no-untyped-def]
        c.execute(
            "UPDATE transfers SET status = ?, claimed_by = ?, offered_to = ?, queue_rank = ?, data = ? WHERE id = ?",
            (t.status, t.claimed_by, t.offered_to, t.queue_rank, t.model_dump_json(), t.id),
        )

    def _load_transfer(self, c, transfer_id: str) -> Transfer:  # type: ignore[no-untyped-def]
        row = c.execute("SELECT data FROM transfers WHERE id = ?", (transfer_id,)).fetchone()
        if row is None:
            raise NotFound("transfer", transfer_id)
        return Transfer.model_validate_json(row[0])

    def create_transfer(self, transfer: Transfer, *, actor: str | None = None) -> Transfer:
        with self._write() as c:
            if c.execute("SELECT 1 FROM transfers WHERE id = ?", (transfer.id,)).fetchone():
                raise AlreadyExists(f"transfer {transfer.id} exists already")
            c.execute(
                "INSERT INTO transfers (id, call_id, customer_id, status, queue_rank, created_at, claimed_by,"
                " offered_to, data) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    transfer.id,
                    transfer.call_id,
                    transfer.customer_id,
                    transfer.status,
                    transfer.queue_rank,
                    ts(transfer.created_at),
                    transfer.claimed_by,
                    transfer.offered_to,
                    transfer.model_dump_json(),
                ),
            )
            if transfer.is_open:
                self._set_call_agent(c, transfer.call_id, None, CallStatus.QUEUED)
            self._emit(
                c,
                "transfer.created",
                transfer.id,
                actor,
                {"status": transfer.status, "tier": transfer.tier, "rank": transfer.queue_rank},
            )
        return transfer

    def get_transfer(self, transfer_id: str) -> Transfer:
        row = self._one("SELECT data FROM transfers WHERE id = ?", (transfer_id,))
        if row is None:
            raise NotFound("transfer", transfer_id)
        return Transfer.model_validate_json(row[0])

    def list_transfers(self, query: TransferQuery = TransferQuery()) -> list[Transfer]:
        where, params = _where(query)
        sql = f"SELECT data FROM transfers{where} ORDER BY queue_rank DESC, created_at LIMIT ? OFFSET ?"
        return [
            Transfer.model_validate_json(r[0]) for r in self._rows(sql, [*params, query.limit, query.offset])
        ]

    def count_transfers(self, query: TransferQuery = TransferQuery()) -> int:
        where, params = _where(query)
        row = self._one(f"SELECT COUNT(*) FROM transfers{where}", params)
        return int(row[0]) if row else 0

    def claim_transfer(
        self,
        transfer_id: str,
        agent_id: str,
        *,
        rationale: RoutingRationale | None = None,
        actor: str | None = None,
    ) -> Transfer:
        with self._write() as c:
            t = self._load_transfer(c, transfer_id)
            if t.status not in _OPEN:
                raise AlreadyClaimed(transfer_id, t.claimed_by, t.status)
            if c.execute("SELECT 1 FROM agents WHERE id = ?", (agent_id,)).fetchone() is None:
                raise NotFound("agent", agent_id)
            t = t.model_copy(
                update={
                    "status": TransferStatus.CLAIMED,
                    "claimed_by": agent_id,
                    "claimed_at": utcnow(),
                    "offered_to": None,
                    "rationale": rationale or t.rationale,
                }
            )
            self._save_transfer(c, t)
            self._set_call_agent(c, t.call_id, agent_id, CallStatus.AGENT)
            self._emit(
                c,
                "transfer.claimed",
                transfer_id,
                actor or agent_id,
                {"status": t.status, "agent_id": agent_id},
            )
        return t

    def offer_transfer(
        self, transfer_id: str, agent_id: str, rationale: RoutingRationale, *, actor: str | None = None
    ) -> Transfer:
        with self._write() as c:
            t = self._load_transfer(c, transfer_id)
            if t.status not in _OPEN:
                raise AlreadyClaimed(transfer_id, t.claimed_by, t.status)
            t = t.model_copy(
                update={
                    "status": TransferStatus.OFFERED,
                    "offered_to": agent_id,
                    "offered_at": utcnow(),
                    "rationale": rationale,
                }
            )
            self._save_transfer(c, t)
            self._emit(c, "transfer.offered", transfer_id, actor, {"status": t.status, "agent_id": agent_id})
        return t

    def decline_transfer(self, transfer_id: str, agent_id: str, *, actor: str | None = None) -> Transfer:
        with self._write() as c:
            t = self._load_transfer(c, transfer_id)
            holder = t.claimed_by if t.status == TransferStatus.CLAIMED else t.offered_to
            if t.status not in (TransferStatus.OFFERED, TransferStatus.CLAIMED) or holder != agent_id:
                raise Conflict(f"transfer {transfer_id} is not offered to or held by {agent_id}")
            t = t.model_copy(
                update={
                    "status": TransferStatus.WAITING,
                    "claimed_by": None,
                    "claimed_at": None,
                    "offered_to": None,
                    "offered_at": None,
                    "declined_by": [*t.declined_by, agent_id],
                }
            )
            self._save_transfer(c, t)
            self._set_call_agent(c, t.call_id, None, CallStatus.QUEUED)
            self._emit(
                c,
                "transfer.declined",
                transfer_id,
                actor or agent_id,
                {"status": t.status, "agent_id": agent_id},
            )
        return t

    def finish_transfer(
        self,
        transfer_id: str,
        status: TransferStatus,
        *,
        ticket_id: str | None = None,
        actor: str | None = None,
    ) -> Transfer:
        status = finishing_status(status)
        with self._write() as c:
            t = self._load_transfer(c, transfer_id)
            allowed = ("claimed",) if status == TransferStatus.COMPLETED else (*_OPEN, "claimed")
            if t.status not in allowed:
                raise Conflict(f"transfer {transfer_id} is {t.status}; it cannot become {status}")
            t = t.model_copy(
                update={
                    "status": status,
                    "completed_at": utcnow(),
                    "ticket_id": ticket_id or t.ticket_id,
                }
            )
            self._save_transfer(c, t)
            self._set_call_agent(c, t.call_id, t.claimed_by, CallStatus.ENDED)
            self._emit(
                c, f"transfer.{status}", transfer_id, actor, {"status": status, "ticket_id": t.ticket_id}
            )
        return t
