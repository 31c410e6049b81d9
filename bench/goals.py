"""The goals of issue 15's table, in one place: the benchmarks take their goal from here,
and bench/run_all.py judges a figure that came without a verdict against it.

Each goal names the figure it is for by the words its name contains (lower case), the
bound with its unit, and which side of the bound is good. A goal that is not a number
("no Qt", "flat") has no bound: the benchmark that measures it says met or missed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    key: str
    words: tuple[str, ...]    # all of these in a figure's name (lower case) select it
    text: str                 # as the table shows it
    bound: float | None = None
    unit: str = ""
    at_most: bool = True      # True: value <= bound is met; False: value >= bound

    def met(self, value: float, unit: str) -> bool | None:
        if self.bound is None:
            return None
        scale = _scale(unit, self.unit)
        if scale is None:
            return None
        v = value * scale
        return v <= self.bound if self.at_most else v >= self.bound


GOALS: tuple[Goal, ...] = (
    Goal("scan_history", ("scan", "painted", "exchanges"), "p99 <= 16 ms", 16, "ms"),
    Goal("scan_items", ("scan", "painted", "items"), "p99 <= 16 ms", 16, "ms"),
    Goal("cold_start", ("cold start",), "<= 1.0 s", 1.0, "s"),
    Goal("finalize", ("finalize",), "p99 <= 25 ms, flat", 25, "ms"),
    Goal("audit_verify", ("audit verify",), "< 1 s", 1.0, "s"),
    Goal("sync_drain", ("drain",), ">= 500 per s and >= 0.5× floor", 500, "per s",
         at_most=False),
    Goal("hub_ingest", ("ingest",), "p99 <= 50 ms at 50 registers", 50, "ms"),
    Goal("sync_worker", ("sync worker",), "drains a backlog at full speed"),
    Goal("peak_rss", ("peak rss",), "<= 250 MB peak", 250, "MB"),
    Goal("hub_install", ("hub install",), "no Qt"),
    Goal("soak_rss", ("soak", "rss"), "<= 48 MiB", 48, "MiB"),
    Goal("soak_stall", ("soak", "stall"), "<= 100 ms", 100, "ms"),
    Goal("soak_synced", ("soak", "unsent"), "0", 0, "records"),
)


def goal_for(name: str) -> Goal | None:
    """The goal of a figure, by its name (the first goal whose words it all contains)."""
    lower = name.lower()
    for goal in GOALS:
        if all(word in lower for word in goal.words):
            return goal
    return None


def goal_of(key: str) -> tuple[str, float]:
    """A goal's text and bound by key, for the benchmark that measures it."""
    goal = next(g for g in GOALS if g.key == key)
    assert goal.bound is not None
    return goal.text, goal.bound


_TO_BASE = {"ms": ("s", 0.001), "s": ("s", 1.0), "MiB": ("B", 2**20), "MB": ("B", 10**6)}


def _scale(unit: str, target: str) -> float | None:
    if unit == target:
        return 1.0
    a, b = _TO_BASE.get(unit), _TO_BASE.get(target)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]
