"""1,000 exchanges from 3 registers through a faulty network end at the hub exactly once.

The real hub runs under uvicorn on 127.0.0.1 (SQLite), behind ``TcpFaultProxy``: the hub
down for a stretch of rounds, 500s answered by the proxy, slow responses, and connections
dropped after the hub committed (the register never hears, sends again, the hub dedupes).
Registers produce exchanges and sync in rounds, interleaved, with an immediate-retry
backoff; the run must converge within a bounded number of rounds.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.bootstrap import open_app
from pos_exchange.config import Settings
from pos_exchange.domain.exchange import State
from pos_exchange.hub import migrate as hub_migrate
from pos_exchange.hub import tokens
from pos_exchange.services.sync import Backoff, SyncReport, SyncService
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.fakes.tcp_fault_proxy import TcpFaultProxy
from tests.flows import copy_database
from tests.flows import settled_upgrade as run_exchange
from tests.hub.server import HubServer

TOTAL = 1000
REGISTERS = ("R01", "R02", "R03")
BATCH = 10                 # exchanges per register between two sync rounds
DOWN_BATCHES = range(12, 20)  # the hub is unreachable while these batches are produced
MAX_DRAIN_ROUNDS = 400     # after the last exchange: fail if not converged by then


def _register(tmp_path, demo_template, clock, hub_engine, url, register_id):
    path = tmp_path / f"{register_id}.sqlite3"
    copy_database(demo_template, path)
    app = open_app(str(path), settings=Settings(register_id=register_id), clock=clock)
    with app.engine.begin() as conn:  # 1,000 exchanges would empty the demo stock
        conn.execute(text("UPDATE stock SET on_hand = 100000"))
    _id, token = tokens.create(hub_engine, "S001", register_id, datetime.now(UTC))
    sync = SyncService(app.exchanges, app.audit, HubClient(url, token),
                       Backoff(base_s=0.0, cap_s=0.0, max_attempts=1000))
    return app, sync


def _pending(syncs) -> int:
    return sum(s.status().pending for s in syncs.values())


@pytest.mark.slow
def test_1000_exchanges_from_3_registers_under_faults_sync_exactly_once(
        tmp_path, demo_template, clock):
    started = time.monotonic()
    hub_engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    hub_migrate.upgrade(hub_engine)
    hub = HubServer(hub_engine)
    hub.start()
    proxy = TcpFaultProxy("127.0.0.1", hub.port, seed=20261122)
    apps, syncs, numbers = {}, {}, {r: [] for r in REGISTERS}
    try:
        for reg in REGISTERS:
            apps[reg], syncs[reg] = _register(tmp_path, demo_template, clock, hub_engine,
                                              proxy.url, reg)
        proxy.set_error_rate(0.10)
        proxy.set_drop_after_commit_rate(0.10)
        proxy.set_delay(0.005, rate=0.2)
        quota = {r: TOTAL // len(REGISTERS) + (i < TOTAL % len(REGISTERS))
                 for i, r in enumerate(REGISTERS)}           # 334 + 333 + 333
        reports: list[SyncReport] = []

        def sync_round() -> None:
            for reg in REGISTERS:
                reports.append(syncs[reg].push_once())

        batch = 0
        while any(len(numbers[r]) < quota[r] for r in REGISTERS):
            assert batch < 100, "production did not finish"  # bounded
            proxy.set_down(batch in DOWN_BATCHES)
            for reg in REGISTERS:
                for _ in range(min(BATCH, quota[reg] - len(numbers[reg]))):
                    numbers[reg].append(run_exchange(apps[reg]))
            sync_round()
            if batch in DOWN_BATCHES:
                assert not any(r.online for r in reports[-len(REGISTERS):])
            batch += 1
        produced_s = time.monotonic() - started

        proxy.set_down(False)
        rounds = 0
        while _pending(syncs):
            assert rounds < MAX_DRAIN_ROUNDS, f"not converged: {_pending(syncs)} pending"
            sync_round()
            rounds += 1

        counters = proxy.counters
        proxy.clear_faults()
        # A failed anchor post is tried again on the next online round, delivery or not.
        for reg in REGISTERS:
            syncs[reg].push_once()

        # -- exactly once, nothing lost ------------------------------------------------
        assert sum(len(v) for v in numbers.values()) == TOTAL
        with hub_engine.connect() as conn:
            rows, uuids = conn.execute(text(
                "select count(*), count(distinct exchange_uuid) from hub_records "
                "where topic = 'exchange.settled'")).one()
            all_rows = conn.execute(text("select count(*) from hub_records")).scalar()
            orders = conn.execute(text(
                "select count(distinct return_order), count(distinct sale_order) "
                "from hub_exchanges")).one()
            anchors = dict(conn.execute(text(
                "select register_id, max(seq) from hub_anchors group by register_id")).all())
        assert (rows, uuids, all_rows) == (TOTAL, TOTAL, TOTAL)
        assert tuple(orders) == (TOTAL, TOTAL)
        local_uuids = set()
        for reg in REGISTERS:
            for number in numbers[reg]:
                ex = apps[reg].exchanges.get(number)
                local_uuids.add(str(ex.uuid))
                assert ex.state is State.COMPLETED, (reg, number, ex.state)
                assert ex.links["oms_return_order"].startswith("RO-S001-")
                assert ex.links["oms_sale_order"].startswith("SO-S001-")
            status = syncs[reg].status()
            assert status.pending == 0 and status.dead == [], (reg, status)
            assert status.sent == quota[reg]
            assert apps[reg].audit.verify().ok
        with hub_engine.connect() as conn:
            hub_uuids = {str(u) for u in conn.execute(text(
                "select exchange_uuid from hub_records")).scalars()}
        assert hub_uuids == local_uuids
        assert anchors == {reg: apps[reg].audit.head().seq for reg in REGISTERS}

        # -- the faults really happened ----------------------------------------------------
        for kind in ("down", "error_500", "delayed", "dropped_after_commit"):
            assert counters.get(kind, 0) > 0, (kind, counters)
        assert counters.get("proxy_errors", 0) == 0, counters
        print(f"\nproxy counters: {counters}; production+sync {produced_s:.1f}s, "
              f"drain rounds {rounds}, "
              f"total {time.monotonic() - started:.1f}s")
    finally:
        proxy.stop()
        for app in apps.values():
            app.close()
        hub.stop()
        hub_engine.dispose()
