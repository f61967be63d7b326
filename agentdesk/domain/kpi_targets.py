"""How each KPI is read: its unit and the usual service level it is held to.

The supervisor's tiles, its CSV export and `agentdesk report` colour and judge figures
by the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class KpiSpec:
    """How one KPI of `KpiReport` is shown and judged."""

    name: str
    """The `KpiReport` field."""
    unit: Literal["share", "seconds"]
    target: float | None = None
    """The service level; None for figures without a usual target."""
    higher_is_better: bool = True


KPIS: tuple[KpiSpec, ...] = (
    # Containment's target is the SPEC's peak-load goal; the others are common contact-centre
    # service levels. They only colour and judge figures; no rule acts on them.
    KpiSpec("containment_rate", "share", 0.80),
    KpiSpec("transfer_rate", "share", 0.20, higher_is_better=False),
    KpiSpec("transfer_accuracy", "share", 0.90),
    KpiSpec("average_wait_seconds", "seconds", 60, higher_is_better=False),
    KpiSpec("handle_time_seconds", "seconds"),
    KpiSpec("first_contact_resolution", "share", 0.70),
    KpiSpec("csat", "share", 0.80),
    KpiSpec("sla_compliance", "share", 0.90),
    KpiSpec("repeat_contact_rate", "share", 0.15, higher_is_better=False),
)


def meets_target(spec: KpiSpec, value: float | None) -> bool | None:
    """Whether the value is on the right side of its target; None when either is missing."""
    if value is None or spec.target is None:
        return None
    return value >= spec.target if spec.higher_is_better else value <= spec.target


def duration(seconds: float) -> str:
    """`m:ss` under an hour, `h:mm:ss` above."""
    seconds = max(0, int(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02}:{s:02}" if h else f"{m}:{s:02}"


def format_value(spec: KpiSpec, value: float | None) -> str:
    """`61.1%`, `4:05`, or `—` when there is nothing to measure."""
    if value is None:
        return "—"
    return f"{value:.1%}" if spec.unit == "share" else duration(value)
