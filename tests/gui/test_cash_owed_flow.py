"""Issue 12 at the counter, keyboard only: a customer is back for the cash refund of a
shipment that could not ship. Ctrl+O opens the payout, the receipt is scanned (a scanner
burst), the dialog says what is owed in the store's money, Enter pays it out, the drawer
opens and the receipt prints again; a second confirm is refused: it is never paid twice.

The exchange is set up through the services (tests/unit/test_cash_owed.py's helper) with
the in-memory FakeShipmentHub (tests/fakes), which answers as hub/shipments.py does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_exchange.domain.shipment import FeeTable
from pos_exchange.services.cash_owed import CashOwedService
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.gui.drive import focus, idle, keyboard, scan, sign_in
from tests.unit.test_cash_owed import BEST, unshippable_paid_in_cash


def key(qtbot, side, key_code, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focus(side), key_code, modifier)


def test_pay_out_a_cash_refund_owed_once_keyboard_only(open_counter, db_path, qtbot):
    side = open_counter(db_path, policy__approval_gap="1000")
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    ship = ShippingService(side.app.exchanges, hub, FeeTable({"CH": 900}))
    number = unshippable_paid_in_cash({"svc": side.app.exchanges, "ship": ship, "hub": hub})
    owed = CashOwedService(side.app.exchanges, None).owed(number).owed_minor
    assert owed > 0
    amount = side.ctx.money(owed)

    sign_in(qtbot, side)
    key(qtbot, side, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: side.ex.cash_owed_dialog is not None, timeout=5000)
    dialog = side.ex.cash_owed_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.keyEdit, timeout=5000)
    scan(qtbot, side, number)                       # the receipt's barcode
    idle(qtbot, side)
    qtbot.waitUntil(lambda: dialog.owed is not None, timeout=5000)
    assert dialog.total.text() == f"Owed in cash: {amount}"
    assert number in dialog.summary.text() and dialog.lines.count() >= 1
    assert "owed" in dialog.lines.item(0).text()
    assert QApplication.focusWidget() is dialog.payButton
    printed_before = side.printer_file.read_bytes() if side.printer_file.exists() else b""

    key(qtbot, side, Qt.Key.Key_Return)             # pay it out
    key(qtbot, side, Qt.Key.Key_Return)             # pressed twice: the button is held
    idle(qtbot, side)
    qtbot.waitUntil(lambda: "Receipt printed" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible() and f"Paid out {amount} in cash" in dialog.message.text()
    assert dialog.total.text() == "Nothing owed in cash." and not dialog.payButton.isEnabled()
    assert "paid out" in dialog.lines.item(0).text()
    printed = side.printer_file.read_bytes()[len(printed_before):]
    assert b"\x1bp" in printed and number.encode() in printed   # the drawer's kick, the receipt
    with side.app.uow(readonly=True) as uow:
        uuid = uow.exchanges.uuid_for(number)
        journal = [e.event for e in uow.journal.entries(uuid)]
        assert len(uow.exchanges.payouts(uuid)) >= 1
    assert journal.count("cash_owed.paid_out") == 1 and "receipt.reprinted" in journal

    dialog.keyEdit.setFocus()                       # the same receipt again: nothing owed
    dialog.keyEdit.clear()
    keyboard(qtbot, side, number, enter=True)
    idle(qtbot, side)
    qtbot.waitUntil(lambda: "never paid twice" in dialog.message.text(), timeout=5000)
    assert not dialog.payButton.isEnabled()
    with side.app.uow(readonly=True) as uow:
        assert [e.event for e in uow.journal.entries(uuid)].count("cash_owed.paid_out") == 1
