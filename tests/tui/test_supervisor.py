"""The supervisor screen (F4) through Pilot: queue, alerts, agents, KPI tiles, export, live updates."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from agentdesk.domain import kpis
from agentdesk.domain.kpi_targets import KPIS, format_value
from agentdesk.domain.models import AgentStatus, BotFeedback, EmotionLevel, FeedbackReason, Utterance
from agentdesk.domain.routing import priority_at
from agentdesk.domain.transfers import HandoffPacket, Transfer, TransferStatus
from agentdesk.store.base import TicketQuery, TransferQuery
from agentdesk.tui.app import make_app
from agentdesk.tui.widgets.supervisor_agents import AgentBoard, AgentStatusPicker
from agentdesk.tui.widgets.supervisor_alerts import AlertList
from agentdesk.tui.widgets.supervisor_kpis import KpiTiles
from agentdesk.tui.widgets.supervisor_queue import QueueTable
from tests.tui.conftest import posted, settle

SIZE = (120, 40)


async def open_supervisor(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f4")
    await settle(pilot)


def _new_transfer(name: str, *, emotion: EmotionLevel = EmotionLevel.CALM, **packet: object) -> Transfer:
    return Transfer(packet=HandoffPacket(customer_name=name, emotion_level=emotion, **packet), queue_rank=1e9)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_queue_shows_the_seeded_transfers_in_priority_order(
    frozen_store, frozen_clock, settings, lang: str
) -> None:
    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        queue = app.screen.query_one(QueueTable)
        waiting = frozen_store.list_transfers(TransferQuery())
        rows = [
            str(queue.table.coordinate_to_cell_key((r, 0)).row_key.value)
            for r in range(queue.table.row_count)
        ]
        assert rows == [t.id for t in waiting] and len(rows) == 6
        priorities = [priority_at(t, frozen_clock, settings.routing) for t in waiting]
        assert priorities == sorted(priorities, reverse=True)
        shown = [float(str(queue.table.get_cell(t.id, "priority"))) for t in waiting]
        assert shown == [round(p) for p in priorities]
        assert queue.total == 6


async def test_every_queued_transfer_names_who_routing_would_give_it_to(frozen_store, settings) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        queue = app.screen.query_one(QueueTable)
        angry = next(t for t in queue.transfers if t.packet.emotion_level >= EmotionLevel.ANGRY)
        decision = queue._plan[angry.id]
        names = {a.id: a.name for a in frozen_store.list_agents()}
        assert decision.agent_id is not None
        assert str(queue.table.get_cell(angry.id, "next")) == names[decision.agent_id]


async def test_an_angry_transfer_arriving_raises_an_alert_and_a_calm_one_does_not(
    frozen_store, frozen_clock, settings
) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        alerts = app.screen.query_one(AlertList)
        before = {a.key for a in alerts.alerts}
        angry = frozen_store.create_transfer(
            _new_transfer("Angry Caller", emotion=EmotionLevel.ANGRY, wait_started_at=frozen_clock)
        )
        calm = frozen_store.create_transfer(_new_transfer("Calm Caller", wait_started_at=frozen_clock))
        app.screen.poll_changes()  # what the one-second poll does, without waiting for it
        await settle(pilot)
        new = [a for a in alerts.alerts if a.key not in before]
        assert [(a.kind, a.entity_id) for a in new] == [("angry", angry.id)]
        assert alerts.alerts[0].entity_id == angry.id, "newest first"
        assert calm.id not in {a.entity_id for a in alerts.alerts}
        assert app.screen.query_one(QueueTable).table.row_count == 8


async def test_seeded_alerts_cover_emotion_long_waits_and_overdue_tickets(
    frozen_store, frozen_clock, settings
) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        alerts = app.screen.query_one(AlertList).alerts
        kinds = {a.kind for a in alerts}
        assert {"angry", "rising", "long_wait", "sla"} <= kinds
        overdue = frozen_store.count_tickets(TicketQuery(overdue_at=frozen_clock))
        assert sum(a.kind == "sla" for a in alerts) == overdue > 0
        assert [a.since for a in alerts] == sorted((a.since for a in alerts), reverse=True)


async def test_changing_an_agents_status_is_saved(frozen_store, settings) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        await pilot.press("g", "down")  # the agents table, second agent
        board = app.screen.query_one(AgentBoard)
        agent = board.current
        assert agent is not None and agent.status is AgentStatus.AVAILABLE
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, AgentStatusPicker)
        await pilot.press("down", "down", "enter")  # available -> busy -> away
        await settle(pilot)
        assert frozen_store.get_agent(agent.id).status is AgentStatus.AWAY
        assert str(board.table.get_cell(agent.id, "status")) == "away"
        assert board.current is not None and board.current.id == agent.id


async def test_escape_keeps_the_agents_status(frozen_store, settings) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        await pilot.press("g", "s", "down", "escape")
        await settle(pilot)
        assert frozen_store.get_agent("A01").status is AgentStatus.AVAILABLE


async def test_kpi_tiles_show_what_domain_kpis_computes(frozen_store, frozen_clock, settings) -> None:
    # Two more transfers on top of the seeded history: one completed, one claimed and flagged unneeded.
    first, second = frozen_store.list_transfers(TransferQuery())[:2]
    frozen_store.claim_transfer(first.id, "A01")
    frozen_store.finish_transfer(first.id, TransferStatus.COMPLETED)
    frozen_store.claim_transfer(second.id, "A02")
    frozen_store.create_feedback(
        BotFeedback(call_id=second.call_id, reason=FeedbackReason.UNNEEDED_TRANSFER, flagged_by="A02")
    )
    every = frozen_store.list_transfers(TransferQuery(statuses=frozenset(TransferStatus), limit=1000))
    expected = kpis.compute(
        frozen_store.list_calls(limit=1000),
        every,
        frozen_store.list_tickets(TicketQuery(limit=1000)),
        frozen_store.list_surveys(),
        frozen_store.list_feedback(limit=1000),
        frozen_clock,
    )
    # The 15 past transfers (one flagged unneeded in the seed) and these two: 15 of 17 were needed.
    assert expected.transfer_accuracy == kpis.Kpi(15 / 17, 17)
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        tiles = app.screen.query_one(KpiTiles)
        for spec in KPIS:
            tile = tiles.tile(spec.name)
            assert tile.kpi == getattr(expected, spec.name), spec.name
            assert tile.value_text == format_value(spec, getattr(expected, spec.name).value)
            assert tile.value_text in str(tile.render())
        assert tiles.tile("transfer_accuracy").value_text == "88.2%"
        assert "Transfer accuracy" in str(tiles.tile("transfer_accuracy").tooltip)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)], ids=["80x24", "100x30", "160x50"])
async def test_kpi_tiles_keep_label_value_and_count_on_their_own_rows_at_any_width(
    frozen_store, settings, lang: str, size: tuple[int, int]
) -> None:
    from textual.geometry import Region

    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await open_supervisor(pilot)
        for tile in app.screen.query_one(KpiTiles).query(".kpi-tile"):
            width, height = tile.outer_size
            rows = [strip.text[1:].strip() for strip in tile.render_lines(Region(0, 0, width, height))]
            name = tile.spec.name
            assert rows[0] in (app.t(f"supervisor.kpi.{name}"), app.t(f"supervisor.kpi.short.{name}"))
            assert rows[1] == tile.value_text and rows[2] == f"n {tile.kpi.n}"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_enter_on_a_queue_row_shows_its_whole_routing_rationale(
    frozen_store, settings, lang: str
) -> None:
    from agentdesk.tui.widgets.supervisor_rationale import RationaleDialog

    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_supervisor(pilot)
        queue = app.screen.query_one(QueueTable)
        queue.table.focus()
        transfer = queue.current
        assert transfer is not None
        decision = queue._plan[transfer.id]
        reasons = decision.rationale.lines(lang)
        # more than the line under the table can show
        assert cell_len("⏎ " + " · ".join(reasons)) > queue.query_one("#queue-why").size.width
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RationaleDialog)
        body = app.screen.query_one("#supervisor-why-body")
        console = Console(width=70, file=io.StringIO(), record=True)
        console.print(body.content)
        shown = "".join(console.export_text().split())
        assert all("".join(reason.split()) in shown for reason in reasons)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RationaleDialog)


async def test_export_writes_a_csv_with_masked_numbers(
    frozen_store, frozen_clock, settings, tmp_path
) -> None:
    phone, card, id_number = "13812345678", "4111 1111 1111 1111", "110101199003074578"
    frozen_store.create_transfer(
        _new_transfer(
            "Card Holder",
            wait_started_at=frozen_clock,
            summary=f"Call me on {phone}, card {card}",
            details={"id": id_number},
        )
    )
    target = tmp_path / "out" / "report.csv"
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert any(str(target) in n.message for n in app._notifications)
    text = target.read_text(encoding="utf-8-sig")
    assert phone not in text and id_number not in text and card not in text
    assert "138****5678" in text and "**** **** **** 1111" in text
    rows = list(csv.reader(text.splitlines()))
    sections = [r[0] for r in rows if r]
    assert sections.count("kpi") == len(KPIS)
    assert sections.count("queue") == frozen_store.count_transfers(TransferQuery()) == 7
    assert sections.count("agent") == len(frozen_store.list_agents())
    containment = next(r for r in rows if r[:2] == ["kpi", "containment_rate"])
    assert containment[3] == f"{kpis.containment_rate(frozen_store.list_calls(limit=1000)).value:.4f}"


async def test_export_defaults_to_the_user_data_directory(frozen_store, settings) -> None:
    from agentdesk import locations

    app = make_app(settings, frozen_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        await pilot.press("e", "enter")
        await settle(pilot)
        [written] = list((locations.data_dir() / "reports").glob("supervisor-*.csv"))
        assert any(str(written) in n.message for n in app._notifications)


async def test_export_to_an_unwritable_path_says_so(frozen_store, settings, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(blocker / "report.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert any("Could not write" in n.message for n in app._notifications)


async def palette_titles(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.pause(0.3)  # the palette gathers its commands in a task of its own
    return [str(option.prompt).split("\n")[0] for option in pilot.app.screen.query_one(CommandList)._options]


@pytest.mark.parametrize(
    ("lang", "search", "export", "textual_words"),
    [
        ("zh", "搜索命令…", "导出", ["Quit", "Theme", "Keys", "Screenshot", "Maximize", "Supervisor"]),
        ("en", "Search for commands…", "Export", []),
    ],
)
async def test_the_command_palette_speaks_the_ui_language_and_exports(
    frozen_store, settings, lang: str, search: str, export: str, textual_words: list[str]
) -> None:
    from textual.command import CommandInput, CommandPalette

    from agentdesk.tui.widgets.supervisor_export import ExportDialog

    app = make_app(settings, frozen_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        titles = await palette_titles(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == search
        assert export in titles and app.t("nav.customers") in titles
        assert not set(textual_words) & set(titles)
        await pilot.press(*export, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)


async def test_only_relevant_changes_reload_the_board(frozen_store, settings) -> None:
    from agentdesk.tui.screens.supervisor import BoardLoaded, KpisLoaded, OverdueLoaded

    messages: list[object] = []
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await open_supervisor(pilot)
        screen = app.screen
        messages.clear()
        call_id = frozen_store.list_transfers(TransferQuery())[0].call_id
        frozen_store.append_utterance(call_id, Utterance(speaker="customer", text="Hello?"))
        screen.poll_changes()
        await settle(pilot)
        assert not posted(messages, BoardLoaded) and not posted(messages, OverdueLoaded)
        assert not posted(messages, KpisLoaded)
        frozen_store.set_agent_status("A03", AgentStatus.OFFLINE, actor="A01")
        screen.poll_changes()
        await settle(pilot)
        assert len(posted(messages, BoardLoaded)) == 1
        assert not posted(messages, OverdueLoaded)
        assert str(screen.query_one(AgentBoard).table.get_cell("A03", "status")) == "offline"


async def test_kpis_recompute_at_most_once_per_interval(frozen_store, settings, monkeypatch) -> None:
    from agentdesk.tui.screens import supervisor
    from agentdesk.tui.screens.supervisor import KpisLoaded

    monkeypatch.setattr(supervisor, "KPI_MIN_INTERVAL", 3600.0)
    messages: list[object] = []
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await open_supervisor(pilot)
        messages.clear()
        for n in range(3):
            frozen_store.create_transfer(_new_transfer(f"Caller {n}"))
            app.screen.poll_changes()
            await settle(pilot)
        assert not posted(messages, KpisLoaded), "held back until the interval is up"
        assert app.screen._kpi_timer is not None
        await pilot.press("r")  # refresh recomputes at once
        await settle(pilot)
        assert len(posted(messages, KpisLoaded)) == 1


async def test_next_chart_key_cycles_the_charts(frozen_store, settings) -> None:
    from agentdesk.tui.widgets.supervisor_charts import CHARTS, KpiCharts

    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        charts = app.screen.query_one(KpiCharts)
        assert charts.data is not None and sum(charts.data.transfers) > 0
        seen = [charts.chart]
        for _ in CHARTS:
            await pilot.press("c")
            seen.append(charts.chart)
        assert seen == [*CHARTS, CHARTS[0]]


def test_charts_count_transfers_and_containment_like_the_kpis(frozen_store, frozen_clock) -> None:
    from zoneinfo import ZoneInfo

    from agentdesk.store.kpi_inputs import gather
    from agentdesk.tui.widgets.supervisor_charts import chart_data

    inputs = gather(frozen_store)
    data = chart_data(inputs, frozen_clock, ZoneInfo("Asia/Shanghai"))
    assert data.step == "week" and len(data.labels) == 16
    assert data.labels[-1] == "11-23"  # the week of the frozen Monday
    assert data.transfers[-1] == 6, "the six waiting transfers queued this week"
    assert sum(data.by_hour) == 15 + 6  # transferred history calls + the live transfers
    week = [
        c
        for c in inputs.calls
        if c.outcome
        and "2026-11-16"
        <= c.started_at.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
        < "2026-11-23"
    ]
    assert data.containment[-2] == kpis.containment_rate(week).value


def test_every_supervisor_binding_has_an_id_and_tooltip() -> None:
    from agentdesk.tui.screens.supervisor import SupervisorScreen
    from agentdesk.tui.widgets.supervisor_export import ExportDialog
    from agentdesk.tui.widgets.supervisor_rationale import RationaleDialog

    for screen in (SupervisorScreen, AgentStatusPicker, ExportDialog, RationaleDialog):
        for binding in screen.BINDINGS:
            assert binding.id and binding.tooltip, binding


def test_supervisor_strings_exist_in_both_languages() -> None:
    import yaml

    from agentdesk import locations

    keys = {
        lang: set(
            yaml.safe_load((locations.assets_dir() / "i18n" / lang / "supervisor.yaml").read_text("utf-8"))
        )
        for lang in ("en", "zh")
    }
    assert keys["en"] == keys["zh"]


# -- snapshots -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(120, 40), (100, 30)], ids=["120x40", "100x30"])
def test_supervisor_snapshot(snap_compare, frozen_store, settings, lang: str, size: tuple[int, int]) -> None:
    app = make_app(settings, frozen_store, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=open_supervisor)


async def test_the_agents_table_keeps_readable_columns_after_the_terminal_is_resized(
    frozen_store, settings
) -> None:
    app = make_app(settings, frozen_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_supervisor(pilot)
        board = app.screen.query_one(AgentBoard)
        for size in ((200, 45), (90, 30), SIZE):
            await pilot.resize_terminal(*size)
            await settle(pilot)
        widths = {str(key.value): col.width for key, col in board.table.columns.items()}
        assert widths["level"] >= len("senior") and widths["status"] >= len("available")
