"""Chinese toasts keep every character where they lie over the edges of the desk's panes."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from agentdesk.tui.app import make_app
from tests.tui.conftest import accept, settle


def toast_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Each toast's text as the terminal shows it (the screen cut to the toast), without spaces."""
    strips = app.screen._compositor.render_strips()
    texts = []
    for toast in app.screen.query(Toast):
        r = toast.region
        lines = [strips[y].crop(r.x, r.right).text for y in range(r.y, r.bottom)]
        texts.append("".join(lines).replace("▌", "").replace(" ", ""))
    return texts


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_quit_warning_on_a_call_shows_its_chinese_title_and_text_whole(
    seeded_store, settings, size: tuple[int, int]
) -> None:
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=size, notifications=True) as pilot:
        await accept(pilot, "TR-D001")
        await pilot.press("q")
        await settle(pilot)
        await pilot.pause(0.3)  # the toast mounts and lays out
        [warning] = [text for text in toast_texts(app) if "王秀英通话" in text]
        assert warning.startswith("通话仍在进行您正在与王秀英通话。退出后通话仍由您负责，重新打开工作台")


async def test_a_toast_with_a_full_width_bracket_keeps_it(seeded_store, settings) -> None:
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.notify("请先接听转接（a）。", severity="warning")
        await settle(pilot)
        await pilot.pause(0.3)
        assert toast_texts(app) == ["请先接听转接（a）。"]
