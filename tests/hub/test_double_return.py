"""Returned quantities are held like stock at the hub (issue 10).

- Online, a second register returning the same unit is refused at lock-in with
  QTY_EXCEEDS_PURCHASED and a sentence; nothing is held for it.
- Offline, each register's copy of the sale (pulled as a delta of its store's sales)
  decides and the exchange is marked unconfirmed. Both sync; the hub flags exactly the
  second, with the units and the money it took twice, and the register shows the flag.
Real hub under uvicorn on SQLite and PostgreSQL, real register databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pos_exchange.cli import main as register_cli
from pos_exchange.domain.errors import Refused
from pos_exchange.domain.exchange import State
from pos_exchange.hub import schema as t
from pos_exchange.messages import render
from tests.flows import GOOD
from tests.hub.chain import feed, register, sale, stock_the_hub
from tests.hub.server import HubServer


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    stock_the_hub(hub_engine)
    server = HubServer(hub_engine).start()
    yield server
    if server.running:
        server.stop()


@pytest.fixture
def two(tmp_path, demo_template, clock, hub):
    regs = [register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", r)
            for r in ("R01", "R02")]
    yield regs
    for reg in regs:
        reg.close()


def plain_return(reg, order):
    """Line 1 of ``order`` back, nothing new: the whole credit is refunded to the card."""
    ex = reg.svc.start("csr1", sale_key=order)
    reg.svc.scan_returned(ex.number, "csr1", GOOD)
    return reg.svc.submit(ex.number, "csr1")


def test_online_a_second_register_cannot_return_the_same_unit(two, hub):
    feed(hub.url, hub.engine, "S001", sale("S001-000201", "S001"))
    r01, r02 = two
    # R02 looks the sale up and scans the T-shirt while the unit is still free...
    ex = r02.svc.start("csr1", sale_key="S001-000201")
    r02.svc.scan_returned(ex.number, "csr1", GOOD)
    # ...R01 locks in the same unit first: the hub holds it for R01.
    first = plain_return(r01, "S001-000201")
    assert first.submitted_by == "csr1" and not first.returns_unconfirmed
    with pytest.raises(Refused) as refused:
        r02.svc.submit(ex.number, "csr1")
    assert refused.value.code == "QTY_EXCEEDS_PURCHASED"
    assert render(refused.value) == ("Only 0 of Crew T-Shirt (Good) can be returned from "
                                     "sale S001-000201 (1 bought, 1 already returned).")
    assert r02.svc.get(ex.number).state is State.DRAFT     # nothing was locked in
    with hub.engine.connect() as conn:
        held = conn.execute(select(t.returns.c.register_id, t.returns.c.status)).all()
    assert [tuple(row) for row in held] == [("R01", "held")]
    # A fresh lookup already says so when the item is scanned.
    again = r02.svc.start("csr1", sale_key="S001-000201")
    with pytest.raises(Refused) as scanned:
        r02.svc.scan_returned(again.number, "csr1", GOOD)
    assert scanned.value.code == "QTY_EXCEEDS_PURCHASED"
    # R01 settles: the held unit is committed by its record.
    r01.svc.finalize(first.number, "csr1")
    assert r01.sync.push_once().sent == 1
    with hub.engine.connect() as conn:
        assert conn.execute(select(t.returns.c.status)).scalars().all() == ["committed"]


def test_a_cancelled_lock_in_gives_the_unit_back(two, hub):
    feed(hub.url, hub.engine, "S001", sale("S001-000202", "S001"))
    r01, r02 = two
    first = plain_return(r01, "S001-000202")
    r01.svc.cancel(first.number, "csr1")
    assert r01.sync.push_once().sent == 1          # the cancelled record releases the hold
    second = plain_return(r02, "S001-000202")
    assert second.submitted_by == "csr1" and not second.returns_unconfirmed


# A sale the registers only know from the hub, and the issue's own case: the demo till's
# S001-000001 (one T-shirt, 20.57 on Visa pi_demo_000001), which both registers also hold.
CASES = {
    "S001-000301": sale("S001-000301", "S001"),
    "S001-000001": sale("S001-000001", "S001", sold_at="2026-11-17T15:30:00Z",
                        customer="C0001", tenders=[{
                            "id": "pi_demo_000001", "method": "card", "amount": 2057,
                            "brand": "visa", "last4": "4242", "reference": "pi_demo_000001"}]),
}


@pytest.mark.parametrize("order", sorted(CASES))
def test_offline_double_return_is_flagged_on_exactly_the_second(two, hub, tmp_path, capsys,
                                                                order):
    feed(hub.url, hub.engine, "S001", CASES[order])
    r01, r02 = two
    for reg in two:             # each register's copy: its store's sales, pulled as deltas
        assert reg.sync.pull_once().get("sales") == 1
    with r01.offline(), r02.offline():
        done = []
        for reg in two:
            ex = plain_return(reg, order)
            assert ex.returns_unconfirmed            # the local copy decided
            done.append(reg.svc.finalize(ex.number, "csr1"))
            assert [(t.method, t.amount_minor) for t in done[-1].refunds] == [("card", 2057)]
            assert not reg.sync.push_once().online
    first, second = done
    assert r01.sync.push_once().sent == 1
    assert r02.sync.push_once().sent == 1
    assert r01.svc.get(first.number).links["oms_status"] == "accepted"
    links = r02.svc.get(second.number).links
    assert links["oms_status"] == "flagged"
    assert links["oms_flags"] == "OVER_RETURN,OVER_REFUND"
    with hub.engine.connect() as conn:
        [item] = conn.execute(select(t.reconciliation)).all()
    assert (item.number, item.register_id) == (second.number, "R02")
    messages = {d["code"]: d["message"] for d in json.loads(item.details)}
    assert messages["OVER_REFUND"] == (
        f"Visa •••• 4242 paid 20.57 on sale {order}; other exchanges already drew 20.57 "
        "and this one drew 20.57: 20.57 more than it paid")
    assert messages["OVER_RETURN"] == (
        f"1 × Crew T-Shirt (Good) returned from sale {order}, line 1: 1 bought, 1 already "
        "returned elsewhere, so 1 too many")
    # The register shows it: sync status, the status command, exchange show.
    assert r02.sync.status().flagged == [(second.number, ["OVER_RETURN", "OVER_REFUND"])]
    assert r01.sync.status().flagged == []
    capsys.readouterr()
    assert register_cli(["--db", str(tmp_path / "S001-R02.sqlite3"), "status"]) == 0
    out = capsys.readouterr().out
    assert "Flagged by the hub for reconciliation: 1" in out
    assert f"{second.number}  OVER_RETURN, OVER_REFUND" in out
