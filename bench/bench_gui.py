"""How fast the counter window opens and answers a scan, against floors in the same run.

Run: .venv/bin/python bench/bench_gui.py [--scans N]
It prints figures and asserts nothing (timed tests flake; benchmarks inform).

Floors, measured in the same process on the same machine:
- window: a bare QMainWindow shown and painted once (what any Qt window costs);
- scan: one INSERT + COMMIT on a raw sqlite3 connection with the same pragmas
  (WAL, synchronous=FULL): every scan is at least one such durable commit.
The scan figure is from the wedge's last key to the valuation panel repainted, through
the worker thread (so it includes the queued hand-off back to the GUI thread).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")

from PySide6.QtWidgets import QApplication, QMainWindow

from pos_exchange.bootstrap import init_db, open_app
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def wait(qapp: QApplication, cond, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        qapp.processEvents()


def sqlite_floor(path: Path, n: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    out = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (str(i),))
        conn.execute("COMMIT")
        out.append(time.perf_counter() - start)
    conn.close()
    return out


def ms(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:7.2f} ms   "
            f"p95 {sorted(values)[int(len(values) * 0.95) - 1] * 1000:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--windows", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pos-bench-gui-"))
    os.environ.update(HOME=str(work), XDG_DATA_HOME=str(work / "data"),
                      POS_EXCHANGE_CONFIG=str(work / "none.toml"),
                      POS_EXCHANGE_DEVICES__PRINTER_TARGET=str(work / "printer.bin"),
                      POS_EXCHANGE_GUI__SOUNDS="false")
    db = work / "demo.sqlite3"
    init_db(str(db), demo=True, clock=lambda: NOW)
    qapp = QApplication(sys.argv[:1])
    from pos_exchange.gui.app import build_context, setup_qapplication
    from pos_exchange.gui.main_window import MainWindow

    bare, ours = [], []
    for _ in range(args.windows):
        start = time.perf_counter()
        w = QMainWindow()
        w.resize(1366, 768)
        w.show()
        w.grab()
        bare.append(time.perf_counter() - start)
        w.close()
        w.deleteLater()
    app = open_app(str(db), clock=lambda: NOW, terminal=SimulatedTerminal(auto_present=None))
    setup_qapplication(qapp, app.settings.locale)
    windows = []
    for _ in range(args.windows):
        start = time.perf_counter()
        ctx = build_context(app)
        window = MainWindow(ctx)
        window.resize(1366, 768)
        window.show()
        window.grab()
        ours.append(time.perf_counter() - start)
        if windows:   # one window at a time, as at a counter: its event filters go with it
            old, old_ctx = windows.pop()
            old._quit_confirmed = True
            old.close()
            old_ctx.runner.shutdown()
        windows.append((window, ctx))
    window, ctx = windows[-1]
    window.sign_in.ui.employeeEdit.setText("csr1")
    window.sign_in.ui.pinEdit.setText("1111")
    window.sign_in.sign_in()
    wait(qapp, lambda: window.current() is window.exchange and ctx.runner.pending == 0)
    ex = window.exchange           # no receipt attached: every scan routes to new items
    scans = []
    for i in range(args.scans):
        if i % 20 == 0 and ex.number:          # a fresh basket now and then (qty limits)
            ex.reset()
        before = ex.snap
        start = time.perf_counter()
        window.route_scan("APP-TSHIRT-B-002")
        wait(qapp, lambda before=before: ex.snap is not before and ctx.runner.pending == 0)
        scans.append(time.perf_counter() - start)
    floor = sqlite_floor(work / "floor.sqlite3", args.scans)
    print(f"window open, bare QMainWindow (floor): {ms(bare)}")
    print(f"window open, counter window:           {ms(ours)}   "
          f"x{statistics.median(ours) / statistics.median(bare):.1f} the floor")
    print(f"raw sqlite durable commit (floor):     {ms(floor)}")
    print(f"scan to repainted valuation:           {ms(scans)}   "
          f"x{statistics.median(scans) / statistics.median(floor):.1f} the floor")
    for w, c in windows:
        w._quit_confirmed = True
        w.close()
        c.runner.shutdown()
    app.close()


if __name__ == "__main__":
    main()
