"""10 registers try to ship the last unit at warehouse W1 at once: exactly one holds it
(real uvicorn over HTTP; SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import uuid as uuidlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from pos_exchange.hub import catalogue, shipments, stock, tokens
from pos_exchange.hub import schema as t
from tests.hub.server import HubServer

SKU = "APP-RACE-P-001"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}


@pytest.fixture
def hub_url(hub_engine) -> Iterator[str]:
    server = HubServer(hub_engine).start()
    yield server.url
    server.stop()


def test_ten_registers_race_for_the_last_unit_at_w1(hub_url, hub_engine):
    now = datetime.now(UTC)
    catalogue.upsert_items(hub_engine, [{
        "sku": SKU, "name": "Race jacket", "category": "Apparel", "price_minor": 9900,
        "tax_class": "standard", "returnable": True, "barcodes": []}], now)
    shipments.set_location(hub_engine, "W1", "Warehouse", "warehouse")
    stock.set_stock(hub_engine, "W1", {SKU: 1}, now)
    sessions = []
    for n in range(1, 11):
        http = requests.Session()
        http.headers["Authorization"] = \
            f"Bearer {tokens.create(hub_engine, 'S001', f'R{n:02d}', now)[1]}"
        assert http.get(f"{hub_url}/v1/stock", timeout=10).status_code == 200  # connected
        sessions.append(http)
    barrier = threading.Barrier(len(sessions))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def register(http: requests.Session) -> None:
        body = {"exchange_uuid": str(uuidlib.uuid4()), "shipments": [{
            "shipment_id": str(uuidlib.uuid4()), "source": "W1", "address": ADDRESS,
            "lines": [{"line": 2, "sku": SKU, "name": "Race jacket", "qty": 1}]}]}
        barrier.wait(timeout=10)
        response = http.post(f"{hub_url}/v1/shipments/holds", json=body, timeout=30)
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=register, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(code for code, _ in answers) == [201] + [409] * 9, answers
    refused = [body for code, body in answers if code == 409]
    assert all(b["code"] == "OUT_OF_STOCK" and b["sku"] == SKU and b["available"] == 0
               and "Nothing was held" in b["detail"] for b in refused)
    with hub_engine.connect() as conn:
        row = conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
            t.stock.c.store_id == "W1", t.stock.c.sku == SKU)).one()
        held = conn.execute(select(t.shipments.c.shipment_id)).all()
    assert tuple(row) == (1, 1) and len(held) == 1
