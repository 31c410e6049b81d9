"""Paying out a cash refund owed at the next visit (issue 12): a shipment that could not
ship was refunded, and its cash part waits for the customer.

Keyboard only: the dialog opens with the focus in the exchange field (Ctrl+O on the
counter); the CSR scans the exchange's receipt or types its number and presses Enter; the
dialog shows what is owed, line by line, in the store's money. Enter on *Pay out* pays it
(above the refund limits a manager types ID and PIN first). The drawer opens and the
receipt prints again, now with the refund paid. A second Enter finds nothing owed: it is
never paid twice (services/cash_owed.py). Each step runs in a worker; a refusal stays in
the dialog as a sentence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.gui import cash_owed_steps
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, say
from pos_exchange.services.cash_owed import PaidOut
from pos_exchange.services.views import CashOwed


class CashOwedDialog(QDialog):
    def __init__(self, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or page)
        self.page = page
        self.owed: CashOwed | None = None
        self.busy = False
        self.setObjectName("cashOwedDialog")
        self.setWindowTitle(tr("Pay out a cash refund owed"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Scan the exchange's receipt or type its number, then press Enter."))
        intro.setWordWrap(True)
        self.keyEdit = QLineEdit()
        self.keyEdit.setObjectName("cashOwedKey")
        self.keyEdit.setAccessibleName(tr("Exchange number or receipt"))
        self.summary = QLabel()
        self.summary.setObjectName("cashOwedSummary")
        self.summary.setWordWrap(True)
        self.lines = QListWidget()
        self.lines.setObjectName("cashOwedLines")
        self.lines.setMaximumHeight(120)
        self.total = QLabel()
        self.total.setObjectName("cashOwedTotal")
        self.total.setProperty("kind", "change")   # the headline's style: big and clear
        form = QFormLayout()
        self.approverEdit = QLineEdit()
        self.approverEdit.setObjectName("cashOwedApprover")
        self.pinEdit = QLineEdit()
        self.pinEdit.setObjectName("cashOwedPin")
        self.pinEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.approverLabel, self.pinLabel = QLabel(tr("Manager ID")), QLabel(tr("PIN"))
        form.addRow(self.approverLabel, self.approverEdit)
        form.addRow(self.pinLabel, self.pinEdit)
        self.message = QLabel()
        self.message.setObjectName("cashOwedMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.payButton = buttons.addButton(tr("Pay out"), QDialogButtonBox.ButtonRole.ActionRole)
        self.payButton.setObjectName("cashOwedPay")
        self.payButton.setEnabled(False)
        self.payButton.clicked.connect(self.pay)
        buttons.rejected.connect(self.reject)
        # Enter never closes the dialog by accident (Esc does): only Pay out is a default.
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.setText(tr("Close (Esc)"))
        close.setIcon(QIcon())   # as the window's other buttons: words and the key
        for w in (intro, self.keyEdit, self.summary, self.lines, self.total):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.keyEdit.returnPressed.connect(self.look_up)
        self.approverEdit.returnPressed.connect(self.pinEdit.setFocus)   # badge, then PIN
        self.pinEdit.returnPressed.connect(self.pay)
        self._approval(False)
        self.lines.setVisible(False)
        self.keyEdit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.keyEdit.setFocus()   # the scanner's keys and the typed number land here

    # ------------------------------------------------------------------ plumbing
    @property
    def ctx(self) -> Any:
        return self.page.ctx

    def _run(self, lane: str, fn: Any, done: Any, label: str) -> None:
        # The button stays enabled (a second Enter is ignored while busy): disabling it
        # would move the focus to Close, and a second Enter would shut the dialog.
        self.busy = True
        self.ctx.runner.run(lane, fn, lambda r: self._settle(done, r),
                            lambda exc: self._settle(self._failed, exc), label)

    def _settle(self, callback: Any, payload: Any) -> None:
        self.busy = False
        callback(payload)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.sounds.play("error")
        say(self.message, error_text(exc, self.ctx.say), "error")
        self.payButton.setEnabled(bool(self.owed and self.owed.owed_minor))

    def _approval(self, needed: bool) -> None:
        for w in (self.approverLabel, self.approverEdit, self.pinLabel, self.pinEdit):
            w.setVisible(needed)

    # ------------------------------------------------------------------ steps
    def scanned(self, code: str) -> None:
        """A scan while the dialog is open (main_window routes it here)."""
        self.keyEdit.setText(code.strip())
        self.look_up()

    def look_up(self) -> None:
        key = self.keyEdit.text().strip()
        if not key or self.busy:
            return
        app, user = self.ctx.app, self.ctx.user_id
        say(self.message, "")
        self._run("db", lambda: cash_owed_steps.look_up(app, key, user), self._show,
                  tr("Looking up the exchange"))

    def _show(self, owed: CashOwed) -> None:
        self.owed = owed
        m, tz = self.ctx.money, self.ctx.app.runtime.tz
        who = owed.customer_name or tr("no customer")
        self.summary.setText(tr("Exchange {number}, {who}").format(number=owed.number, who=who))
        self.lines.clear()
        for line in owed.lines:
            if line.payout is None:
                text = tr("{item}: {amount}, owed").format(item=line.name,
                                                           amount=m(line.amount_minor))
            else:
                when = line.payout.paid_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
                text = tr("{item}: {amount}, paid out {when} by {who}").format(
                    item=line.name, amount=m(line.amount_minor), when=when,
                    who=line.payout.paid_by)
            self.lines.addItem(text)
        self.lines.setVisible(bool(owed.lines))
        if owed.owed_minor:
            self.total.setText(tr("Owed in cash: {amount}").format(amount=m(owed.owed_minor)))
            self.payButton.setText(tr("Pay out {amount}").format(amount=m(owed.owed_minor)))
            self.payButton.setEnabled(True)
            self._approval(owed.needs_approval)
            if owed.needs_approval:
                say(self.message, tr("Above the refund limits: a manager types their ID "
                                     "and PIN, then Enter."), "warn")
                self.approverEdit.setFocus()
            else:
                self.payButton.setDefault(True)
                self.payButton.setFocus()
        else:
            self.total.setText(tr("Nothing owed in cash."))
            self.payButton.setText(tr("Pay out"))
            self._approval(False)
            if owed.paid_minor:
                say(self.message, tr("Paid out already: it is never paid twice."), "info")
            self.activateWindow()
            self.keyEdit.setFocus()   # first: disabling the focused button would move
            self.keyEdit.selectAll()  # the focus on to Close
            self.payButton.setEnabled(False)

    def pay(self) -> None:
        owed = self.owed
        if owed is None or not owed.owed_minor or self.busy:
            return
        app, user, number = self.ctx.app, self.ctx.user_id, owed.number
        approver = self.approverEdit.text().strip() or None
        pin = self.pinEdit.text() or None
        self.pinEdit.clear()   # a PIN never stays on screen
        self._run("printer", lambda: cash_owed_steps.pay_out(app, number, user, approver, pin),
                  self._paid, tr("Paying out the cash refund"))

    def _paid(self, paid: PaidOut) -> None:
        m = self.ctx.money
        self.ctx.sounds.play("scan_ok")
        self._show(paid.owed)
        text = tr("Paid out {amount} in cash. Hand it to the customer.").format(
            amount=m(paid.amount_minor))
        if paid.drawer_error is not None:
            text += " " + error_text(paid.drawer_error, self.ctx.say) + " " + tr(
                "The payout is recorded: open the drawer by hand.")
        say(self.message, text, "info" if paid.drawer_error is None else "warn")
        app, user, number = self.ctx.app, self.ctx.user_id, paid.owed.number
        if self.page.number == number:   # that exchange is on the counter: show it paid
            self.page.open_exchange(number)
        self.ctx.runner.run("printer", lambda: cash_owed_steps.print_slip(app, number, user),
                            lambda _r: self._printed(text),
                            lambda exc: self._print_failed(text, exc), tr("Printing the receipt"))

    def _printed(self, text: str) -> None:
        say(self.message, text + " " + tr("Receipt printed."), "info")

    def _print_failed(self, text: str, exc: BaseException) -> None:
        self.ctx.sounds.play("error")
        say(self.message, text + " " + error_text(exc, self.ctx.say), "error")
