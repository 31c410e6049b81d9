"""End to end: the real app under uvicorn on 127.0.0.1, spoken to with ``requests``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from pos_exchange.hub import tokens
from tests.hub.chains import body as chain_body
from tests.hub.server import HubServer


@pytest.fixture
def hub_url(hub_engine) -> Iterator[str]:
    server = HubServer(hub_engine).start()
    yield server.url
    server.stop()


def test_register_records_reach_the_hub_over_http(hub_url, hub_engine, documents,
                                                  documents_journal):
    _id, token = tokens.create(hub_engine, "S001", "R01", datetime.now(UTC))
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    assert requests.get(f"{hub_url}/health", timeout=5).json() == {"status": "ok", "db": "ok"}
    sent = documents["upgrade"]
    body = {"message_id": "m-1", "topic": sent["topic"], "document": sent["document"]}
    first = session.post(f"{hub_url}/v1/exchanges", json=body, timeout=5)
    assert first.status_code == 200 and first.json()["status"] == "accepted"
    again = session.post(f"{hub_url}/v1/exchanges", json={**body, "message_id": "m-2"},
                         timeout=5)
    assert again.content == first.content
    head = sent["document"]["journal_head"]
    # Setup adapted to issue 11: the anchor carries the entries that lead to the head.
    leading = [e for e in documents_journal if e.seq <= head["seq"]]
    anchored = session.post(f"{hub_url}/v1/anchors", json=chain_body(leading), timeout=5)
    assert anchored.json() == head
    assert session.get(f"{hub_url}/v1/anchors/latest", timeout=5).json() == head
    assert requests.post(f"{hub_url}/v1/exchanges", json=body, timeout=5).status_code == 401
