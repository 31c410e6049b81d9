"""The engine's steps with a receipt, at 0, 50,000 and 500,000 exchanges of history,
against a raw SQLite commit floor measured in the same run.

    .venv/bin/python bench/bench_engine.py [--histories 0,50000,500000] [--exchanges 200]
                                           [--cache DIR] [--json OUT] [--smoke]

The histories are built once by bench/generate.py into ``--cache`` (default
``.benchcache/`` in the checkout, or $BENCH_CACHE; 500,000 exchanges take a few minutes
and 3.5 GB) and copied for each run, so every run starts from the same file.

Each history then serves ``--exchanges`` counter exchanges through the services, each with
a receipt: the first returns a line of a recent demo sale, and each next one returns what
the one before it sold (its receipt is that exchange's number), alternating an upgrade
paid in cash with an exchange for less refunded to that cash. So every step reads what a
receipt makes it read (the sale, what live exchanges took back from it and drew from its
payments, the CSR's refunds and the customer's exchanges today). The clock moves a day per
exchange, as the generated history's days do, so the daily limits never refuse one. The
first three exchanges warm the caches and are not counted.

The floor is one INSERT + COMMIT on a raw sqlite3 connection with the same pragmas (WAL,
synchronous=FULL) on the same disk: every step is at least one such durable commit.
Issue 15's goal: finalize p99 <= 25 ms, flat from 0 to 50k to 500k exchanges (here: each
history's median CPU time of finalize within 1.25x of the first one's: on a shared
machine the wall-clock figures swing with the other processes, the CPU time much less).

The generated history's copied exchanges have no journal entries (generate.py), so the
register opens without the start-up deep check (``check_books=False``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Figure, emit, median, percentile  # noqa: E402
from bench.generate import NOW, add_items, copy_history, seed_exchanges  # noqa: E402
from pos_exchange.bootstrap import init_db, open_app, upgrade_db  # noqa: E402

STEPS = ("start", "scan returned", "scan requested", "submit", "pay cash", "finalize")
LOW, HIGH = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002"   # 19.00 and 77.99: no approval
WARM_UP = 3
FLAT = 1.25


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def history(cache: Path, exchanges: int) -> Path:
    """The cached generated database with ``exchanges`` exchanges (built if missing)."""
    path = cache / f"history-{exchanges}.sqlite3"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    print(f"generating {exchanges:,} exchanges into {path} ...", file=sys.stderr)
    init_db(str(building), demo=True, clock=lambda: NOW)
    add_items(building, 0, 1)
    if exchanges:
        templates = seed_exchanges(building, min(exchanges, 36))
        copy_history(building, templates, exchanges)
    os.replace(building, path)
    return path


def floor_commit(path: Path, n: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    samples: list[float] = []
    for i in range(n):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (i, "x" * 200))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - started)
    conn.close()
    return samples


def first_receipt(db: Path) -> tuple[str, str]:
    """A recent demo sale's returnable line: (order number, sku)."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE stock SET on_hand = 100000 WHERE sku IN (?, ?)", (LOW, HIGH))
        conn.commit()
        row = conn.execute(
            "SELECT s.order_number, l.sku FROM sales s JOIN sale_lines l ON l.sale_id = "
            "s.sale_id JOIN items i ON i.sku = l.sku WHERE s.source_exchange_uuid IS NULL "
            "AND i.returnable ORDER BY s.sold_at DESC, l.line_id LIMIT 1").fetchone()
    finally:
        conn.close()
    return row[0], row[1]


