"""Customers, agents, calls and utterances in SQLite."""

from __future__ import annotations

import re
import unicodedata

from agentdesk.domain.models import Agent, AgentStatus, Call, CallStatus, Customer, Utterance
from agentdesk.store.base import Conflict, NotFound
from agentdesk.store.sqlite_base import SqliteBase, ts


def _customer_search(c: Customer) -> str:
    parts = [c.id, c.name, c.account_no or "", *(x.value for x in c.contacts)]
    return " ".join(parts).lower()


_PHONE_SEPARATORS = re.compile(r"[\s.()+-]")


def _phone_digits(text: str) -> str:
    """`text` as the digits of one phone number, or "" when it is not one (letters, no digits)."""
    digits = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    return digits if digits.isascii() and digits.isdigit() else ""


def _sql_phone_digits(column: str) -> str:
    """SQL for the digits of a phone value: the separators `_phone_digits` drops, dropped."""
    for sep in (" ", "-", ".", "(", ")", "+"):
        column = f"replace({column}, '{sep}', '')"
    return column


# Whole-number phone search: every field but phone contacts as a substring, phones exactly.
_EXACT_PHONE_WHERE = f"""
    lower(id) LIKE :like OR lower(name) LIKE :like
    OR lower(coalesce(json_extract(data, '$.account_no'), '')) LIKE :like
    OR EXISTS (
        SELECT 1 FROM json_each(data, '$.contacts') AS x
        WHERE json_extract(x.value, '$.kind') != 'phone'
          AND lower(json_extract(x.value, '$.value')) LIKE :like
    )
    OR (:digits != '' AND EXISTS (
        SELECT 1 FROM json_each(data, '$.contacts') AS x
        WHERE json_extract(x.value, '$.kind') = 'phone'
          AND {_sql_phone_digits("json_extract(x.value, '$.value')")} = :digits
    ))
"""


