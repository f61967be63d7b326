"""Small renderers shared by the panes: badges, durations, labels."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from agentdesk.domain.kpi_targets import duration
from agentdesk.domain.models import EmotionLevel, Tier
from agentdesk.domain.transfers import Transfer
from agentdesk.tui.i18n import Catalog

TIER_STYLE = {Tier.VIP: "bold black on gold1", Tier.GOLD: "bold black on yellow", Tier.STANDARD: "dim"}
EMOTION_STYLE = {0: "green", 1: "yellow", 2: "dark_orange", 3: "bold red"}
SPEAKER_STYLE = {"customer": "bold cyan", "bot": "bold magenta", "agent": "bold green", "system": "dim"}


def waited(since: datetime, now: datetime) -> str:
    return duration((now - since).total_seconds())


def transfer_wait(transfer: Transfer, now: datetime) -> str:
    """How long the customer waited for a person: up to now, or up to the claim once taken.

    The inbox and the handoff card both show this, so one customer never has two waits.
    """
    return waited(transfer.packet.wait_started_at, transfer.claimed_at or now)


def tier_badge(tier: Tier, t: Catalog, *, short: bool = False) -> Text:
    """A coloured tier label; the short form is empty for standard customers."""
    label = t(f"tier.short.{tier}") if short else t(f"tier.{tier}")
    if not label:
        return Text("")
    return Text(label if short else f" {label} ", style=TIER_STYLE[Tier(tier)])


def reasons(rules: list[str], t: Catalog, *, limit: int = 2) -> str:
    """Short labels of the first transfer rules, e.g. `angry+complaint`."""
    shown = [t(f"rule.short.{r}") for r in rules[:limit]]
    return "+".join(shown) + ("…" if len(rules) > limit else "")


def emotion_badge(level: EmotionLevel | int, t: Catalog) -> Text:
    level = int(level)
    return Text("●" * (level + 1) if level else "○", style=EMOTION_STYLE[level]) + Text(
        " " + t(f"emotion.{level}"), style=EMOTION_STYLE[level]
    )


def emotion_dots(level: EmotionLevel | int) -> Text:
    """A compact emotion gauge for tables: ○ calm, ●● mild ... ●●●● angry."""
    level = int(level)
    return Text("●" * (level + 1) if level else "○", style=EMOTION_STYLE[level])
