"""Crash consistency: SIGKILL a register process at random moments while it finalizes.

A worker subprocess (``crash_worker``) runs complete upgrade exchanges in a loop and
prints ``ACK <uuid> <number>`` only after ``finalize`` has returned. The test kills it
with SIGKILL at a random time, ``KILLS`` times, each time restarting a fresh worker on
the same database, like a register that loses power and is switched back on.

After every kill, and once more in full at the end, the database must show:

* no acknowledged exchange is lost: each ACK is IN_TRANSIT with its new sale, its draws,
  its settled outbox message, and money that is conserved;
* nothing is half-written: a settled exchange has every record finalize writes, an
  unsettled one has none of them, and the stored state is the one its journal reached;
* the outbox matches the exchanges: settled messages exist exactly for settled exchanges;
* exchange numbers are gapless, stock moved exactly for settled exchanges, the audit
  chain verifies and SQLite's integrity check passes.

SIGKILL ends the process, not the machine: written pages stay in the OS cache, so this
test proves transaction boundaries (atomicity), not fsync durability on power loss.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

import pytest
from sqlalchemy import Connection, text

from pos_exchange.bootstrap import App, init_db, open_app
from pos_exchange.domain.exchange import State, TenderKind
from pos_exchange.domain.numbering import parse_number

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER = "tests.reliability.crash_worker"

KILLS = 100
SEED = 20_261_122
KILL_AFTER_READY_S = (0.05, 0.6)     # uniform delay between READY and SIGKILL
READY_TIMEOUT_S = 20.0
EXIT_TIMEOUT_S = 10.0
MIN_ACKS = 50                        # the run must really have exercised finalize

ACK_LINE = re.compile(r"^ACK ([0-9a-f-]{36}) (EX-[A-Z0-9-]+)$")
SETTLED_TOPIC = "exchange.settled"
# The worker never asks for approval, cancels or voids; PAID never outlives finalize's
# transaction (it moves on to IN_TRANSIT in the same unit of work).
UNSETTLED = {str(State.DRAFT), str(State.AWAITING_PAYMENT)}
SETTLED = {str(State.IN_TRANSIT)}


# ---------------------------------------------------------------------- the worker
@dataclass
class WorkerRun:
    index: int
    delay_s: float
    acks: list[tuple[str, str]] = field(default_factory=list)
    stderr: str = ""


class Output:
    """Unbuffered reader of the worker's stdout, with deadlines (never hangs)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self.fd = proc.stdout.fileno()
        self.data = b""
        self.eof = False

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if ready:
            chunk = os.read(self.fd, 65536)
            self.eof = not chunk
            self.data += chunk

    def wait_for(self, line: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while line not in self.data.split(b"\n")[:-1]:
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                return False
            self._read(left)
        return True

    def drain(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.eof:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._read(left)
        return True

    def complete_lines(self) -> list[str]:
        # A line without its newline was cut by the kill: it acknowledges nothing.
        return [ln.decode() for ln in self.data.split(b"\n")[:-1]]


def run_worker(db: Path, run: WorkerRun, seed: int, stderr_path: Path) -> None:
    """Start a worker, let it finalize for ``run.delay_s`` after READY, then SIGKILL it."""
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", WORKER, str(db), str(seed)],
            cwd=REPO_ROOT, env=dict(os.environ), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=stderr)
    out = Output(proc)
    try:
        ready = out.wait_for(b"READY", READY_TIMEOUT_S)
        if ready:
            time.sleep(run.delay_s)
        alive = proc.poll() is None
        if alive:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=EXIT_TIMEOUT_S)
        drained = out.drain(EXIT_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=EXIT_TIMEOUT_S)
        assert proc.stdout is not None
        proc.stdout.close()
    run.stderr = stderr_path.read_text(errors="replace")
    context = f"worker run {run.index} (seed {seed}):\n{run.stderr[-3000:]}"
    assert ready, f"no READY within {READY_TIMEOUT_S}s from {context}"
    assert alive, f"the worker died before it was killed (rc {proc.returncode}) in {context}"
    assert proc.returncode == -signal.SIGKILL, context
    assert drained, f"stdout not closed after the kill in {context}"
    lines = out.complete_lines()
    assert lines[0] == "READY", lines[:3]
    for line in lines[1:]:
        match = ACK_LINE.match(line)
        assert match, f"unexpected worker output {line!r} in {context}"
        run.acks.append((match.group(1), match.group(2)))


