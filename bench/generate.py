"""Build large register databases for the benchmarks: a big catalogue and a long history.

    .venv/bin/python bench/generate.py OUT.sqlite3 [--items N] [--exchanges M] [--seed S]

Starts from the demo store (`db init --demo`), then:
- ``--items N`` adds N catalogue items in bulk (valid EAN-13 barcodes, a price history row
  and a stock row each), so a scan looks up one barcode among N;
- ``--exchanges M`` runs a few dozen real exchanges through the services (upgrades paid in
  cash, even exchanges, exchanges for less, without a receipt, of register ``R09``) and then
  copies their rows M times over in SQL, each copy with its own UUID, number (a valid
  check character), tender ids, new sale and outbox record (marked sent, as a register that
  has synced). The copies are days in the past, so today's limits and lists stay as small
  as a real store's while every table the engine reads grows with the history.
  The copied exchanges' journal entries are not copied: the journal benchmark
  (bench_audit.py) builds its own chain of real entries.

The copy is done with ``INSERT … SELECT`` over the tables' own column lists (taken from
the schema), so a column added by a migration is copied too. Generating 500,000 exchanges
takes a few minutes; the result is meant to be kept in a cache directory and reused.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stdnum import ean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pos_exchange.adapters.db import schema  # noqa: E402
from pos_exchange.bootstrap import init_db, open_app  # noqa: E402
from pos_exchange.domain.numbering import format_number  # noqa: E402

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
REGISTER = "R09"            # the generated history's register (R01 stays the live one)
BATCH = 5_000


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def add_items(db: Path, n: int, seed: int) -> None:
    """N more items in bulk: SKU BENCH-000001…, EAN-13 barcodes 200…, one price, stock 50."""
    if n <= 0:
        return
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    today = NOW.date().isoformat()
    as_of = stamp(NOW)
    with conn:
        for start in range(0, n, BATCH):
            rows = range(start, min(n, start + BATCH))
            items, codes, prices, stock = [], [], [], []
            for i in rows:
                sku = f"BENCH-{i:07d}"
                body = f"2{i:011d}"
                code = body + ean.calc_check_digit(body)
                price = rng.randrange(500, 50_000)
                items.append((sku, f"Bench item {i}", "Bench", "good", price, "standard", 1))
                codes.append((code, sku))
                prices.append((sku, today, price))
                stock.append((sku, 50, as_of))
            conn.executemany("INSERT INTO items (sku, name, category, tier, price_minor, "
                             "tax_class, returnable) VALUES (?, ?, ?, ?, ?, ?, ?)", items)
            conn.executemany("INSERT INTO barcodes (code, sku) VALUES (?, ?)", codes)
            conn.executemany("INSERT INTO price_history (sku, valid_from, price_minor) "
                             "VALUES (?, ?, ?)", prices)
            conn.executemany("INSERT INTO stock (sku, on_hand, as_of) VALUES (?, ?, ?)", stock)
    conn.close()


def seed_exchanges(db: Path, count: int) -> list[str]:
    """Real exchanges through the services, on register R09: the rows to copy."""
    clock = Clock(NOW - timedelta(days=40))
    app = open_app(str(db), clock=clock, register_id=REGISTER)
    svc = app.exchanges
    uuids = []
    goods = ["APP-TSHIRT-G-001", "APP-POLO-G-004", "APP-OXFORD-G-007", "APP-HOODIE-G-010"]
    better = ["APP-TSHIRT-B-002", "APP-POLO-B-005", "APP-OXFORD-B-008", "APP-HOODIE-B-011"]
    try:
        for i in range(count):
            clock.now += timedelta(minutes=7)
            ex = svc.start("csr1", customer_id=f"C{(i % 20) + 1:04d}")
            good, new = goods[i % len(goods)], better[i % len(better)]
            svc.scan_returned(ex.number, "csr1", good)
            kind = i % 3
            if kind == 0:                                   # an upgrade paid in cash
                svc.scan_requested(ex.number, "csr1", new)
            elif kind == 1:                                 # an even swap
                svc.scan_requested(ex.number, "csr1", good)
            ex = svc.submit(ex.number, "csr1")
            if ex.state.value == "PENDING_APPROVAL":
                ex = svc.approve(ex.number, "mgr1", "9999", "Price match")
            if ex.state.value == "AWAITING_PAYMENT":
                svc.pay_cash(ex.number, "csr1", "1000.00")
            uuids.append(svc.finalize(ex.number, "csr1").uuid)
    finally:
        app.close()
    return uuids


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _columns(table: str) -> list[str]:
    return [c.name for c in schema.metadata.tables[table].columns]


def copy_history(db: Path, templates: list[str], total: int) -> None:
    """Copy the template exchanges' rows until the history holds ``total`` exchanges."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE TEMP TABLE copies (n INTEGER PRIMARY KEY, src TEXT, uuid TEXT, "
                 "number TEXT, sale_id TEXT, days INTEGER)")
    start_seq = conn.execute("SELECT last_seq FROM register_sequences WHERE register_id = ?",
                             (REGISTER,)).fetchone()[0]
    rng = random.Random(7)
    made = 0
    while made < total - len(templates):
        todo = min(BATCH, total - len(templates) - made)
        conn.execute("DELETE FROM copies")
        conn.executemany("INSERT INTO copies VALUES (?, ?, ?, ?, ?, ?)", [
            (n, templates[n % len(templates)], f"bbbbbbbb-0000-4000-8000-{n:012x}",
             format_number("S001", REGISTER, start_seq + n + 1),
             f"bbbbbbbb-5a1e-4000-8000-{n:012x}", 41 + rng.randrange(0, 700))
            for n in range(made, made + todo)])
        _copy_batch(conn)
        conn.commit()
        made += todo
    conn.execute("UPDATE register_sequences SET last_seq = ? WHERE register_id = ?",
                 (start_seq + made, REGISTER))
    conn.commit()
    conn.close()


