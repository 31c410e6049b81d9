"""CI runs bench/bench_sync.py at tiny sizes (``--smoke``): the benchmark still runs end to
end (a real hub process, the register's own sync worker, the ingest load on PostgreSQL when
$POS_EXCHANGE_TEST_PG_URL is set). Its figures are not checked: timed tests flake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_the_sync_benchmark_runs(tmp_path):
    out = tmp_path / "figures.json"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"),
           "POS_EXCHANGE_CONFIG": str(tmp_path / "config.toml"),
           "POS_EXCHANGE_LOG": str(tmp_path / "register.log")}
    env.pop("POS_EXCHANGE_HUB_DB", None)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_sync.py"), "--smoke",
                           "--json", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = {f["name"]: f for f in json.loads(out.read_text())}
    drains = [f for name, f in figures.items() if name.startswith("sync drain")]
    assert drains and all(f["value"] > 0 and f["floor"] > 0 for f in drains)
    if os.environ.get("POS_EXCHANGE_TEST_PG_URL"):
        assert any("PostgreSQL" in name and name.endswith("p99") for name in figures)
        assert any(name.endswith("(hub on postgresql)") for name in figures)
