"""A footer that keeps the keys that matter when the terminal is too narrow for all of them.

Textual's footer lays every key out in a row and cuts whatever does not fit, so on an 80-column
SSH terminal the keys at the end (often the ones an agent needs) vanish without a trace. This
footer ranks the keys instead: the help key first (it lists every key, hidden or not), then the
screen's `FOOTER_PRIORITY` binding ids in order, then the rest in the order they are shown. Keys
that do not fit are hidden whole (with every less important one, so the F-keys never show
f1 f2 f5), and the shown ones keep their usual order.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

HELP_ID = "help"
"""The id of the key that lists every key; it is never the one hidden."""
KEY_CHROME = 3
"""Cells a footer key takes besides its key and label: a space either side of the key, one after the label."""
PALETTE_CHROME = 5
"""The same for the command palette key, which also has a border on its left and a space on its right."""


def _width(key: str, description: str, chrome: int = KEY_CHROME) -> int:
    return cell_len(key) + cell_len(description) + chrome


class KeyFooter(Footer):
    """The footer of every AgentDesk screen: the most important keys that fit, in their usual order."""

    def compose(self) -> ComposeResult:
        hidden = self.hidden_actions(self.size.width)
        for widget in super().compose():
            if getattr(widget, "action", None) in hidden:  # a FooterKey (not exported by Textual)
                widget.display = False
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        hidden = self.hidden_actions(event.size.width)
        for key in self.query("FooterKey"):
            if not key.has_class("-command-palette"):
                key.display = getattr(key, "action", None) not in hidden

    def hidden_actions(self, width: int) -> set[str]:
        """The actions whose keys do not fit in `width` cells, the least important first to go."""
        if width <= 0:  # not laid out yet: the resize that follows decides
            return set()
        shown: dict[str, tuple[str, int]] = {}  # action -> (binding id, width), in footer order
        bindings = self.screen.active_bindings
        for _node, binding, _enabled, _tooltip in bindings.values():
            if binding.show and binding.action not in shown:
                width_of = _width(self.app.get_key_display(binding), binding.description)
                shown[binding.action] = (binding.id or "", width_of)
        room = width
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            room -= _width(
                self.app.get_key_display(palette.binding), palette.binding.description, PALETTE_CHROME
            )
        if sum(w for _id, w in shown.values()) <= room:
            return set()
        priority: tuple[str, ...] = (HELP_ID, *getattr(self.screen, "FOOTER_PRIORITY", ()))
        order = list(shown)
        ranked = sorted(
            order,
            key=lambda a: (
                priority.index(shown[a][0]) if shown[a][0] in priority else len(priority),
                order.index(a),
            ),
        )
        for kept, action in enumerate(ranked):
            room -= shown[action][1]
            if room < 0:  # this key and every less important one go: no gaps in the F-key row
                return set(ranked[kept:])
        return set()
