"""The receipt: one document, rendered to the text preview and to ESC/POS bytes exactly.

The golden files were produced by this code from a fixed exchange (fixed clock, demo
store) and reviewed by eye (the .txt is the same receipt as the .bin); the tests then
hold the bytes still. Independently of the golden files, the bytes must start with
ESC @, carry the exchange number as Code 128 and QR, and end with a cut.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

from escpos.printer import Dummy

from pos_exchange.adapters.printer.receipt_escpos import print_receipt
from pos_exchange.services.receipts import build_receipt, render_text
from tests.flows import upgrade_awaiting_payment

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "receipts"
UPDATE = os.environ.get("POS_EXCHANGE_UPDATE_GOLDEN") == "1"  # regenerate on purpose only


def receipt_of(app, number):
    return build_receipt(app.exchanges.record(number).as_json(), store_name="Demo Store",
                         store_address="1 Market Street", locale="en_US",
                         tz=ZoneInfo("America/Chicago"))


def upgrade_paid_in_cash(app):
    ex = upgrade_awaiting_payment(app)
    app.exchanges.pay_cash(ex.number, "csr1", "100")
    return app.exchanges.finalize(ex.number, "csr1").number


def golden(name: str, data: bytes) -> bytes:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
    return path.read_bytes()


def test_the_preview_shows_every_line_of_the_exchange(app):
    lines = render_text(receipt_of(app, upgrade_paid_in_cash(app)))
    text = "\n".join(lines)
    assert all(len(line) <= 42 for line in lines)
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
    assert b"\x1dkI\x16{BEX-S001-R01-000001-V" in data                 # Code 128, set B
    assert b"\x1d(k\x17\x001P0EX-S001-R01-000001-V" in data            # QR data
    assert data.endswith(b"\x1bd\x06\x1dV\x00")                        # feed, full cut
    assert data == golden("upgrade_cash.bin", data)


def test_a_pending_card_refund_is_said_on_the_receipt(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001")
    svc.submit(ex.number, "csr1")
    svc.finalize(ex.number, "csr1")
    text = "\n".join(render_text(receipt_of(app, ex.number)))
    assert "Refund card Visa **** 4242" in text and "Refunded $20.57" in text
    assert "pending: sent when the network is back" in text
    assert "sent to your card as soon as" in " ".join(text.split())  # wrapped
