"""Trainer results in SQLite."""

from __future__ import annotations

from typing import Any

from agentdesk.domain.models import TrainingResult
from agentdesk.store.sqlite_base import SqliteBase, ts


class SqliteTraining(SqliteBase):
    def save_training_result(self, result: TrainingResult, *, actor: str | None = None) -> TrainingResult:
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO training_results (id, trainee, script_id, started_at, data) VALUES (?,?,?,?,?)",
                (
                    result.id,
                    result.trainee,
                    result.script_id,
                    ts(result.started_at),
                    result.model_dump_json(),
                ),
            )
            self._emit(
                c,
                "training.saved",
                result.id,
                actor or result.trainee,
                {"script_id": result.script_id, "score": round(result.score, 3)},
            )
        return result

    def list_training_results(
        self, *, trainee: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[TrainingResult]:
        sql, params = "SELECT data FROM training_results", []
        if trainee:
            sql += " WHERE trainee = ?"
            params.append(trainee)
        sql += " ORDER BY started_at DESC, id LIMIT ? OFFSET ?"
        rows: list[Any] = self._rows(sql, [*params, limit, offset])
        return [TrainingResult.model_validate_json(r[0]) for r in rows]
