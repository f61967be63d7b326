"""The desk's transcript masks a number read out over two lines as the one number it is."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from agentdesk.domain.models import Speaker
from agentdesk.speech.events import Final
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from tests.tui.conftest import on_a_call, settle


def _shown(pane: TranscriptPane) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(pane.query_one("#transcript-body", Static).content)
    return console.export_text()


async def test_a_card_heard_over_two_lines_with_the_agent_in_between_shows_only_its_last_four(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    async with on_a_call(
        seeded_store, settings, seeded_store.list_transfers()[0].id, lang="en", size=(120, 40)
    ) as (app, pilot):
        workspace = app.screen.query_one(CallWorkspace)
        pane = app.screen.query_one(TranscriptPane)
        heard = [
            (Speaker.CUSTOMER, "the card you charged is 4929 1234"),
            (Speaker.AGENT, "go on"),
            (Speaker.CUSTOMER, "5678 9012"),
        ]
        for i, (speaker, text) in enumerate(heard):
            line = Final(f"live-{i}", 0, speaker, text, 1.0 + i, 2.0 + i, "en", 0.0)
            workspace.post_message(CallWorkspace.Transcribed(line))
            await settle(pilot)
        shown = _shown(pane)
    assert "the card you charged is **** ****" in shown and "**** 9012" in shown
    assert "4929" not in shown and "5678" not in shown
