"""Regression tests for the exchange-screen defects of issue 9, each as a CSR meets it:
real keys and scans through the real window, offscreen, on a copy of the demo store."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from pos_exchange.domain.errors import Refused
from pos_exchange.domain.exchange import State
from pos_exchange.domain.money import Money
from pos_exchange.gui import steps
from tests.flows import BEST, BETTER, GOOD
from tests.gui.drive import (
    barcode,
    idle,
    keyboard,
    message,
    press,
    receipt_barcode,
    scan,
    sign_in,
    type_text,
    wait_state,
)
from tests.gui.test_counter_flows import (
    SOCKS,
    finish_and_print,
    start_upgrade,
    upgrade_awaiting_payment,
)

# Window flows of 1.7 s to 4 s each (see tests/conftest.py's slow rule): the full suite
# runs them, the fast loop runs tests/gui/test_fast_flow.py's cash flow instead.
pytestmark = pytest.mark.slow

UNKNOWN_EAN = "4006381333931"     # a valid EAN-13 the demo store does not sell
NAVY, BROWN = QColor("#0d3c73"), QColor("#8a4b00")   # resources/theme.qss: default, "less"
ERROR_RED = QColor("#8b1a12")


def text_colour(widget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.WindowText)


def slowed(monkeypatch, name: str, seconds: float) -> None:
    """A worker that answers late, as a busy database or the hub's stock check does."""
    real = getattr(steps, name)

    def late(*args, **kwargs):
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, name, late)


def test_next_customer_enables_every_field_and_f2_finds_the_typed_order(open_counter,
                                                                        db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    ui = side.ex.ui
    type_text(qtbot, ui.cashTenderedEdit, "100", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    finish_and_print(qtbot, side)
    press(qtbot, side, "Enter")                          # next customer
    qtbot.waitUntil(lambda: side.window.current() is side.ex)
    for widget in (ui.saleSearchEdit, ui.scanEdit, ui.findSaleButton, ui.addCodeButton,
                   ui.returnLineButton):
        assert widget.isEnabled(), widget.objectName()
    press(qtbot, side, "F2")
    assert QApplication.focusWidget() is ui.saleSearchEdit
    qtbot.keyClicks(ui.saleSearchEdit, "S001-000002", delay=60)
    press(qtbot, side, "Enter")
    qtbot.waitUntil(lambda: "Sale S001-000002 attached" in message(side))
    assert side.ex.snap.sale.order_number == "S001-000002"


def test_a_refused_first_scan_leaves_no_exchange_behind(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    scan(qtbot, side, UNKNOWN_EAN)
    qtbot.waitUntil(lambda: UNKNOWN_EAN in message(side))
    idle(qtbot, side)
    assert side.ex.number is None
    assert side.app.exchanges.recent() == []                 # not in History, not in status
    assert side.app.exchanges.open_exchanges("R01") == []    # nothing reopens at sign-in
    scan(qtbot, side, barcode(side.app, BETTER))
    qtbot.waitUntil(lambda: side.ex.number is not None)
    assert side.ex.number.startswith("EX-S001-R01-000001-")  # no number was used up


@pytest.mark.parametrize("latency_s", [0.15, 0.3, 0.6])   # the answer lands mid-typing, after
def test_keys_typed_while_lock_in_is_on_its_way_reach_the_cash_field(open_counter, db_path,
                                                                     qtbot, monkeypatch,
                                                                     latency_s):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side)
    slowed(monkeypatch, "lock_in", latency_s)
    ui = side.ex.ui
    press(qtbot, side, "F9")
    keyboard(qtbot, side, "100.00", enter=True)     # typed before the answer is back
    qtbot.waitUntil(lambda: bool(side.ex.snap.exchange.payments), timeout=10_000)
    idle(qtbot, side)
    [cash] = side.ex.snap.exchange.payments
    assert (cash.tendered_minor, cash.change_minor) == (10000, 3615)
    assert ui.scanEdit.text() == ""
    assert "Give change: $36.15" in message(side)
    press(qtbot, side, "F12")
    qtbot.waitUntil(lambda: side.window.current() is side.window.receipt)


def test_a_scan_during_a_slow_step_joins_the_same_exchange(open_counter, db_path, qtbot,
                                                          monkeypatch):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    slowed(monkeypatch, "attach_sale", 0.5)
    scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))
    scan(qtbot, side, barcode(side.app, GOOD))     # before the receipt's answer
    qtbot.waitUntil(lambda: side.ex.snap is not None and bool(side.ex.snap.exchange.returned),
                    timeout=10_000)
    idle(qtbot, side)
    assert len(side.app.exchanges.recent()) == 1
    [line] = side.ex.snap.exchange.returned
    assert (line.sku, line.sale_line_id, line.credit_minor) == (GOOD, 1, 2057)


