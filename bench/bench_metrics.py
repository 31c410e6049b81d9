"""The seed's four figures for 30 days over 1,000,000 exchanges at the hub, on PostgreSQL,
against a plain ``SELECT COUNT(*)`` over the same table as the floor, in the same run.

Run (a throwaway PostgreSQL of scripts/test-postgres.sh, or any URL you own):

    export POS_EXCHANGE_BENCH_PG_URL=$(scripts/test-postgres.sh start)
    .venv/bin/python bench/bench_metrics.py [--exchanges 1000000] [--spread-days 365]

It prints figures and asserts nothing (timed tests flake; benchmarks inform). It makes its
own schema in that database and drops it at the end.

The generator (deterministic, seed 13) writes ``hub_exchange_facts`` rows directly, as
``hub/reports_facts.py`` would project them from received records: 20 stores × 3
registers × 5 CSRs, business days spread evenly over the last ``--spread-days`` days
and written oldest first, as the hub receives them;
70 % upgrades, 10 % even, 20 % for less; 92 % settled, 4 % voided, 4 % cancelled; first
scan to finalize 30 s to 30 min; 3 % with a card decline, 1 % with an uncertain card
payment, 5 % approved; one or two of 300 SKUs handed out; plus each store's stock and
each register's reported expected stock. What is timed is exactly what the console and
``GET /v1/reports/metrics`` run for head office over every store: the catch-up of new
records (none here), the period's facts added up in SQL from their stored classification
(sums and counts, the durations by the second, the listed exchanges in full: four
queries), the stock figures, and ``services.metrics.assemble``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
import uuid as uuidlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_exchange.domain.numbering import format_number
from pos_exchange.hub import migrate, people, reports
from pos_exchange.services.metrics import ExchangeFact, Period, classify

STORES = [f"S{n:03d}" for n in range(1, 21)]
REGISTERS = ["R01", "R02", "R03"]
CSRS = [f"csr{n}" for n in range(1, 6)]
SKUS = [f"SKU-{n:04d}" for n in range(300)]
TODAY = date(2026, 11, 20)
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


def _b(value: bool) -> str:
    return "t" if value else "f"


def _row(rng: random.Random, i: int, n: int, spread: int) -> str:
    """One fact row for COPY, with its classification computed as the hub's projection
    computes it (metrics.classify)."""
    store, register = rng.choice(STORES), rng.choice(REGISTERS)
    day = TODAY - timedelta(days=spread - 1 - i * spread // n)   # oldest first
    kind = rng.choices(("upgrade", "even", "less"), (70, 10, 20))[0]
    outcome = rng.choices(("settled", "voided", "cancelled"), (92, 4, 4))[0]
    started = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + \
        timedelta(seconds=rng.randrange(0, 10 * 3600))
    finalized = None if outcome == "cancelled" else \
        started + timedelta(seconds=rng.randrange(30, 1800))
    gap = rng.randrange(100, 30000) if kind == "upgrade" else 0 if kind == "even" else \
        -rng.randrange(100, 8000)
    fact = ExchangeFact(
        str(uuidlib.UUID(int=rng.getrandbits(128))), format_number(store, register, i + 1),
        store, register, rng.choice(CSRS), "USD", outcome, kind, day, started, finalized,
        gap, rng.randrange(1000, 20000), gap if kind == "upgrade" and outcome != "cancelled"
        else 0, True, rng.random() < 0.97, rng.random() < 0.01,
        1 if rng.random() < 0.03 else 0, rng.random() < 0.05, f"C{rng.randrange(100000):05d}",
        tuple((rng.choice(SKUS), 1) for _ in range(rng.choice((1, 1, 2)))))
    c = classify(fact)
    cells = [fact.uuid, str(i + 1), f"exchange.{outcome}", store, register, fact.number,
             fact.csr, fact.customer or "", "USD", outcome, kind, day.isoformat(),
             started.strftime(STAMP), finalized.strftime(STAMP) if finalized else r"\N",
             str(gap), str(fact.returned_credit_minor), str(fact.paid_minor),
             _b(fact.reached_payment), _b(fact.payment_started), _b(fact.uncertain_card),
             str(fact.card_declines), _b(fact.approved), "f",
             json.dumps([list(x) for x in fact.handed_out]), " visa:4242 ",
             str(c.duration_s) if c.duration_s is not None else r"\N", _b(c.eligible),
             c.not_covered or r"\N", _b(c.kept), str(c.incremental_minor),
             str(c.refund_minor), str(c.credit_minor), _b(c.stock_counts), _b(c.listed)]
    return "\t".join(cells) + "\n"


COLUMNS = ("uuid, record_id, topic, store_id, register_id, number, csr, customer, currency, "
           "outcome, kind, day, started_at, finalized_at, gap_minor, returned_credit_minor, "
           "paid_minor, reached_payment, payment_started, uncertain_card, card_declines, "
           "approved, flagged, handed_out, cards, c_duration_s, c_eligible, c_not_covered, "
           "c_kept, c_incremental_minor, c_refund_minor, c_credit_minor, c_stock_counts, "
           "c_listed")


def generate(engine, n: int, spread: int) -> float:
    rng = random.Random(13)
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        batch = 100_000
        for first in range(0, n, batch):
            buffer = io.StringIO("".join(_row(rng, i, n, spread)
                                         for i in range(first, min(n, first + batch))))
            with cursor.copy(f"COPY hub_exchange_facts ({COLUMNS}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        now = datetime.now(UTC)
        for store in STORES:
            for sku in SKUS:
                cursor.execute("INSERT INTO hub_items (sku, name, category, price_minor, "
                               "tax_class, returnable, barcodes, version, deleted, updated_at)"
                               " VALUES (%s, %s, 'x', 100, 'standard', true, '[]', %s, false,"
                               " %s) ON CONFLICT DO NOTHING",
                               (sku, sku, SKUS.index(sku) + 1, now.strftime(STAMP)))
                cursor.execute("INSERT INTO hub_stock VALUES (%s, %s, %s, 0, 1, %s)",
                               (store, sku, rng.randrange(0, 50), now.strftime(STAMP)))
            for register in REGISTERS:
                expected = {sku: rng.randrange(0, 50) for sku in SKUS}
                cursor.execute("INSERT INTO hub_register_health VALUES (%s, %s, '1.0', 0, 0,"
                               " 0, 'UTC', %s, %s)", (store, register, json.dumps(expected),
                                                      now.strftime(STAMP)))
        raw.commit()
        cursor.execute("ANALYZE hub_exchange_facts")
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - started


def median_of(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=1_000_000)
    parser.add_argument("--spread-days", type=int, default=365,
                        help="business days the exchanges are spread over (30: all in the "
                             "measured period)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("POS_EXCHANGE_BENCH_PG_URL") or os.environ.get(
        "POS_EXCHANGE_TEST_PG_URL")
    if not url:
        print("Set POS_EXCHANGE_BENCH_PG_URL (scripts/test-postgres.sh start prints one).")
        return 2
    schema = f"bench_{uuidlib.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate.upgrade(engine)
        took = generate(engine, args.exchanges, args.spread_days)
        period = Period.last(30, TODAY)
        person = people.Person("ho1", "Head Office", people.HEAD_OFFICE, None)
        with engine.connect() as conn:
            in_period = conn.execute(text(
                "SELECT COUNT(*) FROM hub_exchange_facts WHERE day >= :a AND day <= :b"),
                {"a": period.start.isoformat(), "b": period.end.isoformat()}).scalar()

        def floor() -> int:
            with engine.connect() as conn:
                return int(conn.execute(text("SELECT COUNT(*) FROM hub_exchange_facts"))
                           .scalar_one())

        floor_s, total = median_of(floor, args.runs)
        metrics_s, m = median_of(lambda: reports.metrics(engine, person, period), args.runs)
        print(f"generated {args.exchanges:,} exchanges over {args.spread_days} days in "
              f"{took:.1f} s; {in_period:,} fall in the 30 days {period.start}..{period.end}")
        print(f"floor   SELECT COUNT(*) over {total:,} rows: {floor_s * 1000:.0f} ms "
              f"(median of {args.runs})")
        print(f"metrics the four figures for 30 days, every store: {metrics_s * 1000:.0f} ms "
              f"(median of {args.runs}); {metrics_s / floor_s:.1f}× the floor")
        print(f"        coverage {m.coverage.percent} %, median time {m.time.median_s} s, "
              f"inventory {m.inventory.rate_percent} %, net {m.revenue.net_minor} minor")
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
