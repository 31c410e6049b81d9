"""The manager's tasks that were command-line only: drawer reconciliation (the cash the
drawer should hold against a count, now), card refunds that are queued, need the card on
the reader (Interac) or were refused, and the outbox's dead letters with requeue."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.domain.errors import PosError
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.manager import calls
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, fill_table, say, selected_data
from pos_exchange.services.terminal import IN_PERSON_REFUND_BRANDS


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


class TasksTab(QWidget):
    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.expected: dict[str, int] | None = None
        outer = QVBoxLayout(self)
        self.message = QLabel("", self)
        self.message.setObjectName("tasksMessage")
        self.message.setAccessibleName(tr("Tasks message"))
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        # Drawer reconciliation
        drawer = QGroupBox(tr("Drawer reconciliation"), self)
        row = QHBoxLayout(drawer)
        self.drawerExpected = QLabel("—", self)
        self.drawerExpected.setObjectName("drawerExpected")
        self.drawerExpected.setAccessibleName(tr("Expected in the drawer"))
        self.drawerCounted = QLineEdit(self)
        self.drawerCounted.setObjectName("drawerCounted")
        self.drawerCounted.setAccessibleName(tr("Cash counted in the drawer"))
        self.drawerFloat = QLineEdit(self)
        self.drawerFloat.setObjectName("drawerFloat")
        self.drawerFloat.setAccessibleName(tr("Opening float"))
        self.drawerCheck = QPushButton(tr("Compare"), self)
        self.drawerCheck.setObjectName("drawerCompare")
        self.drawerResult = QLabel("", self)
        self.drawerResult.setObjectName("drawerDifference")
        self.drawerResult.setAccessibleName(tr("Difference"))
        for widget in (QLabel(tr("Expected from exchanges today"), self), self.drawerExpected,
                       QLabel(tr("Float"), self), self.drawerFloat, QLabel(tr("Counted"), self),
                       self.drawerCounted, self.drawerCheck, self.drawerResult):
            row.addWidget(widget)
        outer.addWidget(drawer)
        # Card refunds
        refunds = QGroupBox(tr("Card refunds"), self)
        col = QVBoxLayout(refunds)
        self.refundTable = _table(self, "refundTable", [tr("Exchange"), tr("Amount"),
                                                        tr("Card"), tr("State")])
        col.addWidget(self.refundTable)
        buttons = QHBoxLayout()
        self.runRefunds = QPushButton(tr("Run queued refunds"), self)
        self.runRefunds.setObjectName("runRefunds")
        self.inPerson = QPushButton(tr("Refund in person on the reader (Interac)"), self)
        self.inPerson.setObjectName("refundInPerson")
        buttons.addWidget(self.runRefunds)
        buttons.addWidget(self.inPerson)
        col.addLayout(buttons)
        outer.addWidget(refunds, 1)
        # Dead letters
        dead = QGroupBox(tr("Records the hub did not take (dead letters)"), self)
        col = QVBoxLayout(dead)
        self.deadTable = _table(self, "deadLetterTable", [tr("Record"), tr("Topic"),
                                                          tr("Attempts"), tr("Why")])
        col.addWidget(self.deadTable)
        self.requeueButton = QPushButton(tr("Send again"), self)
        self.requeueButton.setObjectName("requeueDeadLetter")
        col.addWidget(self.requeueButton)
        outer.addWidget(dead, 1)
        self.drawerCheck.clicked.connect(self.compare_drawer)
        self.runRefunds.clicked.connect(self.run_refunds)
        self.inPerson.clicked.connect(self.refund_in_person)
        self.requeueButton.clicked.connect(self.requeue)

    def refresh(self) -> None:
        app = self.ctx.app
        self.ctx.runner.run("db", lambda: calls.drawer_expected(app), self._drawer,
                            self._failed, tr("Reading the drawer"))
        self.ctx.runner.run("db", lambda: calls.card_refunds(app), self._refunds,
                            self._failed, tr("Reading the card refunds"))
        self.ctx.runner.run("db", lambda: calls.dead_letters(app), self._dead,
                            self._failed, tr("Reading the outbox"))

    def _failed(self, exc: BaseException) -> None:
        say(self.message, error_text(exc, self.ctx.say), "warning")

    # ------------------------------------------------------------------ drawer
    def _drawer(self, totals: dict[str, int]) -> None:
        self.expected = totals
        m = self.ctx.money
        self.drawerExpected.setText(tr("{expected} (in {cash_in}, out {cash_out})").format(
            expected=m(totals["expected"]), cash_in=m(totals["cash_in"]),
            cash_out=m(totals["cash_out"])))

    def compare_drawer(self) -> None:
        if self.expected is None:
            return
        currency = self.ctx.app.settings.currency
        from pos_exchange.domain.money import to_minor

        try:
            counted = to_minor(self.ctx.money.parse(self.drawerCounted.text()), currency)
            float_text = self.drawerFloat.text().strip()
            float_minor = to_minor(self.ctx.money.parse(float_text), currency) \
                if float_text else 0
        except PosError as exc:
            say(self.drawerResult, error_text(exc, self.ctx.say), "warning")
            return
        difference = counted - (float_minor + self.expected["expected"])
        level = "success" if difference == 0 else "warning"
        say(self.drawerResult, tr("Difference (counted − expected): {d}").format(
            d=self.ctx.money(difference)), level)

    # ------------------------------------------------------------------ refunds
    def _refunds(self, found: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        pending, failed = found
        rows, data = [], []
        for row, state in [*((r, "pending") for r in pending), *((r, "failed") for r in failed)]:
            brand = row.get("brand") or ""
            if state == "pending" and brand in IN_PERSON_REFUND_BRANDS:
                words = tr("needs the customer's card on the reader")
            elif state == "pending":
                words = tr("queued")
            else:
                words = tr("refused: {why}").format(why=row.get("last_error") or "?")
            rows.append((str(row.get("number") or row.get("exchange_uuid") or ""),
                         self.ctx.money(int(row["amount_minor"])),
                         f"{brand} •••• {row.get('last4') or ''}".strip(), words))
            data.append(row["tender_id"] if state == "pending" else None)
        fill_table(self.refundTable, rows, data)

    def run_refunds(self) -> None:
        app = self.ctx.app
        self.ctx.runner.run("card", lambda: calls.run_refunds(app), self._refunds_done,
                            self._failed, tr("Running queued refunds"))

    def _refunds_done(self, results: list[dict[str, Any]]) -> None:
        done = sum(1 for r in results if r["status"] == "succeeded")
        say(self.message, tr("{done} of {n} refunds made.").format(done=done, n=len(results)))
        self.refresh()

    def refund_in_person(self) -> None:
        tender = selected_data(self.refundTable)
        if not tender:
            say(self.message, tr("Pick a queued refund first."), "warning")
            return
        app, user = self.ctx.app, self.ctx.user_id
        say(self.message, tr("Ask the customer to tap their card on the reader."))
        self.ctx.runner.run("card", lambda: calls.refund_in_person(app, str(tender), user),
                            lambda r: self._refunds_done([r]), self._failed,
                            tr("Refund on the reader"))

    # ------------------------------------------------------------------ dead letters
    def _dead(self, letters: list[Any]) -> None:
        fill_table(self.deadTable, [(f"#{d.id} {d.exchange_uuid[:8]}", d.topic,
                                     str(d.attempts), d.last_error or "") for d in letters],
                   [d.id for d in letters], numeric_from=2)

    def requeue(self) -> None:
        chosen = selected_data(self.deadTable)
        if chosen is None:
            say(self.message, tr("Pick a record first."), "warning")
            return
        app = self.ctx.app
        self.ctx.runner.run("db", lambda: calls.requeue(app, int(str(chosen))),
                            self._requeued, self._failed, tr("Queueing the record again"))

    def _requeued(self, ok: bool) -> None:
        say(self.message, tr("Queued again: it is sent on the next sync.") if ok else
            tr("That record is no longer dead-lettered."))
        self.refresh()
