"""Shared helpers for benches: percentiles, machine facts, a uniform report."""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def machine() -> dict[str, object]:
    """Facts that every reported figure needs next to it."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
    }


@dataclass
class Figure:
    """One measured series, reported as median and p95 (and more when useful)."""

    name: str
    unit: str
    samples: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        s = self.samples
        return {
            "name": self.name,
            "unit": self.unit,
            "n": len(s),
            "median": statistics.median(s) if s else float("nan"),
            "p95": percentile(s, 95),
            "max": max(s) if s else float("nan"),
        }


def report(
    title: str, figures: Sequence[Figure], extra: dict[str, object] | None = None, *, as_json: bool = False
) -> str:
    """Render figures as a table for people or JSON for machines."""
    data = {"bench": title, "machine": machine(), "figures": [f.summary() for f in figures], **(extra or {})}
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    lines = [f"{title}  ({data['machine']['cores']} cores, Python {data['machine']['python']})"]
    for f in data["figures"]:
        lines.append(
            f"  {f['name']:<40} median {f['median']:>10.3f} {f['unit']:<3} p95 {f['p95']:>10.3f} {f['unit']:<3} (n={f['n']})"
        )
    for key, value in (extra or {}).items():
        lines.append(f"  {key}: {value}")
    return "\n".join(lines)
