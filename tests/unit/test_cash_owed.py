"""Issue 12: a cash refund owed at the next visit (a shipment that could not ship, paid
in cash) is paid out once. The payout is one transaction (tender confirmed, payout row,
journal); a second confirm is refused with a sentence; a crash before the commit leaves
it owed, one after it (the drawer did not open) leaves it paid; above the refund limits a
manager approves. On the fake unit of work and on the register's real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from pos_exchange.demo.loader import load_demo
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import PosError, Unavailable
from pos_exchange.domain.exchange import TenderStatus
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.shipment import FeeTable, ShipmentState
from pos_exchange.messages import render
from pos_exchange.services import cash_owed as cash_owed_module
from pos_exchange.services.cash_drawer import CashDrawerService
from pos_exchange.services.cash_owed import CashOwedService
from pos_exchange.services.day_close import DayCloseService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.fakes.unit_of_work import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TAXES = TaxTable({"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")})
GOOD, BETTER, BEST = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002", "APP-TSHIRT-P-003"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}


class Drawer:
    """The drawer's kick as the printer does it: it opens, or the printer does not answer."""

    def __init__(self) -> None:
        self.kicks, self.offline = 0, False

    def kick(self) -> None:
        if self.offline:
            raise Unavailable("PRINTER_OFFLINE", variant="printing", detail="OSError")
        self.kicks += 1


@pytest.fixture(params=["fake", "sqlite"])
def world(request) -> Iterator[dict[str, Any]]:
    if request.param == "fake":
        uow = FakeUnitOfWorkFactory()
        with uow() as work:
            load_demo(work, "S001", NOW)
            work.commit()
        svc = ExchangeService(uow, Runtime("S001", "R01", "USD", lambda: NOW),
                              PolicyConfig(approval_gap_minor=100_000), TAXES)
    else:   # the register's real database (tests/conftest.py: the demo store)
        app = request.getfixturevalue("app")
        svc = app.exchanges
        svc.policy = replace(svc.policy, approval_gap_minor=100_000)
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    ship = ShippingService(svc, hub, FeeTable({"CH": 900}))
    drawer = Drawer()
    owed = CashOwedService(svc, CashDrawerService(svc.uow, svc.rt, drawer))
    yield {"svc": svc, "ship": ship, "hub": hub, "owed": owed, "drawer": drawer,
           "app": app if request.param == "sqlite" else None}


def unshippable_paid_in_cash(w: dict[str, Any]) -> str:
    """Shirt back; the best tier ships from W1 and the gap is paid in cash; W1 cannot."""
    svc, ship, hub = w["svc"], w["ship"], w["hub"]
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
    svc.submit(ex.number, "csr1")
    due = svc.get(ex.number).remaining_due_minor
    svc.pay_cash(ex.number, "csr1", str(Decimal(due) / 100))
    done = svc.finalize(ex.number, "csr1")
    hub.settle(done.uuid)
    hub.act(done.shipments[0].shipment_id, ShipmentState.UNFULFILLABLE, reason="damaged")
    assert ship.pull_updates() == 1
    return ex.number


def refusal(call) -> PosError:  # type: ignore[no-untyped-def]
    with pytest.raises(PosError) as err:
        call()
    return err.value


def events(svc: ExchangeService, number: str) -> list[str]:
    with svc.uow(readonly=True) as uow:
        return [e.event for e in uow.journal.entries(uow.exchanges.uuid_for(number))]


def cash_out(svc: ExchangeService) -> int:
    with svc.uow(readonly=True) as uow:
        return uow.exchanges.cash_totals("S001", "R01", datetime(2026, 11, 1, tzinfo=UTC),
                                         datetime(2026, 12, 1, tzinfo=UTC))[1]


def test_the_cash_owed_is_shown_paid_out_once_and_a_second_confirm_is_refused(world):
    svc, owed_svc, drawer = world["svc"], world["owed"], world["drawer"]
    number = unshippable_paid_in_cash(world)
    owed = owed_svc.owed(number, "csr1")
    ex = svc.get(number)
    cash = [t for t in ex.refunds if t.method == "cash" and t.compensates]
    assert owed.owed_minor == sum(t.amount_minor for t in cash) > 0
    assert {line.name for line in owed.lines} <= {r.name for r in ex.requested}
    assert not owed.needs_approval and all(t.status is TenderStatus.PENDING for t in cash)
    drawer_before = cash_out(svc)   # an owed refund is not out of the drawer yet
    z_before = DayCloseService(svc.uow, svc.rt).x_report("csr1").cash_out_minor

    paid = owed_svc.pay(number, "csr1")
    assert paid.amount_minor == owed.owed_minor and paid.drawer_error is None
    assert paid.owed.owed_minor == 0 and paid.owed.paid_minor == owed.owed_minor
    assert drawer.kicks == 1
    assert all(t.status is TenderStatus.CONFIRMED for t in svc.get(number).refunds
               if t.method == "cash" and t.compensates)
    assert cash_out(svc) == drawer_before + owed.owed_minor
    # The day's report counts it out of the drawer when it was paid out, too.
    assert DayCloseService(svc.uow, svc.rt).x_report("csr1").cash_out_minor == \
        z_before + owed.owed_minor
    journal = events(svc, number)
    assert journal.count("refund.executed") == len(cash)
    assert journal.count("cash_owed.paid_out") == 1 and "drawer.opened" in journal

    again = refusal(lambda: owed_svc.pay(number, "csr1"))   # the double confirm
    assert (again.code, again.params.get("variant")) == ("CASH_OWED_NONE", "paid")
    assert "never paid twice" in render(again)
    assert drawer.kicks == 1 and events(svc, number).count("cash_owed.paid_out") == 1
    assert cash_out(svc) == drawer_before + owed.owed_minor
    # The receipt of the exchange's new items finds it too.
    assert owed_svc.owed(number.lower()).paid_minor == owed.owed_minor
    if world["app"] is not None:   # the journal replays to the tables (audit verify --deep)
        verdict = world["app"].audit.verify_deep()
        assert verdict.ok, verdict


