"""The payment box of the exchange screen: cash (typed, or one quick-tender key), the
card on the terminal (gui/card_payment.py drives the reader; this is its view) and the
void that gives every payment back. A payment that completes the amount due finalizes by
itself when ``gui.auto_finalize`` is on (the default), landing on the change screen."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog

from pos_exchange.domain import money
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import TenderKind
from pos_exchange.gui import steps
from pos_exchange.gui.card_payment import CardPayment
from pos_exchange.gui.exchange_paint import QUICK_KEYS
from pos_exchange.gui.screen import Words
from pos_exchange.gui.texts import render, tr
from pos_exchange.gui.widgets import error_text, say, shortcut

if TYPE_CHECKING:
    from pos_exchange.gui.exchange_page import ExchangePage

VOID_REASONS = ("Customer changed their mind", "Wrong item handed over", "Entered in error")


class PaymentBox:
    def __init__(self, page: ExchangePage) -> None:
        self.page = page
        self.busy = False            # the reader has (or is getting) a card payment
        self._void_dialog: QInputDialog | None = None
        ctx, ui = page.ctx, page.ui
        self.card = CardPayment(ctx.app, self, ctx.runner.run, self._timer, ctx.say,
                                lambda words: render(words, ctx.money),
                                timeout_s=ctx.app.settings.gui.card_timeout_s)
        for signal, slot in ((ui.payCashButton.clicked, self.pay_cash),
                             (ui.cashTenderedEdit.returnPressed, self.pay_cash),
                             (ui.payCardButton.clicked, self.pay_card),
                             (ui.cardAmountEdit.returnPressed, self.pay_card),
                             (ui.cancelCardButton.clicked, self.cancel_card),
                             (ui.voidButton.clicked, self.void_exchange)):
            signal.connect(slot)
        quick = (ui.quickExactButton, ui.quickNote1Button, ui.quickNote2Button,
                 ui.quickNote3Button)
        for i, button in enumerate(quick):
            def take(_checked: bool = False, i: int = i) -> None:
                self.quick_tender(i)
            button.clicked.connect(take)
            shortcut(page, QUICK_KEYS[i], take, f"shortcutQuick{i}")

    def _timer(self, interval_ms: int, tick: Any) -> QTimer:
        timer = QTimer(self.page)
        timer.setInterval(interval_ms)
        timer.timeout.connect(tick)
        return timer

    # ------------------------------------------------------------------ cash
    def quick_tender(self, index: int) -> None:
        """Ctrl+1 the exact amount, Ctrl+2..4 the next 5, 10, 20 note."""
        page = self.page
        amounts = page.state.quick_tenders
        if index >= len(amounts):
            page.fail(tr("Nothing is due in cash now."))
            return
        self._take_cash(money.to_major(amounts[index], page.ctx.app.settings.currency))

    def pay_cash(self) -> None:
        page = self.page
        try:
            tendered = page.ctx.money.parse(page.ui.cashTenderedEdit.text())
        except PosError as exc:
            if not page.needs_exchange():
                page.fail(exc)
            return
        self._take_cash(tendered)

    def _take_cash(self, tendered: Decimal) -> None:
        if not self.page.needs_exchange():
            self.page.step(steps.pay_cash, tendered, done=self._cash_taken,
                           label=tr("Recording cash, opening the drawer"))

    def _cash_taken(self, result: tuple[steps.Snapshot, tuple[Any, PosError | None]]) -> None:
        page, m = self.page, self.page.ctx.money
        snap, (tender, drawer_error) = result
        page.ui.cashTenderedEdit.clear()
        page.apply(snap, "scan_ok")
        text = tr("Cash {amount} recorded.").format(amount=m(tender.amount_minor))
        if tender.change_minor:
            text += " " + tr("Give change: {change}.").format(change=m(tender.change_minor))
        if drawer_error:
            say(page.ui.messageLabel, text + " " + page.ctx.say(drawer_error), "error")
            page.ctx.sounds.play("error")
        else:
            say(page.ui.messageLabel, text, "info")
        self._paid()

    def _paid(self) -> None:
        """A payment completed the amount due: finalize by itself (gui.auto_finalize)."""
        if self.page.state.fully_paid and self.page.ctx.app.settings.gui.auto_finalize:
            self.page.finalize(leaving=True)

    # ------------------------------------------------------------------ card
    def pay_card(self) -> None:
        page = self.page
        if page.needs_exchange() or page.number is None:
            return
        amount: Decimal | None = None
        if page.ui.cardAmountEdit.text().strip():
            try:
                amount = page.ctx.money.parse(page.ui.cardAmountEdit.text())
            except PosError as exc:
                page.fail(exc)
                return
        test_card = page.ui.testCardCombo.currentData() if page.test_cards else None
        page.hold()   # released when the reader has the payment (card_started)
        self.card.start(page.number, page.user, amount, test_card)

    def cancel_card(self) -> None:
        self.card.cancel()

    # The card controller's view (gui/card_payment.CardView):
    def card_started(self) -> None:
        self.page.release()

    def card_status(self, text: Words | str | BaseException, busy: bool) -> None:
        ctx = self.page.ctx
        self._show_card(render(text, ctx.money) if isinstance(text, Words | str)
                        else error_text(text, ctx.say), busy)

    def card_refused(self, reason: BaseException | Words | str) -> None:
        self.page.fail(reason)

    def card_settled(self, approved: bool) -> None:
        page = self.page
        if approved:
            page.ctx.sounds.play("scan_ok")
            page.ui.cardAmountEdit.clear()
        if page.number is not None:
            page.step(steps.snapshot, label=tr("Refreshing"), done=self._after_card)

    def _after_card(self, snap: steps.Snapshot) -> None:
        self.page.apply(snap)
        self._paid()

    def _show_card(self, text: str, busy: bool) -> None:
        ui = self.page.ui
        self.busy = busy
        ui.cardStatusLabel.setText(text)
        ui.cardStatusLabel.setVisible(bool(text))
        ui.cardProgress.setVisible(busy)
        ui.cancelCardButton.setEnabled(busy)
        # One place for both: Card (F11) until the reader has it, then Cancel card (Esc).
        ui.cancelCardButton.setVisible(busy)
        ui.payCardButton.setVisible(not busy)
        self.page.refresh_state()

    # ------------------------------------------------------------------ void
    def void_exchange(self) -> None:
        """Void after money moved: asks for a reason (not modal to the scanner: the dialog
        is opened, not exec'd), then refunds every payment to its own tender."""
        page = self.page
        if page.needs_exchange():
            return
        dialog = QInputDialog(page)
        dialog.setObjectName("voidReasonDialog")
        dialog.setWindowTitle(tr("Void exchange"))
        dialog.setLabelText(tr("Why is exchange {number} voided? Its payments are refunded "
                               "to the same tenders.").format(number=page.number))
        dialog.setComboBoxItems([tr(r) for r in VOID_REASONS])
        dialog.setComboBoxEditable(True)
        dialog.textValueSelected.connect(self._void_with_reason)
        self._void_dialog = dialog
        dialog.open()

    def _void_with_reason(self, reason: str) -> None:
        if not reason.strip():
            self.page.fail(tr("Give a reason to void the exchange: nothing was voided."))
        elif not self.page.needs_exchange():
            self.page.step(steps.void, reason.strip(), done=self._voided, label=tr("Voiding"))

    def _voided(self, snap: steps.Snapshot) -> None:
        page = self.page
        page.apply(snap)
        app, user, ex, runner = page.ctx.app, page.user, snap.exchange, page.ctx.runner
        if any(t.kind is TenderKind.REFUND and t.method == "card" and
               str(t.status) == "pending" for t in ex.tenders):
            runner.run("card", lambda: steps.run_card_refunds(app, user),
                       lambda _r: self.card_settled(False), None, tr("Refunding the card"))
        cash = sum(t.amount_minor for t in ex.refunds if t.method == "cash" and t.compensates)
        if cash:
            say(page.ui.messageLabel, tr("Voided. Give back {amount} in cash.").format(
                amount=page.ctx.money(cash)), "info")
            runner.run("printer", lambda: steps.open_drawer(app, user, f"void {snap.number}"),
                       None, None, tr("Opening the drawer"))
