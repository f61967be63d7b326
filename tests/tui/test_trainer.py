"""The trainer screen (F5) through Pilot: pick a call, replay, pause, step, decide, get scored, saved.

The replay clock reads `monotonic` from the screen's module; the tests swap in a clock
that only moves when told, so nothing depends on how fast the machine is.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from textual.widgets import Static

from agentdesk.tui.app import make_app
from agentdesk.tui.screens import trainer as trainer_screen
from agentdesk.tui.screens.trainer import TrainerScreen
from agentdesk.tui.widgets import trainer_audio
from agentdesk.tui.widgets.trainer_calls import CallPicker
from tests.tui.conftest import settle

SIZE = (120, 40)


def text_of(screen: TrainerScreen, selector: str, width: int = 110) -> str:
    """What a Static shows, as plain text."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


class FakeClock:
    """Stands in for `time.monotonic`: moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(trainer_screen, "monotonic", clock)
    return clock


@pytest.fixture
def no_sound_card(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trainer_audio, "output_device", lambda: None)


@pytest.fixture
def sound_card(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, float, float]]:
    """A device that is there; `play` records what it was asked to play instead of making noise."""
    played: list[tuple[Path, float, float]] = []
    monkeypatch.setattr(trainer_audio, "output_device", lambda: "Test speakers")
    monkeypatch.setattr(
        trainer_audio, "play", lambda path, start, speed, stop: played.append((path, start, speed))
    )
    return played


async def wait_for(pilot, ready, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Settle until `ready()` holds: on a loaded machine a first replay can take longer than one settle."""
    import time

    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await settle(pilot)
    await settle(pilot)


async def open_trainer(pilot) -> TrainerScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f5")
    screen = pilot.app.screen
    assert isinstance(screen, TrainerScreen)
    await wait_for(pilot, lambda: screen.customers and screen.query_one(CallPicker).scripts, "the call list")
    return screen


async def start_call(pilot, prefix: str) -> TrainerScreen:  # type: ignore[no-untyped-def]
    """Open the trainer, put the cursor on the call and press Enter."""
    screen = await open_trainer(pilot)
    picker = screen.query_one(CallPicker)
    row = next(i for i, s in enumerate(picker.scripts) if s.id.startswith(prefix))
    picker.table.move_cursor(row=row, animate=False)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.session is not None and screen.sound.probed, "the replay to start")
    return screen