def _shift(col: str) -> str:
    """A timestamp column moved back by the copy's ``days`` (ISO text sorts and compares)."""
    return (f"CASE WHEN {col} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S.000000Z', "
            f"{col}, '-' || c.days || ' days') END")


def _copy_batch(conn: sqlite3.Connection) -> None:
    ids = {"tender": "c.n || '-' || t.tender_id", "sale": "c.sale_id"}

    def insert(table: str, alias: str, overrides: dict[str, str], join: str) -> None:
        cols = _columns(table)
        exprs = [overrides.get(col, f"{alias}.{col}") for col in cols]
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
                     f"FROM copies c {join}")

    time_cols = {"created_at", "updated_at", "finalized_at", "approved_at"}
    insert("exchanges", "e", {"uuid": "c.uuid", "number": "c.number",
                              "new_sale_id": "CASE WHEN e.new_sale_id IS NULL THEN NULL "
                                             "ELSE c.sale_id END",
                              **{col: _shift(f"e.{col}") for col in time_cols
                                 if col in _columns("exchanges")}},
           "JOIN exchanges e ON e.uuid = c.src")
    for table in ("exchange_returned", "exchange_requested", "exchange_draws"):
        insert(table, "x", {"exchange_uuid": "c.uuid"},
               f"JOIN {table} x ON x.exchange_uuid = c.src")
    insert("exchange_tenders", "t", {"tender_id": ids["tender"], "exchange_uuid": "c.uuid",
                                     "payment_id": "c.n || '-' || t.payment_id",
                                     "reference": "NULL", "created_at": _shift("t.created_at")},
           "JOIN exchange_tenders t ON t.exchange_uuid = c.src")
    insert("payments", "p", {"payment_id": "c.n || '-' || p.payment_id",
                             "created_at": _shift("p.created_at"), "reference": "NULL"},
           "JOIN exchange_tenders t ON t.exchange_uuid = c.src AND t.kind = 'payment' "
           "JOIN payments p ON p.payment_id = t.payment_id")
    insert("sales", "s", {"sale_id": "c.sale_id", "order_number": "c.number",
                          "receipt_barcode": "c.number", "sold_at": _shift("s.sold_at"),
                          "source_exchange_uuid": "c.uuid"},
           "JOIN sales s ON s.source_exchange_uuid = c.src")
    insert("sale_lines", "l", {"sale_id": "c.sale_id"},
           "JOIN sales s ON s.source_exchange_uuid = c.src "
           "JOIN sale_lines l ON l.sale_id = s.sale_id")
    insert("sale_funding", "f", {"sale_id": "c.sale_id",
                                 "payment_id": "CASE WHEN f.payment_id IN (SELECT payment_id "
                                               "FROM exchange_tenders WHERE exchange_uuid = "
                                               "c.src) THEN c.n || '-' || f.payment_id ELSE "
                                               "f.payment_id END"},
           "JOIN sales s ON s.source_exchange_uuid = c.src "
           "JOIN sale_funding f ON f.sale_id = s.sale_id")
    insert("outbox", "o", {"id": "NULL", "message_id": "c.uuid", "exchange_uuid": "c.uuid",
                           "status": "'sent'", "created_at": _shift("o.created_at")},
           "JOIN outbox o ON o.exchange_uuid = c.src")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=0, help="extra catalogue items")
    parser.add_argument("--exchanges", type=int, default=0, help="exchanges in the history")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out.exists():
        raise SystemExit(f"{args.out} exists: generate into a new file")
    started = time.perf_counter()
    init_db(str(args.out), demo=True, clock=lambda: NOW)
    add_items(args.out, args.items, args.seed)
    if args.exchanges:
        templates = seed_exchanges(args.out, min(args.exchanges, 36))
        copy_history(args.out, templates, args.exchanges)
    print(f"{args.out}: {args.items} extra items, {args.exchanges} exchanges in "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
