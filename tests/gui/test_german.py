"""A German-speaking store: the window in German, money in babel's de_DE format.

The demo store's sales are in US dollars, so the currency stays USD here; a euro store
formats "63,85 €" the same way."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tests.flows import BETTER, GOOD
from tests.gui.drive import barcode, press, receipt_barcode, scan, sign_in


def test_german_store_speaks_german_and_formats_euros(open_counter, db_path, qtbot):
    side = open_counter(db_path, locale="de_DE")
    try:
        assert side.window.sign_in.ui.signInButton.text() == "Anmelden (Enter)"
        # The status bar's device kinds are words too, not config values.
        assert side.window.printerStatus.text().endswith(": Datei")
        assert side.window.scannerStatus.text().endswith(": Tastatur")
        sign_in(qtbot, side)
        ui = side.ex.ui
        assert ui.lockInButton.text() == "Festschreiben (F9)"
        scan(qtbot, side, receipt_barcode(side.app, "S001-000001"))
        qtbot.waitUntil(lambda: side.ex.snap is not None and side.ex.snap.sale is not None)
        scan(qtbot, side, barcode(side.app, GOOD))
        qtbot.waitUntil(lambda: len(side.ex.snap.exchange.returned) == 1)
        press(qtbot, side, "F6")
        scan(qtbot, side, barcode(side.app, BETTER))
        qtbot.waitUntil(lambda: len(side.ex.snap.exchange.requested) == 1)
        assert ui.gapLabel.text() == "Kunde zahlt 63,85\xa0$"
        assert ui.dueValue.text() == "63,85\xa0$"
    finally:
        _english_again()


def _english_again() -> None:
    """The translators stay installed on the shared QApplication: take them off."""
    from PySide6.QtCore import QTranslator
    app = QCoreApplication.instance()
    for translator in app.findChildren(QTranslator):
        app.removeTranslator(translator)
        translator.deleteLater()


def test_the_day_close_shows_amounts_the_german_way(open_counter, db_path):
    """The opening float's hint was "0.00" in a German store, where a CSR types "0,00"."""
    side = open_counter(db_path, locale="de_DE")
    try:
        close = side.window.manager.close_tab
        assert close.floatEdit.placeholderText() == "0,00"
        close.floatEdit.setText("150,50")
        assert close.float_minor() == 15050
    finally:
        _english_again()
