"""Issue 12 at the counter, keyboard only: a line already in the basket switches between
"take now" and "ship from ...". Ctrl+N goes to the New items table, F7 ships the selected
line (the dialog finds it elsewhere), F8 takes it now again; the valuation and the gap are
repainted each time (the shipping fee comes and goes with the shipment).

The hub's shipment endpoints are the in-memory FakeShipmentHub (tests/fakes), which holds
and answers as hub/shipments.py does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_exchange.domain.exchange import State
from pos_exchange.domain.shipment import FeeTable
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.flows import GOOD
from tests.gui.drive import (
    barcode,
    focus,
    idle,
    keyboard,
    receipt_barcode,
    scan,
    sign_in,
    wait_state,
)

BEST = "APP-TSHIRT-P-003"


def key(qtbot, side, key_code, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focus(side), key_code, modifier)


def test_switch_a_line_between_take_now_and_ship_keyboard_only(open_counter, db_path, qtbot):
    side = open_counter(db_path, policy__approval_gap="1000")
    hub = FakeShipmentHub({"W1": {BEST: 2}})
    side.app.shipping = ShippingService(side.app.exchanges, hub, FeeTable({"US": 1200}))
    ui = side.ex.ui
    sign_in(qtbot, side)
    scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))
    idle(qtbot, side)
    scan(qtbot, side, barcode(side.app, GOOD))
    idle(qtbot, side)
    scan(qtbot, side, barcode(side.app, BEST))          # in stock here: taken now
    idle(qtbot, side)
    ex = side.ex.snap.exchange
    assert not ex.shipments and ui.requestedTable.rowCount() == 1
    total_here, due_here = ui.newTotalValue.text(), ui.gapLabel.text()

    key(qtbot, side, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # the New items
    assert QApplication.focusWidget() is ui.requestedTable
    key(qtbot, side, Qt.Key.Key_F7)                     # ship the selected line
    qtbot.waitUntil(lambda: side.ex.shipping_dialog is not None, timeout=5000)
    dialog = side.ex.shipping_dialog
    assert dialog.line_no == ex.requested[0].line_no
    qtbot.waitUntil(lambda: dialog.locations.count() == 1, timeout=5000)
    assert QApplication.focusWidget() is dialog.locations
    for text in ("Ana Muster", "1 Congress Ave", "", "Austin", "78701", "TX"):
        key(qtbot, side, Qt.Key.Key_Tab)
        keyboard(qtbot, side, text)
    key(qtbot, side, Qt.Key.Key_Return)
    idle(qtbot, side)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    ex = side.ex.snap.exchange
    assert [(s.source, s.line_nos) for s in ex.shipments] == [("W1", (ex.requested[0].line_no,))]
    assert len(ex.requested) == 2 and ex.requested[1].sku == "SHIPPING-W1"   # the fee
    assert ui.requestedTable.item(0, 2).text() == "ships from W1"
    assert ui.requestedTable.item(1, 2).text() == "ships from W1"
    assert ui.newTotalValue.text() != total_here and "$12.00" in "".join(
        ui.requestedTable.item(1, c).text() for c in range(6))
    assert ui.gapLabel.text() != due_here
    assert "ships from W1" in ui.messageLabel.text()
    assert QApplication.focusWidget() is ui.requestedTable   # the next key: the same list

    ui.requestedTable.selectRow(1)   # the fee line is not a line one ships or takes
    key(qtbot, side, Qt.Key.Key_Up)
    assert ui.requestedTable.currentRow() == 0
    key(qtbot, side, Qt.Key.Key_F8)                     # take it now after all
    idle(qtbot, side)
    ex = side.ex.snap.exchange
    assert not ex.shipments and [r.sku for r in ex.requested] == [BEST]
    assert ui.requestedTable.rowCount() == 1 and ui.requestedTable.item(0, 2).text() != \
        "ships from W1"
    assert ui.newTotalValue.text() == total_here and ui.gapLabel.text() == due_here
    assert "taken now" in ui.messageLabel.text()
    key(qtbot, side, Qt.Key.Key_F8)                     # again: nothing to take back
    assert "already taken now" in ui.messageLabel.text()

    key(qtbot, side, Qt.Key.Key_F9)                     # lock in: nothing is held at W1
    idle(qtbot, side)
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    assert hub.stock_elsewhere(BEST, 1)[0].available == 2
    with side.app.uow(readonly=True) as uow:
        journal = [e.event for e in uow.journal.entries(ex.uuid)]
    assert journal.count("shipment.chosen") == 1 and \
        journal.count("shipment.line_taken_now") == 1
