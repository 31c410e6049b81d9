"""End to end: the real app under uvicorn on 127.0.0.1, spoken to with ``requests``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
import uvicorn

from pos_exchange.hub import tokens
from pos_exchange.hub.api import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hub_url(hub_engine) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(hub_engine), host="127.0.0.1", port=port,
                                           log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_register_records_reach_the_hub_over_http(hub_url, hub_engine, documents):
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
    assert session.post(f"{hub_url}/v1/anchors", json=head, timeout=5).json() == head
    assert session.get(f"{hub_url}/v1/anchors/latest", timeout=5).json() == head
    assert requests.post(f"{hub_url}/v1/exchanges", json=body, timeout=5).status_code == 401
