"""20 registers race to reserve the last 5 units; exactly 5 succeed (real uvicorn, HTTP)."""

from __future__ import annotations

import threading
import uuid as uuidlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from pos_exchange.hub import catalogue, stock, tokens
from pos_exchange.hub import schema as t
from tests.hub.server import HubServer

SKU = "APP-RACE-B-001"


@pytest.fixture
def hub_url(hub_engine) -> Iterator[str]:
    server = HubServer(hub_engine).start()
    yield server.url
    server.stop()


def test_twenty_registers_race_for_the_last_five_units(hub_url, hub_engine):
    now = datetime.now(UTC)
    catalogue.upsert_items(hub_engine, [{
        "sku": SKU, "name": "Race tee", "category": "Apparel", "price_minor": 2500,
        "tax_class": "standard", "returnable": True, "barcodes": []}], now)
    stock.set_stock(hub_engine, "S001", {SKU: 5}, now)
    heads = [{"Authorization": f"Bearer {tokens.create(hub_engine, 'S001', f'R{n:02d}', now)[1]}"}
             for n in range(1, 21)]
    sessions = []
    for head in heads:      # connected before the start line, so the race is the requests
        session = requests.Session()
        session.headers.update(head)
        assert session.get(f"{hub_url}/v1/stock", timeout=10).status_code == 200
        sessions.append(session)
    barrier = threading.Barrier(len(sessions))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def register(session: requests.Session) -> None:
        body = {"exchange_uuid": str(uuidlib.uuid4()), "ttl_s": 900,
                "lines": [{"sku": SKU, "qty": 1}]}
        barrier.wait(timeout=10)
        response = session.post(f"{hub_url}/v1/reservations", json=body, timeout=30)
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=register, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(code for code, _ in answers)
    assert statuses == [201] * 5 + [409] * 15, answers
    assert {body["code"] for code, body in answers if code == 409} == {"OUT_OF_STOCK"}
    with hub_engine.connect() as conn:
        row = conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
            t.stock.c.store_id == "S001", t.stock.c.sku == SKU)).one()
        held = conn.execute(select(t.reservations.c.status)).scalars().all()
    assert (row.on_hand, row.reserved) == (5, 5)
    assert held == ["held"] * 5
    for session in sessions:
        session.close()
