"""The short soak (issue 15 §1): the counter window offscreen, the simulated card
terminal and the real hub (`pos-exchange-hub serve`, SQLite, its own process), driven by
keyboard-wedge bursts and F-keys through upgrades (cash and card), even exchanges and
exchanges for less. The full shift (2,000 exchanges, 10,000 scans) is
``bench/soak.py``; this runs the same code on a few exchanges.

It runs the soak as its own process, as a counter runs: a crash (PySide6 6.12's
``none_dealloc``) ends that process, and the test sees the exit status.

Asserted: no crash, every exchange at the hub and nothing unsent in the register's outbox,
RSS flat within the soak's bound. The event loop's longest stall is measured and printed,
but bounded here at 1 s rather than the soak's 100 ms: CI machines are shared, and a timed
bound that tight would flake there (the full soak states the 100 ms figure).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# 4 exchanges, 20 scans: cash, even, less, card
EXCHANGES = int(os.environ.get("POS_EXCHANGE_SOAK_CI_EXCHANGES", "4"))


def test_a_short_shift_through_the_window_syncs_every_exchange(tmp_path):
    out = tmp_path / "soak.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "soak.py"),
                           "--exchanges", str(EXCHANGES), "--stall-bound-ms", "1000",
                           "--json", str(out)],
                          capture_output=True, text=True, timeout=240, env=env, cwd=ROOT)
    assert done.returncode == 0, (done.returncode, done.stdout[-3000:], done.stderr[-3000:])
    figures = {f["name"].split(":", 1)[1].strip(): f for f in json.loads(out.read_text())}
    synced = figures["exchanges not at the hub + outbox records unsent"]
    assert synced["value"] == 0 and synced["met"] is True
    assert figures["RSS growth, 10% to 100% of the shift"]["met"] is True
    assert figures["longest event-loop stall, the register busy"]["value"] <= 1000
    assert "machine load" in figures["longest event-loop stall, wall clock"]["note"]
    shift = figures[f"{EXCHANGES} exchanges ({EXCHANGES * 5} scans) through the window"]
    assert "card" in shift["note"] and "cash" in shift["note"]
    assert "even" in shift["note"] and "less" in shift["note"]
