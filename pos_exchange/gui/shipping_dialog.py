"""Find the item elsewhere and ship it: the chain's stock of the item (nearest first), the
customer's address, and Ship. Keyboard only: the list has the focus, Tab walks the address,
Enter ships, Esc closes. The lookup and the step run in workers; a refusal (a bad address,
no stock left, offline) stays in the dialog as a sentence and changes nothing.

Opened for a code (F7 in the scan field) it adds the item as a shipped line; opened for a
line already in the basket (F7 on the New items table) it ships that line instead. The
address starts as the one this exchange already ships to, if any."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel import Locale
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_exchange.domain.errors import PosError
from pos_exchange.gui import shipping_steps
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, say

# Translated where they are shown (tr(label)); QT_TR_NOOP has lupdate extract them.
FIELDS = (("name", QT_TR_NOOP("Name")), ("line1", QT_TR_NOOP("Street and number")),
          ("line2", QT_TR_NOOP("Apartment, floor (optional)")), ("city", QT_TR_NOOP("City")),
          ("postal_code", QT_TR_NOOP("Postal code")), ("region", QT_TR_NOOP("State / region")),
          ("country", QT_TR_NOOP("Country (2 letters)")))


def store_country(locale: str) -> str:
    """The store's own country, from its locale (en_US -> US): the usual destination."""
    try:
        return Locale.parse(locale).territory or "US"
    except (ValueError, TypeError):
        return "US"


class ShippingDialog(QDialog):
    def __init__(self, page: Any, code: str, country: str | None = None,
                 parent: QWidget | None = None, line_no: int | None = None, qty: int = 1,
                 address: Mapping[str, str] | None = None) -> None:
        super().__init__(parent or page)
        self.page, self.code, self.line_no = page, code, line_no
        country = country or store_country(page.ctx.app.settings.locale)
        self.setObjectName("shippingDialog")
        self.setWindowTitle(tr("Ship from another location"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        self.itemLabel = QLabel(tr("Looking for {code} at the other locations…").format(
            code=code))
        self.itemLabel.setObjectName("shippingItem")
        self.itemLabel.setWordWrap(True)
        hint = QLabel(tr("Arrows choose where it ships from · Tab goes through the address · "
                         "Enter ships · Esc closes"))
        hint.setObjectName("shippingHint")
        hint.setWordWrap(True)
        self.locations = QListWidget()
        self.locations.setObjectName("shippingLocations")
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"shipping_{key}")
            self.edits[key] = edit
            form.addRow(tr(str(label)), edit)   # QT_TR_NOOP is typed object
        self.edits["country"].setText(country)
        for key, value in (address or {}).items():
            if key in self.edits and value:
                self.edits[key].setText(value)
        self.message = QLabel()
        self.message.setObjectName("shippingMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel (Esc)"))
        cancel.setIcon(QIcon())   # as the window's other buttons: words and the key
        self.shipButton = buttons.addButton(tr("Ship (Enter)"),
                                            QDialogButtonBox.ButtonRole.AcceptRole)
        self.shipButton.setDefault(True)
        self.shipButton.setEnabled(False)
        buttons.accepted.connect(self.ship)
        buttons.rejected.connect(self.reject)
        self.locations.setMaximumHeight(140)
        for w in (self.itemLabel, hint, self.locations):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.locations.setFocus()
        page.ctx.runner.run("sync", lambda: shipping_steps.find_elsewhere(page.ctx.app, code,
                                                                          qty),
                            self._found, self._failed, tr("Finding stock elsewhere"))

    def _found(self, result: Any) -> None:
        item, places = result
        self.itemLabel.setText(tr("{item}: choose where it ships from").format(
            item=item.name))
        for place in places:
            # The code too: the receipt and the hub's command line name the source by it.
            what = place.location if place.name == place.location else \
                f"{place.name} · {place.location}"
            where = tr("{name} ({kind}): {available} available").format(
                name=what, kind=tr(place.kind), available=place.available)
            if place.distance_km is not None:
                where += " · " + tr("{km} km").format(km=place.distance_km)
            entry = QListWidgetItem(where)
            entry.setData(Qt.ItemDataRole.UserRole, place.location)
            self.locations.addItem(entry)
        if places:
            self.locations.setCurrentRow(0)
            self.shipButton.setEnabled(True)
        else:
            say(self.message, tr("No other location has it in stock."), "error")

    def _failed(self, exc: BaseException) -> None:
        say(self.message, error_text(exc, self.page.ctx.say), "error")

    def address(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}

    def ship(self) -> None:
        current = self.locations.currentItem()
        if current is None:
            return
        source = current.data(Qt.ItemDataRole.UserRole)
        self.shipButton.setEnabled(False)
        if self.line_no is not None:   # a line already in the basket ships instead
            self.page.step(shipping_steps.ship_line, self.line_no, source, self.address(),
                           label=tr("Shipping {code} from {source}").format(
                               code=self.code, source=source),
                           done=self._shipped, error=self._refused)
            return
        self.page.step(shipping_steps.ship_item, self.code, source, self.address(),
                       label=tr("Shipping {code} from {source}").format(code=self.code,
                                                                        source=source),
                       done=self._shipped, error=self._refused)

    def _shipped(self, snap: Any) -> None:
        self.accept()   # first: the counter is the active window again, then the page
        self.page.window().activateWindow()   # puts the focus where the next step is
        if self.line_no is not None:
            self.page.line_moved(snap)
        else:
            self.page.apply(snap, "scan_ok")

    def _refused(self, exc: BaseException) -> None:
        self.shipButton.setEnabled(True)
        self._failed(exc)
        field = exc.params.get("field") if isinstance(exc, PosError) else None
        if field in self.edits:   # the field the sentence names: the CSR corrects it there
            self.activateWindow()
            self.edits[field].setFocus()
            self.edits[field].end(False)
