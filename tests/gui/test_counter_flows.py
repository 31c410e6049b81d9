"""The counter window driven end to end, offscreen, as the issue lists the scenarios.

Each test runs the real window on a copy of the demo store: the real services and SQLite,
the real keyboard-wedge filter (scans are fast key bursts), the simulated card reader
(which answers as Stripe's simulated reader does) and a real file or network printer."""

from __future__ import annotations

import socket
import threading

from escpos.printer import Dummy
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from pos_exchange.adapters.db.unit_of_work import UnitOfWork
from pos_exchange.adapters.printer.receipt_escpos import print_receipt
from pos_exchange.domain.exchange import State
from tests.flows import BEST, BETTER, GOOD
from tests.gui.drive import (
    barcode,
    idle,
    message,
    press,
    receipt_barcode,
    scan,
    sign_in,
    type_text,
    wait_state,
)

SOCKS = "APP-SOCKS-G-043"        # 7.99: cheaper than the T-shirt, for an exchange for less
SOLD_OUT = "APP-HOODIE-P-012"    # on hand: 0 in the demo store


def journal_users(app, number: str) -> set[str]:
    with UnitOfWork(app.engine, readonly=True) as uow:
        ex = uow.exchanges.get(number)
        return {e.user for e in uow.journal.entries(ex.uuid)}


def start_upgrade(qtbot, side, new_sku: str = BETTER) -> None:
    """Receipt of S001-000001 scanned, its T-shirt returned, ``new_sku`` requested."""
    app = side.app
    scan(qtbot, side, receipt_barcode(app, "S001-000001"))
    qtbot.waitUntil(lambda: side.ex.snap is not None and side.ex.snap.sale is not None)
    scan(qtbot, side, barcode(app, GOOD))
    qtbot.waitUntil(lambda: len(side.ex.snap.exchange.returned) == 1)
    press(qtbot, side, "F6")
    scan(qtbot, side, barcode(app, new_sku))
    qtbot.waitUntil(lambda: len(side.ex.snap.exchange.requested) == 1)


def upgrade_awaiting_payment(qtbot, side) -> None:
    """start_upgrade, locked in: 63.85 due."""
    start_upgrade(qtbot, side)
    press(qtbot, side, "F9")
    wait_state(qtbot, side, State.AWAITING_PAYMENT)


def finish_and_print(qtbot, side) -> str:
    press(qtbot, side, "F12")
    qtbot.waitUntil(lambda: side.window.current() is side.window.receipt, timeout=10_000)
    qtbot.waitUntil(lambda: "printed" in side.window.receipt.ui.printStatusLabel.text(),
                    timeout=10_000)
    return side.window.receipt.number


def test_cash_upgrade_by_keyboard_alone(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side)
    ui = side.ex.ui
    assert ui.gapLabel.text() == "Customer pays $63.85"
    assert ui.dueValue.text() == "$63.85"
    assert ui.returnedCreditValue.text() == "$20.57"
    assert ui.newTotalValue.text() == "$84.42" and ui.newTaxValue.text() == "$6.43"
    press(qtbot, side, "F9")
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    assert QApplication.focusWidget() is ui.cashTenderedEdit
    type_text(qtbot, ui.cashTenderedEdit, "100", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    assert "Give change: $36.15" in message(side)
    number = finish_and_print(qtbot, side)
    preview = side.window.receipt.ui.receiptPreview.toPlainText()
    assert "Customer paid $63.85" in preview and "Change" in preview and "$36.15" in preview
    printed = side.printer_file.read_bytes()
    assert number.encode() in printed and printed.endswith(b"\x1dV\x00")  # full cut
    assert b"\x1bp" in printed   # the drawer kick (ESC p) for the cash
    assert journal_users(side.app, number) == {"csr1"}
    press(qtbot, side, "Enter")
    qtbot.waitUntil(lambda: side.window.current() is side.ex)
    assert side.ex.number is None and ui.gapLabel.text() == "Scan the items"
    assert side.app.exchanges.get(number).state is State.IN_TRANSIT


def test_card_upgrade_declined_then_retried(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    ui = side.ex.ui
    assert ui.testCardCombo.isVisible()
    ui.testCardCombo.setCurrentIndex(ui.testCardCombo.findData("4000000000009995"))
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: "Declined" in ui.cardStatusLabel.text(), timeout=10_000)
    assert "insufficient" in ui.cardStatusLabel.text().lower()
    assert side.ctx.sounds.played[-1] == "error"
    assert side.ex.snap.exchange.remaining_due_minor == 6385   # nothing recorded
    ui.testCardCombo.setCurrentIndex(ui.testCardCombo.findData("4242424242424242"))
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: "Approved" in ui.cardStatusLabel.text(), timeout=10_000)
    assert "Visa •••• 4242" in ui.cardStatusLabel.text()
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    number = finish_and_print(qtbot, side)
    preview = side.window.receipt.ui.receiptPreview.toPlainText()
    assert "Paid card Visa **** 4242" in preview
    tenders = side.app.exchanges.get(number).payments
    assert [(t.method, t.amount_minor) for t in tenders] == [("card", 6385)]


