"""Screenshots of each screen of the counter, for README (docs/screenshots/*.png).

    .venv/bin/python scripts/screenshots.py [output-dir]

Runs the real window offscreen (no display needed) at 1366×768 on a throwaway demo store,
drives it through an upgrade exchange as a CSR would, and grabs each screen. Nothing is written
outside a temporary directory and the output directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_exchange.bootstrap import init_db, open_app  # noqa: E402
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal  # noqa: E402

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)   # the demo store's sales are relative to it


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pos-exchange-shots-"))
    os.environ.update(HOME=str(work), XDG_CONFIG_HOME=str(work / "config"),
                      XDG_DATA_HOME=str(work / "data"),
                      POS_EXCHANGE_CONFIG=str(work / "config" / "none.toml"),
                      POS_EXCHANGE_DEVICES__PRINTER_TARGET=str(work / "printer.bin"),
                      POS_EXCHANGE_GUI__SOUNDS="false")
    db = work / "demo.sqlite3"
    init_db(str(db), demo=True, clock=lambda: NOW)
    qapp = QApplication(sys.argv[:1])
    from pos_exchange.gui.app import build_context, setup_qapplication
    from pos_exchange.gui.main_window import MainWindow
    app = open_app(str(db), clock=lambda: NOW, terminal=SimulatedTerminal(auto_present=None))
    setup_qapplication(qapp, app.settings.locale)
    ctx = build_context(app)
    window = MainWindow(ctx)
    window.resize(1366, 768)   # the smallest counter screen the window is made for
    window.show()

    def wait(cond: Callable[[], bool], timeout: float = 15) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            qapp.processEvents()
            if cond() and ctx.runner.pending == 0:
                return
            time.sleep(0.02)
        raise SystemExit("the window did not reach the expected state")

    def shot(name: str) -> None:
        wait(lambda: True)
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    ex = window.exchange
    window.sign_in.ui.employeeEdit.setText("csr1")
    shot("1-sign-in")
    window.sign_in.ui.pinEdit.setText("1111")
    window.sign_in.sign_in()
    wait(lambda: window.current() is ex)
    ex.handle_scan("S001-000001")
    wait(lambda: ex.snap is not None and ex.snap.sale is not None)
    ex.handle_scan("APP-TSHIRT-G-001")      # on the sale: a return (scans route themselves)
    wait(lambda: len(ex.snap.exchange.returned) == 1)
    ex.handle_scan("APP-TSHIRT-P-003")      # not on it: a new item
    wait(lambda: len(ex.snap.exchange.requested) == 1)
    shot("2-exchange-live-valuation")
    ex.lock_in()
    wait(lambda: ex.ui.approvalGroup.isVisible())
    ex.ui.approverEdit.setText("BADGE-MGR1")
    ex.ui.approvalReasonCombo.setCurrentIndex(0)
    shot("3-manager-approval")
    ex.ui.approverPinEdit.setText("9999")
    ex.approve()
    wait(lambda: ex.ui.paymentGroup.isVisible())
    wait(lambda: ex.ui.cashTenderedEdit.hasFocus())
    ex.ui.cashTenderedEdit.setText("100")
    ex.pay_cash()
    wait(lambda: len(ex.snap.exchange.payments) == 1)
    ex.ui.testCardCombo.setCurrentIndex(ex.ui.testCardCombo.findData(""))
    ex.pay_card()
    wait(lambda: "Present the card" in ex.ui.cardStatusLabel.text())
    shot("4-split-tender-card-on-reader")
    ex.cancel_card()
    wait(lambda: not ex.card_in_progress)
    ex.ui.testCardCombo.setCurrentIndex(0)
    ex.pay_card()                           # the rest: the exchange finalizes by itself
    wait(lambda: "printed" in window.receipt.ui.printStatusLabel.text())
    shot("5-receipt-printed")
    window.show_history()
    wait(lambda: window.history.ui.historyTable.rowCount() > 0)
    wait(lambda: "Audit" in window.history.ui.historyDetails.toPlainText())
    shot("6-history-audit-trail")
    window._quit_confirmed = True
    window.close()
    ctx.runner.shutdown()
    app.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
