"""The exchange screen: sale lookup, returned and new items, the live valuation, approval,
payment and finalize. Every service call runs in a worker (gui/tasks.py); this class only
queues work and paints the Snapshot that comes back."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QWidget

from pos_exchange.domain.card_attempts import Attempt, AttemptStatus
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import Kind, State, TenderKind
from pos_exchange.domain.policy import Severity
from pos_exchange.gui import steps
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.forms.ui_exchange import Ui_ExchangeForm
from pos_exchange.gui.texts import card_label, gap_headline, tr
from pos_exchange.gui.widgets import error_text, fill_table, say, selected_data, shortcut
from pos_exchange.services.views import SaleMatch

CONDITIONS = ("resaleable", "opened", "damaged", "defective")
NOT_RESTOCKED = {"damaged", "defective"}
APPROVAL_REASONS = ("Customer loyalty", "Price match", "Damaged on arrival",
                    "Store manager discretion")
VOID_REASONS = ("Customer changed their mind", "Wrong item handed over", "Entered in error")
POLL_MS = 500


class ExchangePage(QWidget):
    finished = Signal(str)      # the exchange number, once finalized (receipt next)
    changed = Signal()          # something moved: the status bar refreshes its counts

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_ExchangeForm()
        self.ui.setupUi(self)
        self.number: str | None = None
        self.snap: steps.Snapshot | None = None
        self.mode = steps.RETURNED
        self.attempt: Attempt | None = None
        self._poll_busy = False
        self._card_deadline = 0.0
        self._void_dialog: QInputDialog | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._poll_card)
        self._recover = QTimer(self)
        self._recover.setInterval(5000)
        self._recover.timeout.connect(self._recover_card)
        self._setup()
        self.reset()

    # ------------------------------------------------------------------ wiring
    def _setup(self) -> None:
        ui = self.ui
        ui.conditionCombo.addItems([tr(c) for c in CONDITIONS])
        for i, c in enumerate(CONDITIONS):
            ui.conditionCombo.setItemData(i, c)
        ui.conditionCombo.currentIndexChanged.connect(
            lambda i: ui.restockCheck.setChecked(CONDITIONS[i] not in NOT_RESTOCKED))
        ui.approvalReasonCombo.addItems([tr(r) for r in APPROVAL_REASONS])
        ui.approvalReasonCombo.setCurrentIndex(-1)
        self.test_cards = self.ctx.terminal_qt.setup_test_cards(
            self.ctx.app.terminal, ui.testCardLabel, ui.testCardCombo)
        ui.findSaleButton.clicked.connect(self.find_sale)
        ui.saleSearchEdit.returnPressed.connect(self.find_sale)
        ui.saleResultsList.itemActivated.connect(self._attach_result)
        ui.returnLineButton.clicked.connect(self.return_selected_line)
        ui.saleLinesTable.itemActivated.connect(lambda _item: self.return_selected_line())
        ui.modeReturnedButton.clicked.connect(lambda: self.set_mode(steps.RETURNED))
        ui.modeRequestedButton.clicked.connect(lambda: self.set_mode(steps.REQUESTED))
        ui.scanEdit.returnPressed.connect(self._typed_code)
        ui.addCodeButton.clicked.connect(self._typed_code)
        ui.removeLineButton.clicked.connect(self.remove_selected_line)
        ui.lockInButton.clicked.connect(self.lock_in)
        ui.approveButton.clicked.connect(self.approve)
        ui.approverPinEdit.returnPressed.connect(self.approve)
        ui.payCashButton.clicked.connect(self.pay_cash)
        ui.cashTenderedEdit.returnPressed.connect(self.pay_cash)
        ui.payCardButton.clicked.connect(self.pay_card)
        ui.cardAmountEdit.returnPressed.connect(self.pay_card)
        ui.cancelCardButton.clicked.connect(self.cancel_card)
        ui.finalizeButton.clicked.connect(self.finalize)
        ui.cancelExchangeButton.clicked.connect(self.cancel_exchange)
        ui.voidButton.clicked.connect(self.void_exchange)
        for keys, slot, name in (
                ("F2", self._focus_sale_search, "shortcutFindSale"),
                ("F4", self.return_selected_line, "shortcutReturnLine"),
                ("F5", lambda: self.set_mode(steps.RETURNED), "shortcutModeReturned"),
                ("F6", lambda: self.set_mode(steps.REQUESTED), "shortcutModeNew"),
                ("Del", self.remove_selected_line, "shortcutRemoveLine"),
                ("F9", self._f9, "shortcutLockInApprove"),
                ("F10", self._focus_cash, "shortcutCash"),
                ("F11", self.pay_card, "shortcutCard"),
                ("Esc", self.cancel_card, "shortcutCancelCard"),
                ("F12", self.finalize, "shortcutFinalize"),
                ("Ctrl+Shift+X", self.cancel_exchange, "shortcutCancelExchange"),
                ("Ctrl+Shift+V", self.void_exchange, "shortcutVoid")):
            shortcut(self, keys, slot, name)

    # ------------------------------------------------------------------ plumbing
    def _run(self, lane: str, fn: Callable[[], Any], done: Callable[[Any], None],
             label: str, error: Callable[[BaseException], None] | None = None) -> None:
        self.ctx.runner.run(lane, fn, done, error or self.fail, label)

    def _step(self, fn: Callable[..., Any], *args: Any, label: str,
              done: Callable[[Any], None] | None = None, lane: str = "db",
              error: Callable[[BaseException], None] | None = None) -> None:
        """Run ``fn(app, number, user, *args)`` in a worker. The number and user are read
        here, on the GUI thread, so a reset or a lock meanwhile cannot change what the
        worker acts on."""
        app, key, user = self.ctx.app, self.number, self.user
        self._run(lane, lambda: fn(app, key, user, *args), done or self._apply, label, error)

    def _scanned_ok(self, snap: steps.Snapshot) -> None:
        self._apply(snap, "scan_ok")

    def fail(self, exc: BaseException | str) -> None:
        """A refusal, an error or a screen's own words: the error sound and a message line,
        never a modal."""
        self.ctx.sounds.play("error")
        say(self.ui.messageLabel, error_text(exc, self.ctx.say), "error")
        findings = exc.params.get("findings") if isinstance(exc, PosError) else None
        if findings:
            self.ui.findingsList.clear()
            for f in findings:
                self._add_finding(str(f.severity), self.ctx.say(f))

    def _apply(self, snap: steps.Snapshot, sound: str | None = None) -> None:
        self.number = snap.number
        self.show_snapshot(snap)
        if snap.note:
            say(self.ui.messageLabel, tr(snap.note).format(**dict(snap.note_params)), "info")
        if sound:
            self.ctx.sounds.play(sound)
        self.changed.emit()

    @property
    def user(self) -> str:
        return self.ctx.user_id

    @property
    def card_in_progress(self) -> bool:
        return self.attempt is not None and self.attempt.is_open

    def _busy_card(self) -> bool:
        if self.card_in_progress:
            self.fail(tr("A card payment is in progress: wait for it, or press "
                                     "Esc to cancel it."))
            return True
        return False

    # ------------------------------------------------------------------ life
    def reset(self) -> None:
        """Ready for the next customer."""
        ui = self.ui
        self.number, self.snap, self.attempt = None, None, None
        self._poll.stop()
        self._recover.stop()
        for edit in (ui.saleSearchEdit, ui.scanEdit, ui.approverEdit, ui.approverPinEdit,
                     ui.cashTenderedEdit, ui.cardAmountEdit):
            edit.clear()
        ui.saleResultsList.clear()
        ui.saleResultsList.setVisible(False)
        ui.saleInfoLabel.setText(tr("No original sale: scan the receipt, or go on without one."))
        for table in (ui.saleLinesTable, ui.returnedTable, ui.requestedTable):
            table.setRowCount(0)
        ui.findingsList.clear()
        ui.tendersList.clear()
        say(ui.messageLabel, "")
        ui.cardStatusLabel.clear()
        self.set_mode(steps.RETURNED)
        self._paint_empty()
        ui.scanEdit.setFocus()

    def open_exchange(self, number: str, note: str = "") -> None:
        """Show an existing exchange (resumed after a restart, or from history)."""
        self.reset()
        self.number = number
        self._step(steps.snapshot, note, label=tr("Opening exchange"))

    def stop_timers(self) -> None:
        self._poll.stop()
        self._recover.stop()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.ui.modeReturnedButton.setChecked(mode == steps.RETURNED)
        self.ui.modeRequestedButton.setChecked(mode == steps.REQUESTED)
        self.ui.scanEdit.setFocus()

    # ------------------------------------------------------------------ scanning
    def handle_scan(self, code: str) -> None:
        """A code from the scanner (wherever the focus was) or typed in the scan field."""
        if self.ui.approverEdit.hasFocus() and self.ui.approvalGroup.isVisible():
            self.ui.approverEdit.setText(code.strip())  # a manager's badge
            self.ui.approverPinEdit.setFocus()
            return
        if self._busy_card():
            return
        if self.snap is not None and not self.snap.editable:
            self.reset()  # a settled or voided exchange is on screen: the scan starts anew
        self._step(steps.scan, code, self.mode, done=self._scanned_ok,
                   label=tr("Adding {code}").format(code=code))

    def _typed_code(self) -> None:
        code = self.ui.scanEdit.text().strip()
        self.ui.scanEdit.clear()
        if code:
            self.handle_scan(code)

    def _focus_sale_search(self) -> None:
        self.ui.saleSearchEdit.setFocus()
        self.ui.saleSearchEdit.selectAll()

    def find_sale(self) -> None:
        text = self.ui.saleSearchEdit.text().strip()
        if not text:
            self.fail(tr("Type a receipt or order number, or a "
                                                     "customer's name or phone."))
            return
        app = self.ctx.app
        self._run("db", lambda: steps.search_sales(app, text), self._show_results,
                  tr("Finding the sale"))

    def _show_results(self, found: list[SaleMatch]) -> None:
        if len(found) == 1:
            self._attach(found[0].order_number)
            return
        lst = self.ui.saleResultsList
        lst.clear()
        for row in found:
            when = row.sold_at.astimezone(self.ctx.app.runtime.tz).strftime("%Y-%m-%d")
            item = QListWidgetItem(f"{row.order_number}  {when}  {row.name or ''}")
            item.setData(Qt.ItemDataRole.UserRole, row.order_number)
            lst.addItem(item)
        lst.setVisible(True)
        lst.setCurrentRow(0)
        lst.setFocus()
        say(self.ui.messageLabel, tr("{n} sales found: pick one and press Enter.").format(
            n=len(found)), "info")

    def _attach_result(self, item: QListWidgetItem) -> None:
        self._attach(item.data(Qt.ItemDataRole.UserRole))

    def _attach(self, order_number: str) -> None:
        if self._busy_card():
            return
        self.ui.saleResultsList.setVisible(False)
        self._step(steps.attach_sale, order_number, done=self._scanned_ok,
                   label=tr("Attaching the sale"))

    def return_selected_line(self) -> None:
        line = selected_data(self.ui.saleLinesTable)
        if line is None:
            self.fail(tr("Pick a line of the original sale first."))
            return
        if self._busy_card():
            return
        line_id, sku = line if isinstance(line, tuple) else (None, "")
        qty = self.ui.returnQtySpin.value()
        condition = self.ui.conditionCombo.currentData() or CONDITIONS[0]
        restock = self.ui.restockCheck.isChecked()
        self._step(steps.return_item, sku, qty, line_id, condition, restock,
                   done=self._scanned_ok, label=tr("Returning the line"))

    def remove_selected_line(self) -> None:
        line_no = selected_data(self.ui.requestedTable) if self.ui.requestedTable.hasFocus() \
            else selected_data(self.ui.returnedTable) or selected_data(self.ui.requestedTable)
        if line_no is None or self.number is None:
            self.fail(tr("Pick a returned or new item to remove."))
            return
        if self._busy_card():
            return
        self._step(steps.remove_line, int(str(line_no)), label=tr("Removing the line"))

    # ------------------------------------------------------------------ lifecycle steps
    def _needs_exchange(self) -> bool:
        if self.number is None:
            self.fail(tr("Scan the returned and the new items "
                                                        "first."))
            return True
        return self._busy_card()

    def _f9(self) -> None:
        if self.ui.approvalGroup.isVisible():
            self.approve()
        else:
            self.lock_in()

    def lock_in(self) -> None:
        if self._needs_exchange():
            return
        self._step(steps.lock_in, done=self._locked_in,
                   label=tr("Locking in (checking stock)"))

    def _locked_in(self, snap: steps.Snapshot) -> None:
        self._apply(snap)
        state = snap.exchange.state
        if state is State.PENDING_APPROVAL:
            self.ui.approverEdit.setFocus()
        elif state is State.AWAITING_PAYMENT:
            self._focus_cash()
        else:
            self.ui.finalizeButton.setFocus()

    def approve(self) -> None:
        if self._needs_exchange():
            return
        ui = self.ui
        approver, pin = ui.approverEdit.text().strip(), ui.approverPinEdit.text()
        reason = ui.approvalReasonCombo.currentText().strip()
        ui.approverPinEdit.clear()  # a PIN never stays on screen
        if not approver or not pin:
            self.fail(tr("The manager scans their badge or "
                                                          "types their ID, then the PIN."))
            return
        self._step(steps.approve, approver, pin, reason, done=self._locked_in,
                   label=tr("Checking the approval"))

    def _focus_cash(self) -> None:
        self.ui.cashTenderedEdit.setFocus()
        self.ui.cashTenderedEdit.selectAll()

    def pay_cash(self) -> None:
        if self._needs_exchange():
            return
        try:
            tendered = self.ctx.money.parse(self.ui.cashTenderedEdit.text())
        except PosError as exc:
            self.fail(exc)
            return
        self._step(steps.pay_cash, tendered, done=self._cash_taken,
                   label=tr("Recording cash, opening the drawer"))

    def _cash_taken(self, result: tuple[steps.Snapshot, tuple[Any, str | None]]) -> None:
        snap, (tender, drawer_error) = result
        self.ui.cashTenderedEdit.clear()
        self._apply(snap, "scan_ok")
        m = self.ctx.money
        text = tr("Cash {amount} recorded.").format(amount=m(tender.amount_minor))
        if tender.change_minor:
            text += " " + tr("Give change: {change}.").format(change=m(tender.change_minor))
        if drawer_error:
            say(self.ui.messageLabel, text + " " + self.ctx.say(drawer_error), "error")
            self.ctx.sounds.play("error")
        else:
            say(self.ui.messageLabel, text, "info")
        self._next_step_focus(snap)

    def _next_step_focus(self, snap: steps.Snapshot) -> None:
        if snap.can_finalize:
            self.ui.finalizeButton.setFocus()
        else:
            self._focus_cash()

    # ------------------------------------------------------------------ card
    def pay_card(self) -> None:
        if self._needs_exchange():
            return
        amount: Decimal | None = None
        if self.ui.cardAmountEdit.text().strip():
            try:
                amount = self.ctx.money.parse(self.ui.cardAmountEdit.text())
            except PosError as exc:
                self.fail(exc)
                return
        test_card = self.ui.testCardCombo.currentData() if self.test_cards else None
        self.attempt = None
        self._card_deadline = time.monotonic() + self.ctx.app.settings.gui.card_timeout_s
        self._show_card(tr("Starting the card payment…"), busy=True)
        self._step(steps.card_start, amount, test_card, lane="card", done=self._card_update,
                   label=tr("Card payment"), error=self._card_failed)

    def _card_failed(self, exc: BaseException) -> None:
        self._poll.stop()
        self._poll_busy = False
        if isinstance(exc, PosError) and exc.code == "PAYMENT_UNCERTAIN":
            # Contact with the reader was lost mid-payment: never charge again; ask the
            # processor until it says what happened (card_payments.recover).
            self._show_card(self.ctx.say(exc), busy=True)
            self.fail(exc)
            self._recover.start()
            return
        self._show_card(error_text(exc, self.ctx.say), busy=False)
        self.fail(exc)
        self._reload()

    def _recover_card(self) -> None:
        if self._poll_busy:
            return
        self._poll_busy = True
        app, key = self.ctx.app, self.number

        def settle() -> bool:
            app.payments.recover()
            return key is not None and app.exchanges.card_in_flight(key)

        self._run("card", settle, self._recovered, tr("Asking Stripe about the payment"),
                  self._recover_failed)

    def _recovered(self, still_open: bool) -> None:
        self._poll_busy = False
        if not still_open:
            self._recover.stop()
            self._show_card(tr("The terminal answered: see the payments below."), busy=False)
            self._reload()

    def _recover_failed(self, exc: BaseException) -> None:
        self._poll_busy = False  # stays uncertain; the timer asks again

    def _poll_card(self) -> None:
        if self._poll_busy or self.attempt is None:
            return
        attempt_id, user, app = self.attempt.attempt_id, self.user, self.ctx.app
        if time.monotonic() > self._card_deadline:
            self._poll_busy = True
            self._show_card(tr("No card was presented in time: cancelling…"), busy=True)
            self._run("card", lambda: app.payments.cancel(attempt_id, user), self._card_update,
                      tr("Cancelling the card payment"), self._card_failed)
            return
        self._poll_busy = True
        self._run("card", lambda: app.payments.poll(attempt_id, user), self._card_update,
                  tr("Waiting for the card"), self._card_failed)

    def cancel_card(self) -> None:
        if not self.card_in_progress or self.attempt is None:
            return
        attempt_id, user, app = self.attempt.attempt_id, self.user, self.ctx.app
        self._show_card(tr("Cancelling the card payment…"), busy=True)
        self._run("card", lambda: app.payments.cancel(attempt_id, user), self._card_update,
                  tr("Cancelling the card payment"), self._card_failed)

    def _card_update(self, attempt: Attempt) -> None:
        self._poll_busy = False
        self.attempt = attempt
        status = attempt.status
        reason = self.ctx.say(attempt.reason, {"variant": attempt.decline_code}) \
            if attempt.reason else ""
        if attempt.is_open:
            if status is AttemptStatus.UNCERTAIN:
                self._show_card(reason, busy=True)
            else:
                self._show_card(tr("Present the card on the reader (Esc cancels)."), busy=True)
            if not self._poll.isActive():
                self._poll.start()
            return
        self._poll.stop()
        card = card_label(attempt.card_brand, attempt.card_last4)
        if status is AttemptStatus.SUCCEEDED:
            self._show_card(tr("Approved: {card}.").format(card=card), busy=False)
            self.ctx.sounds.play("scan_ok")
            self.ui.cardAmountEdit.clear()
        elif status is AttemptStatus.DECLINED:
            self._show_card(tr("Declined: {reason} Press F11 to try again or take cash.")
                            .format(reason=reason), busy=False)
            self.fail(reason or tr("Card declined."))
        else:
            self._show_card(reason or tr("The card payment was cancelled; nothing "
                                         "was charged."), busy=False)
        self._reload()

    def _show_card(self, text: str, busy: bool) -> None:
        self.ui.cardStatusLabel.setText(text)
        self.ui.cardProgress.setVisible(busy)
        self.ui.cancelCardButton.setEnabled(busy)
        self.ui.payCardButton.setEnabled(not busy)
        self.ui.payCashButton.setEnabled(not busy)
        self.ui.finalizeButton.setEnabled(not busy and bool(self.snap and self.snap.can_finalize))

    def _reload(self) -> None:
        if self.number is None:
            return
        self._step(steps.snapshot, done=self._after_reload, label=tr("Refreshing"))

    def _after_reload(self, snap: steps.Snapshot) -> None:
        self._apply(snap)
        self._next_step_focus(snap)

    # ------------------------------------------------------------------ the end
    def finalize(self) -> None:
        if self._needs_exchange():
            return
        self._step(steps.finalize, done=self._finalized, label=tr("Finalizing"))

    def _finalized(self, result: tuple[steps.Snapshot, str | None]) -> None:
        snap, drawer_error = result
        self._apply(snap, "scan_ok")
        if drawer_error:
            self.ctx.sounds.play("error")
        self.finished.emit(snap.number)

    def cancel_exchange(self) -> None:
        if self._needs_exchange():
            return
        self._step(steps.cancel, done=self._cancelled, label=tr("Cancelling the exchange"))

    def _cancelled(self, snap: steps.Snapshot) -> None:
        self.ctx.sounds.play("scan_ok")
        self.reset()
        say(self.ui.messageLabel, tr("Exchange {number} cancelled: nothing was charged. Ready "
                                     "for the next customer.").format(number=snap.number),
            "info")
        self.changed.emit()

    def void_exchange(self) -> None:
        """Void after money moved: asks for a reason (not modal to the scanner: the dialog
        is opened, not exec'd), then refunds every payment to its own tender."""
        if self._needs_exchange():
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("voidReasonDialog")
        dialog.setWindowTitle(tr("Void exchange"))
        dialog.setLabelText(tr("Why is exchange {number} voided? Its payments are refunded "
                               "to the same tenders.").format(number=self.number))
        dialog.setComboBoxItems([tr(r) for r in VOID_REASONS])
        dialog.setComboBoxEditable(True)
        dialog.textValueSelected.connect(self._void_with_reason)
        self._void_dialog = dialog
        dialog.open()

    def _void_with_reason(self, reason: str) -> None:
        if not reason.strip():
            self.fail(tr("Give a reason to void the exchange: nothing was voided."))
            return
        if self._needs_exchange():
            return
        self._step(steps.void, reason.strip(), done=self._voided, label=tr("Voiding"))

    def _voided(self, snap: steps.Snapshot) -> None:
        self._apply(snap)
        if any(t.kind is TenderKind.REFUND and t.method == "card" and
               str(t.status) == "pending" for t in snap.exchange.tenders):
            app, user = self.ctx.app, self.user
            self._run("card", lambda: steps.run_card_refunds(app, user),
                      lambda _r: self._reload(), tr("Refunding the card"))
        cash = sum(t.amount_minor for t in snap.exchange.refunds
                   if t.method == "cash" and t.compensates)
        if cash:
            app, user = self.ctx.app, self.user
            say(self.ui.messageLabel, tr("Voided. Give back {amount} in cash.").format(
                amount=self.ctx.money(cash)), "info")
            self._run("printer", lambda: steps.open_drawer(app, user, f"void {snap.number}"),
                      lambda _r: None, tr("Opening the drawer"))

    # ------------------------------------------------------------------ painting
    def _paint_empty(self) -> None:
        ui = self.ui
        zero = self.ctx.money(0)
        for label in (ui.returnedCreditValue, ui.newNetValue, ui.newTaxValue, ui.newTotalValue,
                      ui.paidValue, ui.dueValue):
            label.setText(zero)
        ui.gapLabel.setText(tr("Scan the items"))
        ui.gapLabel.setProperty("kind", "")
        ui.exchangeNumberLabel.setText(tr("New exchange"))
        ui.approvalGroup.setVisible(False)
        ui.paymentGroup.setVisible(False)
        ui.lockInButton.setEnabled(False)
        ui.finalizeButton.setEnabled(False)
        ui.cancelExchangeButton.setEnabled(False)
        ui.voidButton.setEnabled(False)
        ui.removeLineButton.setEnabled(False)
        ui.cardProgress.setVisible(False)
        ui.cancelCardButton.setEnabled(False)

    def show_snapshot(self, snap: steps.Snapshot) -> None:
        self.snap = snap
        ui, m, ex = self.ui, self.ctx.money, snap.exchange
        val = ex.valuation()
        ui.exchangeNumberLabel.setText(f"{ex.number} · {tr(_STATE_NAMES[ex.state])}")
        self._paint_sale(snap)
        fill_table(ui.returnedTable,
                   [(r.name, str(r.qty), tr(r.condition), tr("yes") if r.restock else tr("no"),
                     m(r.credit_minor)) for r in ex.returned],
                   [r.line_no for r in ex.returned])
        fill_table(ui.requestedTable,
                   [(r.name, str(r.qty), str(snap.on_hand.get(r.sku, "?")),
                     m(r.unit_price_minor), m(r.tax_minor), m(r.total_minor))
                    for r in ex.requested], [r.line_no for r in ex.requested])
        paid = sum(t.exact_minor for t in ex.payments)
        ui.returnedCreditValue.setText(m(val.returned_credit_minor))
        ui.newNetValue.setText(m(val.new_net_minor))
        ui.newTaxValue.setText(m(val.new_tax_minor))
        ui.newTotalValue.setText(m(val.new_total_minor))
        ui.paidValue.setText(m(paid))
        due = max(0, ex.remaining_due_minor) if val.kind is Kind.UPGRADE else 0
        if ex.state in (State.CANCELLED, State.VOIDED):
            due = 0
        ui.dueValue.setText(m(due))
        kind, headline = gap_headline(val, snap.refund_to, m)
        if val.kind is Kind.UPGRADE and paid and due:
            headline = tr("Customer pays {amount} more").format(amount=m(due))
        elif val.kind is Kind.UPGRADE and paid and not due:
            headline = tr("Paid in full")
        ui.gapLabel.setText(headline if (ex.returned or ex.requested) else tr("Scan the items"))
        ui.gapLabel.setProperty("kind", kind)
        ui.gapLabel.style().unpolish(ui.gapLabel)
        ui.gapLabel.style().polish(ui.gapLabel)
        ui.findingsList.clear()
        for f in snap.findings:
            self._add_finding(str(f.severity), self.ctx.say(f))
        if ex.approval is not None:
            ui.findingsList.addItem(tr("Approved by {who}: {reason}").format(
                who=ex.approval.approver_id, reason=ex.approval.reason))
        ui.tendersList.clear()
        for t in ex.tenders:
            sign = "" if t.kind is TenderKind.PAYMENT else "−"
            what = card_label(t.card_brand, t.card_last4) if t.method == "card" else \
                tr(t.method.replace("_", " "))
            extra = " " + tr("(change {amount})").format(amount=m(t.change_minor)) \
                if t.change_minor else ""
            ui.tendersList.addItem(f"{tr(str(t.kind))} {what}: {sign}{m(t.amount_minor)}"
                                   f"{extra} [{tr(str(t.status))}]")
        self._enable(snap)

    def _add_finding(self, severity: str, message: str) -> None:
        prefix = tr("Refused") if severity == Severity.BLOCK else tr("Needs a manager")
        self.ui.findingsList.addItem(f"{prefix}: {message}")

    def _paint_sale(self, snap: steps.Snapshot) -> None:
        ui, sale = self.ui, snap.sale
        if sale is None:
            ui.saleInfoLabel.setText(tr("No original sale: the no-receipt policy applies "
                                        "(credit at the lowest recent price)."))
            ui.saleLinesTable.setRowCount(0)
            return
        when = sale.sold_at.astimezone(self.ctx.app.runtime.tz).strftime("%Y-%m-%d")
        who = snap.customer_name or sale.customer_id or tr("no customer")
        ui.saleInfoLabel.setText(tr("Sale {number}: sold at Store {store}, {when}, {who}").format(
            number=sale.order_number, store=sale.store_id or "?", when=when, who=who))
        m = self.ctx.money
        fill_table(ui.saleLinesTable,
                   [(line.name, str(line.qty), str(line.returnable_qty),
                     m((line.net_minor + line.tax_minor) // max(1, line.qty)))
                    for line in sale.lines], [(line.line_id, line.sku) for line in sale.lines])

    def _enable(self, snap: steps.Snapshot) -> None:
        ui, ex = self.ui, snap.exchange
        has_lines = bool(ex.returned or ex.requested)
        card_busy = self.card_in_progress
        draft_open = ex.state is State.DRAFT and not snap.submitted
        ui.lockInButton.setEnabled(draft_open and has_lines and not card_busy)
        ui.approvalGroup.setVisible(ex.state is State.PENDING_APPROVAL)
        if ex.state is State.PENDING_APPROVAL:
            ui.approvalInfoLabel.setText(tr("A manager other than you approves by badge or ID "
                                            "and PIN, with a reason. The basket is kept."))
        ui.paymentGroup.setVisible(ex.state is State.AWAITING_PAYMENT or bool(ex.tenders))
        awaiting = ex.state is State.AWAITING_PAYMENT and ex.remaining_due_minor > 0
        ui.payCashButton.setEnabled(awaiting and not card_busy)
        ui.payCardButton.setEnabled(awaiting and not card_busy)
        ui.cashTenderedEdit.setEnabled(awaiting)
        ui.cardAmountEdit.setEnabled(awaiting)
        ui.finalizeButton.setEnabled(snap.can_finalize and not card_busy)
        ui.cancelExchangeButton.setEnabled(snap.editable and not ex.money_moved)
        ui.voidButton.setEnabled(ex.money_moved and ex.state not in (
            State.VOIDED, State.CANCELLED, State.COMPLETED))
        ui.removeLineButton.setEnabled(snap.editable and has_lines and not card_busy)
        for w in (ui.scanEdit, ui.saleSearchEdit, ui.returnLineButton, ui.addCodeButton,
                  ui.findSaleButton):
            w.setEnabled(snap.editable)


_STATE_NAMES = {
    State.DRAFT: "draft", State.PENDING_APPROVAL: "waiting for a manager",
    State.AWAITING_PAYMENT: "waiting for payment", State.PAID: "paid",
    State.IN_TRANSIT: "settled", State.COMPLETED: "completed",
    State.CANCELLED: "cancelled", State.VOIDED: "voided",
}
