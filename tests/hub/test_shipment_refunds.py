"""Issue 12 on a real hub (uvicorn; SQLite and PostgreSQL): the refund of a shipment that
could not ship is a hub record of its own (once per shipment, guarded), and a manager may
re-source a shipment instead, with a new all-or-none take at the new source."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests
from sqlalchemy import select

from pos_exchange.config import PolicySettings
from pos_exchange.domain.exchange import State
from pos_exchange.domain.shipment import ShipmentState
from pos_exchange.hub import people, reports, shipments, stock
from pos_exchange.hub import schema as t
from pos_exchange.hub.cli_shipments import CLI
from pos_exchange.receipts import build_receipt, render_text
from tests.hub.chain import register, stock_the_hub
from tests.hub.conftest import PASSWORD
from tests.hub.server import HubServer
from tests.hub.test_shipments_e2e import BEST, NOW, ship_and_pay, shipping, w1_manager

REFUND_TOPIC = "shipment.refunded"


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:  # type: ignore[no-untyped-def]
    """The chain of test_shipments_e2e.py: W1 holds the last unit, S009 four."""
    stock_the_hub(hub_engine, stores=("S001",))
    shipments.set_location(hub_engine, "S001", "Demo store", "store", 47.3769, 8.5417, 10)
    shipments.set_location(hub_engine, "W1", "Demo warehouse", "warehouse", 47.5596, 7.5886)
    shipments.set_location(hub_engine, "S009", "Far store", "store", 46.2044, 6.1432)
    stock.set_stock(hub_engine, "W1", {BEST: 1}, NOW)
    stock.set_stock(hub_engine, "S009", {BEST: 4}, NOW)
    server = HubServer(hub_engine).start()
    yield server
    server.stop()


def manager(hub: HubServer, store: str = "S001") -> requests.Session:
    user = f"mgr{store.lower()}"
    people.add(hub.engine, user, f"{store} manager", people.STORE_MANAGER, store, PASSWORD,
               datetime.now(UTC))
    http = requests.Session()
    answer = http.post(f"{hub.url}/v1/session", json={"user_id": user, "password": PASSWORD},
                       timeout=10)
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def _setup(tmp_path, demo_template, clock, hub):  # type: ignore[no-untyped-def]
    r = register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", "R01",
                 policy=PolicySettings(approval_gap=Decimal("1000")))
    ship = shipping(r, hub.url)
    number = ship_and_pay(r, ship)
    assert r.sync.push_once().sent == 1
    sid = r.svc.get(number).shipments[0].shipment_id
    return r, ship, number, sid


def _refund_outbox(r) -> dict:  # type: ignore[no-untyped-def]
    with r.app.engine.connect() as conn:
        from pos_exchange.adapters.db import schema as reg
        row = conn.execute(select(reg.outbox.c.message_id, reg.outbox.c.payload)
                           .where(reg.outbox.c.topic == REFUND_TOPIC)).one()
    return {"message_id": row.message_id, "topic": REFUND_TOPIC,
            "document": json.loads(row.payload)}


def test_the_refund_reaches_the_hub_once_linked_and_a_forged_one_is_refused(
        tmp_path, demo_template, clock, hub):
    r, ship, number, sid = _setup(tmp_path, demo_template, clock, hub)
    try:
        w1 = w1_manager(hub)
        assert w1.post(f"{hub.url}/v1/shipments/{sid}/unfulfillable",
                       json={"reason": "damaged"}, timeout=10).status_code == 200
        assert ship.pull_updates() == 1
        ex = r.svc.get(number)
        share = sum(amount for _line, amount in ex.unshipped_amounts(sid))
        back = [x for x in ex.refunds if (x.compensates or "").startswith("ship:")]
        assert r.sync.push_once().sent == 1          # the refund record, through the outbox
        with hub.engine.connect() as conn:
            [stored] = conn.execute(select(t.shipment_refunds)).all()
            resolution = conn.execute(select(t.shipments.c.resolution)).scalar_one()
            receipts = dict(conn.execute(select(t.receipts.c.tender_id, t.receipts.c.receipt)
                                         .where(t.receipts.c.exchange_uuid == ex.uuid)).all())
        assert (stored.shipment_id, stored.total_minor, resolution) == (sid, share, "REFUNDED")
        assert {x.tender_id for x in back} <= set(receipts)   # linked under the exchange ID
        # The register keeps the hub's receipt numbers of its refunds.
        links = r.svc.get(number).links
        assert all(links[f"oms_receipt:{x.tender_id}"] == receipts[x.tender_id] for x in back)
        # The hub's order records say so (the console's exchange page reads this).
        head = people.Person("ho", "Head office", people.HEAD_OFFICE, None)
        seen = reports.exchange(hub.engine, head, ex.uuid)
        [shown] = seen["shipments"]
        assert shown["state"] == "UNFULFILLABLE" and shown["refunded"] is not None
        assert {x["receipt"] for x in seen["receipts"] if x.get("shipment") == sid} == \
            {receipts[x.tender_id] for x in back}
        listed = shipments.listing(hub.engine, CLI, "W1", ["UNFULFILLABLE"])
        assert listed[0]["refunded_minor"] == share

        sent = _refund_outbox(r)
        auth = {"Authorization": f"Bearer {r.token}"}
        first = requests.post(f"{hub.url}/v1/exchanges", json=sent, headers=auth, timeout=10)
        again = requests.post(f"{hub.url}/v1/exchanges", json=sent, headers=auth, timeout=10)
        assert first.status_code == again.status_code == 200 and first.text == again.text
        # A forged, bigger one under a new message: refused with a sentence, nothing kept.
        forged = json.loads(json.dumps(sent))
        forged["message_id"] = "forged-1"
        forged["document"]["tenders"][0]["amount"] += 10_000
        refused = requests.post(f"{hub.url}/v1/exchanges", json=forged, headers=auth,
                                timeout=10)
        assert refused.status_code == 409 and "refunded once already" in \
            refused.json()["detail"]
        with hub.engine.connect() as conn:
            assert conn.execute(select(t.shipment_refunds.c.total_minor)).scalars().all() \
                == [share]
        verdict = r.app.audit.verify_deep()    # the refund's outbox record is expected
        assert verdict.ok, verdict.differences[:3]
    finally:
        r.close()


def test_a_refund_beyond_what_the_shipment_owes_is_refused(tmp_path, demo_template, clock,
                                                           hub):
    r, ship, _number, sid = _setup(tmp_path, demo_template, clock, hub)
    try:
        w1 = w1_manager(hub)
        w1.post(f"{hub.url}/v1/shipments/{sid}/unfulfillable", json={"reason": "lost"},
                timeout=10)
        assert ship.pull_updates() == 1
        sent = _refund_outbox(r)
        auth = {"Authorization": f"Bearer {r.token}"}
        bigger = json.loads(json.dumps(sent))
        bigger["document"]["tenders"][0]["amount"] += 10_000
        refused = requests.post(f"{hub.url}/v1/exchanges", json=bigger, headers=auth,
                                timeout=10)
        assert refused.status_code == 409, refused.text
        assert "owes" in refused.json()["detail"] and "nothing was stored" in \
            refused.json()["detail"]
        other = json.loads(json.dumps(sent))
        other["document"]["tenders"][0]["payment"] = "not-a-payment"
        assert "did not pay" in requests.post(f"{hub.url}/v1/exchanges", json=other,
                                              headers=auth, timeout=10).json()["detail"]
        # The real one still goes through afterwards: nothing of the refused ones stayed.
        assert r.sync.push_once().sent == 1
        with hub.engine.connect() as conn:
            assert len(conn.execute(select(t.shipment_refunds)).all()) == 1
    finally:
        r.close()


def _shipment(hub: HubServer) -> tuple[str, str, int, int]:
    with hub.engine.connect() as conn:
        row = conn.execute(select(t.shipments)).one()
        levels = dict(conn.execute(select(t.stock.c.store_id, t.stock.c.on_hand).where(
            t.stock.c.sku == BEST)).all())
    return row.source_id, row.state, levels.get("W1", 0), levels.get("S009", 0)


def test_a_manager_re_sources_instead_of_the_refund(tmp_path, demo_template, clock, hub):
    r, ship, number, sid = _setup(tmp_path, demo_template, clock, hub)
    try:
        mgr = manager(hub)
        url = f"{hub.url}/v1/shipments/{sid}/resource"
        same = mgr.post(url, json={"to": "W1", "expected": "W1"}, timeout=10)
        assert same.status_code == 422 and "already ships from W1" in same.json()["detail"]
        stale = mgr.post(url, json={"to": "S009", "expected": "S009"}, timeout=10)
        assert stale.status_code == 409 and "re-sourced it meanwhile" in \
            stale.json()["detail"]
        # While it waits at W1: to S009, whose unit is taken; W1 gets its unit back.
        moved = mgr.post(url, json={"to": "S009", "expected": "W1", "note": "W1 is late"},
                         timeout=10)
        assert moved.status_code == 200, moved.text
        assert _shipment(hub) == ("S009", "AWAITING_FULFILMENT", 1, 3)
        assert ship.pull_updates() == 1 and ship.pull_updates() == 0
        ex = r.svc.get(number)
        assert ex.shipments[0].source == "S009" and ex.state is State.AWAITING_FULFILMENT
        printed = "\n".join(render_text(build_receipt(
            r.svc.record(number), store_name="Demo", store_address="1 Market Street",
            locale="en_US", tz=UTC)))
        assert "Ships from S009" in printed and "Ships from W1" not in printed
        # S009 cannot ship either; before the register hears of it, back to W1.
        shipments.act(hub.engine, CLI, sid, ShipmentState.UNFULFILLABLE, clock(),
                      reason="wrong colour")
        back = mgr.post(url, json={"to": "W1", "expected": "S009"}, timeout=10)
        assert back.status_code == 200, back.text
        # S009 gave up (its unit is missing): it gets nothing back; W1's unit is taken.
        assert _shipment(hub) == ("W1", "AWAITING_FULFILMENT", 0, 3)
        assert ship.pull_updates() == 1
        ex = r.svc.get(number)
        assert ex.shipments[0].source == "W1" and not ex.refunds   # no refund at all
        assert ex.shipments[0].state is ShipmentState.AWAITING_FULFILMENT
        # Now it cannot ship and the register claims the refund: no more re-sourcing.
        shipments.act(hub.engine, CLI, sid, ShipmentState.UNFULFILLABLE, clock(),
                      reason="gone")
        assert ship.pull_updates() == 1
        late = mgr.post(url, json={"to": "S009", "expected": "W1"}, timeout=10)
        assert late.status_code == 409 and "being refunded" in late.json()["detail"]
        ex = r.svc.get(number)
        assert ex.state is State.COMPLETED and any(
            (x.compensates or "").startswith("ship:") for x in ex.refunds)
        with r.app.uow(readonly=True) as uow:
            events = [e.event for e in uow.journal.entries(ex.uuid)]
        assert events.count("shipment.resourced") == 2
        with hub.engine.connect() as conn:
            hub_events = conn.execute(select(t.journal.c.event).where(
                t.journal.c.exchange_uuid == ex.uuid)).scalars().all()
        assert hub_events.count("shipment.resourced") == 2
        assert "shipment.refund_claimed" in hub_events
        assert r.app.audit.verify_deep().ok
    finally:
        r.close()


def test_re_sourcing_to_a_location_without_stock_is_refused(tmp_path, demo_template, clock,
                                                            hub):
    r, _ship, _number, sid = _setup(tmp_path, demo_template, clock, hub)
    try:
        shipments.set_location(hub.engine, "W2", "Empty warehouse", "warehouse")
        refused = manager(hub).post(f"{hub.url}/v1/shipments/{sid}/resource",
                                    json={"to": "W2", "expected": "W1"}, timeout=10)
        assert refused.status_code == 409 and BEST in refused.json()["detail"]
        assert _shipment(hub) == ("W1", "AWAITING_FULFILMENT", 0, 4)   # nothing changed
        other = manager(hub, "S002").post(f"{hub.url}/v1/shipments/{sid}/resource",
                                          json={"to": "S009", "expected": "W1"}, timeout=10)
        assert other.status_code == 404    # another store's manager does not see it
        machine = requests.post(f"{hub.url}/v1/shipments/{sid}/resource",
                                json={"to": "S009", "expected": "W1"},
                                headers={"Authorization": f"Bearer {r.token}"}, timeout=10)
        assert machine.status_code == 403   # a register is a machine: a person decides
    finally:
        r.close()
