"""The issue-15 benchmarks still run (CI runs them as smoke tests, never as timed tests):
each prints its figures with the floor measured in the same run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a few seconds each
ROOT = Path(__file__).resolve().parents[2]


def bench(tmp_path: Path, script: str) -> list[dict[str, object]]:
    out = tmp_path / "figures.json"
    env = {**os.environ, "POS_EXCHANGE_CONFIG": str(tmp_path / "none.toml"),
           "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--smoke",
                           "--json", str(out)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(out.read_text())
    for figure in figures:
        assert f"{figure['name']}: " in done.stdout
        assert float(figure["value"]) > 0  # type: ignore[arg-type]
    return figures


def test_bench_audit_smoke(tmp_path):
    names = [f["name"] for f in bench(tmp_path, "bench_audit.py")]
    assert names == ["audit verify --full, 2,000 entries",
                     "audit verify (incremental), 2,000 entries"]


def test_bench_engine_smoke(tmp_path):
    figures = bench(tmp_path, "bench_engine.py")
    finalize = [f for f in figures if str(f["name"]).startswith("finalize with a receipt")
                and str(f["name"]).endswith("p99")]
    assert [f["name"] for f in finalize] == [
        "finalize with a receipt, 0 exchanges in the db: p99",
        "finalize with a receipt, 12 exchanges in the db: p99"]
    assert all(f["floor_name"] == "raw commit" and f["floor"] for f in finalize)


def test_bench_startup_smoke(tmp_path):
    figures = {f["name"]: f for f in bench(tmp_path, "bench_startup.py")}
    start = figures["cold start -> sign-in ready"]
    assert start["floor_name"] == "a bare PySide6 window" and start["floor"]
    assert figures["peak RSS at sign-in"]["unit"] == "MB"