# ---------------------------------------------------------------------- the checks
def _rows(conn: Connection, sql: str, **params: Any) -> list[Any]:
    return list(conn.execute(text(sql), params))


def _by_uuid(conn: Connection, sql: str) -> Counter[str]:
    return Counter(uuid for (uuid,) in _rows(conn, sql))


def stock_levels(conn: Connection) -> dict[str, int]:
    return {sku: on_hand for sku, on_hand in _rows(conn, "SELECT sku, on_hand FROM stock")}


@dataclass
class Snapshot:
    states: dict[str, str]          # uuid -> state
    numbers: dict[str, str]         # uuid -> number

    def settled(self) -> set[str]:
        return {u for u, s in self.states.items() if s in SETTLED}

    def unsettled(self) -> set[str]:
        return {u for u, s in self.states.items() if s in UNSETTLED}


def check_database(app: App, acked: dict[str, str], initial_stock: dict[str, int],
                   full: bool, verify_acks: set[str]) -> Snapshot:
    """Every invariant a crash must not break; ``full`` adds the per-exchange deep checks."""
    with app.engine.connect() as conn:
        snap = _check_sql(conn, app, acked, initial_stock)
        if full:
            _check_outbox_payloads(conn, snap)
        conn.rollback()
    for uuid in sorted(snap.settled() if full else verify_acks):
        _check_settled_aggregate(app, uuid, snap.numbers[uuid])
    verdict = app.audit.verify()
    assert verdict.ok, f"audit chain broken: {verdict}"
    return snap


