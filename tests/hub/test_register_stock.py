"""A register locks exchanges in against stock held at the real hub, on each backend.

Online the hub's hold decides (the register's snapshot is only a hint); offline the
snapshot decides, the exchange is marked unconfirmed, and the hub flags it at sync.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_stock import HubStock
from pos_exchange.bootstrap import open_app
from pos_exchange.config import Settings
from pos_exchange.demo.data import demo_items
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.hub import catalogue, stock, tokens
from pos_exchange.hub import schema as t
from pos_exchange.services.sync import Backoff, SyncService
from tests.flows import BETTER, GOOD, copy_database
from tests.hub.server import HubServer


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    now = datetime.now(UTC)
    catalogue.upsert_items(hub_engine, demo_items(now.date()), now)
    stock.set_stock(hub_engine, "S001", {BETTER: 1, GOOD: 50}, now)  # one left centrally
    server = HubServer(hub_engine).start()
    yield server
    if server.running:
        server.stop()


def register(tmp_path, demo_template, clock, hub, register_id):
    path = tmp_path / f"{register_id}.sqlite3"
    copy_database(demo_template, path)
    _id, token = tokens.create(hub.engine, "S001", register_id, datetime.now(UTC))
    app = open_app(str(path), settings=Settings(register_id=register_id, hub_url=hub.url),
                   clock=clock)
    app.exchanges.stock = HubStock(lambda: HubCatalogueClient(hub.url, token))
    sync = SyncService(app.exchanges, app.audit, HubClient(hub.url, token),
                       Backoff(base_s=0, cap_s=0, max_attempts=50))
    return app, sync


def basket(app, requested=BETTER):
    svc = app.exchanges
    ex = svc.start("csr1")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", requested)
    return ex.number


def held(engine, sku):
    with engine.connect() as conn:
        return conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
            t.stock.c.store_id == "S001", t.stock.c.sku == sku)).one()


def test_the_last_unit_goes_to_one_register_and_the_other_is_told(tmp_path, demo_template,
                                                                  clock, hub):
    (a, sync_a), (b, _) = (register(tmp_path, demo_template, clock, hub, r)
                           for r in ("R01", "R02"))
    try:
        first = a.exchanges.submit(basket(a), "csr1")
        assert first.state is State.AWAITING_PAYMENT and not first.stock_unconfirmed
        assert tuple(held(hub.engine, BETTER)) == (1, 1)
        # R02's own snapshot still shows plenty: the hub's hold decides.
        with pytest.raises(PosError) as err:
            b.exchanges.submit(basket(b), "csr1")
        assert err.value.code == "OUT_OF_STOCK"
        # R01 pays and settles; the sync commits the hold at the hub.
        a.exchanges.pay_cash(first.number, "csr1", "100")
        a.exchanges.finalize(first.number, "csr1")
        assert sync_a.push_once().sent == 1
        assert tuple(held(hub.engine, BETTER)) == (0, 0)
    finally:
        a.close()
        b.close()


def test_a_changed_basket_replaces_its_hold(tmp_path, demo_template, clock, hub):
    app, _ = register(tmp_path, demo_template, clock, hub, "R01")
    try:
        number = basket(app)
        app.exchanges.submit(number, "csr1")
        app.exchanges.scan_requested(number, "csr1", GOOD)   # back to draft, one more line
        app.exchanges.submit(number, "csr1")
        assert tuple(held(hub.engine, BETTER)) == (1, 1)
        assert tuple(held(hub.engine, GOOD)) == (50, 1)
    finally:
        app.close()


def test_offline_the_snapshot_decides_and_the_hub_flags_it_at_sync(tmp_path, demo_template,
                                                                   clock, hub):
    app, sync = register(tmp_path, demo_template, clock, hub, "R01")
    try:
        hub.stop()
        ex = app.exchanges.submit(basket(app), "csr1")
        assert ex.state is State.AWAITING_PAYMENT and ex.stock_unconfirmed
        app.exchanges.pay_cash(ex.number, "csr1", "100")
        app.exchanges.finalize(ex.number, "csr1")
        assert not sync.push_once().online
        hub.start()
        assert sync.push_once().sent == 1
        assert app.exchanges.get(ex.number).links["oms_status"] == "flagged"
        with hub.engine.connect() as conn:
            flags = conn.execute(text("select flags from hub_reconciliation")).scalars().all()
        assert any("STOCK_UNCONFIRMED" in f for f in flags)
    finally:
        app.close()


def test_catalogue_and_stock_deltas_reach_the_register(tmp_path, demo_template, clock, hub):
    _id, token = tokens.create(hub.engine, "S001", "R09", datetime.now(UTC))
    app, _ = register(tmp_path, demo_template, clock, hub, "R01")
    sync = SyncService(app.exchanges, app.audit, HubClient(hub.url, token),
                       catalogue=HubCatalogueClient(hub.url, token))
    try:
        first = sync.pull_once()
        assert first["items"] >= 300 and first["stock"] == 2
        with app.engine.connect() as conn:  # the snapshot now mirrors the hub
            on_hand = dict(conn.execute(text(
                "select sku, on_hand from stock where sku in (:a, :b)"),
                {"a": GOOD, "b": BETTER}).all())
        assert on_hand == {BETTER: 1, GOOD: 50}
        # A price change and a new item at the hub; the register picks up only the delta.
        now = datetime.now(UTC)
        catalogue.upsert_items(hub.engine, [
            {"sku": GOOD, "name": "Crew T-Shirt (Good)", "category": "Apparel",
             "price_minor": 1700, "tax_class": "standard", "returnable": True,
             "barcodes": []},
            {"sku": "NEW-CAP-001", "name": "Cap", "category": "Apparel", "price_minor": 1500,
             "tax_class": "standard", "returnable": True, "barcodes": ["4006381333931"]}], now)
        stock.set_stock(hub.engine, "S001", {"NEW-CAP-001": 4}, now)
        assert sync.pull_once() == {"items": 2, "stock": 1}
        assert sync.pull_once() == {"items": 0, "stock": 0}
        ex = app.exchanges.start("csr1")
        ex = app.exchanges.scan_requested(ex.number, "csr1", "4006381333931")
        assert [(r.sku, r.unit_price_minor) for r in ex.requested] == [("NEW-CAP-001", 1500)]
        ex = app.exchanges.scan_requested(ex.number, "csr1", GOOD)
        assert ex.requested[-1].unit_price_minor == 1700
    finally:
        app.close()
