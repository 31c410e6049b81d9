"""The new shipment on the service layer (fake unit of work, fake hub: tests/fakes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pos_exchange.demo.loader import load_demo
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.shipment import FeeTable, ShipmentState, plan_line_refunds
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime
from pos_exchange.services.record import ExchangeMessage
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.fakes.unit_of_work import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TAXES = TaxTable({"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")})
GOOD, BETTER, BEST = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002", "APP-TSHIRT-P-003"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}


@pytest.fixture
def uow() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    with factory() as work:
        load_demo(work, "S001", NOW)
        work.commit()
    return factory


@pytest.fixture
def hub() -> FakeShipmentHub:
    return FakeShipmentHub({"W1": {BEST: 1}, "S002": {BEST: 3}})


@pytest.fixture
def svc(uow: FakeUnitOfWorkFactory) -> ExchangeService:
    return ExchangeService(uow, Runtime("S001", "R01", "USD", lambda: NOW),
                           PolicyConfig(approval_gap_minor=100_000),
                           TAXES)


@pytest.fixture
def ship(svc: ExchangeService, hub: FakeShipmentHub) -> Iterator[ShippingService]:
    yield ShippingService(svc, hub, FeeTable({"CH": 900}))


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PosError) as err:
        call()
    return err.value.code


def basket(svc: ExchangeService, ship: ShippingService,
           sale: str | None = "S001-000001") -> str:
    """Shirt back; the best tier ships from W1, the better tier is taken now."""
    ex = svc.start("csr1", sale_key=sale)
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
    return ex.number


def test_a_split_basket_takes_one_line_now_ships_one_and_charges_the_fee(svc, ship, hub, uow):
    number = basket(svc, ship)
    ex = svc.get(number)
    [shipment] = ex.shipments
    fee_line = next(r for r in ex.requested if r.line_no == shipment.fee_line_no)
    assert fee_line.total_minor == 900 and shipment.source == "W1"
    assert [r.sku for r in ex.counter_lines()] == [BETTER]
    lines_total = sum(r.total_minor for r in ex.requested)
    assert ex.valuation().gap_minor == lines_total - ex.valuation().returned_credit_minor
    assert svc.submit(number, "csr1").state is State.AWAITING_PAYMENT
    assert {s.location: s.available for s in hub.stock_elsewhere(BEST, 1)}["W1"] == 0
    due = svc.get(number).remaining_due_minor
    svc.record_card_payment(number, "csr1", Decimal(due) / 100, brand="visa", last4="4242",
                            reference="pi_ship_1")
    done = svc.finalize(number, "csr1")
    assert done.state is State.AWAITING_FULFILMENT
    assert done.shipments[0].state is ShipmentState.AWAITING_FULFILMENT
    # The settled record carries the shipment (masked address) and passes the wire model.
    [out] = uow.store.outbox
    msg = ExchangeMessage.model_validate({"message_id": "m", "topic": out["topic"],
                                          "document": json.loads(out["payload"])})
    assert msg.document.shipments[0].source == "W1"
    assert "Bahnhof" not in msg.document.shipments[0].address

    hub.settle(done.uuid)
    hub.act(shipment.shipment_id, ShipmentState.IN_TRANSIT, carrier="Post",
            tracking="99.00.123")
    assert ship.pull_updates() == 1
    moving = svc.get(number)
    assert moving.state is State.IN_TRANSIT and moving.shipments[0].tracking == "99.00.123"
    hub.act(shipment.shipment_id, ShipmentState.COMPLETED)
    assert ship.pull_updates() == 1 and ship.pull_updates() == 0
    assert svc.get(number).state is State.COMPLETED
    events = [e.event for e in uow.store.journal if e.exchange_uuid == done.uuid]
    assert events.count("shipment.in_transit") == 1 and "shipment.completed" in events


def test_the_gap_with_the_fee_must_be_paid_before_the_shipment_moves(svc, ship):
    number = basket(svc, ship)
    svc.submit(number, "csr1")
    due = svc.get(number).remaining_due_minor
    svc.record_card_payment(number, "csr1", Decimal(due - 900) / 100, brand="visa",
                            last4="4242", reference="pi_ship_2")   # the fee is missing
    assert code_of(lambda: svc.finalize(number, "csr1")) == "PAYMENT_INCOMPLETE"
    assert svc.get(number).shipments[0].state is ShipmentState.PENDING


def test_the_last_unit_at_the_source_goes_to_one_exchange_only(svc, ship, hub):
    first = basket(svc, ship)
    svc.submit(first, "csr1")
    second = basket(svc, ship, sale=None)   # the shirt back without a receipt
    assert code_of(lambda: svc.submit(second, "csr1")) == "OUT_OF_STOCK"
    assert svc.get(second).state is State.DRAFT


def test_a_bad_address_is_refused_and_changes_nothing(svc, ship, uow):
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    before = len(uow.store.journal)
    bad = {**ADDRESS, "postal_code": "80"}
    assert code_of(lambda: ship.request_shipped(ex.number, "csr1", BEST, "W1", bad)) == \
        "ADDRESS_INVALID"
    assert code_of(lambda: ship.request_shipped(ex.number, "csr1", BEST, "W1",
                                                {**ADDRESS, "city": ""})) == "ADDRESS_INVALID"
    assert len(uow.store.journal) == before and not svc.get(ex.number).requested


def test_offline_shipping_is_unavailable_and_the_counter_path_still_works(svc, hub):
    offline = ShippingService(svc, None)
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    assert code_of(lambda: offline.request_shipped(ex.number, "csr1", BEST, "W1",
                                                   ADDRESS)) == "SHIPPING_OFFLINE"
    svc.scan_requested(ex.number, "csr1", BETTER)
    svc.submit(ex.number, "csr1")
    svc.pay_cash(ex.number, "csr1", "100.00")
    assert svc.finalize(ex.number, "csr1").state is State.IN_TRANSIT


def test_taking_the_line_now_removes_the_shipment_and_its_fee(svc, ship):
    number = basket(svc, ship)
    line = svc.get(number).shipments[0].line_nos[0]
    ship.take_now(number, "csr1", line)
    ex = svc.get(number)
    assert not ex.shipments and all(not r.sku.startswith("SHIPPING-") for r in ex.requested)


def _shipped_and_settled(svc, ship, hub) -> tuple[str, str]:
    number = basket(svc, ship)
    svc.submit(number, "csr1")
    due = svc.get(number).remaining_due_minor
    svc.record_card_payment(number, "csr1", Decimal(due) / 100, brand="visa", last4="4242",
                            reference="pi_ship_9")
    done = svc.finalize(number, "csr1")
    hub.settle(done.uuid)
    return number, done.shipments[0].shipment_id


def test_an_unfulfillable_line_is_refunded_its_share_once(svc, ship, hub, uow):
    number, sid = _shipped_and_settled(svc, ship, hub)
    before = svc.get(number)
    share = sum(amount for _line, amount in before.unshipped_amounts(sid))
    best = next(r for r in before.requested if r.sku == BEST)
    assert share == best.total_minor + 900   # the line and its fee
    hub.act(sid, ShipmentState.UNFULFILLABLE, reason="damaged")
    assert ship.pull_updates() == 1
    with uow() as work:   # the same news again (the version was lost): nothing more
        work.catalogue.set_sync_version("shipments", 0)
        work.commit()
    assert ship.pull_updates() == 0
    ex = svc.get(number)
    back = [t for t in ex.refunds if (t.compensates or "").startswith("ship:")]
    assert sum(t.amount_minor for t in back) == share
    # Newest money first: the card that paid the gap, queued for the refund worker.
    assert {(t.method, str(t.status)) for t in back} == {("card", "pending")}
    assert ex.state is State.COMPLETED and ex.shipments[0].state is ShipmentState.UNFULFILLABLE
    assert [e.event for e in uow.store.journal].count("shipment.refunded") == 1
    ex.check_conservation()   # the settlement stays conserved: the refund compensates


def test_a_partly_refunded_card_gives_what_it_has_left_and_the_rest_goes_to_the_next():
    plan, short = plan_line_refunds([(3, 5000), (4, 900)],
                                    [("pi", "card", "visa", "4242", 3000),
                                     ("cash1", "cash", None, None, 2500)])
    assert [(line, src[0], amount) for line, src, amount in plan] == \
        [(3, "pi", 3000), (3, "cash1", 2000), (4, "cash1", 500)] and short == 400


def test_the_receipt_says_what_ships_from_where_masked_and_tracked(svc, ship, hub):
    from zoneinfo import ZoneInfo

    from pos_exchange.receipts import build_receipt, render_text

    number, sid = _shipped_and_settled(svc, ship, hub)

    def text() -> str:
        return "\n".join(render_text(build_receipt(
            svc.record(number), store_name="Demo", store_address="1 Market Street",
            locale="en_US", tz=ZoneInfo("UTC"))))

    printed = text()
    assert "Ships from W1" in printed and "to be sent" in printed
    assert "A.M. 80** Zürich, CH" in printed and "Bahnhofstrasse" not in printed
    assert "1 x Crew T-Shirt (Best)" in printed and "Shipping" in printed
    assert "Tracking" not in printed
    hub.act(sid, ShipmentState.IN_TRANSIT, carrier="Swiss Post", tracking="99.00.42")
    ship.pull_updates()
    assert "Tracking Swiss Post 99.00.42" in text() and "on its way" in text()


def test_the_refund_goes_to_the_outbox_as_its_own_record_once(svc, ship, hub, uow):
    from pos_exchange.services.record import ShipmentRefundMessage

    number, sid = _shipped_and_settled(svc, ship, hub)
    hub.act(sid, ShipmentState.UNFULFILLABLE, reason="damaged")
    assert ship.pull_updates() == 1
    with uow() as work:   # the same news again: no second record
        work.catalogue.set_sync_version("shipments", 0)
        work.commit()
    assert ship.pull_updates() == 0
    [out] = [o for o in uow.store.outbox if o["topic"] == "shipment.refunded"]
    msg = ShipmentRefundMessage.model_validate({"message_id": "m", "topic": out["topic"],
                                                "document": json.loads(out["payload"])})
    ex = svc.get(number)
    assert msg.document.shipment == sid and msg.document.short == 0
    assert sum(x.amount for x in msg.document.tenders) == \
        sum(a for _n, a in ex.unshipped_amounts(sid))


def test_a_shipment_re_sourced_first_is_followed_and_never_refunded(svc, ship, hub, uow):
    number, sid = _shipped_and_settled(svc, ship, hub)
    hub.act(sid, ShipmentState.UNFULFILLABLE, reason="lost")
    claimed = hub.claim_refund

    def too_late(shipment_id: str) -> bool:
        hub.resource(shipment_id, "S002")   # a manager was faster than this pull
        return claimed(shipment_id)

    hub.claim_refund = too_late   # type: ignore[method-assign]
    assert ship.pull_updates() == 0          # the claim is refused: nothing refunded
    hub.claim_refund = claimed   # type: ignore[method-assign]
    assert ship.pull_updates() == 1          # the re-source's news
    ex = svc.get(number)
    assert ex.shipments[0].source == "S002" and not ex.refunds
    assert ex.shipments[0].state is ShipmentState.AWAITING_FULFILMENT
    assert not [o for o in uow.store.outbox if o["topic"] == "shipment.refunded"]
    events = [e.event for e in uow.store.journal if e.exchange_uuid == ex.uuid]
    assert events.count("shipment.resourced") == 1
