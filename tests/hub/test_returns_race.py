"""10 registers online try to return the same unit of one sale line at once: the hub holds
it for exactly one; the nine others are refused QTY_EXCEEDS_PURCHASED and hold nothing
(real uvicorn, real register databases, on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pos_exchange.domain.errors import PosError
from pos_exchange.hub import schema as t
from tests.flows import GOOD
from tests.hub.chain import feed, register, sale, stock_the_hub
from tests.hub.server import HubServer

REGISTERS = 10


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    stock_the_hub(hub_engine)
    server = HubServer(hub_engine).start()
    yield server
    server.stop()


def test_ten_registers_race_to_return_one_unit(tmp_path, demo_template, clock, hub):
    feed(hub.url, hub.engine, "S001", sale("S001-000401", "S001"))
    regs = [register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", f"R{n:02d}")
            for n in range(1, REGISTERS + 1)]
    try:
        baskets = []
        for reg in regs:      # every register has the unit in its basket before the start
            ex = reg.svc.start("csr1", sale_key="S001-000401")
            reg.svc.scan_returned(ex.number, "csr1", GOOD)
            baskets.append(ex.number)
        barrier = threading.Barrier(REGISTERS)
        outcomes: dict[str, str] = {}
        lock = threading.Lock()

        def lock_in(reg, number):
            barrier.wait(timeout=30)
            try:
                reg.svc.submit(number, "csr1")
                result = "held"
            except PosError as exc:
                result = exc.code
            with lock:
                outcomes[reg.register] = result

        threads = [threading.Thread(target=lock_in, args=pair)
                   for pair in zip(regs, baskets, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert sorted(outcomes.values()) == ["QTY_EXCEEDS_PURCHASED"] * 9 + ["held"], outcomes
        winner = next(r for r, o in outcomes.items() if o == "held")
        with hub.engine.connect() as conn:
            held = conn.execute(select(t.returns.c.register_id, t.returns.c.qty,
                                       t.returns.c.status)).all()
        assert [tuple(row) for row in held] == [(winner, 1, "held")]
    finally:
        for reg in regs:
            reg.close()
