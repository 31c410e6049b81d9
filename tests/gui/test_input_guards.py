"""Bad input at the counter gets a sentence and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.gui.texts import Money
from tests.gui.drive import message, press, sign_in, wait_state
from tests.gui.test_counter_flows import upgrade_awaiting_payment


@pytest.mark.parametrize("text", ["1e5", "NaN", "Infinity", "-5", "1,2,3", "$10", "12abc",
                                  "100,50", "10.005"])
def test_amounts_that_are_not_plain_money_are_refused(text):
    with pytest.raises(PosError) as refused:
        Money("USD", "en_US").parse(text)
    assert refused.value.code == "INVALID_AMOUNT"


def test_amounts_in_the_store_locale():
    assert Money("USD", "en_US").parse("1,000.50") == Decimal("1000.50")
    assert Money("EUR", "de_DE").parse("1.000,50") == Decimal("1000.50")
    assert Money("EUR", "de_DE").parse("100,5") == Decimal("100.5")


def test_a_pin_typed_fast_stays_a_pin(open_counter, db_path, qtbot):
    """Keys into a password field are never taken for a scan: the PIN is not shown in
    the employee field and it signs in."""
    side = open_counter(db_path)
    ui = side.window.sign_in.ui
    ui.employeeEdit.setText("csr1")
    ui.pinEdit.setFocus()
    QTest.keyClicks(ui.pinEdit, "1111")           # burst speed, like a scanner
    QTest.keyClick(ui.pinEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: side.window.current() is side.ex, timeout=10_000)
    assert ui.employeeEdit.text() == ""


def test_cash_typed_wrong_is_refused_and_nothing_recorded(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    side.ex.ui.cashTenderedEdit.setText("1e5")
    side.ex.pay_cash()
    assert "is not an amount" in message(side)
    assert side.ctx.sounds.played[-1] == "error"
    assert side.app.exchanges.get(side.ex.number).payments == []


def test_void_without_a_reason_voids_nothing(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    upgrade_awaiting_payment(qtbot, side)
    press(qtbot, side, "F11")
    qtbot.waitUntil(lambda: side.ex.snap.exchange.money_moved, timeout=10_000)
    side.ex.ui.voidButton.click()
    dialog = side.ex.findChild(QInputDialog, "voidReasonDialog")
    dialog.setTextValue("   ")
    dialog.accept()
    assert "Give a reason" in message(side)
    wait_state(qtbot, side, State.AWAITING_PAYMENT)
    assert side.app.exchanges.get(side.ex.number).state is State.AWAITING_PAYMENT
