"""The desk and the store stay in step during a call: failures are told, nothing heard is lost,
and the transcript follows lines that other writers finalise or take back."""

from __future__ import annotations

import ast
import importlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import TextArea

import agentdesk.tui
from agentdesk.domain.models import Speaker, Utterance
from agentdesk.domain.transfers import TransferStatus
from agentdesk.speech.events import Final
from agentdesk.store.base import StoreLocked
from agentdesk.store.seed import seed_store
from agentdesk.store.sqlite import SqliteStore
from agentdesk.tui.app import make_app
from agentdesk.tui.screens.wrap_up import WrapUpModal
from agentdesk.tui.unsaved_lines import UnsavedLinesFile
from agentdesk.tui.widgets.call_workspace import CallWorkspace
from agentdesk.tui.widgets.transcript_pane import TranscriptPane
from agentdesk.tui.worker_failures import ReportsWorkerFailures, failure_text
from tests.tui.conftest import accept, notified, settle, wait_for


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A seeded database file whose writes give up quickly when another program locks it."""
    store = SqliteStore(tmp_path / "desk.db", actor="A01", busy_timeout_ms=100)
    seed_store(store)
    yield store
    store.close()


class OtherProgram:
    """Another program holding the database's write lock (a real SQLite connection)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)

    def lock(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")


def locked_error(store: SqliteStore, call_id: str) -> StoreLocked:
    """What the store says about the lock, got the way the desk gets it: by writing."""
    with pytest.raises(StoreLocked) as caught:
        store.upsert_call(store.get_call(call_id))
    return caught.value


# -- failures of a widget's background work reach the agent ---------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_bot_mode_change_refused_by_a_locked_database_is_told_to_the_agent(
    file_store, settings, lang
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, file_store, lang=lang)
    app.live_transcription = None
    other = OtherProgram(file_store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, file_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        call_id = workspace.active.call_id
        other.lock()
        workspace.hand_back("mode:collect_only")
        await settle(pilot)
        expected = app.t("error.locked", message=str(locked_error(file_store, call_id)))
        other.release()
        assert notified(app, expected)
        assert [n.severity for n in app._notifications if n.message == expected] == ["error"]


async def test_the_same_failure_again_while_it_is_on_screen_is_told_once(file_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, file_store, lang="en")
    app.live_transcription = None
    other = OtherProgram(file_store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, file_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        call_id = workspace.active.call_id
        other.lock()
        workspace.hand_back("mode:collect_only")
        await settle(pilot)
        workspace.hand_back("mode:collect_only")
        await settle(pilot)
        expected = app.t("error.locked", message=str(locked_error(file_store, call_id)))
        other.release()
        assert [n.message for n in app._notifications].count(expected) == 1


async def test_a_wrap_up_the_locked_database_refused_keeps_the_call_and_the_agents_note(
    file_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, file_store, lang="en")
    app.live_transcription = None
    other = OtherProgram(file_store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        transfer_id = "TR-D003"  # a first contact: the wrap-up creates the call's ticket
        await accept(pilot, transfer_id)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpModal)
        app.screen.query_one("#wrap-notes", TextArea).text = "Refunded the roaming overcharge."
        other.lock()
        await pilot.press("ctrl+s")
        await settle(pilot)
        reason = failure_text(app.t, locked_error(file_store, file_store.get_transfer(transfer_id).call_id))
        other.release()
        assert notified(app, app.t("wrapup.failed", reason=reason))
        workspace = app.screen.query_one(CallWorkspace)
        assert workspace.active is not None and workspace.active.transfer.id == transfer_id
        assert app.screen.query_one("#ticket-notes", TextArea).text == "Refunded the roaming overcharge."
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        transfer = file_store.get_transfer(transfer_id)
        assert transfer.status == TransferStatus.COMPLETED
        notes = [n.text for n in file_store.get_ticket(transfer.ticket_id).notes]
        assert "Refunded the roaming overcharge." in notes


def worker_owners() -> Iterator[tuple[str, str]]:
    """(module, class) of every class in the TUI package with a `@work` method."""
    root = Path(agentdesk.tui.__file__).parent
    for path in sorted(root.rglob("*.py")):
        module = "agentdesk." + ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and any(
                    (d.func if isinstance(d, ast.Call) else d).__dict__.get("id") == "work"
                    for d in item.decorator_list
                ):
                    yield module, node.name
                    break


def test_every_screen_and_widget_that_works_in_the_background_reports_its_failures() -> None:
    owners = sorted(set(worker_owners()))
    assert ("agentdesk.tui.widgets.call_workspace", "CallWorkspace") in owners
    silent = [
        f"{module}.{name}"
        for module, name in owners
        if not issubclass(getattr(importlib.import_module(module), name), ReportsWorkerFailures)
    ]
    assert silent == []


# -- a line heard while the store cannot take it is kept and saved later ------------------------------
async def test_a_line_heard_while_the_database_is_locked_stays_on_screen_and_is_saved_once_it_frees(
    file_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, file_store, lang="en")
    app.live_transcription = None  # the event below stands in for the microphone
    other = OtherProgram(file_store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, file_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        pane = app.screen.query_one(TranscriptPane)
        call_id = workspace.active.call_id
        other.lock()
        said = Final("live-1", 0, Speaker.CUSTOMER, "my card was charged twice", 1.0, 2.5, "en", 0.0)
        workspace.post_message(CallWorkspace.Transcribed(said))
        await wait_for(pilot, lambda: bool(pane.unsaved))
        line_id = f"{call_id}-live-1"
        assert pane.unsaved == {line_id}
        assert "my card was charged twice" in [u.text for u in pane.lines]
        reason = failure_text(app.t, locked_error(file_store, call_id))
        assert notified(app, app.t("call.line_unsaved", reason=reason))
        assert line_id not in {u.id for u in file_store.list_utterances(call_id)}
        other.release()
        await wait_for(pilot, lambda: not pane.unsaved)
        stored = [u for u in file_store.list_utterances(call_id) if u.id == line_id]
        assert [u.text for u in stored] == ["my card was charged twice"]
        assert notified(app, app.t.count("call.lines_saved", 1, count=1))


async def test_a_customer_line_heard_at_the_desk_counts_once_for_agent_assist(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    app.live_transcription = None
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, seeded_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        said = Final("live-2", 0, Speaker.CUSTOMER, "I want my money back", 1.0, 2.5, "en", 0.0)
        workspace.post_message(CallWorkspace.Transcribed(said))
        await settle(pilot)
        await pilot.pause(1.2)  # the store follower reads the saved line back at least once
        await settle(pilot)
        assert workspace.active.customer_lines.count("I want my money back") == 1


# -- the desk follows lines other writers finalise or take back ------------------------------------
def shown(pane: TranscriptPane, line_id: str) -> Utterance | None:
    return next((u for u in pane.lines if u.id == line_id), None)


async def test_a_bot_partial_made_final_in_the_store_is_shown_final_at_the_desk(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="en")
    app.live_transcription = None  # follow the lines the bot writes into the store
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, seeded_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        pane = app.screen.query_one(TranscriptPane)
        call_id = workspace.active.call_id
        seeded_store.append_utterance(
            call_id, Utterance(id="U-live-9", speaker=Speaker.CUSTOMER, text="I need", final=False)
        )
        await wait_for(pilot, lambda: shown(pane, "U-live-9") is not None)
        assert not shown(pane, "U-live-9").final  # type: ignore[union-attr]
        seeded_store.append_utterance(
            call_id, Utterance(id="U-live-9", speaker=Speaker.CUSTOMER, text="I need a refund", final=True)
        )
        await wait_for(pilot, lambda: shown(pane, "U-live-9").final)  # type: ignore[union-attr]
        assert shown(pane, "U-live-9").text == "I need a refund"  # type: ignore[union-attr]
        assert workspace.active.customer_lines[-1] == "I need a refund"


async def test_a_partial_the_bot_takes_back_leaves_the_desk_transcript(seeded_store, settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="zh")
    app.live_transcription = None
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, seeded_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        pane = app.screen.query_one(TranscriptPane)
        call_id = workspace.active.call_id
        seeded_store.append_utterance(
            call_id, Utterance(id="U-live-7", speaker=Speaker.CUSTOMER, text="嗯", final=False)
        )
        await wait_for(pilot, lambda: shown(pane, "U-live-7") is not None)
        seeded_store.retract_utterance(call_id, "U-live-7")
        await wait_for(pilot, lambda: shown(pane, "U-live-7") is None)
        assert "嗯" not in workspace.active.customer_lines


async def test_lines_not_saved_when_the_agent_quits_are_saved_when_the_desk_opens_again(
    file_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, file_store, lang="en")
    app.live_transcription = None
    other = OtherProgram(file_store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await accept(pilot, file_store.list_transfers()[0].id)
        workspace = app.screen.query_one(CallWorkspace)
        pane = app.screen.query_one(TranscriptPane)
        call_id = workspace.active.call_id
        other.lock()
        said = Final("live-3", 0, Speaker.CUSTOMER, "the parcel never came", 1.0, 2.5, "en", 0.0)
        workspace.post_message(CallWorkspace.Transcribed(said))
        await wait_for(pilot, lambda: bool(pane.unsaved))
        await pilot.press("q")  # on a call the first press warns
        await pilot.press("q")
    other.release()
    line_id = f"{call_id}-live-3"
    assert line_id not in {u.id for u in file_store.list_utterances(call_id)}

    again = make_app(settings, file_store, lang="en")
    again.live_transcription = None
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: line_id in {u.id for u in file_store.list_utterances(call_id)})
        assert notified(again, again.t.count("call.lines_recovered", 1, count=1))
        assert notified(again, again.t.count("call.lines_saved", 1, count=1))
    stored = [u.text for u in file_store.list_utterances(call_id) if u.id == line_id]
    assert stored == ["the parcel never came"]
    assert not again.unsaved_lines.path.exists()


class CountedFile(UnsavedLinesFile):
    """The real unsaved-lines file, noting the lines of every write the desk asks for."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writes: list[list[str]] = []

    def write(self, version: int, lines: list[Utterance]) -> None:
        self.writes.append([u.id for u in lines])
        super().write(version, lines)


async def test_lines_an_earlier_desk_left_are_written_back_to_the_file_once_in_the_order_said(
    file_store, settings
) -> None:  # type: ignore[no-untyped-def]
    call_id = file_store.list_transfers()[0].call_id
    said = [
        Utterance(
            id=f"L{i}",
            call_id=call_id,
            speaker=Speaker.CUSTOMER,
            text=f"line {i}",
            at=f"2026-11-24T09:00:0{i}Z",
        )
        for i in (1, 2, 3)
    ]
    app = make_app(settings, file_store, lang="en")
    app.live_transcription = None
    kept = CountedFile(app.unsaved_lines.path)
    kept.write(1, [said[2], said[0], said[1]])
    kept.writes.clear()
    app.unsaved_lines = kept
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(kept.writes))
        first = kept.writes[0]
        await wait_for(
            pilot, lambda: {"L1", "L2", "L3"} <= {u.id for u in file_store.list_utterances(call_id)}
        )
        await wait_for(pilot, lambda: not kept.path.exists())  # all saved: nothing left waiting
    assert first == ["L1", "L2", "L3"]  # all of them in one write, not one write per line


def test_an_older_list_of_waiting_lines_written_late_never_replaces_a_newer_one(tmp_path: Path) -> None:
    kept = UnsavedLinesFile(tmp_path / "desk.db.unsaved-lines.json")
    first = Utterance(id="L1", call_id="C1", speaker=Speaker.CUSTOMER, text="first")
    second = Utterance(id="L2", call_id="C1", speaker=Speaker.CUSTOMER, text="second")
    kept.write(2, [first, second])
    kept.write(1, [first])  # a worker that started earlier finished later
    assert [u.id for u in kept.read()] == ["L1", "L2"]
    kept.write(3, [])  # all saved: nothing is left to offer again
    assert not kept.path.exists()


def test_an_unreadable_unsaved_lines_file_is_kept_aside_and_the_desk_starts_clean(tmp_path: Path) -> None:
    kept = UnsavedLinesFile(tmp_path / "desk.db.unsaved-lines.json")
    kept.path.write_text("[{not json", encoding="utf-8")
    assert kept.read() == []
    kept.path.write_text("[{still not json", encoding="utf-8")
    assert kept.read() == []
    aside = sorted(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.unreadable-*.json"))
    assert aside == ["[{not json", "[{still not json"]  # a second bad file never replaces the first
