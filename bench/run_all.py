"""Run every benchmark and write one table: figure, measured, floor, ratio, goal, met.

    .venv/bin/python bench/run_all.py                 # every bench/bench_*.py -> bench/RESULTS.md
    .venv/bin/python bench/run_all.py --soak          # ... and the full soak (about an hour)
    .venv/bin/python bench/run_all.py --smoke --out FILE   # each in its smoke mode (CI)
    .venv/bin/python bench/run_all.py --only gui --only sync

Each benchmark runs in its own process with ``--json FILE`` (bench/common.py ``emit``
writes its figures there) and, with ``--smoke``, ``--smoke``. A benchmark whose source
does not offer an option it needs is listed as skipped, one that fails with its exit
status and last line of error. A figure's goal is its own, else issue 15's goal for it
(bench/goals.py), and "met" is the benchmark's verdict, else the goal's bound applied to
the value. The machine is noted above the table: the figures mean little without it
(and this machine is shared: medians of repeated runs, still noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.goals import goal_for  # noqa: E402


@dataclass
class Outcome:
    name: str
    seconds: float = 0.0
    figures: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""          # skipped or failed: why


def discover(only: list[str]) -> list[Path]:
    found = sorted(BENCH.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem.removeprefix("bench_") in only or p.stem in only]
    return found


def run(path: Path, smoke: bool, timeout: float) -> Outcome:
    name = path.stem
    source = path.read_text()
    if "--json" not in source:
        return Outcome(name, problem="skipped: it has no --json option")
    if smoke and "--smoke" not in source:
        return Outcome(name, problem="skipped: it has no --smoke mode")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [sys.executable, str(path), "--json", str(out)] + (["--smoke"] if smoke else [])
        start = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        except subprocess.TimeoutExpired:
            return Outcome(name, timeout, problem=f"failed: still running after {timeout:g} s")
        took = time.perf_counter() - start
        print(done.stdout, end="")
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["(no error output)"])[-1]
            # the soak exits 1 when a goal is missed but still writes its figures
            if not out.exists():
                return Outcome(name, took, problem=f"failed (exit {done.returncode}): {last}")
        if not out.exists():
            return Outcome(name, took, problem="failed: it wrote no figures")
        return Outcome(name, took, json.loads(out.read_text()))


def machine() -> list[str]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB RAM"
    except OSError:
        mem = "RAM unknown"
    try:
        pyside = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        pyside = "not installed"
    try:
        load = "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = ""
    cpu = platform.processor() or platform.machine()
    return [f"{os.cpu_count()} CPUs ({cpu}), {mem}, {platform.system()} {platform.release()}",
            f"Python {platform.python_version()}, PySide6 {pyside}, "
            f"SQLite {sqlite3.sqlite_version}",
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {load} at the start"]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def row(figure: dict[str, Any]) -> str:
    name, value, unit = figure["name"], figure["value"], figure["unit"]
    floor = figure.get("floor")
    goal = goal_for(name)
    goal_text = figure.get("goal") or (goal.text if goal else "")
    met = figure.get("met")
    if met is None and goal is not None:
        met = goal.met(value, unit)
    verdict = "—" if not goal_text else "met" if met else "missed" if met is False else "?"
    floor_cell = "—" if floor is None else \
        f"{figure.get('floor_name') or 'floor'}: {_number(floor)} {unit}"
    ratio = f"{value / floor:.1f}×" if floor not in (None, 0) else "—"
    cells = [name, f"{_number(value)} {unit}", floor_cell, ratio, goal_text or "—", verdict]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def table(outcomes: list[Outcome], smoke: bool) -> str:
    lines = ["# Benchmark results" + (" (smoke: tiny sizes, the figures mean nothing)"
                                      if smoke else ""), "",
             "Written by `bench/run_all.py`" + (" --smoke" if smoke else "") + ". Machine:", ""]
    lines += [f"- {m}" for m in machine()]
    lines += ["", "| figure | measured | floor | ratio | goal | met |",
              "|---|---|---|---|---|---|"]
    for outcome in outcomes:
        lines += [row(f) for f in outcome.figures]
    lines += ["", "| benchmark | took | result |", "|---|---|---|"]
    for outcome in outcomes:
        result = outcome.problem or f"{len(outcome.figures)} figures"
        lines.append(f"| {outcome.name} | {outcome.seconds:.0f} s | {result} |")
    notes = [f"- {f['name']}: {f['note']}" for o in outcomes for f in o.figures if f.get("note")]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="each benchmark's smoke mode")
    parser.add_argument("--soak", action="store_true", help="also bench/soak.py")
    parser.add_argument("--soak-json", type=Path, metavar="FILE",
                        help="the figures of a soak run on its own (bench/soak.py --json "
                             "FILE), added to the table instead of running it again")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this benchmark (gui, sync, … or bench_gui); repeatable")
    parser.add_argument("--out", type=Path, help="the Markdown file (default "
                        "bench/RESULTS.md; with --smoke, none unless given)")
    parser.add_argument("--timeout", type=float, help="seconds per benchmark (default "
                        "7200, with --smoke 300)")
    args = parser.parse_args(argv)
    timeout = args.timeout or (300 if args.smoke else 7200)
    paths = discover(args.only)
    if args.soak:
        paths.append(BENCH / "soak.py")
    outcomes = []
    for path in paths:
        print(f"== {path.name}", flush=True)
        outcome = run(path, args.smoke, timeout)
        if outcome.problem:
            print(f"   {outcome.problem}", flush=True)
        outcomes.append(outcome)
    if args.soak_json is not None:
        figures = json.loads(args.soak_json.read_text())
        took = next((f["value"] for f in figures if f.get("unit") == "s"), 0.0)
        outcomes.append(Outcome(f"soak ({args.soak_json.name}, run on its own)", took,
                                figures))
    text = table(outcomes, args.smoke)
    out = args.out or (None if args.smoke else BENCH / "RESULTS.md")
    if out is not None:
        out.write_text(text)
        print(f"wrote {out}")
    else:
        print(text)
    return 1 if any(o.problem.startswith("failed") for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
