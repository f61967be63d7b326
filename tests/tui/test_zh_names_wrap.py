"""Chinese text carries no spaces around a person's name, so a toast wraps like Chinese:
the name stays inside its sentence instead of standing alone at a line's end."""

from __future__ import annotations

import re

import pytest
import yaml
from textual.widgets._toast import Toast

from agentdesk import locations
from agentdesk.tui.app import make_app
from tests.tui.conftest import accept, settle

PADDED_NAME = re.compile(
    r"[\u3000-\u9fff\uff00-\uffef] \{(name|agent|customer)\}|\{(name|agent|customer)\} [\u3000-\u9fff\uff00-\uffef]"
)
"""A name placeholder with a space between it and a Chinese character or full-width sign."""


def toast_lines(app) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Each toast's lines as the terminal shows them."""
    strips = app.screen._compositor.render_strips()
    return [
        [
            strips[y].crop(t.region.x, t.region.right).text.replace("▌", "").strip()
            for y in range(t.region.y, t.region.bottom)
        ]
        for t in app.screen.query(Toast)
    ]


async def test_the_chinese_quit_warning_keeps_the_customers_name_inside_its_line(
    seeded_store, settings
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(settings, seeded_store, lang="zh")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await accept(pilot, "TR-D001")
        await pilot.press("q")
        await settle(pilot)
        await pilot.pause(0.3)  # the toast mounts and lays out
        [warning] = [lines for lines in toast_lines(app) if any("退出" in line for line in lines)]
        assert any("您正在与王秀英通话。" in line for line in warning), warning
        assert not any(re.fullmatch(r"\d+", line) for line in warning), "a number stands alone"


@pytest.mark.parametrize("catalog", ["desk", "common", "review", "supervisor", "trainer"])
def test_chinese_desk_text_puts_no_spaces_around_names(catalog: str) -> None:
    path = locations.assets_dir() / "i18n" / "zh" / f"{catalog}.yaml"
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    padded = {key: text for key, text in texts.items() if PADDED_NAME.search(str(text))}
    assert padded == {}
