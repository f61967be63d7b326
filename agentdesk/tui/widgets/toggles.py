"""Checkboxes and radio buttons whose state shows without colour.

Textual draws the same mark (`X`, `●`) whether a toggle is on or off and tells them apart by
colour only, which a 16-colour SSH session or a colour-blind agent can miss. These draw the
mark only when on, through Textual's public `BUTTON_INNER`.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    """A checkbox that reads `▐X▌` when ticked and `▐ ▌` when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "


class MarkedRadioButton(RadioButton):
    """A radio button that reads `▐●▌` when chosen and `▐○▌` when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else "○"
