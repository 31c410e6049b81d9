"""Painting the exchange screen: a ScreenState (gui/screen.py) and the snapshot it came
from onto the form's widgets. Nothing here decides anything; it only shows."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from pos_exchange.domain.exchange import TenderKind
from pos_exchange.domain.policy import Finding, Severity
from pos_exchange.domain.shipment import is_fee_sku
from pos_exchange.gui import steps
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.forms.ui_exchange import Ui_ExchangeForm
from pos_exchange.gui.screen import FOCUS_APPROVER, FOCUS_CASH, FOCUS_FINALIZE, ScreenState
from pos_exchange.gui.texts import card_text, render, tr
from pos_exchange.gui.widgets import fill_table

QUICK_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4")


def repolish(widget: QWidget) -> None:
    """A changed style property (the headline's kind) only shows after a re-polish."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class ExchangePainter:
    def __init__(self, ui: Ui_ExchangeForm, ctx: WindowContext) -> None:
        self.ui, self.ctx = ui, ctx

    def text(self, words: object) -> str:
        return render(words, self.ctx.money)  # type: ignore[arg-type]

    def paint(self, state: ScreenState, snap: steps.Snapshot | None) -> None:
        ui, m = self.ui, self.ctx.money
        ui.exchangeNumberLabel.setText(self.text(state.title))
        self._headline(ui.gapLabel, state)
        if snap is None:
            for label in (ui.returnedCreditValue, ui.newNetValue, ui.newTaxValue,
                          ui.newTotalValue, ui.paidValue, ui.dueValue):
                label.setText(m(0))
            for table in (ui.saleLinesTable, ui.returnedTable, ui.requestedTable):
                fill_table(table, [])
            self.findings([])
            ui.tendersList.clear()
            ui.tendersList.setVisible(False)
            ui.saleInfoLabel.setText(tr("No original sale: scan the receipt, or go on "
                                        "without one."))
        else:
            self._figures(snap, state)
            self._sale(snap, state)
            self._lines(snap)
            self.findings(snap.findings, snap)
            self._tenders(snap)
        self._enable(state)

    def _headline(self, label: QLabel, state: ScreenState) -> None:
        label.setText(self.text(state.headline))
        if label.property("kind") != state.headline_kind:
            label.setProperty("kind", state.headline_kind)
            repolish(label)

    def _figures(self, snap: steps.Snapshot, state: ScreenState) -> None:
        ui, m = self.ui, self.ctx.money
        val = snap.exchange.valuation()
        ui.returnedCreditValue.setText(m(val.returned_credit_minor))
        ui.newNetValue.setText(m(val.new_net_minor))
        ui.newTaxValue.setText(m(val.new_tax_minor))
        ui.newTotalValue.setText(m(val.new_total_minor))
        ui.paidValue.setText(m(state.paid_minor))
        ui.dueValue.setText(m(state.due_minor))

    def _sale(self, snap: steps.Snapshot, state: ScreenState) -> None:
        ui, sale, m = self.ui, snap.sale, self.ctx.money
        if sale is None:
            ui.saleInfoLabel.setText(tr("No original sale: scan the receipt first for what "
                                        "was paid; F5 returns an item without one."))
            fill_table(ui.saleLinesTable, [])
            return
        when = sale.sold_at.astimezone(self.ctx.app.runtime.tz).strftime("%Y-%m-%d")
        who = snap.customer_name or sale.customer_id or tr("no customer")
        ui.saleInfoLabel.setText(tr("Sale {number}: sold at Store {store}, {when}, {who}").format(
            number=sale.order_number, store=sale.store_id or "?", when=when, who=who))
        fill_table(ui.saleLinesTable,
                   [(r.name, str(r.bought), str(r.returnable), m(r.paid_each_minor))
                    for r in state.sale_rows], [(r.line_id, r.sku) for r in state.sale_rows])

    def _lines(self, snap: steps.Snapshot) -> None:
        ui, m, ex = self.ui, self.ctx.money, snap.exchange
        fill_table(ui.returnedTable,
                   [(r.name, str(r.qty), tr(r.condition), tr("yes") if r.restock else tr("no"),
                     m(r.credit_minor)) for r in ex.returned],
                   [r.line_no for r in ex.returned])
        fill_table(ui.requestedTable,
                   [(tr("Shipping") if is_fee_sku(r.sku) else r.name, str(r.qty),
                     self._where(snap, r.line_no, r.sku),
                     m(r.unit_price_minor), m(r.tax_minor), m(r.total_minor))
                    for r in ex.requested], [r.line_no for r in ex.requested])

    @staticmethod
    def _where(snap: steps.Snapshot, line_no: int, sku: str) -> str:
        """The In stock column: this store's count for a line taken now, the source for
        a shipped line (or a shipment's fee)."""
        ex = snap.exchange
        shipment = ex.shipment_of(line_no) or next(
            (s for s in ex.shipments if s.fee_line_no == line_no), None)
        if shipment is not None:
            return tr("ships from {source}").format(source=shipment.source)
        return str(snap.on_hand.get(sku, "?"))

    def findings(self, findings: list[Finding], snap: steps.Snapshot | None = None) -> None:
        lst = self.ui.findingsList
        lst.clear()
        for f in findings:
            prefix = tr("Refused") if f.severity == Severity.BLOCK else tr("Needs a manager")
            lst.addItem(f"{prefix}: {self.ctx.say(f)}")
        approval = snap.exchange.approval if snap is not None else None
        if approval is not None:
            lst.addItem(tr("Approved by {who}: {reason}").format(
                who=approval.approver_id, reason=approval.reason))
        lst.setVisible(lst.count() > 0)

    def _tenders(self, snap: steps.Snapshot) -> None:
        lst, m = self.ui.tendersList, self.ctx.money
        lst.clear()
        for t in snap.exchange.tenders:
            sign = "" if t.kind is TenderKind.PAYMENT else "−"
            what = card_text(t.card_brand, t.card_last4, m) if t.method == "card" else \
                tr(t.method.replace("_", " "))
            extra = " " + tr("(change {amount})").format(amount=m(t.change_minor)) \
                if t.change_minor else ""
            lst.addItem(f"{tr(str(t.kind))} {what}: {sign}{m(t.amount_minor)}{extra} "
                        f"[{tr(str(t.status))}]")
        lst.setVisible(lst.count() > 0)

    def _enable(self, state: ScreenState) -> None:
        ui = self.ui
        for w in (ui.scanEdit, ui.saleSearchEdit, ui.returnLineButton, ui.addCodeButton,
                  ui.findSaleButton, ui.modeReturnedButton, ui.modeRequestedButton):
            w.setEnabled(state.editable)
        ui.removeLineButton.setEnabled(state.can_remove)
        ui.lockInButton.setEnabled(state.can_lock_in)
        ui.approvalGroup.setVisible(state.show_approval)
        ui.approveButton.setEnabled(state.can_approve)
        if state.show_approval:
            ui.approvalInfoLabel.setText(tr("A manager other than you approves by badge or "
                                            "ID and PIN, with a reason. The basket is kept."))
        ui.paymentGroup.setVisible(state.show_payment)
        for w in (ui.payCashButton, ui.payCardButton, ui.cashTenderedEdit, ui.cardAmountEdit):
            w.setEnabled(state.can_pay)
        self._quick_tenders(state)
        ui.finalizeButton.setEnabled(state.can_finalize)
        ui.cancelExchangeButton.setEnabled(state.can_cancel)
        ui.voidButton.setEnabled(state.can_void)

    def _quick_tenders(self, state: ScreenState) -> None:
        ui, m = self.ui, self.ctx.money
        buttons = (ui.quickExactButton, ui.quickNote1Button, ui.quickNote2Button,
                   ui.quickNote3Button)
        amounts = state.quick_tenders
        for i, button in enumerate(buttons):
            button.setVisible(i < len(amounts) or i == 0)
            button.setEnabled(i < len(amounts))
            if i < len(amounts):
                what = tr("Exact {amount}") if i == 0 else "{amount}"
                button.setText(what.format(amount=m(amounts[i])) + "\n" + QUICK_KEYS[i])
                button.setProperty("amount_minor", amounts[i])

    def focus(self, state: ScreenState) -> None:
        """Put the focus where the CSR's next key belongs (the type-ahead replays there)."""
        ui = self.ui
        if state.focus == FOCUS_APPROVER:
            ui.approverEdit.setFocus()
        elif state.focus == FOCUS_CASH:
            edit = ui.cashTenderedEdit
            if not edit.text() and state.quick_tenders:
                # The exact amount, selected: Enter takes it, typing replaces it.
                edit.setText(self.ctx.money.plain(state.quick_tenders[0]))
            edit.setFocus()
            edit.selectAll()
        elif state.focus == FOCUS_FINALIZE:
            ui.finalizeButton.setFocus()
        else:
            ui.scanEdit.setFocus()
