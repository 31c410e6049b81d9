"""Property (hypothesis, stateful): no path releases the shipment of an unpaid exchange.

The register's real services (on the in-memory unit of work) hold their shipments at the
real hub functions (hub/shipments.py on a SQLite file, called in process: the same code the
HTTP API calls, without a server per example). Random steps: new baskets with a shipped
line, lock-in, part and full payments, finalize, the register's records reaching the hub,
forged "settled" records of unpaid exchanges sent straight to the hub, the source's
dispatch / deliver / unfulfillable in any order, cancels. After every step: a shipment the
source can see (any state past PENDING) belongs to an exchange that is finalized with its
gap, fee included, fully paid; and no shipment was released twice.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from pos_exchange.domain.catalogue import Item, TaxTable
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.shipment import FeeTable, ShipmentState
from pos_exchange.hub import catalogue, migrate, shipments, stock
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import writing
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime
from pos_exchange.services.record import ExchangeMessage, ExchangeRecord
from pos_exchange.services.shipments import LocationStock, ShippingService
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.conftest import DEMO_NOW
from tests.fakes.unit_of_work import FakeUnitOfWorkFactory
from tests.flows import GOOD

BEST = "APP-TSHIRT-P-003"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}
TAXES = TaxTable({"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")})
R01 = Principal("tok", "S001", "R01")
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] if os.environ.get("NO_SHRINK") \
    else list(Phase)
SOURCE_STEPS = [ShipmentState.IN_TRANSIT, ShipmentState.COMPLETED,
                ShipmentState.UNFULFILLABLE]


class InProcessHub:
    """services.shipments.ShipmentHub on the real hub functions."""

    def __init__(self, engine: Any, clock: Any) -> None:
        self.engine, self.clock = engine, clock

    def stock_elsewhere(self, sku: str, qty: int) -> list[LocationStock]:
        return [LocationStock(r["location"], r["name"], r["kind"], r["available"],
                              r["distance_km"])
                for r in shipments.stock_elsewhere(self.engine, "S001", sku, qty)]

    def hold(self, exchange_uuid: str, rows: Any) -> None:
        shipments.hold(self.engine, R01, exchange_uuid, rows, self.clock())

    def release(self, exchange_uuid: str) -> None:
        shipments.release_holds(self.engine, R01, exchange_uuid, self.clock())

    def updates(self, since: int) -> tuple[list[dict[str, Any]], int]:
        answer = shipments.updates(self.engine, R01, since, limit=10_000)
        return answer["shipments"], answer["version"]


class ShipmentLifecycle(RuleBasedStateMachine):
    engine: Any = None   # one migrated SQLite hub for the whole run (set by the test)

    @initialize()
    def start(self) -> None:
        self.now = DEMO_NOW
        self.uow = FakeUnitOfWorkFactory()
        with self.uow() as work:   # a small store: each step copies it (the fake's rollback)
            work.users.add("csr1", "Casey", "csr", "1111", None, self.now)
            for sku, price in ((GOOD, 1900), (BEST, 3999)):
                work.catalogue.add_item(Item(sku, sku, price, "standard"), None, 5, self.now,
                                        [])
            work.commit()
        self.rt = Runtime("S001", "R01", "USD", self.tick)
        self.svc = ExchangeService(self.uow, self.rt, PolicyConfig(approval_gap_minor=10**7),
                                   TAXES)
        self.ship = ShippingService(self.svc, InProcessHub(self.engine, self.tick),
                                    FeeTable({"CH": 900}))
        stock.set_stock(self.engine, "W1", {BEST: 3}, self.now)
        self.numbers: list[str] = []
        self.uuids: list[str] = []   # this example's exchanges (the hub outlives it)
        self.forged_finalized: set[str] = set()
        self.pushed: set[int] = set()

    def tick(self) -> Any:
        self.now += timedelta(seconds=1)
        return self.now

    def _try(self, call: Any) -> None:
        with contextlib.suppress(PosError):   # a refusal is a fine answer: the
            call()                             # invariant decides

    # --- the counter
    @rule()
    def new_basket(self) -> None:
        ex = self.svc.start("csr1")
        self.svc.scan_returned(ex.number, "csr1", GOOD)
        self.ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
        self.numbers.append(ex.number)
        self.uuids.append(ex.uuid)

    def _pick(self, data: st.DataObject) -> str | None:
        return data.draw(st.sampled_from(self.numbers)) if self.numbers else None

    @rule(data=st.data())
    def lock_in(self, data: st.DataObject) -> None:
        if (number := self._pick(data)) is not None:
            self._try(lambda: self.svc.submit(number, "csr1"))

    @rule(data=st.data(), part=st.sampled_from([1, 900, 5000, None]))
    def pay(self, data: st.DataObject, part: int | None) -> None:
        if (number := self._pick(data)) is None:
            return
        due = self.svc.get(number).remaining_due_minor
        amount = due if part is None else min(part, due)
        if amount > 0:
            self._try(lambda: self.svc.pay_cash(number, "csr1", Decimal(amount) / 100))

    @rule(data=st.data())
    def finalize(self, data: st.DataObject) -> None:
        if (number := self._pick(data)) is not None:
            self._try(lambda: self.svc.finalize(number, "csr1"))

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        if (number := self._pick(data)) is not None:
            self._try(lambda: self.svc.cancel(number, "csr1"))

    # --- records reaching the hub
    def _ingest(self, topic: str, document: dict[str, Any]) -> None:
        message = ExchangeMessage.model_validate({"message_id": "m", "topic": topic,
                                                  "document": document})
        with writing(self.engine) as conn:
            shipments.at_ingest(conn, R01, message.document, topic, self.tick())

    @rule()
    def sync(self) -> None:
        for row in self.uow.store.outbox:
            if row["id"] not in self.pushed:
                self.pushed.add(row["id"])
                self._ingest(row["topic"], json.loads(row["payload"]))
        self._try(self.ship.pull_updates)

    @rule(data=st.data(), claims_finalized=st.booleans())
    def forged_settled_record(self, data: st.DataObject, claims_finalized: bool) -> None:
        """A register (or anyone with its token) claims an unsettled exchange settled,
        with the tenders it really has (and, at worst, a finalize time it never had)."""
        if (number := self._pick(data)) is None:
            return
        record: ExchangeRecord = self.svc.record(number)
        document = record.as_json()
        if claims_finalized:
            document["finalized_at"] = self.now.isoformat()
            self.forged_finalized.add(record.uuid)
        document.update(state="AWAITING_FULFILMENT",
                        shipments=[{**s, "state": "AWAITING_FULFILMENT"}
                                   for s in document["shipments"]],
                        journal_head={"seq": 1, "hash": "0" * 64})
        self._ingest("exchange.settled", document)

    # --- the source
    @rule(data=st.data(), step=st.sampled_from(SOURCE_STEPS))
    def source_acts(self, data: st.DataObject, step: ShipmentState) -> None:
        with self.engine.connect() as conn:
            ids = conn.execute(select(t.shipments.c.shipment_id).where(
                t.shipments.c.exchange_uuid.in_(self.uuids)).order_by(
                t.shipments.c.created_at, t.shipments.c.shipment_id)).scalars().all()
        if ids:
            sid = data.draw(st.sampled_from(ids))
            self._try(lambda: shipments.act(
                self.engine, shipments.Actor("w1", lambda loc: True), sid, step,
                self.tick(), carrier="Post", tracking="T1", reason="damaged"))

    # --- what must always hold
    @invariant()
    def only_paid_exchanges_reach_their_source(self) -> None:
        if not hasattr(self, "svc"):
            return
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.shipments.c.exchange_uuid, t.shipments.c.state)
                                ).all()
            released = conn.execute(select(t.journal.c.payload).where(
                t.journal.c.event == "shipment.released")).scalars().all()
        with self.uow(readonly=True) as work:
            mine = {ex.uuid: ex for ex in (work.exchanges.get(n) for n in self.numbers)}
        for uuid, state in rows:
            ex = mine.get(uuid)
            if ex is None or state == "PENDING":
                continue
            # Paid in full, whatever the records claimed...
            assert ex.remaining_due_minor <= 0 and ex.state not in (
                State.DRAFT, State.PENDING_APPROVAL, State.CANCELLED), \
                (ex.number, ex.state, state, ex.remaining_due_minor)
            # ... and settled at the register, unless a forged record claimed it was.
            assert ex.finalized_at is not None or uuid in self.forged_finalized, \
                (ex.number, ex.state, state)
        ids = [json.loads(p)["shipment"] for p in released]
        assert len(ids) == len(set(ids)), "a shipment was released twice"


def test_no_path_releases_an_unpaid_exchanges_shipment(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    migrate.upgrade(engine)
    catalogue.upsert_items(engine, [{
        "sku": BEST, "name": "Crew T-Shirt (Best)", "category": "Apparel",
        "price_minor": 3999, "tax_class": "standard", "returnable": True,
        "barcodes": []}], DEMO_NOW)
    shipments.set_location(engine, "W1", "Warehouse", "warehouse")
    ShipmentLifecycle.engine = engine
    machine = ShipmentLifecycle.TestCase
    # CI runs a short search (seconds); SHIPMENT_MACHINE_EXAMPLES=500 searches longer.
    examples = int(os.environ.get("SHIPMENT_MACHINE_EXAMPLES", "20"))
    machine.settings = settings(max_examples=examples, stateful_step_count=15, deadline=None,
                                phases=PHASES,
                                suppress_health_check=[HealthCheck.too_slow])
    try:
        machine().runTest()
    finally:
        engine.dispose()