class SqlitePeople(SqliteBase):
    # -- customers ------------------------------------------------------------------
    def upsert_customer(self, customer: Customer, *, actor: str | None = None) -> Customer:
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO customers (id, name, tier, language, search, data) VALUES (?,?,?,?,?,?)",
                (
                    customer.id,
                    customer.name,
                    customer.tier,
                    customer.language,
                    _customer_search(customer),
                    customer.model_dump_json(),
                ),
            )
            self._emit(c, "customer.saved", customer.id, actor, {"tier": customer.tier})
        return customer

    def get_customer(self, customer_id: str) -> Customer:
        row = self._one("SELECT data FROM customers WHERE id = ?", (customer_id,))
        if row is None:
            raise NotFound("customer", customer_id)
        return Customer.model_validate_json(row[0])

    def list_customers(
        self, *, search: str | None = None, limit: int = 100, offset: int = 0, exact_phone: bool = False
    ) -> list[Customer]:
        sql, params = "SELECT data FROM customers", {"limit": limit, "offset": offset}
        if search:
            params["like"] = f"%{search.lower().strip()}%"
            if exact_phone:
                sql += f" WHERE {_EXACT_PHONE_WHERE}"
                params["digits"] = _phone_digits(search)
            else:
                sql += " WHERE search LIKE :like"
        sql += " ORDER BY id LIMIT :limit OFFSET :offset"
        return [Customer.model_validate_json(r[0]) for r in self._rows(sql, params)]

    # -- agents ---------------------------------------------------------------------
    def _load(self) -> dict[str, int]:
        rows = self._rows(
            "SELECT claimed_by, COUNT(*) FROM transfers WHERE status = 'claimed' GROUP BY claimed_by"
        )
        return {r[0]: r[1] for r in rows}

    def upsert_agent(self, agent: Agent, *, actor: str | None = None) -> Agent:
        stored = agent.model_copy(update={"active_calls": 0})
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO agents (id, name, level, status, capacity, data) VALUES (?,?,?,?,?,?)",
                (agent.id, agent.name, agent.level, agent.status, agent.capacity, stored.model_dump_json()),
            )
            self._emit(c, "agent.saved", agent.id, actor, {"status": agent.status})
        return self.get_agent(agent.id)

    def get_agent(self, agent_id: str) -> Agent:
        row = self._one("SELECT data FROM agents WHERE id = ?", (agent_id,))
        if row is None:
            raise NotFound("agent", agent_id)
        agent = Agent.model_validate_json(row[0])
        agent.active_calls = self._load().get(agent_id, 0)
        return agent

    def list_agents(self) -> list[Agent]:
        load = self._load()
        agents = [Agent.model_validate_json(r[0]) for r in self._rows("SELECT data FROM agents ORDER BY id")]
        for a in agents:
            a.active_calls = load.get(a.id, 0)
        return agents

    def set_agent_status(self, agent_id: str, status: AgentStatus, *, actor: str | None = None) -> Agent:
        with self._write() as c:
            row = c.execute("SELECT data FROM agents WHERE id = ?", (agent_id,)).fetchone()
            if row is None:
                raise NotFound("agent", agent_id)
            agent = Agent.model_validate_json(row[0]).model_copy(update={"status": AgentStatus(status)})
            c.execute(
                "UPDATE agents SET status = ?, data = ? WHERE id = ?",
                (agent.status, agent.model_dump_json(), agent_id),
            )
            self._emit(c, "agent.status", agent_id, actor, {"status": agent.status})
        return self.get_agent(agent_id)

    # -- calls ----------------------------------------------------------------------
    def upsert_call(self, call: Call, *, actor: str | None = None) -> Call:
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO calls (id, customer_id, status, started_at, data) VALUES (?,?,?,?,?)",
                (call.id, call.customer_id, call.status, ts(call.started_at), call.model_dump_json()),
            )
            self._emit(
                c, "call.saved", call.id, actor, {"status": call.status, "customer_id": call.customer_id}
            )
        return call

    def get_call(self, call_id: str) -> Call:
        row = self._one("SELECT data FROM calls WHERE id = ?", (call_id,))
        if row is None:
            raise NotFound("call", call_id)
        return Call.model_validate_json(row[0])

    def list_calls(self, *, customer_id: str | None = None, limit: int = 100, offset: int = 0) -> list[Call]:
        sql, params = "SELECT data FROM calls", []
        if customer_id:
            sql += " WHERE customer_id = ?"
            params.append(customer_id)
        sql += " ORDER BY started_at DESC LIMIT ? OFFSET ?"
        return [Call.model_validate_json(r[0]) for r in self._rows(sql, [*params, limit, offset])]

    def _set_call_agent(self, c, call_id: str | None, agent_id: str | None, status: CallStatus) -> None:  # type: ignore[no-untyped-def]
        """Keep a call's status in step with its transfer, inside the caller's transaction."""
        if not call_id:
            return
        row = c.execute("SELECT data FROM calls WHERE id = ?", (call_id,)).fetchone()
        if row is None:
            return
        call = Call.model_validate_json(row[0]).model_copy(update={"status": status, "agent_id": agent_id})
        c.execute(
            "UPDATE calls SET status = ?, data = ? WHERE id = ?",
            (call.status, call.model_dump_json(), call_id),
        )

    # -- utterances -----------------------------------------------------------------
    def append_utterance(self, call_id: str, utterance: Utterance, *, actor: str | None = None) -> Utterance:
        utterance.require_text()
        with self._write() as c:
            if c.execute("SELECT 1 FROM calls WHERE id = ?", (call_id,)).fetchone() is None:
                raise NotFound("call", call_id)
            # A line id is unique within its call only: the same id in another call is another line.
            row = c.execute(
                "SELECT seq FROM utterances WHERE call_id = ? AND id = ?", (call_id, utterance.id)
            ).fetchone()
            if row is None:
                # Past every line ever placed, taken-back ones included: a desk following the call
                # by `since_seq` has seen their places already and would skip a line given one.
                seq = c.execute(
                    "SELECT MAX(COALESCE((SELECT MAX(seq) FROM utterances WHERE call_id = ?1), 0),"
                    " COALESCE((SELECT MAX(json_extract(data, '$.seq')) FROM events"
                    " WHERE entity_id = ?1 AND kind = 'utterance.retracted'), 0)) + 1",
                    (call_id,),
                ).fetchone()[0]
            else:
                seq = row[0]
            saved = utterance.model_copy(update={"call_id": call_id, "seq": seq})
            # An upsert on (call_id, id), never INSERT OR REPLACE: that would silently delete any
            # other row a unique key collides with.
            c.execute(
                "INSERT INTO utterances (id, call_id, seq, speaker, final, data) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT (call_id, id) DO UPDATE SET"
                " speaker = excluded.speaker, final = excluded.final, data = excluded.data",
                (saved.id, call_id, seq, saved.speaker, int(saved.final), saved.model_dump_json()),
            )
            self._emit(
                c,
                "utterance.saved",
                call_id,
                actor,
                {
                    "id": saved.id,
                    "seq": seq,
                    "speaker": saved.speaker,
                    "final": saved.final,
                    "text": saved.text,
                },
            )
        return saved

    def retract_utterance(self, call_id: str, utterance_id: str, *, actor: str | None = None) -> Utterance:
        with self._write() as c:
            if c.execute("SELECT 1 FROM calls WHERE id = ?", (call_id,)).fetchone() is None:
                raise NotFound("call", call_id)
            row = c.execute(
                "SELECT data FROM utterances WHERE call_id = ? AND id = ?", (call_id, utterance_id)
            ).fetchone()
            if row is None:
                raise NotFound("utterance", utterance_id)
            line = Utterance.model_validate_json(row[0])
            if line.final:
                raise Conflict(
                    f"line {utterance_id} of call {call_id} is final and stays in the call's record;"
                    " only a partial line is taken back (replace a final line's text by posting it again)"
                )
            c.execute("DELETE FROM utterances WHERE call_id = ? AND id = ?", (call_id, utterance_id))
            self._emit(c, "utterance.retracted", call_id, actor, {"id": line.id, "seq": line.seq})
        return line

    def list_utterances(self, call_id: str, *, since_seq: int = 0) -> list[Utterance]:
        rows = self._rows(
            "SELECT data FROM utterances WHERE call_id = ? AND seq > ? ORDER BY seq", (call_id, since_seq)
        )
        if not rows and not self._rows("SELECT 1 FROM calls WHERE id = ?", (call_id,)):
            raise NotFound("call", call_id)  # no call, rather than a call with nothing said yet
        return [Utterance.model_validate_json(r[0]) for r in rows]