def test_card_cancelled_at_the_counter(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    ui = side.ex.ui
    ui.testCardCombo.setCurrentIndex(ui.testCardCombo.findData(""))   # nobody taps
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: "Present the card" in ui.cardStatusLabel.text(), timeout=10_000)
    assert ui.cardProgress.isVisible() and ui.cancelCardButton.isEnabled()
    press(qtbot, side, "Esc")
    qtbot.waitUntil(lambda: "nothing was charged" in ui.cardStatusLabel.text(), timeout=10_000)
    idle(qtbot, side)
    assert side.ex.snap.exchange.remaining_due_minor == 6385
    assert ui.payCardButton.isEnabled()


def test_split_tender_cash_then_card(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    ui = side.ex.ui
    type_text(qtbot, ui.cashTenderedEdit, "40", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.exchange.remaining_due_minor == 2385)
    assert ui.dueValue.text() == "$23.85"
    assert ui.gapLabel.text() == "Customer pays $23.85 more"
    press(qtbot, side, "F11")    # the card pays the rest
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize, timeout=10_000)
    number = finish_and_print(qtbot, side)
    paid = [(t.method, t.amount_minor) for t in side.app.exchanges.get(number).payments]
    assert paid == [("cash", 4000), ("card", 2385)]
    preview = side.window.receipt.ui.receiptPreview.toPlainText()
    assert "Paid cash" in preview and "Paid card Visa **** 4242" in preview


def test_even_exchange(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=GOOD)    # the same T-shirt, another size
    assert side.ex.ui.gapLabel.text() == "Even exchange"
    press(qtbot, side, "F9")
    qtbot.waitUntil(lambda: side.ex.snap.submitted and side.ex.snap.can_finalize)
    assert not side.ex.ui.paymentGroup.isVisible()
    number = finish_and_print(qtbot, side)
    assert "Even exchange" in side.window.receipt.ui.receiptPreview.toPlainText()
    assert side.app.exchanges.get(number).tenders == []


def test_exchange_for_less_refunded_to_the_original_card(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=SOCKS)   # 20.57 back, 8.65 taken: 11.92 refunded
    assert side.ex.ui.gapLabel.text() == "Refund $11.92 to Visa •••• 4242"
    press(qtbot, side, "F9")
    qtbot.waitUntil(lambda: side.ex.snap.submitted and side.ex.snap.can_finalize)
    number = finish_and_print(qtbot, side)
    receipt = side.window.receipt.ui
    qtbot.waitUntil(lambda: receipt.refundStatusLabel.text() == "Card refund sent.")
    refunds = side.app.exchanges.get(number).refunds
    assert [(t.method, t.amount_minor, t.card_last4, str(t.status)) for t in refunds] == \
        [("card", 1192, "4242", "confirmed")]
    assert "Refunded $11.92" in receipt.receiptPreview.toPlainText()


