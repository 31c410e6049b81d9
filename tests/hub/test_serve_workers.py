"""`pos-exchange-hub serve --workers 2` on one PostgreSQL: several registers posting at once
through two server processes get gapless, unique numbers (hub/sequences.py: each number
is taken under a row lock in the transaction that uses it)."""

from __future__ import annotations

import copy
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from pos_exchange.domain.numbering import format_number
from pos_exchange.hub import migrate, tokens
from tests.hub.conftest import PG_URL, message

pytestmark = pytest.mark.slow
HUB = str(Path(sys.executable).with_name("pos-exchange-hub"))
REGISTERS, PER_REGISTER = 4, 6


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pg_url(pg_admin_engine):
    """A fresh schema, as a URL a server process can open (search_path in the URL)."""
    name = f"w_{uuid.uuid4().hex[:12]}"
    with pg_admin_engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{name}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    yield url, engine
    engine.dispose()
    with pg_admin_engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def documents(doc, register: str) -> list[dict]:
    """The upgrade document as ``PER_REGISTER`` exchanges of ``register``."""
    out = []
    for seq in range(1, PER_REGISTER + 1):
        document = copy.deepcopy(doc("upgrade"))
        old_uuid, old_number = document["uuid"], document["number"]
        new_uuid, number = str(uuid.uuid4()), format_number("S001", register, seq)

        def swap(value, old_uuid=old_uuid, old_number=old_number, new_uuid=new_uuid,
                 number=number):
            if isinstance(value, dict):
                return {k: swap(v) for k, v in value.items()}
            if isinstance(value, list):
                return [swap(v) for v in value]
            if isinstance(value, str):
                return value.replace(old_uuid, new_uuid).replace(old_number, number)
            return value

        document = swap(document)
        document["register"] = register
        out.append(message(document))
    return out


def test_two_workers_number_every_exchange_once_without_gaps(pg_url, doc):
    url, engine = pg_url
    port = _port()
    server = subprocess.Popen([HUB, "--db", url, "serve", "--port", str(port),
                               "--workers", "2", "--threads", "4"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the hub did not start"
            try:
                if requests.get(base + "/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        registers = [f"R{n:02d}" for n in range(2, 2 + REGISTERS)]
        keys = {r: tokens.create(engine, "S001", r, datetime.now(UTC))[1] for r in registers}
        answers: dict[str, list[dict]] = {r: [] for r in registers}

        def post(register: str) -> None:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {keys[register]}"
            mine = documents(doc, register)
            for i in range(0, len(mine), 2):          # pages of two, and singles
                if i % 4:
                    for m in mine[i:i + 2]:
                        r = session.post(base + "/v1/exchanges", json=m, timeout=30)
                        assert r.status_code == 200, r.text
                        answers[register].append(r.json())
                else:
                    r = session.post(base + "/v1/exchanges/batch",
                                     json={"records": mine[i:i + 2]}, timeout=30)
                    assert r.status_code == 200, r.text
                    for result in r.json()["results"]:
                        assert result["status"] == 200, result
                        answers[register].append(result["ack"])

        threads = [threading.Thread(target=post, args=(r,)) for r in registers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = REGISTERS * PER_REGISTER
    acks = [a for each in answers.values() for a in each]
    assert len(acks) == total
    for kind, key in (("RO", "return_order"), ("SO", "sale_order")):
        numbers = sorted(int(re.sub(rf"^{kind}-S001-", "", a["links"][key])) for a in acks)
        assert numbers == list(range(1, total + 1)), (kind, numbers)
    receipts = sorted(int(r.split("-")[-1]) for a in acks for r in a["links"]["receipts"]
                      .values())
    assert receipts == list(range(1, len(receipts) + 1))
    with engine.connect() as conn:
        held = conn.execute(text("select count(*), count(distinct uuid), "
                                 "count(distinct return_order) from hub_exchanges")).one()
    assert tuple(held) == (total, total, total)
