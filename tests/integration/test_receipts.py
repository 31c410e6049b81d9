"""The receipt: one document, rendered to the text preview and to ESC/POS bytes exactly.

The golden files were produced by this code from a fixed exchange (fixed clock, demo
store) and reviewed by eye (the .txt is the same receipt as the .bin); the tests then
hold the bytes still. Independently of the golden files, the bytes must start with
ESC @, carry the exchange number as Code 128 and QR, and end with a cut. Whether those
codes *scan* is test_receipt_scans.py's job (an independent renderer and decoder).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from escpos.printer import Dummy

from pos_exchange.adapters.printer.escpos_device import default_printer_file, demo_output
from pos_exchange.adapters.printer.receipt_escpos import print_receipt
from pos_exchange.bootstrap import open_app
from pos_exchange.config import demo_db_path
from pos_exchange.domain.errors import PosError
from pos_exchange.messages import render
from pos_exchange.receipts import PAPERS, build_receipt, render_text
from tests.flows import BETTER, GOOD, copy_database, upgrade_awaiting_payment

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "receipts"
UPDATE = os.environ.get("POS_EXCHANGE_UPDATE_GOLDEN") == "1"  # regenerate on purpose only
NAMES = {"csr1": "Alex Rivera", "mgr1": "Morgan Patel"}        # the demo's users table


def receipt_of(app, number, paper="80mm"):
    return build_receipt(app.exchanges.record(number), store_name="Demo Store",
                         store_address="1 Market Street", locale="en_US",
                         tz=ZoneInfo("America/Chicago"), paper=PAPERS[paper],
                         names=NAMES.get, return_window_days=30)


def upgrade_paid_in_cash(app):
    ex = upgrade_awaiting_payment(app)
    app.exchanges.pay_cash(ex.number, "csr1", "100")
    return app.exchanges.finalize(ex.number, "csr1").number


def golden(name: str, data: bytes) -> bytes:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
    return path.read_bytes()


def preview(app, number) -> str:
    """What the counter window shows: the app's own receipt (its names, paper, policy)."""
    return "\n".join(render_text(app.receipt(number)))


def test_the_preview_shows_every_line_of_the_exchange(app):
    lines = render_text(receipt_of(app, upgrade_paid_in_cash(app)))
    text = "\n".join(lines)
    assert all(len(line) <= 48 for line in lines)   # 80 mm: 48 columns of font A
    for expected in ("Exchange EX-S001-R01-000001-V", "Crew T-Shirt (Good)", "-$20.57",
                     "Crew T-Shirt (Better)", "$84.42", "incl. tax $6.43",
                     "Paid cash", "$63.85", "Tendered", "$100.00", "Change", "$36.15",
                     "Customer paid $63.85", "Original sale", "S001-000001",
                     "2026-11-20 09:30"):      # 15:30 UTC in Chicago
        assert expected in text, expected
    assert text.encode() == golden("upgrade_cash.txt", text.encode())


def test_the_escpos_bytes_of_the_golden_receipt(app):
    printer = Dummy()
    print_receipt(receipt_of(app, upgrade_paid_in_cash(app)), printer)
    data = printer.output
    assert data.startswith(b"\x1b@")                                   # ESC @: initialize
    assert b"\x1dw\x02" in data                                        # 2-dot modules: fits
    # Code 128: set B, then the digit run in set C (one byte per digit pair), then B.
    assert b"\x1dkI\x17{BEX-S001-R01-{C\x00\x00\x01{B-V" in data
    assert b"\x1d(k\x17\x001P0EX-S001-R01-000001-V" in data            # QR data
    assert data.endswith(b"\x1bd\x06\x1dV\x00")                        # feed, full cut
    assert data == golden("upgrade_cash.bin", data)


