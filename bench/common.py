"""What every benchmark shares: medians over repeated runs, and one figure per line with its
floor (measured in the same run) and its goal, written as JSON for bench/run_all.py."""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    name: str               # what is measured, as README's table says it
    value: float
    unit: str               # "ms", "s", "per s", "MB"
    floor_name: str = ""
    floor: float | None = None
    goal: str = ""          # e.g. "p99 <= 16 ms"
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor in (None, 0):
            return None
        return self.value / self.floor  # type: ignore[operator]

    def line(self) -> str:
        ratio = f" = {self.ratio:.1f}× floor" if self.ratio is not None else ""
        floor = f" (floor {self.floor_name}: {self.floor:.2f} {self.unit})" \
            if self.floor is not None else ""
        goal = f"  goal {self.goal}: {'met' if self.met else 'MISSED'}" if self.goal else ""
        return f"{self.name}: {self.value:.2f} {self.unit}{floor}{ratio}{goal}"


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def emit(figures: list[Figure], json_path: str | None) -> None:
    for figure in figures:
        print(figure.line())
    if json_path:
        Path(json_path).write_text(json.dumps([asdict(f) for f in figures], indent=2))
