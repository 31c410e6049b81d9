"""Issue 10, end to end: a sale fed to the hub for store S002 is exchanged at S001's R02 by
scanning its receipt, and the new item is returned at S001's R01, every tender refunded its
share and no more. A real hub under uvicorn, on SQLite and on PostgreSQL; real register
databases with the real hub adapters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pos_exchange.domain.errors import Refused
from pos_exchange.domain.exchange import State
from pos_exchange.gui import steps
from pos_exchange.hub import schema as t
from tests.flows import BETTER, GOOD
from tests.hub.chain import feed, receipt, register, sale, stock_the_hub
from tests.hub.server import HubServer


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    stock_the_hub(hub_engine)
    server = HubServer(hub_engine).start()
    yield server
    if server.running:
        server.stop()


def test_a_sale_of_another_store_is_exchanged_by_receipt_and_returned_elsewhere(
        tmp_path, demo_template, clock, hub):
    scan = receipt(2, 101)
    paid = {"pi_S002000101": 1200, "S002-000101/2": 857}
    answer = feed(hub.url, hub.engine, "S002", sale(
        "S002-000101", "S002", receipt_barcode=scan, tenders=[
            {"method": "card", "amount": 1200, "brand": "visa", "last4": "4242",
             "reference": "pi_S002000101"},
            {"method": "cash", "amount": 857}]))
    assert answer["results"][0]["status"] == "created"
    r02 = register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", "R02")
    r01 = register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", "R01")
    try:
        # R02 never saw this sale: the receipt scan finds it at the hub.
        snap = steps.scan(r02.app, None, "csr1", scan, steps.RETURNED)
        assert snap.sale is not None and snap.sale.order_number == "S002-000101"
        assert snap.view.sale_origin is not None
        store, sold_at = snap.view.sale_origin
        assert (store, sold_at.date().isoformat()) == ("S002", "2026-11-03")
        number = snap.number
        snap = steps.scan(r02.app, number, "csr1", GOOD, steps.RETURNED)
        snap = steps.scan(r02.app, number, "csr1", BETTER, steps.REQUESTED)
        ex = r02.svc.submit(number, "csr1")
        assert ex.state is State.AWAITING_PAYMENT and not ex.returns_unconfirmed
        r02.svc.pay_cash(number, "csr1", "30.00")
        r02.svc.record_card_payment(number, "csr1", "33.85", brand="mastercard",
                                    last4="5555", reference="pi_r02exchange0001")
        r02.svc.finalize(number, "csr1")
        assert r02.sync.push_once().sent == 1
        assert r02.svc.get(number).links["oms_status"] == "accepted"

        # R01, the other register of S001, takes the new item back by the exchange's number.
        snap = steps.scan(r01.app, None, "csr2", number, steps.RETURNED)
        assert snap.sale is not None and snap.sale.order_number == number
        back = snap.number
        steps.scan(r01.app, back, "csr2", BETTER, steps.RETURNED)
        done = r01.svc.submit(back, "csr2")
        assert not done.returns_unconfirmed
        done = r01.svc.finalize(back, "csr2")
        refunded = {t.payment_id: t.amount_minor + t.rounding_minor for t in done.refunds}
        new_payments = {p.payment_id: p.amount_minor
                        for p in r02.svc.get(number).payments}
        # Each tender gets back what it put in: the S002 card and cash their share of the
        # T-shirt, R02's cash and card the top-up. Nothing more, nothing else.
        assert refunded == {**paid, **new_payments}
        assert sum(refunded.values()) == 8442
        assert r01.sync.push_once().sent == 1
        assert r01.svc.get(back).links["oms_status"] == "accepted"
        with hub.engine.connect() as conn:
            flags = conn.execute(select(t.reconciliation.c.flags)).scalars().all()
            drawn = dict(conn.execute(select(t.draws.c.payment_id, t.draws.c.amount_minor)
                                      .where(t.draws.c.order_number == number,
                                             t.draws.c.use == "refund")).all())
        assert flags == []
        assert drawn == refunded
        # The original sale is fully returned, wherever one asks.
        third = r01.svc.start("csr2", sale_key=scan)
        with pytest.raises(Refused) as again:
            r01.svc.scan_returned(third.number, "csr2", GOOD)
        assert again.value.code == "QTY_EXCEEDS_PURCHASED"
    finally:
        r01.close()
        r02.close()