def _check_sql(conn: Connection, app: App, acked: dict[str, str],
               initial_stock: dict[str, int]) -> Snapshot:
    assert _rows(conn, "PRAGMA integrity_check") == [("ok",)]

    rows = _rows(conn, "SELECT uuid, number, state, new_sale_id, finalized_at FROM exchanges")
    states = {r.uuid: r.state for r in rows}
    numbers = {r.uuid: r.number for r in rows}
    snap = Snapshot(states, numbers)
    unexpected = {u: s for u, s in states.items() if s not in SETTLED | UNSETTLED}
    assert not unexpected, f"exchanges in states the worker never leaves them in: {unexpected}"
    settled = snap.settled()

    # No acknowledged exchange is lost.
    lost = {u: n for u, n in acked.items() if u not in states}
    assert not lost, f"acknowledged exchanges missing after a crash: {lost}"
    not_settled = {u: states[u] for u in acked if states[u] not in SETTLED}
    assert not not_settled, f"acknowledged exchanges not settled: {not_settled}"
    renumbered = {u: (n, numbers[u]) for u, n in acked.items() if numbers[u] != n}
    assert not renumbered, f"acknowledged exchanges changed number: {renumbered}"

    # Exchange numbers: gapless, counter in step, every check character valid.
    counters = _rows(conn, "SELECT store_id, register_id, last_seq FROM register_sequences")
    rt = app.runtime
    seqs = []
    for number in numbers.values():
        store, register, seq = parse_number(number)
        assert (store, register) == (rt.store_id, rt.register_id), number
        seqs.append(seq)
    assert sorted(seqs) == list(range(1, len(rows) + 1)), "exchange numbers have gaps"
    if rows:
        assert counters == [(rt.store_id, rt.register_id, len(rows))], counters

    # Settled: new sale, funding, lines, draws, store-credit payment, finalized_at.
    for r in rows:
        if r.state in SETTLED:
            assert r.new_sale_id and r.finalized_at, f"{r.number} settled without its sale"
        else:
            assert r.new_sale_id is None and r.finalized_at is None, \
                f"{r.number} is {r.state} but has finalize's fields set"
    sales = {r.source_exchange_uuid: r for r in _rows(
        conn, "SELECT sale_id, order_number, source_exchange_uuid FROM sales "
              "WHERE source_exchange_uuid IS NOT NULL")}
    assert set(sales) == settled, (
        f"new sales without a settled exchange: {set(sales) - settled}; "
        f"settled exchanges without a new sale: {settled - set(sales)}")
    new_sale_of = {r.uuid: r.new_sale_id for r in rows}
    for uuid, sale in sales.items():
        assert sale.sale_id == new_sale_of[uuid] and sale.order_number == numbers[uuid]
    lines = Counter(sid for (sid,) in _rows(conn, "SELECT sale_id FROM sale_lines"))
    funding = Counter(sid for (sid,) in _rows(conn, "SELECT sale_id FROM sale_funding"))
    for uuid, sale in sales.items():
        assert lines[sale.sale_id] >= 1 and funding[sale.sale_id] >= 1, numbers[uuid]
    draws = _by_uuid(conn, "SELECT exchange_uuid FROM exchange_draws")
    assert set(draws) == settled, (
        f"draws without settlement: {set(draws) - settled}; "
        f"settled without draws: {settled - set(draws)}")
    credit = {pid[3:] for (pid,) in _rows(
        conn, "SELECT payment_id FROM payments WHERE payment_id LIKE 'nr-%'")}
    assert credit == settled, "store credit issued for exactly the settled exchanges"

    # Tenders: one cash payment at most, none before AWAITING_PAYMENT, no refunds here.
    tenders = _rows(conn, "SELECT exchange_uuid, kind, payment_id FROM exchange_tenders")
    payments_by_uuid = Counter(t.exchange_uuid for t in tenders
                               if t.kind == str(TenderKind.PAYMENT))
    refunds = [t for t in tenders if t.kind != str(TenderKind.PAYMENT)]
    assert not refunds, f"refund tenders in upgrade-only exchanges: {refunds}"
    assert all(n <= 1 for n in payments_by_uuid.values()), payments_by_uuid.most_common(3)
    for uuid in settled:
        assert payments_by_uuid[uuid] == 1, f"{numbers[uuid]} settled without its payment"
    for uuid, count in payments_by_uuid.items():
        assert count == 0 or states[uuid] != str(State.DRAFT), numbers[uuid]
    booked = {pid for (pid,) in _rows(conn, "SELECT payment_id FROM payments")}
    for t in tenders:
        # The payment joins the ledger when the exchange settles, not before.
        assert (t.payment_id in booked) == (t.exchange_uuid in settled), numbers[t.exchange_uuid]

    # The outbox matches the exchanges.
    outbox = _rows(conn, "SELECT exchange_uuid, topic FROM outbox")
    topics = Counter(topic for _, topic in outbox)
    assert set(topics) <= {SETTLED_TOPIC}, f"unexpected outbox topics: {topics}"
    per_exchange = Counter(uuid for uuid, _ in outbox)
    assert set(per_exchange) == settled, (
        f"outbox messages for unsettled exchanges: {set(per_exchange) - settled}; "
        f"settled exchanges without a message: {settled - set(per_exchange)}")
    doubled = {numbers[u]: n for u, n in per_exchange.items() if n != 1}
    assert not doubled, f"exchanges with more than one settled message: {doubled}"

    # The journal matches the rows written in the same transactions.
    journal = _rows(conn, "SELECT seq, event, exchange_uuid, payload FROM audit_journal "
                          "ORDER BY seq")
    assert [e.seq for e in journal] == list(range(1, len(journal) + 1)), "journal seq gaps"
    events: dict[str, Counter[str]] = defaultdict(Counter)
    last_state: dict[str, str] = {}
    for e in journal:
        if e.exchange_uuid is None:
            continue
        events[e.exchange_uuid][e.event] += 1
        if e.event == "exchange.state":
            last_state[e.exchange_uuid] = json.loads(e.payload)["to"]
    assert set(events) == set(states), (
        f"journal entries of unknown exchanges: {set(events) - set(states)}; "
        f"exchanges without journal entries: {set(states) - set(events)}")
    for uuid, state in states.items():
        seen, number = events[uuid], numbers[uuid]
        assert seen["exchange.started"] == 1, f"{number}: {seen}"
        assert last_state.get(uuid, str(State.DRAFT)) == state, \
            f"{number} is stored as {state}, its journal says {last_state.get(uuid)}"
        assert seen["exchange.finalized"] == (1 if state in SETTLED else 0), f"{number}: {seen}"
        assert seen["payment.recorded"] == payments_by_uuid[uuid], f"{number}: {seen}"
        assert seen["refund.recorded"] == 0, f"{number}: {seen}"

    # Stock moved for exactly the settled exchanges: returned back in, new item out.
    expected = dict(initial_stock)
    for sql, sign in (("SELECT exchange_uuid, sku, qty FROM exchange_returned "
                       "WHERE restock", 1),
                      ("SELECT exchange_uuid, sku, qty FROM exchange_requested", -1)):
        for uuid, sku, qty in _rows(conn, sql):
            if uuid in settled:
                expected[sku] = expected.get(sku, 0) + sign * qty
    actual = stock_levels(conn)
    drift = {sku: (expected.get(sku), actual.get(sku)) for sku in set(expected) | set(actual)
             if expected.get(sku) != actual.get(sku)}
    assert not drift, f"stock (expected, actual) differs from settled exchanges: {drift}"
    return snap