async def step_to_decision(pilot, screen: TrainerScreen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(len(screen.session.script.turns) + 1):  # type: ignore[union-attr]
        if screen.decision.asking:
            return
        await pilot.press("n")
        await settle(pilot)
    raise AssertionError("the replay never reached a decision point")


async def step_to_end(pilot, screen: TrainerScreen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(len(screen.session.script.turns) + 2):  # type: ignore[union-attr]
        if screen.phase == "summary":
            await settle(pilot)
            return
        await pilot.press("n")
        await settle(pilot)
    raise AssertionError("the replay never finished")


async def answer(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# Keys for en-05's route decision: 2 transfer, 2 senior, 2 complaint.
EXPECTED_EN05 = ("2", "2", "2")


async def test_picking_a_call_starts_the_replay(seeded_store, settings, fake_clock, no_sound_card) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        assert screen.phase == "replaying"
        assert screen.session is not None and screen.session.script.id == "en-05-angry-double-charge"
        assert screen.playback is not None and screen.playback.playing and screen.playback.shown == 0
        fake_clock.now += 7.0  # the greeting (0.6-5.4 s) and the start of the customer's first line
        screen._tick()
        await pilot.pause()
        assert screen.playback.shown == 2
        body = text_of(screen, "#trainer-transcript-body")
        assert "Lumen Connect" in body


async def test_step_advances_one_turn(seeded_store, settings, fake_clock, no_sound_card) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        playback = screen.playback
        assert playback is not None
        await pilot.press("n")
        assert (playback.shown, playback.playing) == (1, False)
        await pilot.press("n")
        assert playback.shown == 2 and playback.spoken(1) == 1.0
        await pilot.press("right")
        assert playback.shown == 3
        turns = screen.session.script.turns  # type: ignore[union-attr]
        assert turns[2].text.split()[0] in text_of(screen, "#trainer-transcript-body")


async def test_pause_stops_the_clock(seeded_store, settings, fake_clock, no_sound_card) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        playback = screen.playback
        assert playback is not None
        fake_clock.now += 3.0
        screen._tick()
        assert playback.position == pytest.approx(3.0)
        await pilot.press("space")
        assert not playback.playing
        fake_clock.now += 20.0
        screen._tick()
        assert playback.position == pytest.approx(3.0)
        await pilot.press("space")
        fake_clock.now += 1.0
        screen._tick()
        assert playback.position == pytest.approx(4.0), "resuming does not count the paused time"


async def test_leaving_the_trainer_pauses_the_replay(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        assert screen.playback is not None and screen.playback.playing
        await pilot.press("f1")
        await settle(pilot)
        assert not screen.playback.playing
        await pilot.press("f5")
        await settle(pilot)
        assert screen.phase == "replaying" and not screen.playback.playing, "the trainee resumes with Space"


async def test_speed_keys_go_through_1x_2x_4x(seeded_store, settings, fake_clock, no_sound_card) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        playback = screen.playback
        assert playback is not None
        await pilot.press("plus", "plus", "plus")
        assert playback.speed == 4.0
        fake_clock.now += 2.0
        screen._tick()
        assert playback.position == pytest.approx(8.0)
        await pilot.press("minus")
        assert playback.speed == 2.0


async def test_expected_answers_score_full_marks_and_the_result_is_stored(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        await step_to_decision(pilot, screen)
        assert screen.playback.holding  # type: ignore[union-attr]
        assert "your decision" in text_of(screen, "#trainer-player", width=300)
        await answer(pilot, *EXPECTED_EN05)
        session = screen.session
        assert session is not None and session.score == 1.0
        assert [v.decision.point for v in session.verdicts] == ["outcome", "agent_level", "ticket_type"]
        panel = text_of(screen, "#trainer-question")
        assert panel.count("✓") == 3 and "✗" not in panel
        await pilot.press("space")
        await step_to_end(pilot, screen)
        assert screen.phase == "summary"
        [stored] = seeded_store.list_training_results(trainee=app.agent_id)
        assert stored.script_id == "en-05-angry-double-charge" and stored.score == 1.0
        assert stored.language == "en" and stored.finished_at is not None and len(stored.decisions) == 3
        assert "Score 100%" in text_of(screen, "#trainer-summary-body")
        await pilot.press("escape")
        await settle(pilot)
        picker = screen.query_one(CallPicker)
        assert str(picker.table.get_cell("en-05-angry-double-charge", "best")) == "100%"
        record = text_of(screen, "#trainer-record-body")
        assert "en-05" in record and "3/3" in record and "100%" in record
        assert screen.query_one("#trainer-record").border_subtitle == "1 run · average 100%"


async def test_a_wrong_agent_level_scores_less_and_shows_the_expected_level(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        await step_to_decision(pilot, screen)
        await answer(pilot, "2", "1", "2")  # transfer, junior (expected senior), complaint
        session = screen.session
        assert session is not None and session.score == pytest.approx(2 / 3)
        panel = text_of(screen, "#trainer-question")
        assert "Agent level: you chose junior; expected senior" in panel
        assert "senior agents first" in panel, "routing's reason is shown"


async def test_a_clock_tick_between_the_last_answer_and_its_verdicts_does_not_ask_again(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-01")
        await step_to_decision(pilot, screen)
        asked = []
        ask = screen.decision.ask
        screen.decision.ask = lambda point, turns: (asked.append(point), ask(point, turns))  # type: ignore[method-assign]
        screen.decision.choose(1)
        screen.decision.choose(5)  # the last answer: `Answered` is posted, not handled yet
        screen._draw()  # what the replay clock does ten times a second
        await settle(pilot)
        assert asked == []
        assert len(screen.session.verdicts) == 2  # type: ignore[union-attr]
        assert not screen.decision.asking and not screen.decision.has_class("-asking")
        assert screen.decision.has_class("-verdicts")


async def test_the_options_answer_with_arrows_and_enter(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-01")
        await step_to_decision(pilot, screen)
        await answer(pilot, "enter")  # the first option: the bot answers it
        await answer(pilot, "end", "enter")  # the last ticket option: none
        assert [v.decision.chosen for v in screen.session.verdicts] == ["contained", "none"]  # type: ignore[union-attr]
        assert screen.session.score == 1.0  # type: ignore[union-attr]
        assert not screen.decision.asking and screen.phase == "replaying", "Enter did not start anything else"


async def test_hand_back_calls_ask_for_the_task_at_the_agents_line(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "zh-02")
        await step_to_decision(pilot, screen)
        await answer(pilot, "2", "1", "1")  # transfer, junior, consultation
        await pilot.press("space")
        await step_to_decision(pilot, screen)
        assert screen.decision.question is not None and screen.decision.question.point == "hand_back"
        await answer(pilot, "1")  # bill lookup
        panel = text_of(screen, "#trainer-question")
        assert "交回任务：查账单" in panel and "机器人答复" in panel
        assert screen.session.score == 1.0  # type: ignore[union-attr]


async def test_restart_asks_again_and_escape_goes_back_to_the_list(
    seeded_store, settings, fake_clock, no_sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-01")
        await step_to_decision(pilot, screen)
        first = screen.session
        await answer(pilot, "1", "5")
        await pilot.press("r")
        assert screen.session is not first and screen.session.verdicts == []  # type: ignore[union-attr]
        assert screen.playback.position == 0.0 and not screen.decision.asking  # type: ignore[union-attr]
        await pilot.press("escape")
        assert screen.phase == "picking"
        assert seeded_store.list_training_results() == [], "an unfinished run is not stored"


@pytest.mark.parametrize(
    ("lang", "notice"), [("en", "no audio output: transcript only"), ("zh", "无音频输出")]
)
async def test_without_a_sound_card_one_line_says_transcript_only(
    seeded_store, settings, fake_clock, no_sound_card, lang: str, notice: str
) -> None:
    app = make_app(settings, seeded_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        assert screen.sound.device is None
        assert notice in text_of(screen, "#trainer-player", width=300)
        assert not [w for w in app.workers if w.group == "trainer-audio"]
        assert not app.screen_stack[-1].query(".toast")  # no error dialog or notification


async def test_with_a_sound_card_the_recording_plays_from_the_replays_position_and_speed(
    seeded_store, settings, fake_clock, sound_card
) -> None:
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        assert "Test speakers" in text_of(screen, "#trainer-player", width=300)
        assert "no audio" not in text_of(screen, "#trainer-player", width=300)
        path, start, speed = sound_card[-1]
        assert path.name == "en-05-angry-double-charge.flac" and (start, speed) == (0.0, 1.0)
        await pilot.press("n", "plus")  # step pauses: no sound; a faster speed while paused: still none
        await settle(pilot)
        played = len(sound_card)
        await pilot.press("space")
        await settle(pilot)
        assert len(sound_card) == played + 1
        path, start, speed = sound_card[-1]
        assert start == screen.playback.position > 0 and speed == 2.0  # type: ignore[union-attr]


async def test_a_failing_sound_device_falls_back_to_the_transcript(
    seeded_store, settings, fake_clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path, start, speed, stop):  # type: ignore[no-untyped-def]
        raise OSError("device busy")

    monkeypatch.setattr(trainer_audio, "output_device", lambda: "Test speakers")
    monkeypatch.setattr(trainer_audio, "play", refuse)
    app = make_app(settings, seeded_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_call(pilot, "en-05")
        assert "audio stopped, transcript only: device busy" in text_of(screen, "#trainer-player", width=300)
        assert screen.phase == "replaying"


def test_the_output_probe_says_none_when_portaudio_has_no_device(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoDevices:
        @staticmethod
        def query_devices(kind: str) -> dict[str, object]:
            raise RuntimeError("Error querying device -1")

    monkeypatch.setattr(trainer_audio, "_sounddevice", lambda: NoDevices)
    assert trainer_audio.output_device() is None

    class Speakers:
        @staticmethod
        def query_devices(kind: str) -> dict[str, object]:
            return {"name": "Speakers", "max_output_channels": 2, "default_samplerate": 48000.0}

    monkeypatch.setattr(trainer_audio, "_sounddevice", lambda: Speakers)
    assert trainer_audio.output_device() == "Speakers"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_what_the_bot_read_lists_kb_matches_highest_confidence_first(seeded_store, lang: str) -> None:
    import re

    from rich.console import Console

    from agentdesk.nlp.kb import KBMatch, KBResult
    from agentdesk.tui.i18n import Catalog
    from agentdesk.tui.widgets.trainer_signals import kb_reading

    first, second, third = seeded_store.list_articles(language="zh")[:3]
    # as ranked by the KB: the runners-up carry a higher calibrated confidence than the first
    ranked = KBResult(
        query="账单",
        language="zh",
        matches=(
            KBMatch(first, score=9.0, confidence=0.19),
            KBMatch(second, score=8.0, confidence=0.21),
            KBMatch(third, score=7.0, confidence=0.22),
        ),
    )
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    console.print(kb_reading(ranked, Catalog(lang), width=40))
    lines = [line for line in console.export_text().splitlines() if "%" in line and "▮" in line + "▯"]
    assert [re.findall(r"(\d+)%", line)[-1] for line in lines] == ["22", "21", "19"]
    assert [line.split()[0] for line in lines] == [a.title.split()[0] for a in (third, second, first)]


@pytest.mark.parametrize(
    ("key", "values", "one", "two"),
    [
        ("trainer.record.summary", {"average": "90%"}, "1 run · average 90%", "2 runs · average 90%"),
        ("trainer.preview.queue_value", {}, "1 transfer already waiting", "2 transfers already waiting"),
        ("conn.pending", {}, "1 change waiting", "2 changes waiting"),
        ("supervisor.kpi.measured", {}, "Measured over 1 item.", "Measured over 2 items."),
    ],
)
def test_english_counts_say_one_run_not_one_runs(key: str, values: dict, one: str, two: str) -> None:  # type: ignore[type-arg]
    from agentdesk.tui.i18n import Catalog

    t = Catalog("en")
    assert t.count(key, 1, runs=1, count=1, n=1, **values) == one
    assert t.count(key, 2, runs=2, count=2, n=2, **values) == two


async def test_every_trainer_binding_has_an_id_and_a_localised_tooltip(seeded_store, settings) -> None:
    for lang in ("en", "zh"):
        app = make_app(settings, seeded_store, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_trainer(pilot)
            own = {b.id for b in TrainerScreen.BINDINGS}  # type: ignore[union-attr]
            assert None not in own and all(b.tooltip for b in TrainerScreen.BINDINGS)  # type: ignore[union-attr]
            bindings = [
                b for items in screen._bindings.key_to_bindings.values() for b in items if b.id in own
            ]
            assert {b.id for b in bindings} == own
            assert all(b.description == app.t(f"binding.{b.id}") for b in bindings)
            assert all(b.tooltip == app.t(f"binding.{b.id}.tip") for b in bindings)


# -- snapshots ---------------------------------------------------------------------------------------
async def _snap_list(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_trainer(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def _snap_decision(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await start_call(pilot, "en-05")
    await step_to_decision(pilot, screen)
    await answer(pilot, "2", "1", "2")  # a wrong level: the verdicts show right and wrong
    pilot.app.clear_notifications()
    await pilot.pause()


async def _snap_summary(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await start_call(pilot, "zh-05")
    await step_to_decision(pilot, screen)
    await answer(pilot, "2", "1", "2")
    await pilot.press("space")
    await step_to_end(pilot, screen)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["list", "decision", "summary"])
def test_trainer_snapshot(
    snap_compare, frozen_store, frozen_clock, settings, fake_clock, no_sound_card, lang: str, view: str
) -> None:
    app = make_app(settings, frozen_store, lang=lang)
    run_before = {"list": _snap_list, "decision": _snap_decision, "summary": _snap_summary}[view]
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_play_writes_the_recording_from_the_position_at_the_speed_until_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`play` against a stand-in for sounddevice: what reaches the device, block by block."""
    import threading

    import numpy as np

    from agentdesk.calls.library import audio_path, find_script, load_script

    written: list[np.ndarray] = []
    opened: list[dict[str, object]] = []
    stop = threading.Event()

    class Stream:
        def __init__(self, **kwargs: object) -> None:
            opened.append(kwargs)

        def __enter__(self) -> Stream:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def write(self, block: np.ndarray) -> None:
            written.append(block)
            if len(written) == 3:
                stop.set()  # the trainee pressed pause

    class FakeSoundDevice:
        OutputStream = Stream

        @staticmethod
        def query_devices(kind: str) -> dict[str, object]:
            return {"name": "Speakers", "max_output_channels": 2, "default_samplerate": 48000.0}

    monkeypatch.setattr(trainer_audio, "_sounddevice", lambda: FakeSoundDevice)
    path = audio_path(load_script(find_script("en-01")))
    assert path is not None
    trainer_audio.play(path, 10.0, 2.0, stop)
    assert opened == [{"samplerate": 48000, "channels": 2, "dtype": "float32"}]
    assert len(written) == 3, "stopped after the block during which the stop came"
    assert all(b.shape == (4800, 2) and b.dtype == np.float32 for b in written)
