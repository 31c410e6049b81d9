"""Today's exchanges (or all), searched by number, receipt scan or customer; the details
with the audit trail; reprint; reopen an unfinished one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from pos_exchange.domain.exchange import EDITABLE_STATES, State
from pos_exchange.gui import steps
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.forms.ui_history import Ui_HistoryForm
from pos_exchange.gui.screen import STATE_WORDS
from pos_exchange.gui.texts import card_text, render, tr
from pos_exchange.gui.widgets import error_text, fill_table, selected_data, shortcut
from pos_exchange.messages import format_money
from pos_exchange.services.views import ExchangeSummary

if TYPE_CHECKING:
    from pos_exchange.services.record import ExchangeRecord, ShipmentRecord

PRINTABLE = {str(State.PAID), str(State.IN_TRANSIT), str(State.COMPLETED), str(State.VOIDED),
             str(State.AWAITING_FULFILMENT)}


class HistoryPage(QWidget):
    open_requested = Signal(str)      # show this exchange on the counter
    reprint_requested = Signal(str)
    back = Signal()

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_HistoryForm()
        self.ui.setupUi(self)
        self.rows: list[ExchangeSummary] = []
        ui = self.ui
        ui.historySearchButton.clicked.connect(self.refresh)
        ui.historySearchEdit.returnPressed.connect(self.refresh)
        ui.historyTodayCheck.toggled.connect(lambda _on: self.refresh())
        ui.historyTable.itemSelectionChanged.connect(self._selected)
        ui.historyTable.itemActivated.connect(lambda _item: self._open())
        ui.resumeButton.clicked.connect(self._open)
        ui.reprintButton.clicked.connect(self._reprint)
        ui.historyBackButton.clicked.connect(self.back.emit)
        shortcut(self, "F8", self._reprint, "shortcutReprint")
        shortcut(self, "Esc", self.back.emit, "shortcutHistoryBack")
        ui.resumeButton.setEnabled(False)
        ui.reprintButton.setEnabled(False)

    def search(self, text: str) -> None:
        """A scan while the history is shown searches for it."""
        self.ui.historySearchEdit.setText(text.strip())
        self.ui.historyTodayCheck.setChecked(False)
        self.refresh()

    def refresh(self) -> None:
        app, text = self.ctx.app, self.ui.historySearchEdit.text()
        since = steps.started_today(app, app.runtime.clock()) \
            if self.ui.historyTodayCheck.isChecked() else None
        self.ctx.runner.run("db", lambda: app.exchanges.history(text, since), self._fill,
                            self._error, tr("Loading the history"))

    def _fill(self, rows: list[ExchangeSummary]) -> None:
        self.rows = rows
        tz = self.ctx.app.runtime.tz
        fill_table(self.ui.historyTable, [
            (r.number, r.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             self._state(r.state), r.customer_name or r.customer_id or "",
             r.original_sale or "", r.created_by_name or r.created_by,
             self._difference(r)) for r in rows],
            [r.number for r in rows], numeric_from=6)
        self.ui.historyDetails.setPlainText(
            tr("{n} exchanges.").format(n=len(rows)) if rows else tr("No exchange matches."))
        if rows:
            # A refill may keep row 0 selected, which would not signal a change: clear
            # quietly first so the details always follow the new first row.
            table = self.ui.historyTable
            table.blockSignals(True)
            table.clearSelection()
            table.blockSignals(False)
            table.selectRow(0)
        self.ui.historyTable.setFocus()

    def _state(self, state: str) -> str:
        words = STATE_WORDS.get(State(state)) if state in State.__members__ else None
        return render(words, self.ctx.money) if words else state

    def _difference(self, row: ExchangeSummary) -> str:
        """What the customer paid (+) or got back (−); an even exchange is 0."""
        return format_money(row.gap_minor, row.currency, self.ctx.money.locale)

    def _selected(self) -> None:
        number = selected_data(self.ui.historyTable)
        row = next((r for r in self.rows if r.number == number), None)
        self.ui.resumeButton.setEnabled(row is not None)
        self.ui.reprintButton.setEnabled(row is not None and row.state in PRINTABLE)
        if row is None:
            return
        self.ui.resumeButton.setText(tr("Resume") if row.state in {
            str(s) for s in EDITABLE_STATES} else tr("Open on the counter"))
        app = self.ctx.app
        self.ctx.runner.run("db", lambda: app.exchanges.record(str(number)), self._details,
                            self._error, tr("Loading the exchange"))

    def _details(self, record: ExchangeRecord) -> None:
        m = self.ctx.money
        val = record.valuation
        lines = [f"{record.number}  [{self._state(str(record.state))}]",
                 tr("Customer: {who}   Original sale: {sale}").format(
                     who=record.customer or "-",
                     sale=record.original_sale or tr("none (no receipt)")),
                 tr("Returned credit: {credit}   New total: {total}   Difference: "
                    "{difference}").format(credit=m(val.returned_credit),
                                           total=m(val.new_total), difference=m(val.gap))]
        if record.approval:
            lines.append(tr("Approved by {who}: {reason}").format(
                who=record.approval.approver, reason=record.approval.reason))
        for t in record.tenders:
            what = card_text(t.brand, t.last4, m) if t.method == "card" else \
                tr(t.method.replace("_", " "))
            lines.append(f"  {tr(str(t.kind))} {what} {m(t.amount)} [{tr(str(t.status))}]")
        for shipment in record.shipments:
            lines.append(self._shipment(shipment))
        lines += ["", tr("Audit trail") + ":"]
        tz = self.ctx.app.runtime.tz
        for e in record.audit:
            when = datetime.fromisoformat(e.ts).astimezone(tz).strftime("%H:%M:%S")
            lines.append(f"  #{e.seq} {when} {e.user:<8} {e.event}")
        self.ui.historyDetails.setPlainText("\n".join(lines))

    def _shipment(self, shipment: ShipmentRecord) -> str:
        """Where a shipped line is: its source, its state in words, the carrier's tracking
        once dispatched, the reason when it could not ship."""
        state = self.ctx.say.value("shipment_state", shipment.state)
        text = tr("Ships from {source}: {state}").format(source=shipment.source, state=state)
        if shipment.tracking:
            text += " · " + tr("{carrier} {tracking}").format(
                carrier=shipment.carrier or "", tracking=shipment.tracking).strip()
        if shipment.reason:
            text += " · " + shipment.reason
        return "  " + text

    def _open(self) -> None:
        number = selected_data(self.ui.historyTable)
        if number:
            self.open_requested.emit(str(number))

    def _reprint(self) -> None:
        number = selected_data(self.ui.historyTable)
        row = next((r for r in self.rows if r.number == number), None)
        if row is not None and row.state in PRINTABLE:
            self.reprint_requested.emit(str(number))

    def _error(self, exc: BaseException) -> None:
        self.ctx.sounds.play("error")
        self.ui.historyDetails.setPlainText(error_text(exc, self.ctx.say))
