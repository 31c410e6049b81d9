"""`pos-exchange-hub shipments list|dispatch|deliver|unfulfillable` on a hub file, and
`catalogue load-demo` giving the demo warehouse W1."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from pos_exchange.hub import schema as t
from pos_exchange.hub import shipments
from pos_exchange.hub.cli import main
from pos_exchange.hub.db import hub_db_url, open_engine
from pos_exchange.hub.tokens import Principal

SKU = "APP-TSHIRT-P-003"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}
R01 = Principal("tok", "S001", "R01")


def _held(engine, exchange: str, shipment: str) -> None:
    now = datetime.now(UTC)
    shipments.hold(engine, R01, exchange, [{
        "shipment_id": shipment, "source": "W1", "address": ADDRESS, "number": "EX-1",
        "lines": [{"line": 2, "sku": SKU, "name": "Crew T-Shirt (Best)", "qty": 1}]}], now)


def _release(engine, shipment: str) -> None:
    """What the paid, settled record does at ingest (tested end to end elsewhere)."""
    from pos_exchange.hub.db import writing
    with writing(engine) as conn:
        [row] = conn.execute(select(t.shipments).where(
            t.shipments.c.shipment_id == shipment)).all()
        shipments._release(conn, row, "EX-1", datetime.now(UTC))


def test_the_warehouse_works_its_shipments_from_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "hub.sqlite3")
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert main(["--db", db, "catalogue", "load-demo"]) == 0
    assert "demo warehouse W1" in capsys.readouterr().out
    engine = open_engine(hub_db_url(db))
    try:
        _held(engine, "00000000-0000-4000-8000-000000000001", "ship-1")
        _held(engine, "00000000-0000-4000-8000-000000000002", "ship-2")
        # Not paid, not released: the warehouse cannot dispatch it, and does not list it.
        assert main(["--db", db, "shipments", "dispatch", "ship-1", "--carrier", "Post",
                     "--tracking", "T1"]) == 1
        assert "after it was released" in capsys.readouterr().err
        assert main(["--db", db, "shipments", "list", "--location", "W1"]) == 0
        assert "0 shipment(s) at W1" in capsys.readouterr().out
        _release(engine, "ship-1")
        _release(engine, "ship-2")
        assert main(["--db", db, "shipments", "list", "--location", "w1"]) == 0
        out = capsys.readouterr().out
        assert "ship-1" in out and "8001 Zürich CH" in out and "2 shipment(s)" in out
        assert main(["--db", db, "shipments", "deliver", "ship-1"]) == 1
        assert "mark it dispatched before delivered" in capsys.readouterr().err
        assert main(["--db", db, "shipments", "dispatch", "ship-1", "--carrier", "Post",
                     "--tracking", "99.1"]) == 0
        assert "IN_TRANSIT" in capsys.readouterr().out
        assert main(["--db", db, "shipments", "dispatch", "ship-1", "--carrier", "Post",
                     "--tracking", "99.1"]) == 1
        assert "dispatched only once" in capsys.readouterr().err
        assert main(["--db", db, "shipments", "deliver", "ship-1"]) == 0
        assert main(["--db", db, "shipments", "unfulfillable", "ship-2", "--reason",
                     "damaged in the warehouse"]) == 0
        capsys.readouterr()
        with engine.connect() as conn:
            states = dict(conn.execute(select(t.shipments.c.shipment_id,
                                              t.shipments.c.state)).all())
            events = conn.execute(select(t.journal.c.event).where(
                t.journal.c.event.like("shipment.%"))).scalars().all()
            w1 = conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
                t.stock.c.store_id == "W1", t.stock.c.sku == SKU)).one()
        assert states == {"ship-1": "COMPLETED", "ship-2": "UNFULFILLABLE"}
        assert events.count("shipment.released") == 2 and "shipment.in_transit" in events
        assert tuple(w1) == (3, 0)   # 5 demo units, two released to customers
    finally:
        engine.dispose()


def test_a_register_token_of_another_store_cannot_work_the_warehouses_shipment(tmp_path):
    """Only the fulfilling location (its person, or its own register) dispatches, delivers
    or gives up a shipment: the customer's store's register token is refused (told the
    shipment is unknown, so another store's shipments are not even confirmed), and the
    shipment is left as it was."""
    import pytest

    from pos_exchange.domain.errors import NotFound
    from pos_exchange.domain.shipment import ShipmentState
    from pos_exchange.hub.errors import Forbidden
    from pos_exchange.hub.shipments_api import _actor

    db = str(tmp_path / "hub.sqlite3")
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert main(["--db", db, "catalogue", "load-demo"]) == 0
    engine = open_engine(hub_db_url(db))
    try:
        _held(engine, "00000000-0000-4000-8000-000000000003", "ship-3")
        _release(engine, "ship-3")
        now = datetime.now(UTC)
        for target, extra in ((ShipmentState.IN_TRANSIT, {"carrier": "Post", "tracking": "T"}),
                              (ShipmentState.UNFULFILLABLE, {"reason": "lost"})):
            with pytest.raises(NotFound) as refused:
                shipments.act(engine, _actor(R01), "ship-3", target, now, **extra)
            assert refused.value.code == "UNKNOWN_SHIPMENT"
        with pytest.raises(Forbidden):
            shipments.listing(engine, _actor(R01), "W1")
        with engine.connect() as conn:
            state = conn.execute(select(t.shipments.c.state).where(
                t.shipments.c.shipment_id == "ship-3")).scalar_one()
        assert state == "AWAITING_FULFILMENT"
    finally:
        engine.dispose()


def test_a_manager_re_sources_from_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "hub.sqlite3")
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert main(["--db", db, "catalogue", "load-demo"]) == 0
    assert main(["--db", db, "locations", "set", "W2", "--name", "North", "--kind",
                 "warehouse"]) == 0
    engine = open_engine(hub_db_url(db))
    try:
        _held(engine, "00000000-0000-4000-8000-000000000004", "ship-4")
        _release(engine, "ship-4")
        capsys.readouterr()
        assert main(["--db", db, "shipments", "resource", "ship-4", "--to", "W1"]) == 2
        assert "already ships from W1" in capsys.readouterr().err
        assert main(["--db", db, "shipments", "resource", "ship-4", "--to", "W2"]) == 1
        assert "W2" in capsys.readouterr().err          # W2 has none of it
        from pos_exchange.hub import stock
        stock.set_stock(engine, "W2", {SKU: 2}, datetime.now(UTC))
        assert main(["--db", db, "shipments", "resource", "ship-4", "--to", "W2",
                     "--from", "W1", "--note", "W1 short of staff"]) == 0
        out = capsys.readouterr().out
        assert "W2  AWAITING_FULFILMENT" in out and "re-sourced from W1" in out
        assert main(["--db", db, "shipments", "resource", "ship-4", "--to", "W1",
                     "--from", "W1"]) == 1
        assert "someone re-sourced it meanwhile" in capsys.readouterr().err
        with engine.connect() as conn:
            levels = dict(conn.execute(select(t.stock.c.store_id, t.stock.c.on_hand).where(
                t.stock.c.sku == SKU, t.stock.c.store_id.in_(["W1", "W2"]))).all())
            [event] = conn.execute(select(t.journal.c.user_id, t.journal.c.payload).where(
                t.journal.c.event == "shipment.resourced")).all()
        assert levels == {"W1": 5, "W2": 1}   # W1's released unit back, W2's taken
        assert event.user_id == "hub-cli" and "W1 short of staff" in event.payload
    finally:
        engine.dispose()
