"""bench/run_all.py --smoke runs every benchmark that exists in its smoke mode and writes
the table (issue 15 §3: CI runs the benchmarks only as smoke tests, to check they still
run; the figures at smoke sizes mean nothing and are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow   # every benchmark's smoke run: 15 s to a minute


def test_run_all_smoke_writes_a_row_per_figure_and_a_line_per_benchmark(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), "--smoke",
                           "--out", str(out)], capture_output=True, text=True, timeout=900,
                          cwd=ROOT)
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    text = out.read_text()
    assert "| figure | measured | floor | ratio | goal | met |" in text
    assert "Python 3." in text and "PySide6 " in text and "SQLite " in text
    for bench in sorted((ROOT / "bench").glob("bench_*.py")):
        assert f"| {bench.stem} |" in text, bench.stem
        assert "failed" not in next(line for line in text.splitlines()
                                    if line.startswith(f"| {bench.stem} |"))
    scan_rows = [line for line in text.splitlines()
                 if line.startswith("| scan → valuation painted")]
    assert len(scan_rows) == 2 and all("QLineEdit → dict → QLabel" in r for r in scan_rows)
    assert all(r.rstrip(" |").endswith(("met", "missed")) for r in scan_rows)
