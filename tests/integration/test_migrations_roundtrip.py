"""The Alembic migrations build exactly ``schema.metadata``, and aggregates survive the trip.

Round-trips: an exchange in every state, built through the service layer, reads back
(``svc.get``) equal to the object the service call returned (``Exchange`` dataclass
equality; ``events`` is excluded from comparison), and reading twice gives equal,
distinct objects. Sales read back as loaded and as booked by a finalize.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from pos_exchange.adapters.db import migrate, schema
from pos_exchange.bootstrap import App, init_db, open_app
from pos_exchange.config import Settings
from pos_exchange.domain.errors import NotFound
from pos_exchange.domain.exchange import (
    Exchange,
    Kind,
    State,
    Tender,
    TenderKind,
    TenderStatus,
)
from pos_exchange.domain.sale import Funding, Sale, SaleLine
from pos_exchange.sqlkit.engine import make_engine, sqlite_url

TRIGGERS = {f"{table}_no_{action}"
            for table in ("audit_journal", "audit_anchors", "day_closes",
                          "audit_checkpoints", "cash_payouts")
            for action in ("update", "delete", "replace")}


# ---------------------------------------------------------------------- migrations
@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(sqlite_url(tmp_path / "fresh.sqlite3"))
    yield engine
    engine.dispose()


def schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        # compare_type is on by default in Alembic >= 1.12; set explicitly so a type
        # drift between the revision and the metadata can never pass unnoticed.
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, schema.metadata)


def sqlite_master(engine: Engine) -> list[tuple[str, str, str | None]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")]


def triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {name for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def test_upgrade_of_empty_database_matches_metadata(empty_engine):
    assert migrate.current_revision(empty_engine) is None
    assert not migrate.is_up_to_date(empty_engine)

    migrate.upgrade(empty_engine)

    assert schema_diff(empty_engine) == []
    tables = {n for kind, n, _ in sqlite_master(empty_engine) if kind == "table"}
    assert tables == set(schema.metadata.tables) | {"alembic_version"}
    assert triggers(empty_engine) == TRIGGERS
    assert migrate.current_revision(empty_engine) == migrate.head_revision()
    assert migrate.is_up_to_date(empty_engine)


def test_second_upgrade_is_a_no_op(empty_engine):
    migrate.upgrade(empty_engine)
    first = sqlite_master(empty_engine)
    migrate.upgrade(empty_engine)
    assert sqlite_master(empty_engine) == first
    assert migrate.is_up_to_date(empty_engine)
    with empty_engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert versions == [(migrate.head_revision(),)]


def test_upgraded_demo_database_is_a_no_op_and_keeps_data(db_path):
    engine = make_engine(sqlite_url(db_path))
    try:
        before = sqlite_master(engine)
        with engine.connect() as conn:
            journal = conn.exec_driver_sql("SELECT * FROM audit_journal").all()
        migrate.upgrade(engine)
        assert sqlite_master(engine) == before
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT * FROM audit_journal").all() == journal
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_engine):
    migrate.upgrade(empty_engine)
    config = migrate.alembic_config()
    with empty_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert {n for kind, n, _ in sqlite_master(empty_engine) if kind in ("table", "trigger")} \
        == {"alembic_version"}
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert schema_diff(empty_engine) == []
    assert triggers(empty_engine) == TRIGGERS
    assert migrate.is_up_to_date(empty_engine)


def test_init_db_creates_the_migrated_schema(tmp_path, clock):
    path = tmp_path / "new.sqlite3"
    assert init_db(str(path), demo=False) == {}
    engine = make_engine(sqlite_url(path))
    try:
        assert schema_diff(engine) == []
        assert triggers(engine) == TRIGGERS
        assert migrate.is_up_to_date(engine)
    finally:
        engine.dispose()
    opened = open_app(str(path), clock=clock)
    try:
        verdict = opened.audit.verify()
        assert verdict.ok and verdict.entries == 0
    finally:
        opened.close()


# ---------------------------------------------------------------------- round-trips
@pytest.fixture
def rounding_app(db_path: Path, clock) -> Iterator[App]:
    application = open_app(str(db_path), settings=Settings(policy={"cash_rounding": "0.05"}),
                           clock=clock)
    yield application
    application.close()


@pytest.fixture
def tick(clock) -> Callable[[], None]:
    """A clock that moves between counter actions, as a real one does."""
    return lambda: clock.advance(seconds=7)


def assert_round_trips(app: App, ex: Exchange) -> Exchange:
    first = app.exchanges.get(ex.number)
    second = app.exchanges.get(ex.uuid)
    assert first == ex
    assert second == first
    assert second is not first
    assert [t.tender_id for t in first.tenders] == [t.tender_id for t in ex.tenders]
    return first


def start_upgrade(app: App, tick: Callable[[], None], wanted: str) -> Exchange:
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    tick()
    svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001")
    tick()
    return svc.scan_requested(ex.number, "csr1", wanted)


def test_draft_with_lines_round_trips(app, tick):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    assert_round_trips(app, ex)
    tick()
    ex = svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001", condition="damaged",
                           restock=False)
    tick()
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    tick()
    ex = svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")  # qty 2 on one line
    assert ex.state is State.DRAFT
    assert [r.qty for r in ex.requested] == [2]
    assert ex.returned[0].restock is False and ex.returned[0].condition == "damaged"
    assert_round_trips(app, ex)


def test_no_receipt_draft_round_trips(app, tick):
    svc = app.exchanges
    ex = svc.start("csr2", customer_id="C0005")
    tick()
    svc.scan_returned(ex.number, "csr2", "APP-SOCKS-G-043")
    tick()
    ex = svc.scan_requested(ex.number, "csr2", "APP-SOCKS-B-044")
    assert ex.original_sale_id is None and ex.returned[0].sale_line_id is None
    assert_round_trips(app, ex)


def test_pending_approval_and_approved_round_trip(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-TSHIRT-P-003")
    tick()
    ex = svc.submit(ex.number, "csr1")
    assert ex.state is State.PENDING_APPROVAL
    assert ex.approval_required and ex.submitted_by == "csr1"
    assert [f.code for f in ex.findings] == ["APPROVAL_GAP"]
    assert_round_trips(app, ex)
    tick()
    ex = svc.approve(ex.number, "mgr1", "9999", "loyal customer")
    assert ex.state is State.AWAITING_PAYMENT and ex.approval is not None
    reread = assert_round_trips(app, ex)
    assert reread.approval_valid


def test_awaiting_payment_with_cash_part_round_trips(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-TSHIRT-B-002")
    tick()
    ex = svc.submit(ex.number, "csr1")
    assert ex.state is State.AWAITING_PAYMENT
    tick()
    tender = svc.pay_cash(ex.number, "csr1", "20.00")
    assert (tender.amount_minor, tender.tendered_minor, tender.change_minor) == (2000, 2000, 0)
    expected = dataclasses.replace(ex, tenders=[tender])
    reread = assert_round_trips(app, expected)
    assert reread.tenders == [tender]
    assert reread.remaining_due_minor == 6385 - 2000


def test_in_transit_with_cash_rounding_round_trips(rounding_app, tick):
    app, svc = rounding_app, rounding_app.exchanges
    ex = start_upgrade(app, tick, "APP-POLO-G-004")
    tick()
    ex = svc.submit(ex.number, "csr1")
    assert ex.valuation().gap_minor == 1081  # 31.38 new - 20.57 returned
    tick()
    tender = svc.pay_cash(ex.number, "csr1", "20")
    assert (tender.amount_minor, tender.rounding_minor, tender.change_minor) == (1080, -1, 920)
    assert svc.get(ex.number).tenders == [tender]
    tick()
    ex = svc.finalize(ex.number, "csr1")
    assert ex.state is State.IN_TRANSIT
    assert ex.finalized_at is not None and ex.new_sale_id is not None
    assert [(d.payment_id, d.use, d.amount_minor) for d in ex.draws] == [
        ("pi_demo_000001", "carry", 2057)]
    assert_round_trips(app, ex)

    # The sale the exchange booked: the new items, funded by the carried card slice
    # and the exact (unrounded) cash payment.
    booked = svc.find_sale(ex.number)
    polo = ex.requested[0]
    assert booked == Sale(
        ex.new_sale_id, ex.number, ex.number, ex.finalized_at, "C0001", "USD",
        (SaleLine(1, polo.sku, polo.name, 1, polo.unit_price_minor, polo.net_minor,
                  polo.tax_rate, polo.tax_minor),),
        (Funding("pi_demo_000001", "card", 2057, 0, "visa", "4242"),
         Funding(tender.payment_id, "cash", 1081)),
        ex.uuid, store_id="S001")   # where it was sold (issue 10)
    assert svc.find_sale(ex.number) == booked
    # The original sale now shows the returned unit and the drawn card slice.
    original = svc.find_sale("S001-000001")
    assert original.lines[0].returned_qty == 1
    assert original.funding[0].drawn_minor == 2057


def test_less_exchange_with_pending_card_refund_round_trips(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-SOCKS-G-043")
    tick()
    ex = svc.submit(ex.number, "csr1")
    assert ex.valuation().kind is Kind.LESS and ex.state is State.DRAFT
    assert_round_trips(app, ex)
    tick()
    ex = svc.finalize(ex.number, "csr1")
    assert ex.state is State.IN_TRANSIT
    [refund] = ex.refunds
    assert (refund.method, refund.amount_minor, refund.status, refund.card_last4) == (
        "card", 2057 - 865, TenderStatus.PENDING, "4242")
    assert_round_trips(app, ex)


def test_even_exchange_round_trips(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-TSHIRT-G-001")  # same item back: a size swap
    tick()
    ex = svc.submit(ex.number, "csr1")
    assert ex.valuation().kind is Kind.EVEN
    tick()
    ex = svc.finalize(ex.number, "csr1")
    assert ex.state is State.IN_TRANSIT and ex.tenders == []
    assert_round_trips(app, ex)


def test_cancelled_round_trips(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-TSHIRT-B-002")
    tick()
    svc.submit(ex.number, "csr1")
    tick()
    ex = svc.cancel(ex.number, "csr1", "customer changed their mind")
    assert ex.state is State.CANCELLED
    assert_round_trips(app, ex)


def test_voided_with_compensation_round_trips(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-TSHIRT-B-002")
    tick()
    svc.submit(ex.number, "csr1")
    tick()
    payment = svc.record_card_payment(ex.number, "csr1", "63.85", brand="mastercard",
                                      last4="5555", reference="pi_test_void")
    tick()
    settled = svc.finalize(ex.number, "csr1")
    tick()
    ex = svc.void(ex.number, "mgr1", "wrong size handed over")
    assert ex.state is State.VOIDED
    [compensation] = ex.refunds
    assert compensation.compensates == payment.tender_id
    assert (compensation.amount_minor, compensation.status) == (6385, TenderStatus.PENDING)
    assert_round_trips(app, ex)
    # The voided exchange's own sale is gone for returns; the original one is whole again.
    with pytest.raises(NotFound) as info:
        svc.find_sale(settled.number)
    assert info.value.code == "SALE_VOIDED"
    original = svc.find_sale("S001-000001")
    assert original.lines[0].returned_qty == 0
    assert original.funding[0].drawn_minor == 0


def test_sale_round_trips_by_order_number_and_receipt(app):
    svc = app.exchanges
    sale = svc.find_sale("S001-000001")
    assert sale == svc.find_sale(sale.receipt_barcode)
    assert sale == svc.find_sale(" s001-000001 ")
    assert sale == svc.find_sale("S001-000001")
    assert sale is not svc.find_sale("S001-000001")
    assert (sale.order_number, sale.customer_id, sale.currency) == ("S001-000001", "C0001", "USD")
    assert [(ln.sku, ln.qty, ln.net_minor, ln.tax_minor, ln.returned_qty)
            for ln in sale.lines] == [("APP-TSHIRT-G-001", 1, 1900, 157, 0)]
    assert sale.funding == (Funding("pi_demo_000001", "card", 2057, 0, "visa", "4242"),)
    assert sale.source_exchange_uuid is None


# ---------------------------------------------------------------------- tender order
def ordered_ids(descending: bool) -> Callable[[], str]:
    """Deterministic ids; the reloaded tender order must not depend on their values."""
    counter = itertools.count(10**11 - 1, -1) if descending else itertools.count(1)
    return lambda: f"00000000-0000-4000-8000-{next(counter):012d}"


@pytest.mark.parametrize("descending", [False, True], ids=["ascending-ids", "descending-ids"])
def test_tenders_made_in_one_call_reload_in_recorded_order(app, tick, descending):
    """A void refunds every payment at the same instant; the reload keeps their order."""
    svc = app.exchanges
    svc.rt = dataclasses.replace(svc.rt, ids=ordered_ids(descending))
    ex = start_upgrade(app, tick, "APP-TSHIRT-B-002")
    tick()
    svc.submit(ex.number, "csr1")
    tick()
    svc.pay_cash(ex.number, "csr1", "20.00")
    tick()
    svc.record_card_payment(ex.number, "csr1", "43.85", brand="visa", last4="4242",
                            reference="pi_test_split")
    tick()
    ex = svc.void(ex.number, "mgr1", "terminal printed twice")
    assert [(t.kind, t.method) for t in ex.tenders] == [
        (TenderKind.PAYMENT, "cash"), (TenderKind.PAYMENT, "card"),
        (TenderKind.REFUND, "cash"), (TenderKind.REFUND, "card")]
    assert_round_trips(app, ex)


def test_tender_fields_survive_the_trip(app, tick):
    svc = app.exchanges
    ex = start_upgrade(app, tick, "APP-TSHIRT-B-002")
    tick()
    svc.submit(ex.number, "csr1")
    tick()
    card = svc.record_card_payment(ex.number, "csr1", "63.85", brand="amex", last4="0005",
                                   reference="pi_test_fields")
    [reread] = svc.get(ex.number).tenders
    assert reread == card == Tender(card.tender_id, TenderKind.PAYMENT, "card", 6385,
                                    card.created_at, card.tender_id, card_brand="amex",
                                    card_last4="0005", reference="pi_test_fields")
