"""`pos-exchange cash-owed show|pay`: the window's Ctrl+O on the command line, on the
register's real database (a refund owed set up through the services with the in-memory
FakeShipmentHub, tests/fakes)."""

from __future__ import annotations

import io
from dataclasses import replace

from pos_exchange.cli import main
from pos_exchange.domain.shipment import FeeTable
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.unit.test_cash_owed import BEST, unshippable_paid_in_cash


def test_show_then_pay_once(app, db_path, capsys, monkeypatch):
    svc = app.exchanges
    svc.policy = replace(svc.policy, approval_gap_minor=100_000)
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    number = unshippable_paid_in_cash({"svc": svc, "hub": hub,
                                       "ship": ShippingService(svc, hub, FeeTable())})
    base = ["--db", str(db_path), "cash-owed"]
    assert main([*base, "show", number, "--user", "csr1"]) == 0
    out = capsys.readouterr().out
    assert number in out and "owed" in out and "Owed in cash: $" in out
    assert "--approver" in out   # the store's limits: above $100 a manager approves
    assert main([*base, "pay", number, "--user", "csr1"]) == 1
    assert "a manager approves" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("9999\n"))
    assert main([*base, "pay", number, "--user", "csr1", "--approver", "mgr1",
                 "--pin-stdin"]) == 0
    out = capsys.readouterr().out
    assert "Paid out $" in out and "paid out" in out and "owed" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("9999\n"))
    assert main([*base, "pay", number, "--user", "csr1", "--approver", "mgr1",
                 "--pin-stdin"]) == 1   # never twice
    assert "never paid twice" in capsys.readouterr().err
