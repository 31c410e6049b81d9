"""A hub with two stores' worth of synced exchanges for the console's tests and
screenshots: S001 runs the day of tests/backoffice.py plus one exchange locked in while
the hub could not be reached (so the hub flags it STOCK_UNCONFIRMED); S002 settles two
upgrades. People: head office ``ho1`` and S002's manager ``mgr2``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_stock import HubStock
from pos_exchange.bootstrap import App, open_app
from pos_exchange.config import Settings
from pos_exchange.demo.data import demo_items
from pos_exchange.hub import catalogue, people, stock, tokens
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.reports import ReportService
from pos_exchange.services.sync import Backoff, SyncService
from tests.backoffice import COOKBOOK, RUNNER, Day, one_day
from tests.conftest import Clock
from tests.flows import BEST, BETTER, GOOD, copy_database, settled_upgrade

PASSWORD = "correct horse battery"
LEVELS = {BETTER: 30, GOOD: 50, BEST: 10, RUNNER: 5, COOKBOOK: 5}


@dataclass
class Console:
    day: Day
    unconfirmed: str         # the exchange the hub flagged
    s002: list[str]


def _register(tmp: Path, template: Path, clock: Clock, url: str, engine: Engine,
              store: str) -> tuple[App, SyncService, SimulatedTerminal, str]:
    path = tmp / f"{store}.sqlite3"
    copy_database(template, path)
    _id, token = tokens.create(engine, store, "R01", datetime.now(UTC))
    reader = SimulatedTerminal(auto_present=None)
    app = open_app(str(path), settings=Settings(store_id=store, hub_url=url), clock=clock,
                   terminal=reader)
    app.exchanges.stock = HubStock(lambda: HubCatalogueClient(url, token))
    reports = ReportService(app.uow, app.runtime, HubCatalogueClient(url, token))
    sync = SyncService(app.exchanges, app.audit, HubClient(url, token),
                       Backoff(base_s=0, cap_s=0, max_attempts=50),
                       catalogue=HubCatalogueClient(url, token),
                       health=lambda: reports.health().as_json())
    return app, sync, reader, token


def _sync(sync: SyncService) -> None:
    for _round in range(3):
        assert sync.push_once().online
        sync.pull_once()


def build(tmp: Path, template: Path, clock: Clock, url: str, engine: Engine) -> Console:
    now = datetime.now(UTC)
    catalogue.upsert_items(engine, demo_items(now.date()), now)
    for store in ("S001", "S002"):
        stock.set_stock(engine, store, LEVELS, now)
    people.add(engine, "ho1", "Hal Office", people.HEAD_OFFICE, None, PASSWORD, now)
    people.add(engine, "mgr2", "Mia Manager", people.STORE_MANAGER, "S002", PASSWORD, now)
    app, sync, reader, _token = _register(tmp, template, clock, url, engine, "S001")
    try:
        day = one_day(app, clock, reader)
        # The hub cannot be reached for the hold: the snapshot decides, unconfirmed.
        app.exchanges.stock = HubStock(lambda: HubCatalogueClient("http://127.0.0.1:9",
                                                                  "no-token"))
        unconfirmed = settled_upgrade(app)
        _sync(sync)
    finally:
        app.close()
    other, sync2, _reader, _ = _register(tmp, template, clock, url, engine, "S002")
    try:
        s002 = [settled_upgrade(other, "csr2"), settled_upgrade(other, "csr1")]
        _sync(sync2)
    finally:
        other.close()
    return Console(day, unconfirmed, s002)
