"""Races of re-sourcing at the hub (SQLite and PostgreSQL, real threads, one engine):
two managers re-sourcing the same shipment, and a re-source against the register's refund
claim. Exactly one wins each time; the loser changes nothing (no stock taken, no claim)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.shipment import ShipmentState
from pos_exchange.hub import schema as t
from pos_exchange.hub import shipment_refunds, shipments, stock
from pos_exchange.hub.cli_shipments import CLI
from pos_exchange.hub.db import writing
from pos_exchange.hub.tokens import Principal
from tests.hub.chain import stock_the_hub

SKU = "APP-TSHIRT-P-003"
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
R01 = Principal("tok", "S001", "R01")
ROUNDS = 4


@pytest.fixture
def chain(hub_engine):  # type: ignore[no-untyped-def]
    stock_the_hub(hub_engine, stores=("S001",))   # the demo catalogue
    for loc, kind in (("S001", "store"), ("W1", "warehouse"), ("W2", "warehouse"),
                      ("W3", "warehouse")):
        shipments.set_location(hub_engine, loc, loc, kind)
    stock.set_stock(hub_engine, "W1", {SKU: ROUNDS * 2}, NOW)
    stock.set_stock(hub_engine, "W2", {SKU: 1}, NOW)      # the last unit at W2
    stock.set_stock(hub_engine, "W3", {SKU: ROUNDS * 2}, NOW)
    return hub_engine


def released(engine) -> str:  # type: ignore[no-untyped-def]
    """A paid shipment released to W1 (as the settled record's ingest does)."""
    sid = str(uuid.uuid4())
    shipments.hold(engine, R01, str(uuid.uuid4()), [
        {"shipment_id": sid, "source": "W1", "address": {"name": "A"},
         "lines": [{"line": 1, "sku": SKU, "name": "Best", "qty": 1}]}], NOW)
    with writing(engine) as conn:
        [row] = shipments._locked(conn, t.shipments.c.shipment_id == sid)
        shipments._release(conn, row, "EX-S001-R01-1", NOW)
    return sid


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once (a barrier); each result, or the PosError it raised."""
    gate = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        gate.wait()
        try:
            out[i] = calls[i]()
        except PosError as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    return out


def on_hand(engine, loc: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(t.stock.c.on_hand).where(
            t.stock.c.store_id == loc, t.stock.c.sku == SKU)).scalar_one())


def test_two_managers_re_source_the_same_shipment_one_wins(chain):
    for _ in range(ROUNDS):
        sid = released(chain)
        w2, w3 = on_hand(chain, "W2"), on_hand(chain, "W3")
        out = race(lambda s=sid: shipments.resource(chain, CLI, s, "W3", NOW, expected="W1"),
                   lambda s=sid: shipments.resource(chain, CLI, s, "W2", NOW, expected="W1"))
        won = [o for o in out if isinstance(o, dict)]
        lost = [o for o in out if isinstance(o, PosError)]
        assert len(won) == 1 and len(lost) == 1, out
        # The loser saw it moved, or (to W2) found W2's last unit gone to an earlier round.
        assert lost[0].code in ("SHIPMENT_RESOURCE", "OUT_OF_STOCK")
        taken = {"W2": w2 - on_hand(chain, "W2"), "W3": w3 - on_hand(chain, "W3")}
        assert taken[won[0]["source"]] == 1 and sum(taken.values()) == 1


def test_a_re_source_and_the_refund_claim_never_both_win(chain):
    outcomes = set()
    for _ in range(ROUNDS):
        sid = released(chain)
        shipments.act(chain, CLI, sid, ShipmentState.UNFULFILLABLE, NOW, reason="damaged")
        w3 = on_hand(chain, "W3")
        moved, claim = race(
            lambda s=sid: shipments.resource(chain, CLI, s, "W3", NOW, expected="W1"),
            lambda s=sid: shipment_refunds.claim(chain, R01, s, NOW))
        with chain.connect() as conn:
            row = conn.execute(select(t.shipments).where(
                t.shipments.c.shipment_id == sid)).one()
        if isinstance(moved, dict):          # re-sourced: the refund is refused
            assert claim["refund"] is False and row.resolution is None
            assert (row.source_id, row.state) == ("W3", "AWAITING_FULFILMENT")
            assert w3 - on_hand(chain, "W3") == 1
            outcomes.add("resourced")
        else:                                # refunded: the re-source is refused
            assert moved.code == "SHIPMENT_RESOURCE" and claim["refund"] is True
            assert (row.source_id, row.resolution) == ("W1", "REFUND")
            assert on_hand(chain, "W3") == w3
            outcomes.add("refunded")
    assert outcomes   # each round had exactly one winner (either may win a round)
