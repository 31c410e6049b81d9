"""Sync to a real hub (``pos-exchange-hub serve`` on 127.0.0.1), against a bare GET loop floor
measured on the same hub in the same run.

    .venv/bin/python bench/bench_sync.py [--exchanges 10000] [--registers 50] [--runs 3]
        [--pg URL] [--json OUT] [--smoke]

- **drain**: a register whose outbox holds ``--exchanges`` unsent settled exchanges (built
  from real exchanges like bench/generate.py builds histories, each copy with its own uuid,
  number and tender ids in its document) runs the product's own sync worker
  (``SyncService.run``, as ``pos-exchange sync`` and the window run it) until the outbox is
  empty; exchanges per second. Floor: a bare loop of ``GET /health`` (one request and one
  database round trip each) on the same hub, per second. Goal: >= 500 per s and >= 0.5x
  the floor, on a hub on SQLite and on PostgreSQL.
- **ingest at N registers** (PostgreSQL): ``--registers`` registers, each its own token
  and thread, each sending its records one at a time as a register does after each
  exchange (a batch of one) at one record per second per register (a busy counter
  settles about one exchange a minute: this is ~60x that), for ``--seconds``, against a hub
  of ``--workers`` processes (default 2); the latency of each request, p50 and p99. Goal:
  p99 <= 50 ms. Also the same registers sending back to back (saturation): records per
  second and p99, for the record.

PostgreSQL: ``--pg URL`` or $POS_EXCHANGE_TEST_PG_URL (``scripts/test-postgres.sh start``);
each run gets a fresh schema, dropped afterwards. Without one, the PostgreSQL figures are
left out (said so). Figures are medians of ``--runs`` runs. ``--smoke`` runs tiny sizes
once (CI checks the benchmark still runs; its figures mean nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Figure, emit, median, percentile  # noqa: E402
from bench.generate import NOW, REGISTER, copy_history, seed_exchanges  # noqa: E402
from pos_exchange.adapters.hub_client import HubClient  # noqa: E402
from pos_exchange.bootstrap import init_db, open_app  # noqa: E402
from pos_exchange.domain.numbering import format_number, parse_number  # noqa: E402
from pos_exchange.hub import migrate, tokens  # noqa: E402
from pos_exchange.sqlkit.engine import make_engine, sqlite_url  # noqa: E402

HUB = [str(Path(sys.executable).with_name("pos-exchange-hub"))]
WARM_UP = 3  # records each register sends before the ingest is timed
STORE = "S001"


# ------------------------------------------------------------------ the register's backlog
def build_backlog(db: Path, exchanges: int) -> int:
    """A register database (register R09) with ``exchanges`` unsent settled exchanges: a
    few dozen real ones, copied in SQL (bench/generate.py), each copy's outbox record made
    pending again with a document of its own (the template's uuid, number and tender ids
    replaced by the copy's). Returns how many records are pending."""
    init_db(str(db), demo=True, clock=lambda: NOW)
    templates = seed_exchanges(db, min(exchanges, 36))
    copy_history(db, templates, exchanges)
    conn = sqlite3.connect(db)
    with conn:
        src = {u: (num, p) for u, num, p in conn.execute(
            "SELECT e.uuid, e.number, o.payload FROM exchanges e JOIN outbox o "
            "ON o.exchange_uuid = e.uuid WHERE e.uuid IN "
            f"({','.join('?' * len(templates))})", templates)}
        tenders = {u: [t for (t,) in conn.execute(
            "SELECT tender_id FROM exchange_tenders WHERE exchange_uuid = ?", (u,))]
            for u in templates}
        rows = conn.execute("SELECT o.id, e.uuid, e.number FROM outbox o JOIN exchanges e "
                            "ON e.uuid = o.exchange_uuid WHERE e.uuid LIKE 'bbbbbbbb-0000-%'"
                            ).fetchall()
        updates = []
        for outbox_id, copy_uuid, number in rows:
            n = int(copy_uuid[-12:], 16)
            template = templates[n % len(templates)]
            old_number, payload = src[template]
            payload = payload.replace(template, copy_uuid).replace(old_number, number)
            for tender in tenders[template]:
                payload = payload.replace(f'"{tender}"', f'"{n}-{tender}"')
            updates.append((payload, outbox_id))
        conn.executemany("UPDATE outbox SET payload = ?, status = 'pending', attempts = 0 "
                         "WHERE id = ?", updates)
    pending = conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
    conn.close()
    return int(pending)


def documents_for(db: Path, register: str, count: int) -> list[dict[str, Any]]:
    """``count`` messages of ``register``: the backlog's documents, each given a new uuid,
    number (with its check character) and register."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT topic, payload FROM outbox ORDER BY id LIMIT 36").fetchall()
    conn.close()
    out = []
    for i in range(count):
        topic, payload = rows[i % len(rows)]
        doc = json.loads(payload)
        _store, _reg, _seq = parse_number(doc["number"])
        new_uuid, number = str(uuid.uuid4()), format_number(STORE, register, i + 1)
        text_ = payload.replace(doc["uuid"], new_uuid).replace(doc["number"], number)
        doc = json.loads(text_)
        doc["register"] = register
        out.append({"message_id": str(uuid.uuid4()), "topic": topic, "document": doc})
    return out


# ------------------------------------------------------------------ the hub
@dataclass
class Hub:
    url: str
    engine: Engine
    db_url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def hub_database(backend: str, tmp: Path, pg_url: str | None) -> Iterator[tuple[str, Engine]]:
    """A fresh, migrated hub database: a SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        url = sqlite_url(tmp / f"hub-{uuid.uuid4().hex[:8]}.sqlite3")
        engine = make_engine(url)
        migrate.upgrade(engine)
        try:
            yield url, engine
        finally:
            engine.dispose()
        return
    assert pg_url is not None
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = pg_url + ("&" if "?" in pg_url else "?") + f"options=-csearch_path%3D{name}"
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        yield url, engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@contextmanager
def serving(db_url: str, engine: Engine, workers: int = 1) -> Iterator[Hub]:
    """``pos-exchange-hub serve`` in its own process on 127.0.0.1 (as deployed), stopped
    afterwards."""
    port = _free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in the finally below)
    proc = subprocess.Popen([*HUB, "--db", db_url, "serve", "--port", str(port),
                             "--workers", str(workers)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit("the hub did not start:\n" + log.read().decode()[-2000:])
            time.sleep(0.1)
        yield Hub(url, engine, db_url)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def token(hub: Hub, register: str) -> str:
    return tokens.create(hub.engine, STORE, register, datetime.now(UTC))[1]


def floor_get(hub: Hub, seconds: float) -> float:
    """Bare GET /health loop on one keep-alive session: requests per second."""
    session = requests.Session()
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        assert session.get(hub.url + "/health", timeout=10).ok
        n += 1
    return n / (time.perf_counter() - started)


# ------------------------------------------------------------------ the figures
def drain(hub: Hub, template: Path, tmp: Path, expected: int) -> float:
    """The product's own worker (SyncService.run) empties the outbox: exchanges per s."""
    db = tmp / f"register-{uuid.uuid4().hex[:8]}.sqlite3"
    shutil.copy(template, db)
    app = open_app(str(db), register_id=REGISTER, startup_check=False)
    try:
        sync = app.sync(HubClient(hub.url, token(hub, REGISTER)))
        stop = threading.Event()
        worker = threading.Thread(target=sync.run, args=(stop, 15.0), daemon=True)
        started = time.perf_counter()
        worker.start()
        try:
            while app.exchanges.outbox_summary().pending:
                if time.perf_counter() - started > 1800:
                    raise SystemExit("the drain did not finish in 30 minutes")
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            stop.set()
            worker.join(timeout=120)
        status = sync.status()
        assert not status.dead, status.dead[:3]
    finally:
        app.close()
    with hub.engine.connect() as conn:
        held = conn.execute(text("SELECT count(*) FROM hub_records")).scalar()
    assert held == expected, (held, expected)
    return expected / elapsed


def ingest(hub: Hub, template: Path, registers: int, seconds: float,
           pace_s: float | None) -> tuple[list[float], int, float]:
    """``registers`` threads, each a register with its own token posting its records as a
    batch of one; every ``pace_s`` seconds (None: back to back). Latencies in seconds,
    records sent, elapsed seconds."""
    names = [f"R{10 + i:02d}" for i in range(registers)]
    per_register = WARM_UP + (int(seconds / pace_s) + 1 if pace_s else int(seconds * 40) + 10)
    docs = {name: documents_for(template, name, per_register) for name in names}
    keys = {name: token(hub, name) for name in names}
    latencies: list[list[float]] = [[] for _ in names]
    clock: dict[str, float] = {}

    def set_start() -> None:  # run once, as the barrier releases everyone
        clock["start"] = time.perf_counter() + 0.5
        clock["deadline"] = clock["start"] + seconds

    warm = threading.Barrier(registers + 1, action=set_start)

    def post(session: requests.Session, message: dict[str, Any]) -> None:
        try:
            answer = session.post(hub.url + "/v1/exchanges/batch",
                                  json={"records": [message]}, timeout=60)
        except requests.ConnectionError:  # a kept-alive connection the server just closed:
            answer = session.post(hub.url + "/v1/exchanges/batch",  # idempotent, send again
                                  json={"records": [message]}, timeout=60)
        assert answer.ok and answer.json()["results"][0]["status"] == 200, answer.text

    def register(i: int, name: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {keys[name]}"
        for message in docs[name][:WARM_UP]:  # untimed: connections, caches, first pages
            post(session, message)
        warm.wait()
        start_at, deadline = clock["start"], clock["deadline"]
        time.sleep(max(0.0, start_at - time.perf_counter() + (pace_s or 0) * i / registers))
        for k, message in enumerate(docs[name][WARM_UP:]):
            due = start_at + (pace_s or 0) * (k + i / registers)
            if pace_s:
                time.sleep(max(0.0, due - time.perf_counter()))
            if time.perf_counter() >= deadline:
                return
            sent = time.perf_counter()
            post(session, message)
            latencies[i].append(time.perf_counter() - sent)

    threads = [threading.Thread(target=register, args=(i, n)) for i, n in enumerate(names)]
    for thread in threads:
        thread.start()
    warm.wait()
    for thread in threads:
        thread.join()
    flat = [x for each in latencies for x in each]
    return flat, len(flat), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--registers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="per ingest run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2,
                        help="hub server processes for the ingest runs (PostgreSQL)")
    parser.add_argument("--pg", default=os.environ.get("POS_EXCHANGE_TEST_PG_URL"))
    parser.add_argument("--json")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run")
    args = parser.parse_args()
    if args.smoke:
        args.exchanges, args.registers, args.seconds, args.runs = 120, 3, 1.0, 1
    floor_s = 0.5 if args.smoke else 5.0
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "backlog.sqlite3"
        pending = build_backlog(template, args.exchanges)
        backends = ["sqlite"] + (["postgresql"] if args.pg else [])
        for backend in backends:
            floors, rates = [], []
            for _ in range(args.runs):
                with hub_database(backend, tmp, args.pg) as (url, engine), \
                        serving(url, engine) as hub:
                    floors.append(floor_get(hub, floor_s))
                    rates.append(drain(hub, template, tmp, pending))
            floor, rate = median(floors), median(rates)
            figures.append(Figure(
                f"sync drain of {pending:,} exchanges (hub on {backend})", rate, "per s",
                "bare GET loop", floor, ">= 500 per s and >= 0.5x floor",
                rate >= 500 and rate >= 0.5 * floor,
                note="the product's own sync worker (SyncService.run): no cap per round"))
        if args.pg:
            for label, pace in (("1 record/s each", 1.0), ("back to back", None)):
                p50s, p99s, rates = [], [], []
                for _ in range(args.runs):
                    with hub_database("postgresql", tmp, args.pg) as (url, engine), \
                            serving(url, engine, args.workers) as hub:
                        lat, n, secs = ingest(hub, template, args.registers, args.seconds,
                                              pace)
                    p50s.append(percentile(lat, 50) * 1000)
                    p99s.append(percentile(lat, 99) * 1000)
                    rates.append(n / secs)
                name = (f"hub ingest, {args.registers} registers, PostgreSQL "
                        f"({args.workers} workers), {label}")
                figures.append(Figure(f"{name}: p50", median(p50s), "ms"))
                figures.append(Figure(
                    f"{name}: p99", median(p99s), "ms",
                    goal="p99 <= 50 ms" if pace else "",
                    met=median(p99s) <= 50 if pace else None,
                    note=f"{median(rates):.0f} records per s taken"))
        else:
            print("PostgreSQL left out: pass --pg URL or set POS_EXCHANGE_TEST_PG_URL "
                  "(scripts/test-postgres.sh start)", file=sys.stderr)
    emit(figures, args.json)
    for figure in figures:
        if figure.note:
            print(f"  {figure.name}: {figure.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
