"""After finalize: the receipt on screen, card refunds executed, the receipt printed.

The exchange is already stored when this page opens; a printer that is off or out of paper
gives a message and a retry (F8), never a lost exchange."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from pos_exchange.domain.exchange import TenderKind, TenderStatus
from pos_exchange.gui import steps
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.forms.ui_receipt import Ui_ReceiptForm
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, say, shortcut
from pos_exchange.receipts import Receipt, render_text


class ReceiptPage(QWidget):
    next_customer = Signal()
    printer_state = Signal(bool, str)     # ok, text: for the status bar

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_ReceiptForm()
        self.ui.setupUi(self)
        self.number: str | None = None
        self.ui.retryPrintButton.clicked.connect(self.print_again)
        self.ui.openDrawerButton.clicked.connect(self.open_drawer)
        self.ui.nextCustomerButton.clicked.connect(self.next_customer.emit)
        shortcut(self, "F8", self.print_again, "shortcutPrintAgain")
        shortcut(self, "F7", self.open_drawer, "shortcutOpenDrawer")
        shortcut(self, "Return", self.next_customer.emit, "shortcutNextCustomer")
        shortcut(self, "Enter", self.next_customer.emit, "shortcutNextCustomerKeypad")

    def show_exchange(self, number: str, *, reprint: bool = False, title: str = "") -> None:
        """Preview, then (card refunds and) print. ``reprint``: from history."""
        self.number = number
        ui = self.ui
        ui.receiptTitleLabel.setText(title or tr("Exchange {number} finalized").format(
            number=number))
        ui.receiptPreview.clear()
        ui.changeLabel.clear()
        ui.changeLabel.setVisible(False)
        say(ui.refundStatusLabel, "")
        say(ui.printStatusLabel, tr("Printing…"))
        ui.retryPrintButton.setEnabled(False)
        ui.nextCustomerButton.setFocus()
        app = self.ctx.app
        self.ctx.runner.run("db", lambda: app.receipt(number), self._preview, self._error,
                            tr("Building the receipt"))
        if reprint:
            self._print(reprint=True)
            return
        # Card refunds of an exchange for less are sent before printing, so the receipt
        # says whether they went through.
        self.ctx.runner.run("db", lambda: app.exchanges.get(number), self._maybe_refund,
                            self._error, tr("Checking refunds"))

    def _preview(self, receipt: Receipt) -> None:
        self.ui.receiptPreview.setPlainText("\n".join(render_text(receipt)))

    def _maybe_refund(self, ex: Any) -> None:
        change = sum(t.change_minor for t in ex.payments if t.method == "cash")
        if change:   # the CSR's next move: the change, in the biggest type on screen
            self.ui.changeLabel.setText(tr("Change {amount}").format(
                amount=self.ctx.money(change)))
            self.ui.changeLabel.setVisible(True)
        pending = [t for t in ex.refunds if t.method == "card"
                   and t.status is TenderStatus.PENDING and t.kind is TenderKind.REFUND]
        if not pending:
            self._print()
            return
        say(self.ui.refundStatusLabel, tr("Refunding to the card…"))
        app, user = self.ctx.app, self.ctx.user_id
        self.ctx.runner.run("card", lambda: steps.run_card_refunds(app, user),
                            self._refunded, self._refund_failed, tr("Card refund"))

    def _refunded(self, results: list[dict[str, Any]]) -> None:
        statuses = {r.get("status") for r in results}
        if statuses <= {"succeeded"}:
            say(self.ui.refundStatusLabel, tr("Card refund sent."))
        elif "needs_customer" in statuses:
            say(self.ui.refundStatusLabel, tr("This card is refunded with the card on the "
                                              "reader: run `pos-exchange refunds in-person`."),
                "error")
        elif "failed" in statuses:
            say(self.ui.refundStatusLabel, tr("A card refund was refused: a manager sees it "
                                              "under failed refunds (`pos-exchange refunds "
                                              "run`)."), "error")
        else:
            say(self.ui.refundStatusLabel, tr("The card terminal did not answer: the refund "
                                              "stays queued and is sent automatically."),
                "error")
        self._print()

    def _refund_failed(self, exc: BaseException) -> None:
        say(self.ui.refundStatusLabel, error_text(exc, self.ctx.say) + " " + tr(
            "The refund stays queued and is sent when the terminal answers."), "error")
        self._print()

    def _print(self, reprint: bool = False) -> None:
        number, app, user = self.number, self.ctx.app, self.ctx.user_id
        if number is None:
            return
        self.ui.retryPrintButton.setEnabled(False)
        say(self.ui.printStatusLabel, tr("Printing…"))
        self.ctx.runner.run("printer", lambda: app.print_receipt(number, user, reprint=reprint),
                            self._printed, self._print_failed, tr("Printing the receipt"))

    def _printed(self, receipt: Receipt) -> None:
        self._preview(receipt)  # the preview shows what was printed, refunds included
        say(self.ui.printStatusLabel, tr("Receipt printed."))
        self.ui.retryPrintButton.setEnabled(True)
        self.printer_state.emit(True, tr("Printer ready"))
        self.ui.nextCustomerButton.setFocus()

    def _print_failed(self, exc: BaseException) -> None:
        self.ctx.sounds.play("error")
        say(self.ui.printStatusLabel, error_text(exc, self.ctx.say) + " " + tr(
            "The exchange is saved. Press F8 to print again."), "error")
        self.ui.retryPrintButton.setEnabled(True)
        self.ui.retryPrintButton.setFocus()
        self.printer_state.emit(False, tr("Printer offline"))

    def print_again(self) -> None:
        self._print(reprint=True)

    def open_drawer(self) -> None:
        app, user = self.ctx.app, self.ctx.user_id
        self.ctx.runner.run("printer", lambda: steps.open_drawer(app, user, "manual"),
                            lambda _r: say(self.ui.printStatusLabel, tr("Drawer opened.")),
                            self._print_failed, tr("Opening the drawer"))

    def _error(self, exc: BaseException) -> None:
        self.ctx.sounds.play("error")
        say(self.ui.printStatusLabel, error_text(exc, self.ctx.say), "error")