def test_approval_required_then_given_by_a_manager_badge(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=BEST)
    press(qtbot, side, "F9")
    wait_state(qtbot, side, State.PENDING_APPROVAL)
    ui = side.ex.ui
    assert ui.approvalGroup.isVisible() and QApplication.focusWidget() is ui.approverEdit
    findings = [ui.findingsList.item(i).text() for i in range(ui.findingsList.count())]
    assert any(f.startswith("Needs a manager") for f in findings)
    scan(qtbot, side, "BADGE-MGR1")              # the manager's badge, into the approval
    qtbot.waitUntil(lambda: ui.approverEdit.text() == "BADGE-MGR1")
    assert QApplication.focusWidget() is ui.approverPinEdit
    ui.approvalReasonCombo.setCurrentIndex(0)
    type_text(qtbot, ui.approverPinEdit, "9999", enter=True)
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    assert ui.approverPinEdit.text() == ""       # the PIN left the screen
    assert "Approved by mgr1" in message(side)
    type_text(qtbot, ui.cashTenderedEdit, "300", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    number = finish_and_print(qtbot, side)
    assert "Approved by" in side.window.receipt.ui.receiptPreview.toPlainText()
    assert journal_users(side.app, number) == {"csr1", "mgr1"}


def test_self_approval_is_refused(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side, "mgr1", "9999")
    start_upgrade(qtbot, side, new_sku=BEST)
    press(qtbot, side, "F9")
    wait_state(qtbot, side, State.PENDING_APPROVAL)
    ui = side.ex.ui
    type_text(qtbot, ui.approverEdit, "mgr1")
    ui.approvalReasonCombo.setCurrentIndex(0)
    type_text(qtbot, ui.approverPinEdit, "9999", enter=True)
    qtbot.waitUntil(lambda: "cannot approve your own" in message(side))
    idle(qtbot, side)
    assert side.app.exchanges.get(side.ex.number).state is State.PENDING_APPROVAL
    assert len(side.ex.snap.exchange.requested) == 1     # the basket is kept


def test_unknown_barcode_and_bad_check_digit_never_block_the_next_scan(
        open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    press(qtbot, side, "F6")
    scan(qtbot, side, "4006381333931")           # a valid EAN-13 this store does not sell
    qtbot.waitUntil(lambda: "4006381333931" in message(side))
    assert side.ctx.sounds.played[-1] == "error"
    assert QApplication.activeModalWidget() is None
    scan(qtbot, side, "4006381333932")           # one digit misread
    qtbot.waitUntil(lambda: "check digit" in message(side).lower())
    assert side.ctx.sounds.played[-2:] == ["error", "error"]
    assert QApplication.activeModalWidget() is None
    scan(qtbot, side, barcode(side.app, BETTER))  # the next scan goes straight in
    qtbot.waitUntil(lambda: side.ex.snap is not None and len(side.ex.snap.exchange.requested))
    scan(qtbot, side, barcode(side.app, BETTER))  # the same item again: quantity 2
    qtbot.waitUntil(lambda: side.ex.snap.exchange.requested[0].qty == 2)
    assert side.ex.ui.requestedTable.item(0, 1).text() == "2"
    assert side.ctx.sounds.played[-1] == "scan_ok"


def test_out_of_stock_request_is_refused_with_the_reason(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    press(qtbot, side, "F6")
    scan(qtbot, side, barcode(side.app, SOLD_OUT))
    qtbot.waitUntil(lambda: "out of stock" in message(side))
    assert "0 on hand" in message(side)
    assert side.ctx.sounds.played[-1] == "error"


def test_lockout_after_five_wrong_pins(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    ui = side.window.sign_in.ui
    for _ in range(5):
        type_text(qtbot, ui.employeeEdit, "csr2") if not ui.employeeEdit.text() else None
        type_text(qtbot, ui.pinEdit, "0000", enter=True)
        qtbot.waitUntil(lambda: "wrong PIN" in ui.signInMessage.text())
        ui.signInMessage.clear()
    type_text(qtbot, ui.pinEdit, "2222", enter=True)   # the right PIN, too late
    qtbot.waitUntil(lambda: "locked until" in ui.signInMessage.text())
    assert side.window.current() is side.window.sign_in
    assert ui.pinEdit.text() == ""


def _free_port() -> int:
    with socket.socket() as probe:                   # a free port nobody listens on yet
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_printer_offline_then_retry(open_counter, db_path, qtbot):
    port = _free_port()
    side = open_counter(db_path, devices__printer="network",
                        devices__printer_target=f"127.0.0.1:{port}")
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize, timeout=10_000)
    press(qtbot, side, "F12")
    receipt = side.window.receipt.ui
    qtbot.waitUntil(lambda: "does not answer" in receipt.printStatusLabel.text(),
                    timeout=15_000)
    assert "The exchange is saved" in receipt.printStatusLabel.text()
    assert receipt.retryPrintButton.isEnabled()
    assert side.window.printerStatus.text() == "Printer offline"
    number = side.window.receipt.number
    assert side.app.exchanges.get(number).state is State.IN_TRANSIT   # safe already

    received = bytearray()
    server = socket.create_server(("127.0.0.1", port))
    server.settimeout(10)

    def printer() -> None:                           # a network printer comes back
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    press(qtbot, side, "F8")
    qtbot.waitUntil(lambda: "printed" in receipt.printStatusLabel.text(), timeout=15_000)
    thread.join(10)
    server.close()
    expected = Dummy()
    print_receipt(side.app.receipt(number), expected)
    assert bytes(received) == expected.output     # exactly the receipt's ESC/POS bytes
    assert side.window.printerStatus.text() == "Printer ready"


def test_restart_reopens_the_unfinished_exchange(open_counter, db_path, qtbot):
    first = open_counter(db_path)
    sign_in(qtbot, first)
    start_upgrade(qtbot, first)
    number = first.ex.number
    from tests.gui.conftest import close
    close(first)                                      # the register goes down mid-exchange

    second = open_counter(db_path)
    sign_in(qtbot, second)
    qtbot.waitUntil(lambda: second.ex.number == number, timeout=10_000)
    idle(qtbot, second)
    assert f"Reopened unfinished exchange {number}" in message(second)
    assert second.ex.ui.gapLabel.text() == "Customer pays $63.85"
    assert second.ex.ui.returnedTable.rowCount() == 1
    assert second.ex.ui.requestedTable.rowCount() == 1


def test_idle_lock_keeps_the_exchange(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side)
    number = side.ex.number
    side.window.idle.last -= 3600                     # an hour without a key or a touch
    side.window._check_idle()
    assert side.window.current() is side.window.sign_in
    assert "Locked after" in side.window.sign_in.ui.signInMessage.text()
    assert side.window.userStatus.text() == "Locked"
    sign_in(qtbot, side, "csr2", "2222")             # a colleague takes over the counter
    qtbot.waitUntil(lambda: "Unlocked" in message(side))
    assert side.ex.number == number
    press(qtbot, side, "F9")
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    assert "csr2" in journal_users(side.app, number)


def test_cancel_before_payment_and_void_after(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side)
    first = side.ex.number
    press(qtbot, side, "F9")
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    qtbot.keyClick(side.ex, Qt.Key.Key_X,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "cancelled" in message(side))
    assert side.app.exchanges.get(first).state is State.CANCELLED and side.ex.number is None

    upgrade_awaiting_payment(qtbot, side)
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: side.ex.snap.exchange.money_moved, timeout=10_000)
    assert not side.ex.ui.cancelExchangeButton.isEnabled()
    assert side.ex.ui.voidButton.isEnabled()
    side.ex.ui.voidButton.click()
    dialog = side.ex.findChild(QInputDialog, "voidReasonDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("Customer changed their mind")
    dialog.accept()
    wait_state(qtbot, side, State.VOIDED)
    idle(qtbot, side)
    refunds = side.app.exchanges.get(side.ex.number).refunds
    assert [(t.method, t.amount_minor, str(t.status)) for t in refunds] == \
        [("card", 6385, "confirmed")]


def test_history_search_details_and_reprint(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    type_text(qtbot, side.ex.ui.cashTenderedEdit, "70", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    number = finish_and_print(qtbot, side)
    size_after_first = side.printer_file.stat().st_size
    press(qtbot, side, "Enter")
    press(qtbot, side, "F3")
    history = side.window.history.ui
    qtbot.waitUntil(lambda: history.historyTable.rowCount() >= 1)
    scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))   # search by the receipt
    qtbot.waitUntil(lambda: history.historyTable.rowCount() == 1
                    and history.historyTable.item(0, 0).text() == number)
    qtbot.waitUntil(lambda: "Audit trail" in history.historyDetails.toPlainText())
    details = history.historyDetails.toPlainText()
    assert "exchange.finalized" in details and "csr1" in details
    press(qtbot, side, "F8")
    qtbot.waitUntil(lambda: side.window.current() is side.window.receipt)
    qtbot.waitUntil(lambda: "printed" in side.window.receipt.ui.printStatusLabel.text())
    assert side.printer_file.stat().st_size > size_after_first
    with UnitOfWork(side.app.engine, readonly=True) as uow:
        events = [e.event for e in uow.journal.entries(side.app.exchanges.get(number).uuid)]
    assert events.count("receipt.printed") == 1 and events.count("receipt.reprinted") == 1


def test_quit_with_unsent_records_asks_first(open_counter, db_path, qtbot):
    # A hub is configured but does not answer: the record waits for it (issue 9: the
    # register asks only when a hub is configured, and says "1 record is").
    side = open_counter(db_path, hub_url=f"http://127.0.0.1:{_free_port()}")
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=GOOD)
    press(qtbot, side, "F9")
    qtbot.waitUntil(lambda: side.ex.snap.submitted and side.ex.snap.can_finalize)
    finish_and_print(qtbot, side)
    side.window.refresh_status()
    qtbot.waitUntil(lambda: side.window.pendingStatus.text() == "Unsent: 1")
    assert side.window.onlineStatus.text() == "Offline: kept for later"
    side.window.close()
    box = side.window.findChild(QMessageBox, "quitConfirm")
    assert box is not None and side.window.isVisible()
    assert box.text().startswith("1 exchange record is not yet sent")
    box.accept()
    qtbot.waitUntil(lambda: not side.window.isVisible())


def test_status_bar_names_user_printer_and_terminal(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    w = side.window
    assert w.userStatus.text() == "Not signed in"
    sign_in(qtbot, side)
    assert w.userStatus.text() == "Alex Rivera (csr)"
    assert w.printerStatus.text() == "Printer: file"
    assert w.terminalStatus.text() == "Card: simulated"
    qtbot.waitUntil(lambda: w.onlineStatus.text() == "Offline mode (no hub configured)")
    assert w.pendingStatus.text() == "Unsent: 0"


def test_reader_lost_mid_payment_is_never_charged_twice(open_counter, db_path, qtbot):
    """The reader stops answering as the payment reaches it: the window says not to charge
    again, blocks a second card, and settles the attempt from the processor's answer."""
    from pos_exchange.services.terminal import TerminalUnavailable
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    terminal = side.app.payments.terminal
    real_process = terminal.process

    def drop_once(intent_id: str) -> None:
        terminal.process = real_process
        raise TerminalUnavailable("TERMINAL_OFFLINE")

    terminal.process = drop_once
    side.ex.card._recover.setInterval(200)
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: "do NOT charge the card again" in message(side), timeout=10_000)
    qtbot.waitUntil(lambda: "terminal answered" in side.ex.ui.cardStatusLabel.text(),
                    timeout=10_000)
    idle(qtbot, side)
    assert not side.app.exchanges.card_in_flight(side.ex.number)
    assert side.ex.snap.exchange.payments == []      # nothing was captured, nothing recorded
    press(qtbot, side, "F11")                        # the CSR may now try again
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize, timeout=10_000)
