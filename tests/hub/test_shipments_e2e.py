"""Issue 12, end to end on a real hub (uvicorn; SQLite and PostgreSQL) with a real register
database and the real hub adapters: the best T-shirt ships from warehouse W1 while the
better one is taken now, paid by card; W1 dispatches and delivers through the API, the
register follows each step, and every record carries the one exchange ID."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests
from sqlalchemy import select

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_shipments import HubShipments
from pos_exchange.config import PolicySettings
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.shipment import FeeTable, ShipmentState
from pos_exchange.hub import people, shipments, stock
from pos_exchange.hub import schema as t
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.card_payments import CardPayments
from pos_exchange.services.shipments import ShippingService
from pos_exchange.services.terminal import RefundResult, TerminalUnavailable
from tests.flows import BETTER, GOOD
from tests.hub.chain import Register, register, session, stock_the_hub
from tests.hub.conftest import PASSWORD
from tests.hub.server import HubServer

BEST = "APP-TSHIRT-P-003"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    stock_the_hub(hub_engine, stores=("S001",))
    shipments.set_location(hub_engine, "S001", "Demo store", "store", 47.3769, 8.5417, 10)
    shipments.set_location(hub_engine, "W1", "Demo warehouse", "warehouse", 47.5596, 7.5886)
    shipments.set_location(hub_engine, "S009", "Far store", "store", 46.2044, 6.1432)
    stock.set_stock(hub_engine, "W1", {BEST: 1}, NOW)
    stock.set_stock(hub_engine, "S009", {BEST: 4}, NOW)
    server = HubServer(hub_engine).start()
    yield server
    server.stop()


def shipping(r: Register, url: str) -> ShippingService:
    client = HubClient(url, r.token, session=session(r.switch))
    return ShippingService(r.app.exchanges, HubShipments(lambda: client), FeeTable({"CH": 900}))


def w1_manager(hub: HubServer) -> requests.Session:
    people.add(hub.engine, "w1mgr", "W1 manager", people.STORE_MANAGER, "W1", PASSWORD,
               datetime.now(UTC))
    http = requests.Session()
    answer = http.post(f"{hub.url}/v1/session", json={"user_id": "w1mgr",
                                                      "password": PASSWORD}, timeout=10)
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def ship_and_pay(r: Register, ship: ShippingService) -> str:
    ex = r.svc.start("csr1", sale_key="S001-000001")
    r.svc.scan_returned(ex.number, "csr1", GOOD)
    r.svc.scan_requested(ex.number, "csr1", BETTER)           # taken now
    ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
    assert r.svc.submit(ex.number, "csr1").state is State.AWAITING_PAYMENT
    due = r.svc.get(ex.number).remaining_due_minor
    r.svc.record_card_payment(ex.number, "csr1", Decimal(due) / 100, brand="visa",
                              last4="4242", reference="pi_ship_e2e_0001")
    assert r.svc.finalize(ex.number, "csr1").state is State.AWAITING_FULFILMENT
    return ex.number


def test_ship_from_w1_take_one_now_dispatch_deliver(tmp_path, demo_template, clock, hub):
    r = register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", "R01",
                 policy=PolicySettings(approval_gap=Decimal("1000")))
    try:
        ship = shipping(r, hub.url)
        # Nearest first: W1 (Basel, ~70 km) before the store in Geneva.
        assert [s.location for s in ship.stock_elsewhere(BEST)] == ["W1", "S009"]
        number = ship_and_pay(r, ship)
        uuid = r.svc.get(number).uuid
        with hub.engine.connect() as conn:   # held, not yet released: the record is unsent
            [row] = conn.execute(select(t.shipments)).all()
            assert (row.state, row.held) == ("PENDING", True)
        assert r.sync.push_once().sent == 1
        w1 = w1_manager(hub)
        [picked] = w1.get(f"{hub.url}/v1/shipments", params={"location": "W1"},
                          timeout=10).json()["shipments"]
        assert picked["number"] == number and picked["address"]["postal_code"] == "8001"
        sid = picked["shipment_id"]
        early = w1.post(f"{hub.url}/v1/shipments/{sid}/deliver", timeout=10)
        assert early.status_code == 409 and "before delivered" in early.json()["detail"]
        sent = w1.post(f"{hub.url}/v1/shipments/{sid}/dispatch",
                       json={"carrier": "Swiss Post", "tracking": "99.00.1234"}, timeout=10)
        assert sent.status_code == 200, sent.text
        again = w1.post(f"{hub.url}/v1/shipments/{sid}/dispatch",
                        json={"carrier": "Swiss Post", "tracking": "99.00.1234"}, timeout=10)
        assert again.status_code == 409 and "only once" in again.json()["detail"]
        assert ship.pull_updates() == 1
        ex = r.svc.get(number)
        assert ex.state is State.IN_TRANSIT and ex.shipments[0].tracking == "99.00.1234"
        assert w1.post(f"{hub.url}/v1/shipments/{sid}/deliver", timeout=10).status_code == 200
        assert ship.pull_updates() == 1
        assert r.svc.get(number).state is State.COMPLETED
        with hub.engine.connect() as conn:
            order = conn.execute(select(t.exchanges).where(t.exchanges.c.uuid == uuid)).one()
            receipts = conn.execute(select(t.receipts.c.exchange_uuid)).scalars().all()
            shipped = conn.execute(select(t.shipments.c.exchange_uuid,
                                          t.shipments.c.state)).all()
            w1_left = conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
                t.stock.c.store_id == "W1", t.stock.c.sku == BEST)).one()
            flags = conn.execute(select(t.reconciliation.c.flags)).scalars().all()
        # Return order, sale order, shipment and receipts: one exchange ID.
        assert order.return_order and order.sale_order
        assert set(receipts) == {uuid} and shipped == [(uuid, "COMPLETED")]
        assert tuple(w1_left) == (0, 0) and not any("SHIPMENT" in f for f in flags)
        with r.app.uow(readonly=True) as uow:
            history = [e.event for e in uow.journal.entries(uuid)]
        assert history.count("shipment.in_transit") == 1 and "shipment.completed" in history
    finally:
        r.close()


def test_an_unpaid_exchange_never_reaches_its_source(tmp_path, demo_template, clock, hub):
    r = register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", "R01",
                 policy=PolicySettings(approval_gap=Decimal("1000")))
    try:
        ship = shipping(r, hub.url)
        ex = r.svc.start("csr1", sale_key="S001-000001")
        r.svc.scan_returned(ex.number, "csr1", GOOD)
        ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
        r.svc.submit(ex.number, "csr1")
        with pytest.raises(PosError) as err:   # the gap with the fee is not paid
            r.svc.finalize(ex.number, "csr1")
        assert err.value.code in ("PAYMENT_INCOMPLETE", "ILLEGAL_TRANSITION")
        w1 = w1_manager(hub)
        assert w1.get(f"{hub.url}/v1/shipments", params={"location": "W1"},
                      timeout=10).json()["shipments"] == []
        r.svc.cancel(ex.number, "csr1")
        assert r.sync.push_once().sent == 1     # the cancelled record gives the hold back
        assert ship.stock_elsewhere(BEST)[0].available == 1
        assert ShipmentState.PENDING.value == "PENDING"
    finally:
        r.close()


class LosesFirstRefundAnswer(SimulatedTerminal):
    """A processor that makes the first refund and then the answer never arrives."""

    def __init__(self) -> None:
        super().__init__(delay_s=0)
        self.calls = 0

    def refund(self, intent_id: str, amount_minor: int, idempotency_key: str,
               tender_id: str) -> RefundResult:
        self.calls += 1
        result = super().refund(intent_id, amount_minor, idempotency_key, tender_id)
        if self.calls == 1:
            raise TerminalUnavailable("TERMINAL_OFFLINE")
        return result


def test_unfulfillable_refunds_the_lines_share_to_the_card_once(tmp_path, demo_template,
                                                                clock, hub):
    r = register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", "R01",
                 policy=PolicySettings(approval_gap=Decimal("1000")))
    try:
        ship = shipping(r, hub.url)
        number = ship_and_pay(r, ship)
        assert r.sync.push_once().sent == 1
        w1 = w1_manager(hub)
        [picked] = w1.get(f"{hub.url}/v1/shipments", params={"location": "W1"},
                          timeout=10).json()["shipments"]
        refused = w1.post(f"{hub.url}/v1/shipments/{picked['shipment_id']}/unfulfillable",
                          json={"reason": " "}, timeout=10)
        assert refused.status_code == 422 and "Say why" in refused.json()["detail"]
        gone = w1.post(f"{hub.url}/v1/shipments/{picked['shipment_id']}/unfulfillable",
                       json={"reason": "damaged in the warehouse"}, timeout=10)
        assert gone.status_code == 200
        assert ship.pull_updates() == 1 and ship.pull_updates() == 0
        ex = r.svc.get(number)
        [sid] = [s.shipment_id for s in ex.shipments]
        share = sum(amount for _line, amount in ex.unshipped_amounts(sid))
        back = [t for t in ex.refunds if (t.compensates or "").startswith("ship:")]
        assert sum(t.amount_minor for t in back) == share     # the line and its fee
        # Each to the card that paid the gap (newest money first), one tender per line.
        assert {(t.method, t.card_last4, t.payment_id) for t in back} == \
            {("card", "4242", ex.payments[0].payment_id)} and len(back) == 2
        verdict = r.app.audit.verify_deep()    # the tables still match their journal
        assert verdict.ok, verdict.differences[:3]
        terminal = LosesFirstRefundAnswer()
        cards = CardPayments(r.app.exchanges, terminal, None)
        first = cards.execute_pending_refunds()   # the first answer is lost
        assert sorted(o["status"] for o in first) == ["queued", "succeeded"]
        assert [o["status"] for o in cards.execute_pending_refunds()] == ["succeeded"]
        assert cards.execute_pending_refunds() == []
        # Found at the processor on the retry, not made again: one refund per line.
        assert len(terminal._by_tender) == 2 and terminal.calls == 2
        with r.app.uow(readonly=True) as uow:
            events = [e.event for e in uow.journal.entries(ex.uuid)]
        assert events.count("shipment.refunded") == 1 and "refund.executed" in events
        assert ex.state is State.COMPLETED
    finally:
        r.close()
