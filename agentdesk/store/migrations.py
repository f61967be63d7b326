"""Forward-only schema migrations for the SQLite store (sqlite-utils `Migrations`).

Each table keeps the columns it is filtered and sorted by, plus the whole record
as JSON in `data`, so a model can gain fields without a migration. A migration,
once released, is never edited: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("agentdesk")


@migrations()
def m001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE customers (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, tier TEXT NOT NULL,
            language TEXT NOT NULL, search TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE TABLE agents (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
            status TEXT NOT NULL, capacity INTEGER NOT NULL, data TEXT NOT NULL
        );
        CREATE TABLE calls (
            id TEXT PRIMARY KEY, customer_id TEXT, status TEXT NOT NULL,
            started_at TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX calls_customer ON calls (customer_id, started_at);
        CREATE TABLE utterances (
            id TEXT PRIMARY KEY, call_id TEXT NOT NULL, seq INTEGER NOT NULL,
            speaker TEXT NOT NULL, final INTEGER NOT NULL, data TEXT NOT NULL,
            UNIQUE (call_id, seq)
        );
        CREATE TABLE transfers (
            id TEXT PRIMARY KEY, call_id TEXT, customer_id TEXT, status TEXT NOT NULL,
            queue_rank REAL NOT NULL, created_at TEXT NOT NULL, claimed_by TEXT,
            offered_to TEXT, data TEXT NOT NULL
        );
        CREATE INDEX transfers_queue ON transfers (status, queue_rank DESC);
        CREATE INDEX transfers_holder ON transfers (claimed_by, status);
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY, customer_id TEXT, type TEXT NOT NULL, status TEXT NOT NULL,
            priority TEXT NOT NULL, assignee_id TEXT, created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL, sla_due TEXT, data TEXT NOT NULL
        );
        CREATE INDEX tickets_updated ON tickets (updated_at DESC);
        CREATE INDEX tickets_customer ON tickets (customer_id, updated_at DESC);
        CREATE INDEX tickets_assignee ON tickets (assignee_id, status);
        CREATE INDEX tickets_status ON tickets (status, sla_due);
        CREATE VIRTUAL TABLE tickets_fts USING fts5 (terms, tokenize = 'unicode61');
        CREATE TABLE kb_articles (
            id TEXT PRIMARY KEY, language TEXT NOT NULL, category TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE kb_fts USING fts5 (terms, tokenize = 'unicode61');
        CREATE TABLE surveys (
            id TEXT PRIMARY KEY, ticket_id TEXT, customer_id TEXT, status TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY, call_id TEXT NOT NULL, status TEXT NOT NULL,
            created_at TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
            kind TEXT NOT NULL, entity_id TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX events_entity ON events (entity_id, seq);
        """
    )


@migrations()
def m002_team_server(db: Database) -> None:
    """Tables of the team server: users with hashed tokens, idempotency records, request audit."""
    db.executescript(
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY, role TEXT NOT NULL, agent_id TEXT,
            token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT
        );
        CREATE TABLE api_idempotency (
            principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
            status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
            PRIMARY KEY (principal, key)
        );
        CREATE INDEX api_idempotency_age ON api_idempotency (created_at);
        CREATE TABLE api_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, principal TEXT NOT NULL,
            role TEXT NOT NULL, actor TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
            status INTEGER NOT NULL, idempotency_key TEXT, feed_seq INTEGER NOT NULL
        );
        CREATE INDEX api_audit_principal ON api_audit (principal, seq);
        """
    )


@migrations()
def m003_training_results(db: Database) -> None:
    """Trainee runs through sample calls, scored against their expected outcomes."""
    db.executescript(
        """
        CREATE TABLE training_results (
            id TEXT PRIMARY KEY, trainee TEXT NOT NULL, script_id TEXT NOT NULL,
            started_at TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX training_results_trainee ON training_results (trainee, started_at DESC);
        """
    )


@migrations()
def m004_utterance_ids_per_call(db: Database) -> None:
    """Utterance ids are scoped to their call: `U-7` of one call and `U-7` of another are two lines.

    The table was keyed by the id alone, so saving a line of one call replaced (deleted) the
    line of another call with the same id. The rows are copied as they are: under the old key
    no two rows could share an id, so none collide under the new one.
    """
    db.executescript(
        """
        CREATE TABLE utterances_m004 (
            id TEXT NOT NULL, call_id TEXT NOT NULL, seq INTEGER NOT NULL,
            speaker TEXT NOT NULL, final INTEGER NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (call_id, id),
            UNIQUE (call_id, seq)
        );
        INSERT INTO utterances_m004 (id, call_id, seq, speaker, final, data)
            SELECT id, call_id, seq, speaker, final, data FROM utterances;
        DROP TABLE utterances;
        ALTER TABLE utterances_m004 RENAME TO utterances;
        """
    )


def schema_version(db: Database) -> int:
    """How many migrations this database has applied."""
    return len(migrations.applied(db))


def latest_version() -> int:
    """How many migrations this build of AgentDesk knows."""
    return len(migrations._migrations)