def test_a_pending_card_refund_is_said_on_the_receipt(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.submit(ex.number, "csr1")
    svc.finalize(ex.number, "csr1")
    text = "\n".join(render_text(receipt_of(app, ex.number)))
    assert "Refund card Visa **** 4242" in text and "Refunded $20.57" in text
    assert "Refund pending: sent when the network is back" in text
    assert "sent to your card as soon as" in " ".join(text.split())  # wrapped


# ---------------------------------------------------------------- the paper's width
@pytest.mark.parametrize(("paper", "columns"), [("80mm", 48), ("58mm", 32)])
def test_the_body_is_as_wide_as_the_paper_and_centred_on_it(app, monkeypatch, paper, columns):
    """Was: 42 columns on a 48-column head, so centred lines sat 3 columns left."""
    number = upgrade_paid_in_cash(app)
    monkeypatch.setenv("POS_EXCHANGE_DEVICES__PAPER", paper)
    store = open_app(_db_of(app), clock=app.runtime.clock)
    try:
        lines = preview(store, number).splitlines()
    finally:
        store.close()
    assert "-" * columns in lines and "=" * columns in lines
    assert all(len(line) <= columns for line in lines)
    headline = next(line for line in lines if "Customer paid" in line)
    left = len(headline) - len(headline.lstrip())
    assert abs(left - (columns - len(headline.strip()) - left)) <= 1  # centred on the paper


def _db_of(app) -> str:
    return app.engine.url.database


def test_an_unknown_paper_is_a_configuration_error(db_path, monkeypatch):
    monkeypatch.setenv("POS_EXCHANGE_DEVICES__PAPER", "60mm")
    with pytest.raises(PosError) as err:
        open_app(str(db_path))
    assert err.value.code == "INVALID_CONFIG" and "devices.paper" in render(err.value)


# ---------------------------------------------------------------- what the receipt says
def test_the_receipt_names_the_server_and_approver_not_their_ids(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-P-003")      # 287.93 due: a manager
    svc.submit(ex.number, "csr1")
    svc.approve(ex.number, "mgr1", "9999", "loyal customer")
    svc.pay_cash(ex.number, "csr1", "300")
    text = rows(preview(app, svc.finalize(ex.number, "csr1").number))
    assert "Served by Alex Rivera" in text and "Approved by Morgan Patel" in text
    assert not any("csr1" in line or "mgr1" in line for line in text)


def test_the_difference_is_its_own_line(app):
    text = preview(app, upgrade_paid_in_cash(app))
    assert any(line.startswith("Difference") and line.endswith("$63.85")
               for line in text.splitlines())


def test_return_by_is_finalized_plus_the_window_in_the_store_calendar(app, clock, monkeypatch):
    # 03:00 UTC on Nov 20 is still Nov 19 in Chicago: the window counts from there.
    clock.now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    number = upgrade_paid_in_cash(app)
    monkeypatch.setenv("POS_EXCHANGE_TIMEZONE", "America/Chicago")
    monkeypatch.setenv("POS_EXCHANGE_POLICY__RETURN_WINDOW_DAYS", "14")
    store = open_app(_db_of(app), clock=clock)
    try:
        text = preview(store, number)
    finally:
        store.close()
    assert "Return by Dec 3, 2026" in text   # Nov 19 (local) + 14 days


# ---------------------------------------------------------------- cash rounding
@pytest.fixture
def nickel_store(db_path, clock):
    """The demo store with CHF/CAD-style cash rounding to 0.05."""
    application = open_app(str(db_path), clock=clock, policy={"cash_rounding": "0.05"})
    yield application
    application.close()


def upgrade_for(app, new_sku: str, tendered: str) -> str:
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", new_sku)
    svc.submit(ex.number, "csr1")
    svc.pay_cash(ex.number, "csr1", tendered)
    return svc.finalize(ex.number, "csr1").number


def rows(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_cash_rounded_down_prints_what_was_handed_over(nickel_store):
    """Was: rounding stored as -0.01 printed "0.01", under "Customer paid" the exact gap."""
    number = upgrade_for(nickel_store, "APP-HOODIE-B-011", "80")   # 90.93 - 20.57 = 70.36
    text = rows(preview(nickel_store, number))
    payment = text[text.index("PAYMENT") + 1:]
    assert payment[:5] == ["Amount due $70.36", "Cash rounding -$0.01", "Paid cash $70.35",
                           "Tendered $80.00", "Change $9.65"]
    assert "Customer paid $70.35" in text


def test_cash_rounded_up_prints_a_positive_rounding(nickel_store):
    number = upgrade_for(nickel_store, "APP-JEANS-B-014", "68.20")  # 88.75 - 20.57 = 68.18
    text = rows(preview(nickel_store, number))
    assert text[text.index("PAYMENT") + 1:][:3] == \
        ["Amount due $68.18", "Cash rounding $0.02", "Paid cash $68.20"]
    assert "Customer paid $68.20" in text


def test_a_cash_refund_rounded_down_says_what_the_customer_got(nickel_store):
    svc = nickel_store.exchanges
    ex = svc.start("csr1", sale_key="S001-000027")                # sweater paid 141.80 cash
    svc.scan_returned(ex.number, "csr1", "APP-SWEATER-B-029")
    svc.scan_requested(ex.number, "csr1", BETTER)                 # 84.42: 57.38 back
    svc.submit(ex.number, "csr1")
    number = svc.finalize(ex.number, "csr1").number
    text = rows(preview(nickel_store, number))
    assert "Difference -$57.38" in text
    assert text[text.index("PAYMENT") + 1:][:3] == \
        ["Refund due $57.38", "Cash rounding -$0.03", "Refund cash $57.35"]
    assert "Refunded $57.35" in text


# ---------------------------------------------------------------- where a file printer writes
def test_a_store_without_printer_config_prints_beside_its_own_database(app):
    """Was: any store without configuration printed onto the demo's printer-output.bin."""
    number = upgrade_paid_in_cash(app)
    app.print_receipt(number, "csr1")
    app.drawer.open("csr1", "test")
    own = Path(_db_of(app)).with_name("register-printer-output.bin")
    assert own.exists() and b"EX-S001-R01-000001-V" in own.read_bytes()
    kick = Dummy()
    kick.cashdraw(2)
    assert own.read_bytes().endswith(kick.output)                      # the drawer kick too
    assert not demo_output().exists()


def test_the_demo_store_prints_on_the_demo_roll(db_path, clock):
    demo = demo_db_path()
    demo.parent.mkdir(parents=True, exist_ok=True)
    copy_database(db_path, demo)
    app = open_app(str(demo), clock=clock)
    try:
        app.print_receipt(upgrade_paid_in_cash(app), "csr1")
    finally:
        app.close()
    assert b"EX-S001-R01-000001-V" in demo_output().read_bytes()


def test_a_store_whose_database_is_no_file_must_name_its_printer():
    with pytest.raises(PosError) as err:
        default_printer_file(None)
    assert err.value.code == "PRINTER_NOT_CONFIGURED"
    assert "devices.printer" in render(err.value)