def _check_outbox_payloads(conn: Connection, snap: Snapshot) -> None:
    """Each settled message describes its exchange as stored, with a real journal head."""
    hashes = dict(_rows(conn, "SELECT seq, hash FROM audit_journal"))
    tender_ids: dict[str, set[str]] = defaultdict(set)
    for uuid, tender_id in _rows(conn, "SELECT exchange_uuid, tender_id FROM exchange_tenders"):
        tender_ids[uuid].add(tender_id)
    for uuid, payload in _rows(conn, "SELECT exchange_uuid, payload FROM outbox"):
        doc = json.loads(payload)
        number = snap.numbers[uuid]
        assert (doc["uuid"], doc["number"], doc["state"]) == (uuid, number, snap.states[uuid])
        assert {t["id"] for t in doc["tenders"]} == tender_ids[uuid], number
        assert doc["draws"] and doc["links"]["new_sale"] == number, number
        head = doc["journal_head"]
        assert hashes.get(head["seq"]) == head["hash"], f"{number}: journal head not in journal"
        for entry in doc["audit"]:
            assert hashes.get(entry["seq"]) == entry["hash"], f"{number}: entry {entry['seq']}"


def _check_settled_aggregate(app: App, uuid: str, number: str) -> None:
    ex = app.exchanges.get(uuid)
    assert ex.number == number and ex.state is State.IN_TRANSIT, (number, ex.state)
    ex.check_conservation()  # raises MONEY_NOT_CONSERVED
    assert len(ex.payments) == 1 and not ex.refunds, (number, ex.tenders)
    assert ex.remaining_due_minor == 0, number
    assert sum(d.amount_minor for d in ex.draws) == ex.valuation().returned_credit_minor
    sale = app.exchanges.find_sale(number)
    assert sale.source_exchange_uuid == uuid and sale.sale_id == ex.new_sale_id, number
    assert sum(f.amount_minor for f in sale.funding) == ex.valuation().new_total_minor, number


# ---------------------------------------------------------------------- the test
@pytest.mark.slow
def test_kill9_while_finalizing_loses_and_half_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite3"
    init_db(str(db), demo=True)
    app = open_app(str(db))
    try:
        with app.engine.connect() as conn:
            initial_stock = stock_levels(conn)
            conn.rollback()
    finally:
        app.close()

    rng = Random(SEED)
    acked: dict[str, str] = {}
    settled_before: set[str] = set()
    runs: list[WorkerRun] = []
    started = time.monotonic()
    for index in range(KILLS):
        run = WorkerRun(index, rng.uniform(*KILL_AFTER_READY_S))
        worker_seed = rng.randrange(2**32)
        run_worker(db, run, worker_seed, tmp_path / f"worker-{index}.stderr")
        runs.append(run)
        for uuid, number in run.acks:
            assert uuid not in acked, f"{number} acknowledged twice"
            acked[uuid] = number

        app = open_app(str(db))
        try:
            snap = check_database(app, acked, initial_stock, full=False,
                                  verify_acks={u for u, _ in run.acks})
        finally:
            app.close()
        # Between the last ACK and the kill the worker can settle at most one more.
        unacked = snap.settled() - settled_before - {u for u, _ in run.acks}
        assert len(unacked) <= 1, f"run {index}: settled but never acknowledged: {unacked}"
        settled_before = snap.settled()

    app = open_app(str(db))
    try:
        snap = check_database(app, acked, initial_stock, full=True, verify_acks=set(acked))
        verdict = app.audit.verify()
    finally:
        app.close()

    elapsed = time.monotonic() - started
    print(f"\ncrash test: {len(runs)} kills in {elapsed:.1f}s, {len(acked)} acknowledged, "
          f"{len(snap.settled())} settled, {len(snap.unsettled())} left unfinished by kills "
          f"{dict(Counter(snap.states[u] for u in snap.unsettled()))}, "
          f"{verdict.entries} journal entries")
    assert len(runs) >= KILLS
    assert len(acked) >= MIN_ACKS, f"only {len(acked)} exchanges were acknowledged"
    assert acked.keys() <= snap.settled()
