"""Two registers, the real hub under uvicorn on 127.0.0.1, and an outage in the middle.

The "done when" of the hub issue on a small scale: start the hub, point two registers at
it, stop the hub and keep running exchanges, start it again, and see every exchange at
the hub exactly once with its linked orders.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.bootstrap import open_app
from pos_exchange.config import Settings
from pos_exchange.domain.exchange import State
from pos_exchange.hub import tokens
from pos_exchange.services.sync import Backoff, SyncService
from tests.flows import copy_database, settled_upgrade
from tests.hub.server import HubServer


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    """The hub on each backend ``hub_engine`` provides: SQLite and PostgreSQL."""
    server = HubServer(hub_engine).start()
    yield server
    if server.running:
        server.stop()


def register(tmp_path, demo_template, clock, hub, register_id):
    path = tmp_path / f"{register_id}.sqlite3"
    copy_database(demo_template, path)
    app = open_app(str(path), settings=Settings(register_id=register_id), clock=clock)
    _id, token = tokens.create(hub.engine, "S001", register_id, datetime.now(UTC))
    # Backoff of zero seconds: the test drives the rounds itself.
    sync = SyncService(app.exchanges, app.audit, HubClient(hub.url, token),
                       Backoff(base_s=0.0, cap_s=0.0, max_attempts=50))
    return app, sync


def test_two_registers_sync_through_an_outage_exactly_once(tmp_path, demo_template, clock,
                                                           hub):
    (a, sync_a), (b, sync_b) = (register(tmp_path, demo_template, clock, hub, r)
                                for r in ("R01", "R02"))
    try:
        numbers = {"R01": [settled_upgrade(a)], "R02": [settled_upgrade(b)]}
        apps = {"R01": a, "R02": b}
        assert sync_a.push_once().sent == 1 and sync_b.push_once().sent == 1

        hub.stop()                                      # the hub goes down...
        for reg, app in apps.items():                   # ...the counter keeps working
            numbers[reg] += [settled_upgrade(app), settled_upgrade(app)]
        assert not sync_a.push_once().online and not sync_b.push_once().online
        assert sync_a.status().pending == 2

        hub.start()                                     # ...and comes back
        for sync in (sync_a, sync_b):
            while sync.status().pending:
                assert sync.push_once().online
        for reg, done in numbers.items():
            for number in done:
                ex = apps[reg].exchanges.get(number)
                assert ex.state is State.COMPLETED
                assert ex.links["oms_return_order"].startswith("RO-S001-")
                assert ex.links["oms_sale_order"].startswith("SO-S001-")
        with hub.engine.connect() as conn:
            rows = conn.execute(text("select count(*), count(distinct exchange_uuid) "
                                     "from hub_records")).one()
            orders = conn.execute(text("select count(distinct return_order) "
                                       "from hub_exchanges")).scalar()
            anchors = dict(conn.execute(text(
                "select register_id, max(seq) from hub_anchors group by register_id")).all())
        assert tuple(rows) == (6, 6) and orders == 6    # every exchange once, none lost
        assert anchors == {"R01": a.audit.head().seq, "R02": b.audit.head().seq}
        assert a.audit.verify().ok and b.audit.verify().ok
    finally:
        a.close()
        b.close()
