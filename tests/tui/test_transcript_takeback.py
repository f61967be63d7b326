"""Live transcription at the desk: a partial line whose final text came to nothing is taken back."""

from __future__ import annotations

from agentdesk.domain.models import Speaker
from agentdesk.speech.events import Final, Partial
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.tui.conftest import on_a_call, settle


async def test_a_partial_that_came_to_nothing_leaves_the_transcript_and_is_never_stored(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(
        seeded_store, settings, seeded_store.list_transfers()[0].id, lang="en", size=(120, 40)
    ) as (app, pilot):
        workspace = app.screen.query_one(CallWorkspace)
        pane = app.screen.query_one(TranscriptPane)
        call_id = workspace.active.call_id
        stored, shown = seeded_store.list_utterances(call_id), len(pane.lines)
        said = ("live-1", 0, Speaker.CUSTOMER)
        workspace.post_message(CallWorkspace.Transcribed(Partial(*said, "我想", 1.0, 2.0, "zh", 0.0)))
        await settle(pilot)
        assert [u.text for u in pane.lines[shown:]] == ["我想"]
        workspace.post_message(CallWorkspace.Transcribed(Final(*said, "", 1.0, 2.5, "zh", 0.0)))
        await settle(pilot)
        assert len(pane.lines) == shown
        assert seeded_store.list_utterances(call_id) == stored
        assert "" not in workspace.active.customer_lines  # agent assist never hears an empty line
