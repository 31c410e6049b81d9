"""Holds at the source (hub/shipments.py), on SQLite and PostgreSQL: all or none across
sources, a re-lock-in replaces the exchange's hold, and a hold that lapsed while the
record was on its way is taken again at release if the units are still there, else the
shipment is unfulfillable at once (and the register refunds it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pos_exchange.hub import catalogue, shipments, stock
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import writing
from pos_exchange.hub.tokens import Principal

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
R01 = Principal("tok", "S001", "R01")
A, B = "APP-HOLD-A-001", "APP-HOLD-B-002"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}


def _ship(sid: str, source: str, sku: str, qty: int = 1) -> dict:
    return {"shipment_id": sid, "source": source, "address": ADDRESS,
            "lines": [{"line": 1, "sku": sku, "name": sku, "qty": qty}]}


@pytest.fixture
def hub(hub_engine):
    catalogue.upsert_items(hub_engine, [
        {"sku": sku, "name": sku, "category": "Apparel", "price_minor": 1000,
         "tax_class": "standard", "returnable": True, "barcodes": []} for sku in (A, B)], NOW)
    for loc in ("W1", "W2"):
        shipments.set_location(hub_engine, loc, loc, "warehouse")
    stock.set_stock(hub_engine, "W1", {A: 1}, NOW)
    stock.set_stock(hub_engine, "W2", {B: 1}, NOW)
    return hub_engine


def _level(engine, loc: str, sku: str) -> tuple[int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
            t.stock.c.store_id == loc, t.stock.c.sku == sku)).one())


def test_all_or_none_across_sources_and_a_new_hold_replaces_the_old(hub):
    ex = "00000000-0000-4000-8000-000000000001"
    with pytest.raises(stock.NotEnoughStock) as refused:   # W2 has 1, 2 asked: nothing held
        shipments.hold(hub, R01, ex, [_ship("s1", "W1", A), _ship("s2", "W2", B, 2)], NOW)
    assert refused.value.params["source"] == "W2"
    assert _level(hub, "W1", A) == (1, 0)
    shipments.hold(hub, R01, ex, [_ship("s1", "W1", A)], NOW)
    shipments.hold(hub, R01, ex, [_ship("s3", "W2", B)], NOW)   # re-lock-in: W1 goes back
    assert _level(hub, "W1", A) == (1, 0) and _level(hub, "W2", B) == (1, 1)


def test_a_lapsed_hold_is_taken_again_or_the_shipment_cannot_ship(hub):
    first = "00000000-0000-4000-8000-000000000002"
    other = "00000000-0000-4000-8000-000000000003"
    shipments.hold(hub, R01, first, [_ship("late", "W1", A)], NOW)
    later = NOW + shipments.HOLD_TTL + timedelta(minutes=1)
    shipments.hold(hub, R01, other, [_ship("quick", "W1", A)], later)   # takes the unit
    with writing(hub) as conn:
        [row] = conn.execute(select(t.shipments).where(
            t.shipments.c.shipment_id == "late")).all()
        assert not row.held   # given back when the other hold needed the unit
        shipments._release(conn, row, "EX-LATE", later)
        [quick] = conn.execute(select(t.shipments).where(
            t.shipments.c.shipment_id == "quick")).all()
        shipments._release(conn, quick, "EX-QUICK", later)
    with hub.connect() as conn:
        states = dict(conn.execute(select(t.shipments.c.shipment_id, t.shipments.c.state,
                                          )).all())
        reason = conn.execute(select(t.shipments.c.reason).where(
            t.shipments.c.shipment_id == "late")).scalar()
    assert states == {"late": "UNFULFILLABLE", "quick": "AWAITING_FULFILMENT"}
    assert reason == "NO_STOCK" and _level(hub, "W1", A) == (0, 0)
