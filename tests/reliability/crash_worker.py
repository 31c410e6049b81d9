"""Crash-test worker: finalizes upgrade exchanges in a loop until it is killed.

Run as ``python -m tests.reliability.crash_worker DB_PATH SEED`` from the repository
root. It prints ``READY`` once the app is open, then ``ACK <uuid> <number>`` after each
``finalize`` call has returned, i.e. only for exchanges the service acknowledged as
committed. ``test_crash_kill9`` kills it with SIGKILL at random moments and checks the
database afterwards.

Every exchange is a no-receipt return of a returnable item plus one dearer item taken in
its place, paid in cash: no customer (no daily limit), no refund (no CSR limit), and a
gap below the 100.00 approval threshold, so it goes DRAFT -> AWAITING_PAYMENT -> PAID ->
IN_TRANSIT without a manager. Anything else is a bug: the worker exits non-zero and the
test reports its stderr.
"""

from __future__ import annotations

import os
import random
import sys
from dataclasses import dataclass

from sqlalchemy import text

from pos_exchange.bootstrap import App, open_app
from pos_exchange.domain.exchange import State

USER = "csr1"
CASH_TENDERED = "500"
# New item total at most 90.00 net (97.43 with 8.25% tax): the gap stays below the
# 100.00 approval threshold whatever the returned item is worth.
MAX_REQUESTED_MINOR = 9_000
# The requested item costs at least 10% more than the returned one, so the gap stays
# positive (an upgrade) even when it is taxed at 2.25% and the returned one at 8.25%.
UPGRADE_FACTOR = 1.10


@dataclass(frozen=True)
class Item:
    sku: str
    price_minor: int
    returnable: bool


def load_catalogue(app: App) -> tuple[list[Item], dict[str, int]]:
    with app.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT i.sku, i.price_minor, i.returnable, s.on_hand "
            "FROM items i JOIN stock s ON s.sku = i.sku ORDER BY i.sku")).all()
        conn.rollback()
    items = [Item(r.sku, int(r.price_minor), bool(r.returnable)) for r in rows]
    return items, {r.sku: int(r.on_hand) for r in rows}


def upgrade_pairs(items: list[Item]) -> dict[str, list[str]]:
    """For each returnable item: the SKUs that make an approval-free upgrade of it."""
    pairs: dict[str, list[str]] = {}
    for old in items:
        if not old.returnable:
            continue
        dearer = [new.sku for new in items
                  if old.price_minor * UPGRADE_FACTOR < new.price_minor <= MAX_REQUESTED_MINOR]
        if dearer:
            pairs[old.sku] = dearer
    return pairs


def pick(rng: random.Random, pairs: dict[str, list[str]],
         stock: dict[str, int]) -> tuple[str, str]:
    returnables = sorted(pairs)
    for _ in range(1000):
        old = rng.choice(returnables)
        in_stock = [sku for sku in pairs[old] if stock.get(sku, 0) > 0]
        if in_stock:
            return old, rng.choice(in_stock)
    raise SystemExit("crash_worker: no upgrade pair has the new item in stock")


def ack(uuid: str, number: str) -> None:
    # One write() of < PIPE_BUF bytes: atomic on a pipe, nothing buffered in this process.
    os.write(sys.stdout.fileno(), f"ACK {uuid} {number}\n".encode())


def run(db_path: str, seed: int) -> None:
    rng = random.Random(seed)
    app = open_app(db_path)
    items, stock = load_catalogue(app)
    pairs = upgrade_pairs(items)
    svc = app.exchanges
    os.write(sys.stdout.fileno(), b"READY\n")
    while True:
        old, new = pick(rng, pairs, stock)
        ex = svc.start(USER)
        svc.scan_returned(ex.number, USER, old)
        svc.scan_requested(ex.number, USER, new)
        ex = svc.submit(ex.number, USER)
        if ex.state is not State.AWAITING_PAYMENT:
            raise SystemExit(f"crash_worker: {ex.number} ({old} -> {new}) is {ex.state} "
                             f"after submit, findings {ex.findings}")
        svc.pay_cash(ex.number, USER, CASH_TENDERED)
        ex = svc.finalize(ex.number, USER)
        if ex.state is not State.IN_TRANSIT:
            raise SystemExit(f"crash_worker: {ex.number} is {ex.state} after finalize")
        ack(ex.uuid, ex.number)
        stock[old] += 1
        stock[new] -= 1


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m tests.reliability.crash_worker DB_PATH SEED", file=sys.stderr)
        return 2
    run(argv[1], int(argv[2]))
    return 0  # pragma: no cover - the loop only ends by a kill or an error


if __name__ == "__main__":
    sys.exit(main(sys.argv))
