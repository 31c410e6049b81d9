"""Lists the counter's widgets for scripts and screen readers: docs/automation.md.

    .venv/bin/python scripts/automation_doc.py > docs/automation.md

tests/gui/test_automation.py fails when a widget lacks a name or the document is stale.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QPlainTextEdit)
# Labels that carry figures or state a script reads (the valuation panel, messages, status).
READABLE_LABELS = {
    "returnedCreditValue", "newNetValue", "newTaxValue", "newTotalValue", "paidValue",
    "dueValue", "gapLabel", "messageLabel", "exchangeNumberLabel", "saleInfoLabel",
    "approvalInfoLabel", "cardStatusLabel", "signInMessage", "printStatusLabel",
    "refundStatusLabel", "receiptTitleLabel", "changeLabel", "onlineStatus", "pendingStatus",
    "printerStatus", "terminalStatus", "scannerStatus", "userStatus", "busyLabel"}
INTRO = """# Automation and accessibility names

Every interactive widget of the counter window and every figure of the valuation panel
has a stable `objectName` (for test and RPA scripts: `window.findChild(QWidget, name)`)
and an accessible name (read by screen readers through Qt's accessibility bridge). The
names below are generated from the running window by `scripts/automation_doc.py`;
`tests/gui/test_automation.py` fails when a widget lacks a name or this list is stale.
The manager's pages (`managerBack` and what follows it) are built the first time a
manager opens them (Ctrl+M), and are found from then on. Keys: see README, "Keyboard".
"""


def named_widgets(window: QWidget) -> list[tuple[str, str, str, str]]:
    rows = []
    _ = window.manager  # built on first use (Ctrl+M): listed here, found once opened
    for page in (window.sign_in, window.exchange, window.receipt, window.history, window):
        for w in page.findChildren(QWidget):
            name = w.objectName()
            if isinstance(w, QHeaderView) or not name:  # a table's own parts
                continue
            if isinstance(w, INTERACTIVE) and not name.startswith("qt_"):
                kind = type(w).__name__
            elif isinstance(w, QLabel) and name in READABLE_LABELS:
                kind = "QLabel"
            else:
                continue
            if name.startswith("qt_") or w.parent() is None:
                continue
            rows.append((page.objectName(), name, kind, w.accessibleName()))
    seen, unique = set(), []
    for row in rows:
        if row[1] not in seen:
            seen.add(row[1])
            unique.append(row)
    return unique


def build_window():
    from pos_exchange.bootstrap import init_db, open_app
    from pos_exchange.gui.app import build_context
    from pos_exchange.gui.main_window import MainWindow
    from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
    work = Path(tempfile.mkdtemp())
    db = work / "demo.sqlite3"
    init_db(str(db), demo=True)
    app = open_app(str(db), terminal=SimulatedTerminal(auto_present=None))
    ctx = build_context(app, sounds=False)
    return MainWindow(ctx), ctx, app


def document(rows: list[tuple[str, str, str, str]]) -> str:
    lines = [INTRO, "| Screen | objectName | Widget | Accessible name |", "|---|---|---|---|"]
    lines += [f"| {page} | `{name}` | {kind} | {acc} |" for page, name, kind, acc in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    qapp = QApplication([])
    window, ctx, app = build_window()
    sys.stdout.write(document(named_widgets(window)))
    window._quit_confirmed = True
    window.close()
    ctx.runner.shutdown()
    app.close()
