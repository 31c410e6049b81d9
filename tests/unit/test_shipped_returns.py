"""Issue 12: an item received in an exchange can come back only if it reached the
customer. A shipped line refunded as unfulfillable never did (and its money went back
already): returning it is refused with a sentence, and its refund counts as drawn from
the new sale's funding. A delivered line stays returnable. On the fake unit of work and
on the real SQLite repositories (they must agree)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pos_exchange.demo.loader import load_demo
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.shipment import FeeTable, ShipmentState
from pos_exchange.messages import render
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.fakes.unit_of_work import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TAXES = TaxTable({"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")})
GOOD, BETTER, BEST = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002", "APP-TSHIRT-P-003"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}


@pytest.fixture(params=["fake", "sqlite"])
def world(request) -> Iterator[tuple[ExchangeService, ShippingService,
                                               FakeShipmentHub]]:
    if request.param == "fake":
        uow = FakeUnitOfWorkFactory()
        with uow() as work:
            load_demo(work, "S001", NOW)
            work.commit()
        svc = ExchangeService(uow, Runtime("S001", "R01", "USD", lambda: NOW),
                              PolicyConfig(approval_gap_minor=100_000), TAXES)
    else:   # the register's real database (tests/conftest.py: the demo store)
        svc = request.getfixturevalue("app").exchanges
        svc.policy = replace(svc.policy, approval_gap_minor=100_000)
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    yield svc, ShippingService(svc, hub, FeeTable({"CH": 900})), hub


def shipped_and_settled(svc: ExchangeService, ship: ShippingService,
                        hub: FakeShipmentHub) -> tuple[str, str]:
    """Shirt back; the better tier taken now, the best tier shipped from W1; cash."""
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
    svc.submit(ex.number, "csr1")
    due = svc.get(ex.number).remaining_due_minor
    svc.pay_cash(ex.number, "csr1", str(Decimal(due) / 100))
    done = svc.finalize(ex.number, "csr1")
    hub.settle(done.uuid)
    return ex.number, done.shipments[0].shipment_id


def refusal(call) -> PosError:  # type: ignore[no-untyped-def]
    with pytest.raises(PosError) as err:
        call()
    return err.value


def test_a_refunded_shipped_item_cannot_be_returned_the_delivered_one_can(world):
    svc, ship, hub = world
    number, sid = shipped_and_settled(svc, ship, hub)
    hub.act(sid, ShipmentState.UNFULFILLABLE, reason="damaged")
    assert ship.pull_updates() == 1
    sale = svc.find_sale(number)   # the exchange's new items, under its number
    best = next(line for line in sale.lines if line.sku == BEST)
    assert best.returnable_qty == 0
    back = svc.start("csr1", sale_key=number)
    err = refusal(lambda: svc.scan_returned(back.number, "csr1", BEST))
    assert err.code == "NOT_RECEIVED" and err.params["variant"] == "refunded"
    assert "never reached the customer" in render(err) and number in render(err)
    assert not svc.get(back.number).returned
    svc.scan_returned(back.number, "csr1", BETTER)   # handed over at the counter
    returned = svc.get(back.number).returned
    assert [r.sku for r in returned] == [BETTER]
    # The refund of the unshippable line came out of the new sale's funding: what is left
    # to draw is exactly what was not given back.
    ex = svc.get(number)
    refunded = sum(t.amount_minor for t in ex.refunds
                   if (t.compensates or "").startswith("ship:"))
    left = sum(f.available_minor for f in svc.find_sale(number).funding)
    assert refunded > 0 and left == sale.gross_minor - refunded


def test_a_shipped_item_is_returnable_once_delivered_and_not_before(world):
    svc, ship, hub = world
    number, sid = shipped_and_settled(svc, ship, hub)
    back = svc.start("csr1", sale_key=number)
    err = refusal(lambda: svc.scan_returned(back.number, "csr1", BEST))
    assert err.code == "NOT_RECEIVED" and err.params["variant"] == "on_the_way"
    hub.act(sid, ShipmentState.IN_TRANSIT, carrier="Post", tracking="99.1")
    hub.act(sid, ShipmentState.COMPLETED)
    ship.pull_updates()
    assert svc.get(number).state is State.COMPLETED
    svc.scan_returned(back.number, "csr1", BEST)
    assert [r.sku for r in svc.get(back.number).returned] == [BEST]
