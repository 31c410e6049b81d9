"""Issue 12 at the counter, keyboard only: the jacket is not here, F7 finds it at warehouse
W1, the CSR types the customer's address, Enter ships it, F9 locks in (holding W1's unit),
cash pays the gap with the fee, F12 settles, and the receipt says it ships.

The hub's shipment endpoints are the in-memory FakeShipmentHub (tests/fakes), which holds
and answers as hub/shipments.py does; the real hub runs the same steps in
tests/hub/test_shipments_e2e.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_exchange.domain.exchange import State
from pos_exchange.domain.shipment import FeeTable, ShipmentState
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.flows import GOOD
from tests.gui.drive import (
    barcode,
    focus,
    idle,
    keyboard,
    message,
    receipt_barcode,
    scan,
    sign_in,
    wait_state,
)

BEST = "APP-TSHIRT-P-003"


def key(qtbot, side, key_code) -> None:
    """One key to whatever has the focus (the window when nothing has)."""
    qtbot.keyClick(focus(side), key_code)


def test_ship_an_item_this_store_does_not_have_keyboard_only(open_counter, db_path, qtbot):
    side = open_counter(db_path, policy__approval_gap="1000")
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    side.app.shipping = ShippingService(side.app.exchanges, hub, FeeTable({"US": 1200}))
    with side.app.uow() as uow:   # not in this store
        uow.catalogue.set_on_hand(BEST, 0, side.app.runtime.clock())
        uow.commit()
    sign_in(qtbot, side)
    scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))
    idle(qtbot, side)
    scan(qtbot, side, barcode(side.app, GOOD))
    idle(qtbot, side)
    scan(qtbot, side, barcode(side.app, BEST))
    idle(qtbot, side)
    assert "out of stock" in message(side) and "F7 ships it from another store" in message(side)
    key(qtbot, side, Qt.Key.Key_F7)                        # find it elsewhere
    qtbot.waitUntil(lambda: side.ex.shipping_dialog is not None, timeout=5000)
    dialog = side.ex.shipping_dialog
    idle(qtbot, side)
    qtbot.waitUntil(lambda: dialog.locations.count() == 1, timeout=5000)
    assert QApplication.focusWidget() is dialog.locations
    assert "W1" in dialog.locations.item(0).text() and "2 available" in \
        dialog.locations.item(0).text()
    for text in ("Ana Muster", "1 Congress Ave", "", "Austin", "7870", "TX"):
        key(qtbot, side, Qt.Key.Key_Tab)
        keyboard(qtbot, side, text)
    key(qtbot, side, Qt.Key.Key_Return)                    # Ship: the postal code is refused
    idle(qtbot, side)
    assert "postal code" in dialog.message.text() and dialog.isVisible()
    dialog.edits["postal_code"].setFocus()
    keyboard(qtbot, side, "1")                       # 78701
    key(qtbot, side, Qt.Key.Key_Return)
    idle(qtbot, side)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    ex = side.ex.snap.exchange
    assert [s.source for s in ex.shipments] == ["W1"]
    key(qtbot, side, Qt.Key.Key_F9)                        # lock in: W1's unit is held
    idle(qtbot, side)
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    assert hub.stock_elsewhere(BEST, 1)[0].available == 1
    assert QApplication.focusWidget() is side.ex.ui.cashTenderedEdit
    keyboard(qtbot, side, "400", enter=True)
    idle(qtbot, side)
    key(qtbot, side, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: side.window.current() is side.window.receipt, timeout=10_000)
    qtbot.waitUntil(lambda: "printed" in side.window.receipt.ui.printStatusLabel.text(),
                    timeout=10_000)
    done = side.app.exchanges.get(side.window.receipt.number)
    assert done.state is State.AWAITING_FULFILMENT
    assert done.shipments[0].state is ShipmentState.AWAITING_FULFILMENT
    printed = side.printer_file.read_bytes()
    assert b"Ships from W1" in printed and b"To A.M. 78*** AUSTIN, US" in printed
    assert b"Congress" not in printed   # the street never prints

    # The warehouse dispatches; the register's next pull brings the news; History says so.
    hub.settle(done.uuid)
    sid = done.shipments[0].shipment_id
    hub.act(sid, ShipmentState.IN_TRANSIT, carrier="UPS", tracking="1Z999AA1")
    assert side.app.shipping.pull_updates() == 1
    key(qtbot, side, Qt.Key.Key_Return)                    # next customer
    idle(qtbot, side)
    key(qtbot, side, Qt.Key.Key_F3)
    history = side.window.history.ui
    qtbot.waitUntil(lambda: history.historyTable.rowCount() == 1, timeout=10_000)
    history.historyTable.selectRow(0)
    qtbot.waitUntil(lambda: "Audit trail" in history.historyDetails.toPlainText(),
                    timeout=10_000)
    details = history.historyDetails.toPlainText()
    assert "Ships from W1: on its way · UPS 1Z999AA1" in details
    assert "shipment.in_transit" in details
