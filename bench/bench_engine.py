"""How long the engine takes per counter action, against a raw SQLite commit floor.

Run: .venv/bin/python bench/bench_engine.py [--exchanges N]
It prints figures; it asserts nothing (timed tests flake, benchmarks inform).

The floor is one INSERT + COMMIT on a raw sqlite3 connection with the same
pragmas (WAL, synchronous=FULL) on the same disk: every engine action is at
least one such durable commit, so the ratio shows what the engine adds.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from pos_exchange.bootstrap import init_db, open_app


def timed(fn: Callable[[], object], samples: list[float]) -> None:
    start = time.perf_counter()
    fn()
    samples.append(time.perf_counter() - start)


def floor_commit(path: Path, n: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    samples: list[float] = []
    for i in range(n):
        def one(i: int = i) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?, ?)", (i, "x" * 200))
            conn.execute("COMMIT")
        timed(one, samples)
    conn.close()
    return samples


def engine_run(path: Path, n: int) -> dict[str, list[float]]:
    app = open_app(str(path))
    svc = app.exchanges
    steps: dict[str, list[float]] = {k: [] for k in
                                     ("start", "scan", "submit", "pay_cash", "finalize", "whole")}
    for _ in range(n):
        t0 = time.perf_counter()
        ex = svc.start("csr1")
        steps["start"].append(time.perf_counter() - t0)
        timed(lambda ex=ex: svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001"),
              steps["scan"])
        svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-G-001")
        timed(lambda ex=ex: svc.submit(ex.number, "csr1"), steps["submit"])
        # No receipt: valued at the lowest recent price, so a small top-up may be due.
        if svc.get(ex.number).remaining_due_minor > 0:
            svc.pay_cash(ex.number, "csr1", "1000")
        timed(lambda ex=ex: svc.finalize(ex.number, "csr1"), steps["finalize"])
        steps["whole"].append(time.perf_counter() - t0)
    # An upgrade with a cash payment, for the payment step.
    with app.engine.connect() as conn:
        pairs = conn.exec_driver_sql(
            "SELECT g.sku, b.sku, sb.on_hand FROM items g JOIN items b "
            "ON substr(g.sku, 1, length(g.sku) - 6) = substr(b.sku, 1, length(b.sku) - 6) "
            "JOIN stock sb ON sb.sku = b.sku WHERE g.tier = 'good' AND b.tier = 'better' "
            "AND g.returnable AND b.price_minor - g.price_minor < 8000 AND sb.on_hand > 0"
        ).all()
    stock_left = [(g, b) for g, b, on_hand in pairs for _ in range(on_hand)]
    for good, better in stock_left[:min(n, 50)]:
        ex = svc.start("csr1")
        svc.scan_returned(ex.number, "csr1", good)
        svc.scan_requested(ex.number, "csr1", better)
        svc.submit(ex.number, "csr1")
        timed(lambda ex=ex: svc.pay_cash(ex.number, "csr1", "1000"), steps["pay_cash"])
        svc.finalize(ex.number, "csr1")
    app.close()
    return steps


def ms(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"median {statistics.median(samples) * 1e3:7.2f} ms   p95 {q[18] * 1e3:7.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("POS_EXCHANGE_CONFIG", os.devnull)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        base = Path(tmp)
        floor = floor_commit(base / "floor.sqlite3", args.exchanges)
        t0 = time.perf_counter()
        tracemalloc.start()
        init_db(str(base / "engine.sqlite3"), demo=True)
        _, peak_init = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        init_s = time.perf_counter() - t0
        steps = engine_run(base / "engine.sqlite3", args.exchanges)
    floor_median = statistics.median(floor)
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, "
          f"{args.exchanges} exchanges")
    print(f"floor: raw INSERT+COMMIT (WAL, FULL)   {ms(floor)}")
    for name, samples in steps.items():
        ratio = statistics.median(samples) / floor_median
        print(f"engine {name:<9}                    {ms(samples)}   {ratio:5.1f}× floor")
    print(f"demo db init (306 items, 50 sales): {init_s * 1e3:.0f} ms, "
          f"peak Python memory {peak_init / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