def test_a_crash_before_the_commit_leaves_it_owed_and_after_it_paid(world, monkeypatch):
    svc, owed_svc, drawer = world["svc"], world["owed"], world["drawer"]
    number = unshippable_paid_in_cash(world)
    amount = owed_svc.owed(number).owed_minor
    real = cash_owed_module.journal.record

    def crash(uow, rt, user, event, *args, **kwargs):  # type: ignore[no-untyped-def]
        if event == "cash_owed.paid_out":
            raise RuntimeError("power cut")
        return real(uow, rt, user, event, *args, **kwargs)

    monkeypatch.setattr(cash_owed_module.journal, "record", crash)
    with pytest.raises(RuntimeError):
        owed_svc.pay(number, "csr1")
    monkeypatch.setattr(cash_owed_module.journal, "record", real)
    assert owed_svc.owed(number).owed_minor == amount and drawer.kicks == 0
    assert "refund.executed" not in events(svc, number)

    drawer.offline = True   # paid, then the drawer does not open: the payout stands
    paid = owed_svc.pay(number, "csr1")
    assert paid.drawer_error is not None and paid.drawer_error.code == "PRINTER_OFFLINE"
    assert owed_svc.owed(number).owed_minor == 0
    assert refusal(lambda: owed_svc.pay(number, "csr1")).code == "CASH_OWED_NONE"


def test_the_payout_record_is_written_once_whatever_asks(world):
    svc = world["svc"]
    number = unshippable_paid_in_cash(world)
    from pos_exchange.services.views import CashPayout

    ex = svc.get(number)
    tender = next(t for t in ex.refunds if t.method == "cash" and t.compensates)
    payout = CashPayout(tender.tender_id, ex.uuid, tender.amount_minor, NOW, "csr1", None,
                        "R01")
    with svc.uow() as uow:   # two windows confirming at once: the guard is in the write
        assert uow.exchanges.record_payout(payout) is True
        assert uow.exchanges.record_payout(payout) is False
        uow.commit()


def test_above_the_refund_limits_a_manager_approves(world):
    svc, owed_svc = world["svc"], world["owed"]
    number = unshippable_paid_in_cash(world)
    svc.policy = replace(svc.policy, approval_gap_minor=100)
    assert owed_svc.owed(number, "csr1").needs_approval
    err = refusal(lambda: owed_svc.pay(number, "csr1"))
    assert err.code == "CASH_OWED_APPROVAL" and "manager" in render(err)
    assert refusal(lambda: owed_svc.pay(number, "csr1", "mgr1", "0000")).code != \
        "CASH_OWED_APPROVAL"   # a wrong PIN
    assert refusal(lambda: owed_svc.pay(number, "csr2", "csr1", "1111")).code == \
        "NOT_AUTHORIZED"
    assert owed_svc.owed(number).owed_minor > 0
    paid = owed_svc.pay(number, "csr1", "mgr1", "9999")
    assert paid.owed.owed_minor == 0
    assert all(line.payout and line.payout.approver_id == "mgr1" for line in paid.owed.lines)


def test_the_receipt_says_the_cash_is_owed_then_paid(app):
    """Was: a cash refund owed printed "Refund pending: sent when the network is back", and
    the headline "Customer paid -$20.57" for an upgrade that gave back more than was paid.
    (The receipt is built from the register's database.)"""
    from pos_exchange.receipts import render_text

    svc = app.exchanges
    svc.policy = replace(svc.policy, approval_gap_minor=100_000)
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    owed_svc = CashOwedService(svc, None)
    number = unshippable_paid_in_cash({"svc": svc, "hub": hub,
                                       "ship": ShippingService(svc, hub, FeeTable())})
    text = "\n".join(render_text(app.receipt(number)))
    assert "Owed in cash: paid out at your next visit" in text
    assert "sent when the network is back" not in text.split("Refund cash")[1].split("\n")[1]
    assert "Customer paid -" not in text and "Refunded $" in text
    owed_svc.pay(number, "csr1")
    text = "\n".join(render_text(app.receipt(number)))
    assert "Owed in cash" not in text and "Refund cash" in text