def run(db: Path, n: int) -> dict[str, list[float]]:
    """``n`` exchanges with a receipt, each step timed (the warm-up ones dropped); the
    steps' CPU time too (``"<step> cpu"``: what the shared machine's load does not stretch
    as much, so it is what "flat" is judged by)."""
    receipt, returned = first_receipt(db)
    clock = Clock(NOW)
    app = open_app(str(db), clock=clock, check_books=False)
    svc = app.exchanges
    steps: dict[str, list[float]] = {name: [] for step in (*STEPS, "whole exchange")
                                      for name in (step, f"{step} cpu")}

    def timed(step: str, fn: Callable[[], object]) -> object:
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        steps[step].append(time.perf_counter() - started)
        steps[f"{step} cpu"].append(time.process_time() - cpu)
        return result

    try:
        for i in range(n + WARM_UP):
            clock.now += timedelta(days=1)
            wanted = HIGH if returned != HIGH else LOW
            began, began_cpu = time.perf_counter(), time.process_time()
            ex = timed("start", lambda r=receipt: svc.start("csr1", sale_key=r))
            key = ex.number  # type: ignore[attr-defined]
            timed("scan returned", lambda k=key, s=returned: svc.scan_returned(k, "csr1", s))
            timed("scan requested", lambda k=key, s=wanted: svc.scan_requested(k, "csr1", s))
            ex = timed("submit", lambda k=key: svc.submit(k, "csr1"))
            if ex.state.value == "PENDING_APPROVAL":  # type: ignore[attr-defined]
                svc.approve(key, "mgr1", "9999", "bench")
            if svc.get(key).remaining_due_minor > 0:
                timed("pay cash", lambda k=key: svc.pay_cash(k, "csr1", "1000.00"))
            timed("finalize", lambda k=key: svc.finalize(k, "csr1"))
            steps["whole exchange"].append(time.perf_counter() - began)
            steps["whole exchange cpu"].append(time.process_time() - began_cpu)
            if i < WARM_UP:
                for samples in steps.values():
                    samples.clear()
            receipt, returned = key, wanted
    finally:
        app.close()
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--histories", default="0,50000,500000",
                        help="exchanges of history, comma-separated")
    parser.add_argument("--exchanges", type=int, default=200)
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("BENCH_CACHE", ROOT / ".benchcache")))
    parser.add_argument("--json")
    parser.add_argument("--smoke", action="store_true",
                        help="CI: histories of 0 and 12 in a temporary cache, 3 exchanges")
    args = parser.parse_args(argv)
    os.environ.setdefault("POS_EXCHANGE_CONFIG", str(Path(tempfile.gettempdir()) /
                                                     "pos-bench-no-config.toml"))
    sizes = [int(text) for text in args.histories.split(",")]
    n = args.exchanges
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        work = Path(tmp)
        cache = args.cache
        if args.smoke:
            sizes, n, cache = [0, 12], 3, work / "cache"
        floor = floor_commit(work / "floor.sqlite3", max(n, 50))
        results: dict[int, dict[str, list[float]]] = {}
        for size in sizes:
            source = history(cache, size)
            db = work / "engine.sqlite3"
            shutil.copyfile(source, db)
            upgrade_db(str(db))  # a history generated by an older version
            results[size] = run(db, n)
            db.unlink()
    floor_ms = median(floor) * 1e3
    base = median(results[sizes[0]]["finalize cpu"]) * 1e3
    figures: list[Figure] = []
    for size in sizes:
        steps = results[size]
        p50 = median(steps["finalize"]) * 1e3
        p99 = percentile(steps["finalize"], 99) * 1e3
        cpu = median(steps["finalize cpu"]) * 1e3
        growth = cpu / base if base else 0.0
        flat = growth <= FLAT
        figures += [
            Figure(f"finalize with a receipt, {size:,} exchanges in the db: p50", p50, "ms",
                   "raw commit", floor_ms),
            Figure(f"finalize with a receipt, {size:,} exchanges in the db: CPU p50", cpu,
                   "ms", note=f"{growth:.2f}x the first history's"),
            Figure(f"finalize with a receipt, {size:,} exchanges in the db: p99", p99, "ms",
                   "raw commit", floor_ms, "p99 <= 25 ms, flat", p99 <= 25 and flat,
                   note=f"CPU p50 {growth:.2f}x the first history's"),
        ]
        for step in (*STEPS[:-1], "whole exchange"):
            if steps[step]:
                figures.append(Figure(
                    f"{step}, {size:,} exchanges in the db: p99",
                    percentile(steps[step], 99) * 1e3, "ms", "raw commit", floor_ms,
                    note=f"p50 {median(steps[step]) * 1e3:.2f} ms"))
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {n} exchanges "
          f"per history")
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
