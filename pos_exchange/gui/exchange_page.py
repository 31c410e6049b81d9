"""The exchange screen: it wires keys and buttons to steps and paints what comes back.

Every service call runs in a worker (gui/tasks.py) as a step of gui/steps.py; its
Snapshot becomes a ScreenState (gui/screen.py, Qt-free), which says what is enabled, what
the headline says and where the focus goes; gui/exchange_paint.py paints it. Card
payments are gui/card_payment.py's. While a step is on its way the window's keys are held
by the type-ahead (gui/type_ahead.py) and replayed into the field the answer focuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QWidget

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import EDITABLE_STATES, RequestedLine
from pos_exchange.domain.shipment import is_fee_sku
from pos_exchange.gui import shipping_steps, steps
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.exchange_paint import ExchangePainter
from pos_exchange.gui.forms.ui_exchange import Ui_ExchangeForm
from pos_exchange.gui.payment_box import PaymentBox
from pos_exchange.gui.screen import EMPTY, ScreenState, Words, screen_state
from pos_exchange.gui.texts import render, tr
from pos_exchange.gui.type_ahead import TypeAhead
from pos_exchange.gui.widgets import error_text, say, selected_data, shortcut
from pos_exchange.services.views import SaleMatch

CONDITIONS = ("resaleable", "opened", "damaged", "defective")
NOT_RESTOCKED = {"damaged", "defective"}
APPROVAL_REASONS = ("Customer loyalty", "Price match", "Damaged on arrival",
                    "Store manager discretion")


class ExchangePage(QWidget):
    finished = Signal(str)      # the exchange number, once finalized (receipt next)
    changed = Signal()          # something moved: the status bar refreshes its counts

    def __init__(self, ctx: WindowContext, type_ahead: TypeAhead | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_ExchangeForm()
        self.ui.setupUi(self)
        self.type_ahead = type_ahead
        self.painter = ExchangePainter(self.ui, ctx)
        self.number: str | None = None
        self.snap: steps.Snapshot | None = None
        self.last_code = ""
        self.shipping_dialog: Any = None
        self.cash_owed_dialog: Any = None
        self.state: ScreenState = EMPTY
        self.mode = steps.AUTO
        self._cash_increment = ctx.app.settings.policy_config().cash_rounding_increment
        self.payment = PaymentBox(self)
        self.card = self.payment.card
        # What scripts, tests and the window call on the screen itself:
        self.pay_cash, self.pay_card = self.payment.pay_cash, self.payment.pay_card
        self.cancel_card, self.void_exchange = self.payment.cancel_card, \
            self.payment.void_exchange
        self.quick_tender = self.payment.quick_tender
        self._setup()
        self.reset()

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
        for signal, slot in (
                (ui.findSaleButton.clicked, self.find_sale),
                (ui.saleSearchEdit.returnPressed, self.find_sale),
                (ui.returnLineButton.clicked, self.return_selected_line),
                (ui.scanEdit.returnPressed, self._typed_code),
                (ui.addCodeButton.clicked, self._typed_code),
                (ui.removeLineButton.clicked, self.remove_selected_line),
                (ui.lockInButton.clicked, self.lock_in),
                (ui.approveButton.clicked, self.approve),
                (ui.approverPinEdit.returnPressed, self.approve),
                (ui.finalizeButton.clicked, self.finalize),
                (ui.cancelExchangeButton.clicked, self.cancel_exchange)):
            signal.connect(slot)
        ui.saleResultsList.itemActivated.connect(
            lambda item: self._attach(item.data(Qt.ItemDataRole.UserRole)))
        ui.saleLinesTable.itemActivated.connect(lambda _item: self.return_selected_line())
        ui.modeReturnedButton.clicked.connect(lambda: self.set_mode(steps.RETURNED))
        ui.modeRequestedButton.clicked.connect(lambda: self.set_mode(steps.REQUESTED))
        for keys, slot, name in (
                ("F2", self._focus_sale_search, "shortcutFindSale"),
                ("F4", self.return_selected_line, "shortcutReturnLine"),
                ("F5", lambda: self.set_mode(steps.RETURNED), "shortcutModeReturned"),
                ("F6", lambda: self.set_mode(steps.REQUESTED), "shortcutModeNew"),
                ("F7", self.ship_elsewhere, "shortcutShipElsewhere"),
                ("F8", self.take_selected_now, "shortcutTakeNow"),
                ("Ctrl+N", self.focus_new_items, "shortcutNewItems"),
                ("Ctrl+O", self.pay_cash_owed, "shortcutCashOwed"),
                ("Del", self.remove_selected_line, "shortcutRemoveLine"),
                ("F9", self._f9, "shortcutLockInApprove"),
                ("F10", lambda: self.painter.focus(self.state), "shortcutCash"),
                ("F11", lambda: self.pay_card(), "shortcutCard"),
                ("Esc", lambda: self.cancel_card(), "shortcutCancelCard"),
                ("F12", self.finalize, "shortcutFinalize"),
                ("Ctrl+Shift+X", self.cancel_exchange, "shortcutCancelExchange"),
                ("Ctrl+Shift+V", lambda: self.void_exchange(), "shortcutVoid")):
            shortcut(self, keys, slot, name)

    # ------------------------------------------------------------------ plumbing
    @property
    def user(self) -> str:
        return self.ctx.user_id

    @property
    def card_in_progress(self) -> bool:
        return self.card.in_progress

    def step(self, fn: Callable[..., Any], *args: Any, label: str,
             done: Callable[[Any], None] | None = None, lane: str = "db",
             error: Callable[[BaseException], None] | None = None) -> None:
        """Run ``fn(app, number, user, *args)`` in a worker, holding typed keys until its
        answer is painted. The number and user are read now, on the GUI thread, so a reset
        or a lock meanwhile cannot change what the worker acts on."""
        app, key, user = self.ctx.app, self.number, self.user
        on_done, on_error = done or self.apply, error or self.fail
        self.hold()
        self.ctx.runner.run(lane, lambda: fn(app, key, user, *args),
                            lambda result: self._released(on_done, result),
                            lambda exc: self._released(on_error, exc), label)

    def hold(self) -> None:
        if self.type_ahead is not None:
            self.type_ahead.hold()

    def release(self) -> None:
        if self.type_ahead is not None:
            self.type_ahead.release()

    def _released(self, callback: Callable[[Any], None], payload: Any) -> None:
        try:
            callback(payload)
        finally:
            self.release()

    def fail(self, exc: BaseException | Words | str) -> None:
        """A refusal, an error or a screen's own words: the error sound and a message line,
        never a modal."""
        self.ctx.sounds.play("error")
        text = render(exc, self.ctx.money) if isinstance(exc, Words) else \
            error_text(exc, self.ctx.say)
        if isinstance(exc, PosError) and exc.code == "OUT_OF_STOCK" and self._can_ship():
            text += " " + tr("F7 ships it from another store or a warehouse.")
        say(self.ui.messageLabel, text, "error")
        findings = exc.params.get("findings") if isinstance(exc, PosError) else None
        if findings:
            self.painter.findings(list(findings))

    def _can_ship(self) -> bool:
        shipping = getattr(self.ctx.app, "shipping", None)
        return shipping is not None and bool(shipping.available)

    def apply(self, snap: steps.Snapshot, sound: str | None = None,
              move_focus: bool = True) -> None:
        self.number, self.snap = snap.number, snap
        self.refresh_state()
        if snap.note is not None:
            say(self.ui.messageLabel, render(snap.note, self.ctx.money), snap.level)
        if sound:
            self.ctx.sounds.play(sound)
        if move_focus:
            self.painter.focus(self.state)
        self.changed.emit()

    def refresh_state(self) -> None:
        self.state = screen_state(
            self.snap.view if self.snap else None, card_busy=self.payment.busy or
            self.card.in_progress,
            cash_increment=self._cash_increment)
        self.painter.paint(self.state, self.snap)

    # ------------------------------------------------------------------ life
    def reset(self) -> None:
        """Ready for the next customer: every field empty and enabled again."""
        ui = self.ui
        self.number, self.snap = None, None
        self.card.reset()
        for edit in (ui.saleSearchEdit, ui.scanEdit, ui.approverEdit, ui.approverPinEdit,
                     ui.cashTenderedEdit, ui.cardAmountEdit):
            edit.clear()
        ui.saleResultsList.clear()
        ui.saleResultsList.setVisible(False)
        say(ui.messageLabel, "")
        self.payment.card_status("", busy=False)
        self.set_mode(steps.AUTO)
        self.refresh_state()
        ui.scanEdit.setFocus()

    def open_exchange(self, number: str, note: str = "") -> None:
        """Show an existing exchange (resumed after a restart, or from history)."""
        self.reset()
        self.number = number

        def opened(snap: steps.Snapshot) -> None:
            self.apply(snap)
            if note:
                say(self.ui.messageLabel, note, "info")

        self.step(steps.snapshot, label=tr("Opening exchange"), done=opened)

    def stop_timers(self) -> None:
        self.card.stop()

    def set_mode(self, mode: str) -> None:
        """F5/F6 override where the next scan goes (pressed again: back to automatic)."""
        self.mode = steps.AUTO if mode == self.mode else mode
        self.ui.modeReturnedButton.setChecked(self.mode == steps.RETURNED)
        self.ui.modeRequestedButton.setChecked(self.mode == steps.REQUESTED)
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
        seen = self.snap.view if self.snap is not None else None
        self.last_code = code   # F7 ships it from elsewhere when it is not here
        self.step(steps.scan, code, self.mode, seen, done=self._scanned,
                   label=tr("Adding {code}").format(code=code))

    def ship_elsewhere(self) -> None:
        """F7: the item typed in the scan field (or the last one scanned) from another
        store or a warehouse, shipped to the customer (gui/shipping_dialog.py). On the
        New items table (Ctrl+N), F7 ships the selected line instead."""
        from pos_exchange.gui.shipping_dialog import ShippingDialog

        if self._busy_card():
            return
        line = self._selected_new_line()
        if line is not None:
            if not self.state.editable:
                self.fail(tr("Money was taken: the sale can no longer change. Void the "
                             "exchange to start over."))
                return
            self.shipping_dialog = ShippingDialog(
                self, line.sku, line_no=line.line_no, qty=line.qty,
                address=self._shipping_address())
            self.shipping_dialog.open()
            return
        code = self.ui.scanEdit.text().strip() or self.last_code
        if not code:
            return
        self.ui.scanEdit.clear()
        self.shipping_dialog = ShippingDialog(self, code, address=self._shipping_address())
        self.shipping_dialog.open()

    def pay_cash_owed(self) -> None:
        """Ctrl+O: a customer back for a cash refund owed (a shipment that could not ship):
        scan the exchange's receipt, see what is owed, pay it out (gui/cash_owed_dialog.py)."""
        from pos_exchange.gui.cash_owed_dialog import CashOwedDialog

        if self._busy_card():
            return
        self.cash_owed_dialog = CashOwedDialog(self)
        self.cash_owed_dialog.open()

    def take_selected_now(self) -> None:
        """F8 on the New items table: the selected shipped line is handed over at the
        counter after all (today's path); its shipment's fee goes with its last line."""
        line = self._selected_new_line()
        if line is None or self.snap is None:
            self.fail(tr("Pick a new item on the New items list first (Ctrl+N)."))
            return
        if self.snap.exchange.shipment_of(line.line_no) is None:
            self.fail(tr("{item} is already taken now, from this store.").format(
                item=line.name))
            return
        if not self._busy_card():
            self.step(shipping_steps.take_now, line.line_no, label=tr("Taking the line now"),
                      done=self.line_moved)

    def focus_new_items(self) -> None:
        """Ctrl+N: the New items table, its last line selected (arrows pick another)."""
        table = self.ui.requestedTable
        if table.rowCount() == 0:
            self.fail(tr("Scan the returned and the new items first."))
            return
        if not table.selectionModel().selectedRows():
            table.selectRow(table.rowCount() - 1)
        table.setFocus()

    def _selected_new_line(self) -> RequestedLine | None:
        """The requested line selected on the New items table while it has the focus
        (the fee line of a shipment is not a line one ships)."""
        table = self.ui.requestedTable
        if self.snap is None or not table.hasFocus():
            return None
        line_no = selected_data(table)
        line = next((r for r in self.snap.exchange.requested if r.line_no == line_no), None)
        return None if line is None or is_fee_sku(line.sku) else line

    def _shipping_address(self) -> dict[str, str] | None:
        """Where this exchange already ships to: the next line goes to the same door."""
        if self.snap is None or not self.snap.exchange.shipments:
            return None
        return self.snap.exchange.shipments[-1].address.as_dict()

    def line_moved(self, snap: steps.Snapshot) -> None:
        """After ship/take-now of a line: repainted, the New items table keeps the focus
        on the same line so the CSR can go on with the next."""
        row = self.ui.requestedTable.currentRow()
        self.apply(snap, "scan_ok", move_focus=False)
        table = self.ui.requestedTable
        if table.rowCount():
            table.selectRow(min(max(row, 0), table.rowCount() - 1))
            table.setFocus()

    def _scanned(self, snap: steps.Snapshot) -> None:
        self.set_mode(steps.AUTO)   # an override is for one scan
        self.apply(snap, "scan_ok")

    def _typed_code(self) -> None:
        code = self.ui.scanEdit.text().strip()
        self.ui.scanEdit.clear()
        if code:
            self.handle_scan(code)

    def _focus_sale_search(self) -> None:
        if self.snap is not None and self.snap.exchange.state not in EDITABLE_STATES:
            self.reset()   # a settled exchange is on screen: F2 starts the next one
        if not self.state.editable:
            self.fail(tr("Money was taken: the sale can no longer change. Void the exchange "
                         "to start over."))
            return
        self.ui.saleSearchEdit.setFocus()
        self.ui.saleSearchEdit.selectAll()

    def find_sale(self) -> None:
        text = self.ui.saleSearchEdit.text().strip()
        if not text:
            self.fail(tr("Type a receipt or order number, or a customer's name or phone."))
            return
        app = self.ctx.app
        self.hold()
        self.ctx.runner.run("db", lambda: steps.search_sales(app, text),
                            lambda found: self._released(self._show_results, found),
                            lambda exc: self._released(self.fail, exc), tr("Finding the sale"))

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

    def _attach(self, order_number: str) -> None:
        if self._busy_card():
            return
        self.ui.saleResultsList.setVisible(False)
        self.ui.saleSearchEdit.clear()
        self.step(steps.attach_sale, order_number, done=self._scanned,
                   label=tr("Attaching the sale"))

    def return_selected_line(self) -> None:
        line = selected_data(self.ui.saleLinesTable)
        if line is None:
            self.fail(tr("Pick a line of the original sale first."))
            return
        if self._busy_card():
            return
        line_id, sku = line if isinstance(line, tuple) else (None, "")
        self.step(steps.return_item, sku, self.ui.returnQtySpin.value(), line_id,
                   self.ui.conditionCombo.currentData() or CONDITIONS[0],
                   self.ui.restockCheck.isChecked(), done=self._scanned,
                   label=tr("Returning the line"))

    def remove_selected_line(self) -> None:
        ui = self.ui
        line_no = selected_data(ui.requestedTable) if ui.requestedTable.hasFocus() \
            else selected_data(ui.returnedTable) or selected_data(ui.requestedTable)
        if line_no is None or self.number is None:
            self.fail(tr("Pick a returned or new item to remove."))
            return
        if not self._busy_card():
            self.step(steps.remove_line, int(str(line_no)), label=tr("Removing the line"))

    # ------------------------------------------------------------------ lifecycle steps
    def _busy_card(self) -> bool:
        if self.card.in_progress or self.payment.busy:
            self.fail(tr("A card payment is in progress: wait for it, or press Esc to "
                         "cancel it."))
            return True
        return False

    def needs_exchange(self) -> bool:
        if self.number is None:
            self.fail(tr("Scan the returned and the new items first."))
            return True
        return self._busy_card()

    def _f9(self) -> None:
        if self.ui.approvalGroup.isVisible():
            self.approve()
        else:
            self.lock_in()

    def lock_in(self) -> None:
        if not self.needs_exchange():
            self.step(steps.lock_in, label=tr("Locking in (checking stock)"))

    def approve(self) -> None:
        if self.needs_exchange():
            return
        ui = self.ui
        approver, pin = ui.approverEdit.text().strip(), ui.approverPinEdit.text()
        reason = ui.approvalReasonCombo.currentText().strip()
        ui.approverPinEdit.clear()  # a PIN never stays on screen
        if not approver or not pin:
            self.fail(tr("The manager scans their badge or types their ID, then the PIN."))
            return
        self.step(steps.approve, approver, pin, reason, label=tr("Checking the approval"))

    # ------------------------------------------------------------------ the end
    def finalize(self, *, leaving: bool = False) -> None:
        """F12, or by itself once a payment completed the amount (``leaving``). Then the
        receipt screen comes next, so this screen is not repainted meanwhile: a repaint
        of the whole window (about 30 ms) that the receipt would cover at once, and the
        soak's longest event-loop stalls were there."""
        if self.needs_exchange():
            return
        if leaving:
            self.setUpdatesEnabled(False)
        self.step(steps.finalize, done=self._finalized, error=self._not_finalized,
                  label=tr("Finalizing"))

    def _not_finalized(self, exc: BaseException) -> None:
        self.setUpdatesEnabled(True)   # the CSR reads why, on this screen
        self.fail(exc)

    def _finalized(self, result: tuple[steps.Snapshot, PosError | None]) -> None:
        snap, drawer_error = result
        self.apply(snap, "scan_ok")
        if drawer_error:
            self.ctx.sounds.play("error")
        self.finished.emit(snap.number)
        self.setUpdatesEnabled(True)   # hidden behind the receipt by now: painted when shown

    def cancel_exchange(self) -> None:
        if not self.needs_exchange():
            self.step(steps.cancel, done=self._cancelled, label=tr("Cancelling the exchange"))

    def _cancelled(self, snap: steps.Snapshot) -> None:
        self.ctx.sounds.play("scan_ok")
        self.reset()
        say(self.ui.messageLabel, tr("Exchange {number} cancelled: nothing was charged. Ready "
                                     "for the next customer.").format(number=snap.number),
            "info")
        self.changed.emit()
