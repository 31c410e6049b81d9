"""`audit verify` on a long journal, against a raw read-and-hash floor in the same run.

    .venv/bin/python bench/bench_audit.py [--entries 100000] [--runs 3] [--json OUT] [--smoke]

Builds a register database whose journal holds ``--entries`` real, chained entries
(appended through the journal repository in large transactions), then times:
- the floor: read every row with sqlite3 and SHA-256 each canonical entry once;
- `AuditService.verify()` as `pos-exchange audit verify` runs it (incremental: from the
  last verified, anchored point);
- `AuditService.verify(full=True)` (`audit verify --full`): the whole chain.
Figures are medians of ``--runs`` runs. Issue 15's goal: under 1 s at 100,000 entries.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Figure, emit, median  # noqa: E402
from pos_exchange.bootstrap import init_db, open_app  # noqa: E402

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def build(db: Path, entries: int) -> None:
    init_db(str(db), demo=True, clock=lambda: NOW)
    app = open_app(str(db), clock=lambda: NOW)
    try:
        done = 0
        while done < entries:
            with app.uow() as uow:
                for i in range(done, min(entries, done + 10_000)):
                    uow.journal.append(ts=NOW + timedelta(seconds=i), store="S001",
                                       register="R01", user="csr1", event="bench.entry",
                                       exchange_uuid=None,
                                       payload={"n": i, "amount": i * 7 % 10_000})
                uow.commit()
            done = min(entries, done + 10_000)
    finally:
        app.close()


def floor(db: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    prev = "0" * 64
    for row in conn.execute("SELECT seq, ts, store_id, register_id, user_id, event, "
                            "exchange_uuid, payload, hash FROM audit_journal ORDER BY seq"):
        body = {"seq": row[0], "ts": row[1], "store": row[2], "register": row[3],
                "user": row[4], "event": row[5], "exchange": row[6], "payload": row[7]}
        prev = hashlib.sha256((prev + json.dumps(body, sort_keys=True, separators=(",", ":"),
                                                 ensure_ascii=False)).encode()).hexdigest()
    conn.close()
    return time.perf_counter() - started


def verify(db: Path, full: bool) -> float:
    app = open_app(str(db), clock=lambda: NOW)
    try:
        started = time.perf_counter()
        verdict = app.audit.verify(full=full)
        elapsed = time.perf_counter() - started
        assert verdict.ok, verdict
    finally:
        app.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument("--smoke", action="store_true", help="CI: 2,000 entries, one run")
    args = parser.parse_args(argv)
    if args.smoke:
        args.entries, args.runs = 2_000, 1
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "journal.sqlite3"
        build(db, args.entries)
        verify(db, full=True)  # warm the page cache, and the first full pass anchors
        floors = [floor(db) for _ in range(args.runs)]
        full = [verify(db, full=True) for _ in range(args.runs)]
        incremental = [verify(db, full=False) for _ in range(args.runs)]
    floor_s = median(floors)
    emit([
        Figure(f"audit verify --full, {args.entries:,} entries", median(full), "s",
               "raw read + hash", floor_s, "< 1 s", median(full) < 1.0),
        Figure(f"audit verify (incremental), {args.entries:,} entries", median(incremental),
               "s", "raw read + hash", floor_s, "< 1 s", median(incremental) < 1.0),
    ], args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
