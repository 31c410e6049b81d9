"""Driving the counter as a CSR does: keys typed at human speed, scans as a scanner's burst
through the real keyboard-wedge filter, F-keys for the steps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from pos_exchange.adapters.db import schema as t
from pos_exchange.bootstrap import App
from pos_exchange.domain.exchange import State
from tests.gui.conftest import Counterside

HUMAN_MS = 60          # slower than the wedge's 35 ms burst gap: typing, not a scan
WAIT_MS = 10_000

KEYS = {"F2": Qt.Key.Key_F2, "F3": Qt.Key.Key_F3, "F4": Qt.Key.Key_F4, "F5": Qt.Key.Key_F5,
        "F6": Qt.Key.Key_F6, "F8": Qt.Key.Key_F8, "F9": Qt.Key.Key_F9, "F10": Qt.Key.Key_F10,
        "F11": Qt.Key.Key_F11, "F12": Qt.Key.Key_F12, "Esc": Qt.Key.Key_Escape,
        "Enter": Qt.Key.Key_Return, "Del": Qt.Key.Key_Delete}


def focus(side: Counterside) -> QWidget:
    return QApplication.focusWidget() or side.window


def type_text(qtbot, widget: QWidget, text: str, enter: bool = False) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text, delay=HUMAN_MS)
    if enter:
        QTest.qWait(HUMAN_MS)
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def keyboard(qtbot, side: Counterside, text: str, enter: bool = False) -> None:
    """A person at a keyboard: each key goes to whatever has the focus at that moment
    (as a real keyboard's keys do), at human speed."""
    for char in text:
        QTest.keyClick(focus(side), char)
        QTest.qWait(HUMAN_MS)
    if enter:
        QTest.keyClick(focus(side), Qt.Key.Key_Return)


def press(qtbot, side: Counterside, key: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focus(side), KEYS[key], modifier)


def scan(qtbot, side: Counterside, code: str) -> None:
    """A keyboard-wedge scanner: the code and Enter as one fast burst, into whatever
    widget has the focus."""
    target = focus(side)
    QTest.keyClicks(target, code)
    QTest.keyClick(target, Qt.Key.Key_Return)


def idle(qtbot, side: Counterside) -> None:
    """Wait until every queued worker job has been delivered."""
    qtbot.waitUntil(lambda: side.ctx.runner.pending == 0, timeout=WAIT_MS)


def sign_in(qtbot, side: Counterside, user: str = "csr1", pin: str = "1111") -> None:
    ui = side.window.sign_in.ui
    type_text(qtbot, ui.employeeEdit, user, enter=True)
    type_text(qtbot, ui.pinEdit, pin, enter=True)
    qtbot.waitUntil(lambda: side.window.current() is side.ex, timeout=WAIT_MS)
    idle(qtbot, side)


def barcode(app: App, sku: str) -> str:
    with app.engine.connect() as conn:
        return conn.scalar(select(t.barcodes.c.code).where(t.barcodes.c.sku == sku)
                           .order_by(t.barcodes.c.code))


def receipt_barcode(app: App, order_number: str) -> str:
    with app.engine.connect() as conn:
        return conn.scalar(select(t.sales.c.receipt_barcode)
                           .where(t.sales.c.order_number == order_number))


def wait_state(qtbot, side: Counterside, state: State) -> None:
    qtbot.waitUntil(lambda: side.ex.snap is not None and side.ex.snap.exchange.state is state,
                    timeout=WAIT_MS)


def message(side: Counterside) -> str:
    return side.ex.ui.messageLabel.text()


class Csr:
    """A CSR at the keyboard, counting actions as issue 9 counts them: a scan, a key (or
    key chord) and "type an amount and Enter" are one action each."""

    def __init__(self, qtbot, side: Counterside) -> None:
        self.qtbot, self.side, self.actions = qtbot, side, 0
        self.log: list[str] = []

    def _count(self, what: str) -> None:
        self.actions += 1
        self.log.append(what)

    def scan(self, code: str) -> None:
        self._count(f"scan {code}")
        scan(self.qtbot, self.side, code)

    def key(self, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self._count(name)
        self.qtbot.keyClick(focus(self.side), KEYS.get(name, name), modifier)

    def type_enter(self, text: str) -> None:
        """Type at human speed into whatever has the focus, then Enter."""
        self._count(f"type {text} + Enter")
        keyboard(self.qtbot, self.side, text, enter=True)