def test_the_change_is_the_headline_and_on_the_receipt_screen(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    type_text(qtbot, side.ex.ui.cashTenderedEdit, "100", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    assert side.ex.ui.gapLabel.text() == "Change $36.15"
    finish_and_print(qtbot, side)
    change = side.window.receipt.ui.changeLabel
    qtbot.waitUntil(lambda: change.text() == "Change $36.15")
    assert change.isVisible()


def test_a_locked_in_exchange_for_less_is_not_called_a_draft(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=SOCKS)
    press(qtbot, side, "F9")
    qtbot.waitUntil(lambda: side.ex.snap.submitted)
    idle(qtbot, side)
    header = side.ex.ui.exchangeNumberLabel.text()
    assert "draft" not in header and header.endswith("· locked in")


def test_returnable_counts_the_line_this_exchange_returns(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))
    qtbot.waitUntil(lambda: side.ex.snap is not None and side.ex.snap.sale is not None)
    table = side.ex.ui.saleLinesTable
    assert table.item(0, 2).text() == "1"
    scan(qtbot, side, barcode(side.app, GOOD))
    qtbot.waitUntil(lambda: len(side.ex.snap.exchange.returned) == 1)
    assert table.item(0, 2).text() == "0"


def test_the_empty_headline_loses_the_last_exchanges_colour(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    gap = side.ex.ui.gapLabel
    assert text_colour(gap) == NAVY
    start_upgrade(qtbot, side, new_sku=SOCKS)          # an exchange for less: brown
    assert text_colour(gap) == BROWN
    side.ex.reset()                                    # next customer
    assert gap.text() == "Scan the items" and text_colour(gap) == NAVY


def test_an_item_before_its_receipt_says_what_the_receipt_would_give(open_counter, db_path,
                                                                     qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    press(qtbot, side, "F5")                           # a return, and no receipt yet
    scan(qtbot, side, barcode(side.app, GOOD))
    qtbot.waitUntil(lambda: side.ex.snap is not None and bool(side.ex.snap.exchange.returned))
    assert message(side) == ("No receipt: $15.14 as store credit. Scan the receipt for the "
                             "full $20.57.")
    assert side.ex.ui.messageLabel.property("level") == "warn"
    scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))      # the fix it offers
    qtbot.waitUntil(lambda: side.ex.snap.sale is not None)
    idle(qtbot, side)
    assert side.ex.ui.returnedCreditValue.text() == "$20.57"
    assert [r.sale_line_id for r in side.ex.snap.exchange.returned] == [1]


def test_history_speaks_words_and_shows_the_difference(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    type_text(qtbot, side.ex.ui.cashTenderedEdit, "70", enter=True)
    qtbot.waitUntil(lambda: side.ex.snap.can_finalize)
    number = finish_and_print(qtbot, side)
    press(qtbot, side, "Enter")
    press(qtbot, side, "F3")
    table = side.window.history.ui.historyTable
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[2] == "State" and headers[-1] == "Difference"
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[0] == number and row[2] == "settled" and row[-1] == "$63.85"
    assert row[5] == "Alex Rivera"
    details = side.window.history.ui.historyDetails
    qtbot.waitUntil(lambda: "Audit trail" in details.toPlainText())
    text = details.toPlainText()
    assert "IN_TRANSIT" not in text and "Gap" not in text and "Difference: $63.85" in text


def test_quit_without_a_hub_does_not_ask(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=GOOD)
    press(qtbot, side, "F9")
    qtbot.waitUntil(lambda: side.ex.snap.submitted and side.ex.snap.can_finalize)
    finish_and_print(qtbot, side)
    side.window.refresh_status()
    qtbot.waitUntil(lambda: side.window.pendingStatus.text() == "Unsent: 1")
    side.window.close()
    qtbot.waitUntil(lambda: not side.window.isVisible())
    assert side.window.findChild(QApplication.instance().__class__, "quitConfirm") is None


def test_a_locked_screen_is_not_shown_as_an_error(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    side.window.lock()
    note = side.window.sign_in.ui.signInMessage
    assert note.text() == "Screen locked. Sign in to continue."
    assert text_colour(note) != ERROR_RED
    type_text(qtbot, side.window.sign_in.ui.employeeEdit, "csr1", enter=True)
    type_text(qtbot, side.window.sign_in.ui.pinEdit, "0000", enter=True)   # a wrong PIN
    qtbot.waitUntil(lambda: "wrong PIN" in note.text())
    assert text_colour(note) == ERROR_RED                                # that one is


def test_the_same_manager_approves_a_changed_basket_again(open_counter, db_path, qtbot):
    """The approval deadlock, through the window: one manager on shift approves, the
    customer changes the basket, the same manager approves again."""
    side = open_counter(db_path)
    sign_in(qtbot, side)
    start_upgrade(qtbot, side, new_sku=BEST)
    ui = side.ex.ui

    def manager_approves() -> None:
        press(qtbot, side, "F9")
        wait_state(qtbot, side, State.PENDING_APPROVAL)
        assert QApplication.focusWidget() is ui.approverEdit
        scan(qtbot, side, "BADGE-MGR1")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is ui.approverPinEdit)
        ui.approvalReasonCombo.setCurrentIndex(0)
        type_text(qtbot, ui.approverPinEdit, "9999", enter=True)
        wait_state(qtbot, side, State.AWAITING_PAYMENT)

    manager_approves()
    scan(qtbot, side, barcode(side.app, BEST))     # the customer takes a second one
    qtbot.waitUntil(lambda: side.ex.snap.exchange.requested[0].qty == 2)
    assert side.ex.snap.exchange.state is State.DRAFT
    manager_approves()
    assert "Approved by mgr1" in message(side)


def test_a_german_window_renders_engine_refusals_in_german_money(open_counter, db_path,
                                                                  qtbot):
    from tests.gui.test_german import _english_again
    side = open_counter(db_path, locale="de_DE")
    try:
        sign_in(qtbot, side)
        upgrade_awaiting_payment(qtbot, side)
        type_text(qtbot, side.ex.ui.cashTenderedEdit, "10", enter=True)
        qtbot.waitUntil(lambda: side.ex.snap.exchange.remaining_due_minor == 5385)
        press(qtbot, side, "F12")
        qtbot.waitUntil(lambda: "53,85\xa0$" in message(side))   # not a bare "53.85"
        # Rendered at the edge from the code and its parameters, in the store's language
        # (the German sentence is the catalogue's: pos_exchange/locale/de).
        expected = side.ctx.say(Refused("PAYMENT_INCOMPLETE", due=Money(5385, "USD")))
        assert message(side) == expected
    finally:
        _english_again()


def test_a_scan_right_after_sign_in_joins_the_exchange_that_reopens(open_counter, db_path,
                                                                   qtbot, monkeypatch):
    side = open_counter(db_path)
    unfinished = side.app.exchanges.scan_returned(None, "csr1", GOOD).number  # a restart
    slowed(monkeypatch, "resume_candidate", 0.5)
    ui = side.window.sign_in.ui
    type_text(qtbot, ui.employeeEdit, "csr1", enter=True)
    type_text(qtbot, ui.pinEdit, "1111", enter=True)
    qtbot.waitUntil(lambda: side.window.current() is side.ex, timeout=10_000)
    scan(qtbot, side, barcode(side.app, BETTER))      # while the lookup is on its way
    qtbot.waitUntil(lambda: side.ex.snap is not None and bool(side.ex.snap.exchange.requested),
                    timeout=10_000)
    idle(qtbot, side)
    assert side.ex.number == unfinished
    assert [r.number for r in side.app.exchanges.recent()] == [unfinished]   # no second one
    assert side.ex.ui.returnedTable.rowCount() == 1 and side.ex.ui.requestedTable.rowCount() == 1
