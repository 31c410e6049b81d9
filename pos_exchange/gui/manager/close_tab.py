"""The end-of-day close: the opening float and the drawer counted by denomination, the
X-report at any time, the Z close once a day, then print, CSV and PDF for accounting.
The report itself is built by services/day_close.py and reports/zdocument.py."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.money import format_plain, to_minor
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.manager import calls
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, say
from pos_exchange.services.day_close import CashCount, ZReport, denominations, parse_count


class CloseTab(QWidget):
    closed = Signal(int)          # the Z number, once stored

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: ZReport | None = None
        currency = ctx.app.settings.currency
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        box = QGroupBox(tr("Drawer count"), self)
        grid = QGridLayout(box)
        self.countEdits: dict[int, QLineEdit] = {}
        for i, denomination in enumerate(denominations(currency)):
            edit = QLineEdit(self)
            edit.setObjectName(f"count_{denomination}")
            label = ctx.money(denomination)
            edit.setAccessibleName(tr("How many of {value}").format(value=label))
            edit.setPlaceholderText("0")
            edit.setMaximumWidth(90)
            grid.addWidget(QLabel(label, self), i // 2, (i % 2) * 2)
            grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
            self.countEdits[denomination] = edit
        left.addWidget(box)
        form = QFormLayout()
        self.floatEdit = QLineEdit(self)
        self.floatEdit.setObjectName("closeFloat")
        self.floatEdit.setAccessibleName(tr("Opening float"))
        self.floatEdit.setPlaceholderText(ctx.money.plain(0))   # "0,00" in a German store
        form.addRow(tr("Opening float"), self.floatEdit)
        self.totalLabel = QLabel("", self)
        self.totalLabel.setObjectName("closeCounted")
        self.totalLabel.setAccessibleName(tr("Counted"))
        form.addRow(tr("Counted"), self.totalLabel)
        left.addLayout(form)
        self.xButton = QPushButton(tr("X-report (do not close)"), self)
        self.xButton.setObjectName("closeXReport")
        self.closeButton = QPushButton(tr("Close the day (Z)"), self)
        self.closeButton.setObjectName("closeDay")
        self.printButton = QPushButton(tr("Print"), self)
        self.printButton.setObjectName("closePrint")
        self.csvButton = QPushButton(tr("Export CSV…"), self)
        self.csvButton.setObjectName("closeCsv")
        self.pdfButton = QPushButton(tr("Export PDF…"), self)
        self.pdfButton.setObjectName("closePdf")
        for button in (self.xButton, self.closeButton, self.printButton, self.csvButton,
                       self.pdfButton):
            button.setMinimumHeight(44)
            left.addWidget(button)
        self.message = QLabel("", self)
        self.message.setObjectName("closeMessage")
        self.message.setAccessibleName(tr("Close message"))
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        left.addStretch(1)
        outer.addLayout(left, 1)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("closePreview")
        self.preview.setAccessibleName(tr("The report as it prints"))
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        outer.addWidget(self.preview, 2)
        for edit in self.countEdits.values():
            edit.textChanged.connect(self._count_changed)
        self.xButton.clicked.connect(self.x_report)
        self.closeButton.clicked.connect(self.close_day)
        self.printButton.clicked.connect(self.print_report)
        self.csvButton.clicked.connect(lambda: self.export("csv"))
        self.pdfButton.clicked.connect(lambda: self.export("pdf"))
        self._enable_outputs(False)

    # ------------------------------------------------------------------ input
    def counted(self) -> CashCount:
        """What was typed, or the refusal: a count that is no whole number."""
        currency = self.ctx.app.settings.currency
        return parse_count(currency, {format_plain(d, currency): edit.text()
                                      for d, edit in self.countEdits.items()})

    def float_minor(self) -> int:
        text = self.floatEdit.text().strip()
        if not text:
            return 0
        return to_minor(self.ctx.money.parse(text), self.ctx.app.settings.currency)

    def _count_changed(self) -> None:
        try:
            self.totalLabel.setText(self.ctx.money(self.counted().total_minor))
        except PosError as exc:
            self.totalLabel.setText("")
            say(self.message, error_text(exc, self.ctx.say), "warning")
        else:
            say(self.message, "")

    def _inputs(self) -> tuple[CashCount, int] | None:
        try:
            return self.counted(), self.float_minor()
        except PosError as exc:
            say(self.message, error_text(exc, self.ctx.say), "warning")
            return None

    # ------------------------------------------------------------------ reports
    def x_report(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        counted, float_minor = inputs
        app, user = self.ctx.app, self.ctx.user_id
        self.ctx.runner.run("db", lambda: calls.x_report(app, user, float_minor,
                                                         counted if counted.lines else None),
                            self._shown, self._failed, tr("Making the X-report"))

    def close_day(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        counted, float_minor = inputs
        app, user = self.ctx.app, self.ctx.user_id
        self.closeButton.setEnabled(False)
        self.ctx.runner.run("db", lambda: calls.close_day(app, user, counted, float_minor),
                            self._closed, self._failed, tr("Closing the day"))

    def _closed(self, report: ZReport) -> None:
        self.closeButton.setEnabled(True)
        self._shown(report)
        say(self.message, tr("Day {day} closed: Z {z}. Print it or export it for "
                             "accounting.").format(day=report.business_day.isoformat(),
                                                   z=report.z_number), "success")
        self.closed.emit(report.z_number or 0)

    def _shown(self, report: ZReport) -> None:
        self.report = report
        app = self.ctx.app
        self.ctx.runner.run("db", lambda: calls.preview(app, report),
                            lambda lines: self.preview.setPlainText("\n".join(lines)),
                            self._failed, tr("Laying out the report"))
        self._enable_outputs(True)
        if report.z_number is None:
            say(self.message, tr("X-report: the day stays open."))

    def _failed(self, exc: BaseException) -> None:
        self.closeButton.setEnabled(True)
        say(self.message, error_text(exc, self.ctx.say), "warning")

    def _enable_outputs(self, on: bool) -> None:
        for button in (self.printButton, self.csvButton, self.pdfButton):
            button.setEnabled(on)

    def print_report(self) -> None:
        if self.report is None:
            return
        app, report = self.ctx.app, self.report
        self.ctx.runner.run("printer", lambda: calls.print_report(app, report),
                            lambda _r: say(self.message, tr("Printed."), "success"),
                            self._failed, tr("Printing the report"))

    def export(self, kind: str, path: str | None = None) -> None:
        """Write the report as CSV or PDF (``path`` given by tests; else a file dialog)."""
        if self.report is None:
            return
        if path is None:
            name = f"z-{self.report.z_number or 'x'}-{self.report.business_day}.{kind}"
            path, _filter = QFileDialog.getSaveFileName(self, tr("Export the report"), name,
                                                        f"{kind.upper()} (*.{kind})")
            if not path:
                return
        app, report = self.ctx.app, self.report
        self.ctx.runner.run("db", lambda: calls.export(app, report, path),
                            lambda target: say(self.message, tr("Written to {path}.").format(
                                path=str(target)), "success"),
                            self._failed, tr("Exporting the report"))

