"""Issue 11 §1: a hold and a record belong to the register that made them; holds are
capped against hoarding; the holds that never became an exchange are reported."""

from __future__ import annotations

import uuid as uuidlib
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_exchange.hub import catalogue, holds, people, stock
from pos_exchange.hub import schema as t
from pos_exchange.hub.api import create_app
from pos_exchange.hub.stock import HoldLimits
from pos_exchange.messages import render
from tests.hub.conftest import PASSWORD, HubClock, message
from tests.hub.test_catalogue_stock import NOW, item, level, reserve


class SetClock(HubClock):
    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
def shelf(hub_engine):
    """S001 holds 40 of HOT-001 (the hoarded sku) and 5 of A-001; S002 holds 9 of A-001."""
    catalogue.upsert_items(hub_engine, [item("HOT-001"), item("A-001")], NOW)
    stock.set_stock(hub_engine, "S001", {"HOT-001": 40, "A-001": 5}, NOW)
    stock.set_stock(hub_engine, "S002", {"A-001": 9}, NOW)
    return hub_engine


@pytest.fixture
def hub(shelf, clock):
    with TestClient(create_app(shelf, clock=clock)) as client:
        yield client


def signed_in(client, engine, user_id="ho1", role=people.HEAD_OFFICE, store=None):
    people.add(engine, user_id, f"Person {user_id}", role, store, PASSWORD, NOW)
    answer = client.post("/v1/session", json={"user_id": user_id, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


# -- a hold is its register's -------------------------------------------------------------------

def test_another_register_cannot_release_or_commit_a_hold(hub, auth, shelf):
    r01, r02, s2 = auth("S001", "R01"), auth("S001", "R02"), auth("S002", "R01")
    rid = reserve(hub, r01, [("A-001", 2)]).json()["reservation_id"]
    for path, method in ((f"/v1/reservations/{rid}", "DELETE"),
                         (f"/v1/reservations/{rid}/commit", "POST")):
        refused = hub.request(method, path, headers=r02)
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "OTHER_REGISTER"
        assert "belongs to register R01" in refused.json()["detail"]
        assert hub.request(method, path, headers=s2).status_code == 404   # another store
    assert level(shelf, "A-001") == (5, 2)                                 # untouched
    assert hub.delete(f"/v1/reservations/{rid}", headers=r01).json()["status"] == "released"


def test_another_register_cannot_take_over_an_exchanges_hold(hub, auth, shelf):
    exchange = str(uuidlib.uuid4())
    assert reserve(hub, auth("S001", "R01"), [("A-001", 2)], exchange).status_code == 201
    taken = reserve(hub, auth("S001", "R02"), [("A-001", 5)], exchange)
    assert taken.status_code == 409 and taken.json()["code"] == "UUID_TAKEN"
    assert "another register (R01)" in taken.json()["detail"]
    assert level(shelf, "A-001") == (5, 2)
    with shelf.connect() as conn:
        assert conn.execute(select(t.reservations.c.register_id)).scalar() == "R01"


def test_another_register_cannot_read_a_registers_flags(hub, auth, doc):
    r01, r02 = auth("S001", "R01"), auth("S001", "R02")
    document = doc("upgrade")
    document["valuation"]["gap"] += 1
    hub.post("/v1/exchanges", json=message(document), headers=r01)
    assert [i["uuid"] for i in hub.get("/v1/reconciliation", headers=r01).json()] == [
        document["uuid"]]
    for query in ({}, {"include_resolved": "true"}, {"store": "S001"}):
        assert hub.get("/v1/reconciliation", params=query, headers=r02).json() == []
    assert hub.get("/v1/reconciliation", params={"store": "S002"},
                   headers=r01).status_code == 403


# -- caps against hoarding ----------------------------------------------------------------------

def test_a_hold_longer_than_30_minutes_is_refused(hub, auth, shelf):
    refused = reserve(hub, auth(), [("A-001", 1)], ttl_s=86_400)
    assert refused.status_code == 422, refused.text
    assert refused.json() == {"code": "HOLD_TOO_LONG", "detail": "A hold lasts at most 1800 s "
                              "(30 min); 86400 s asked. Nothing was reserved."}
    assert reserve(hub, auth(), [("A-001", 1)], ttl_s=1800).status_code == 201


def test_one_token_cannot_hold_all_40_units(hub, auth, shelf):
    r01 = auth()
    whole = reserve(hub, r01, [("HOT-001", 40)])
    assert whole.status_code == 422 and whole.json()["code"] == "HOLD_TOO_LARGE"
    assert "at most 20 units; 40 asked" in whole.json()["detail"]
    line = reserve(hub, r01, [("HOT-001", 11)])
    assert line.status_code == 422 and line.json()["code"] == "HOLD_TOO_LARGE"
    assert "at most 10 units of one item; 11 of HOT-001" in line.json()["detail"]
    # Splitting it over many exchanges does not get around the cap.
    assert reserve(hub, r01, [("HOT-001", 6)]).status_code == 201
    more = reserve(hub, r01, [("HOT-001", 5)])
    assert more.status_code == 409, more.text
    assert more.json()["code"] == "HOLD_LIMIT_REACHED" and more.json()["held"] == 6
    assert level(shelf, "HOT-001") == (40, 6)
    assert reserve(hub, r01, [("HOT-001", 4)]).status_code == 201
    # Another register has its own allowance.
    assert reserve(hub, auth("S001", "R02"), [("HOT-001", 10)]).status_code == 201
    assert level(shelf, "HOT-001") == (40, 20)


def test_an_expired_hold_frees_the_allowance_and_a_changed_basket_is_not_double_counted(
        hub, auth, shelf, clock):
    r01, exchange = auth(), str(uuidlib.uuid4())
    assert reserve(hub, r01, [("HOT-001", 8)], exchange).status_code == 201
    assert reserve(hub, r01, [("HOT-001", 10)], exchange).status_code == 201   # replaced
    assert level(shelf, "HOT-001") == (40, 10)
    clock.advance(minutes=16)
    assert reserve(hub, r01, [("HOT-001", 10)]).status_code == 201


def test_the_caps_are_configurable(shelf, auth):
    limits = HoldLimits(max_ttl_s=60, max_hold_qty=40, max_sku_qty=40)
    with TestClient(create_app(shelf, clock=SetClock(), hold_limits=limits)) as client:
        assert reserve(client, auth(), [("A-001", 1)], ttl_s=61).json()["code"] == \
            "HOLD_TOO_LONG"
        assert reserve(client, auth(), [("HOT-001", 40)], ttl_s=60).status_code == 201
    with pytest.raises(Exception) as bad:
        HoldLimits(max_ttl_s=0)
    assert "positive" in render(bad.value)


# -- the holds that never became an exchange ----------------------------------------------------

def test_orphan_report_lists_expired_and_released_holds_without_an_exchange(
        hub, auth, shelf, clock, doc):
    r01, r02 = auth("S001", "R01"), auth("S001", "R02")
    expired = reserve(hub, r01, [("HOT-001", 10)], ttl_s=600).json()
    released = reserve(hub, r02, [("A-001", 2)]).json()
    assert hub.delete(f"/v1/reservations/{released['reservation_id']}",
                      headers=r02).status_code == 200
    # A hold the settled exchange committed is not orphaned...
    settled = doc("upgrade")
    skus = [line["sku"] for line in settled["requested"]]
    catalogue.upsert_items(shelf, [item(sku) for sku in skus], NOW)
    stock.set_stock(shelf, "S001", dict.fromkeys(skus, 4), NOW)
    reserve(hub, r01, [(line["sku"], line["qty"]) for line in settled["requested"]],
            settled["uuid"])
    assert hub.post("/v1/exchanges", json=message(settled), headers=r01).status_code == 200
    # ...nor one the cancelled exchange released, nor one still running.
    cancelled = doc("cancelled")
    reserve(hub, r01, [("A-001", 1)], cancelled["uuid"])
    assert hub.post("/v1/exchanges", json=message(cancelled, "exchange.cancelled"),
                    headers=r01).status_code == 200
    clock.advance(minutes=11)
    running = reserve(hub, r02, [("A-001", 1)]).json()
    ho = signed_in(hub, shelf)
    report = hub.get("/v1/reports/orphan-holds", headers=ho)
    assert report.status_code == 200, report.text
    rows = report.json()
    assert [(r["register"], r["sku"], r["qty"], r["ended"]) for r in rows] == [
        ("R01", "HOT-001", 10, "expired"), ("R02", "A-001", 2, "released")]
    assert rows[0]["exchange_uuid"] == expired["exchange_uuid"]
    assert rows[0]["expires_at"] == rows[0]["ended_at"] == expired["expires_at"]
    assert rows[0]["held_at"] < rows[0]["expires_at"] and rows[0]["store"] == "S001"
    assert running["reservation_id"] not in {r["reservation_id"] for r in rows}
    # The expired one was never swept: the report does not change anything.
    assert level(shelf, "HOT-001") == (40, 10)
    # --since: only holds made from then on.
    later = hub.get("/v1/reports/orphan-holds", params={"since": rows[1]["held_at"]},
                    headers=ho).json()
    assert [r["sku"] for r in later] == ["A-001"]
    assert hub.get("/v1/reports/orphan-holds", params={"since": "2027-01-01T00:00:00"},
                   headers=ho).json() == []


def test_a_late_record_takes_its_hold_off_the_report(hub, auth, shelf, clock, doc):
    r01, settled = auth(), doc("upgrade")
    skus = [line["sku"] for line in settled["requested"]]
    catalogue.upsert_items(shelf, [item(sku) for sku in skus], NOW)
    stock.set_stock(shelf, "S001", dict.fromkeys(skus, 4), NOW)
    reserve(hub, r01, [(line["sku"], line["qty"]) for line in settled["requested"]],
            settled["uuid"])
    clock.advance(minutes=20)                           # the register was offline
    assert [r["exchange_uuid"] for r in holds.orphaned(shelf, clock())] == [settled["uuid"]]
    assert hub.post("/v1/exchanges", json=message(settled), headers=r01).status_code == 200
    assert holds.orphaned(shelf, clock()) == []


def test_the_orphan_report_is_for_people_and_scoped_to_their_store(hub, auth, shelf, clock):
    reserve(hub, auth("S001"), [("A-001", 1)], ttl_s=60)
    reserve(hub, auth("S002"), [("A-001", 3)], ttl_s=60)
    clock.advance(minutes=2)
    assert hub.get("/v1/reports/orphan-holds", headers=auth()).status_code == 403
    assert hub.get("/v1/reports/orphan-holds").status_code == 401
    mgr2 = signed_in(hub, shelf, "mgr2", people.STORE_MANAGER, "S002")
    assert [(r["store"], r["qty"]) for r in hub.get("/v1/reports/orphan-holds",
                                                     headers=mgr2).json()] == [("S002", 3)]
    assert hub.get("/v1/reports/orphan-holds", params={"store": "S001"},
                   headers=mgr2).status_code == 403
    ho = signed_in(hub, shelf)
    assert len(hub.get("/v1/reports/orphan-holds", headers=ho).json()) == 2
    assert [r["store"] for r in hub.get("/v1/reports/orphan-holds", params={"store": "s001"},
                                        headers=ho).json()] == ["S001"]
    for since in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "yesterday"):
        odd = hub.get("/v1/reports/orphan-holds", params={"since": since}, headers=ho)
        assert odd.status_code in (200, 422), (since, odd.text)
