"""The cross-store figures equal the register's: the day of tests/backoffice.py run at a
register against the real hub (uvicorn on 127.0.0.1, SQLite and PostgreSQL), synced, and
read on both sides: the register's dashboard service, the hub's function and its JSON
twin ``/v1/reports/metrics`` give the same figures for the same store and period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import requests

from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_stock import HubStock
from pos_exchange.bootstrap import open_app
from pos_exchange.config import Settings
from pos_exchange.demo.data import demo_items
from pos_exchange.hub import catalogue, people, reports, stock, tokens
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.metrics import Period, as_json
from pos_exchange.services.reports import ReportService
from pos_exchange.services.sync import Backoff, SyncService
from tests.backoffice import COOKBOOK, RUNNER, one_day
from tests.flows import BEST, BETTER, GOOD, copy_database
from tests.hub.server import HubServer

DAY = date(2026, 11, 20)
PASSWORD = "correct horse battery"


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    now = datetime.now(UTC)
    # The hub knew the prices before the day the register works (its price history is
    # what PRICE_MISMATCH reads).
    before = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    catalogue.upsert_items(hub_engine, demo_items(before.date()), before)
    stock.set_stock(hub_engine, "S001", {BETTER: 30, GOOD: 50, BEST: 10, RUNNER: 5,
                                         COOKBOOK: 5}, now)
    people.add(hub_engine, "ho1", "Hal Office", people.HEAD_OFFICE, None, PASSWORD, now)
    server = HubServer(hub_engine).start()
    yield server
    if server.running:
        server.stop()


def test_the_hub_figures_equal_the_registers(tmp_path, demo_template, clock, hub):
    path = tmp_path / "R01.sqlite3"
    copy_database(demo_template, path)
    _id, token = tokens.create(hub.engine, "S001", "R01", datetime.now(UTC))
    reader = SimulatedTerminal(auto_present=None)
    app = open_app(str(path), settings=Settings(hub_url=hub.url), clock=clock,
                   terminal=reader)
    try:
        app.exchanges.stock = HubStock(lambda: HubCatalogueClient(hub.url, token))
        register_reports = ReportService(app.uow, app.runtime,
                                         HubCatalogueClient(hub.url, token))
        sync = SyncService(app.exchanges, app.audit, HubClient(hub.url, token),
                           Backoff(base_s=0, cap_s=0, max_attempts=50),
                           catalogue=HubCatalogueClient(hub.url, token),
                           health=lambda: register_reports.health().as_json())
        day = one_day(app, clock, reader)
        for _round in range(3):   # push (with the health report), pull, push again
            assert sync.push_once().online
            sync.pull_once()
        assert sync.status().pending == 0
        period = Period(DAY, DAY)
        at_register = as_json(register_reports.metrics(period))
        person = people.Person("ho1", "Hal Office", people.HEAD_OFFICE, None)
        at_hub = as_json(reports.metrics(hub.engine, person, period, store="S001"))
        assert at_hub == at_register
        # The figures are the day's known answers (tests/integration/
        # test_metrics_known_answers.py), not two equal empties.
        assert (at_hub["exchanges"], at_hub["payment_coverage"]["percent"],
                at_hub["revenue"]["net_minor"]) == (6, "50.0", 4936)
        assert [n["number"] for n in at_hub["payment_coverage"]["not_covered"]] == \
            sorted([day.d, day.e])
        [line] = at_hub["inventory_accuracy"]["lines"]
        assert line["sku"] == BETTER and line["expected"] is not None \
            and line["counted"] is not None
        # The JSON twin, with a person's session.
        http = requests.Session()
        answer = http.post(f"{hub.url}/v1/session", json={"user_id": "ho1",
                                                          "password": PASSWORD}, timeout=10)
        http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        twin = http.get(f"{hub.url}/v1/reports/metrics",
                        params={"from": "2026-11-20", "to": "2026-11-20", "store": "S001"},
                        timeout=10)
        assert twin.status_code == 200 and twin.json() == at_register
        everyone = http.get(f"{hub.url}/v1/reports/metrics",
                            params={"from": "2026-11-20"}, timeout=10).json()
        assert everyone["exchanges"] == 6 and everyone["store"] is None
        by_store = http.get(f"{hub.url}/v1/reports/metrics/by",
                            params={"by": "day", "from": "2026-11-20"}, timeout=10).json()
        assert [(r["store"], r["day"], r["exchanges"]) for r in by_store] == \
            [("S001", "2026-11-20", 6)]
        health = http.get(f"{hub.url}/v1/reports/registers", timeout=10).json()
        [r01] = health
        assert (r01["register"], r01["pending"], r01["dead_letters"]) == ("R01", 0, 0)
        assert r01["app_version"] and r01["last_anchor_seq"] == app.audit.head().seq
        # A register's token is a machine: no figures for it.
        machine = requests.get(f"{hub.url}/v1/reports/metrics",
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert machine.status_code == 403
    finally:
        app.close()
