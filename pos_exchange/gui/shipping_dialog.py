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

from PySide6.QtCore import Qt
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

from pos_exchange.gui import shipping_steps
from pos_exchange.gui.texts import tr
from pos_exchange.gui.widgets import error_text, say

FIELDS = (("name", "Name"), ("line1", "Street and number"), ("city", "City"),
          ("postal_code", "Postal code"), ("region", "State / region"),
          ("country", "Country (2 letters)"))


class ShippingDialog(QDialog):
    def __init__(self, page: Any, code: str, country: str = "US",
                 parent: QWidget | None = None, line_no: int | None = None, qty: int = 1,
                 address: Mapping[str, str] | None = None) -> None:
        super().__init__(parent or page)
        self.page, self.code, self.line_no = page, code, line_no
        self.setObjectName("shippingDialog")
        self.setWindowTitle(tr("Ship from another location"))
        layout = QVBoxLayout(self)
        self.itemLabel = QLabel(tr("Looking for {code} at the other locations…").format(
            code=code))
        self.locations = QListWidget()
        self.locations.setObjectName("shippingLocations")
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, label in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"shipping_{key}")
            self.edits[key] = edit
            form.addRow(tr(label), edit)
        self.edits["country"].setText(country)
        for key, value in (address or {}).items():
            if key in self.edits and value:
                self.edits[key].setText(value)
        self.message = QLabel()
        self.message.setObjectName("shippingMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.shipButton = buttons.addButton(tr("Ship"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.shipButton.setDefault(True)
        self.shipButton.setEnabled(False)
        buttons.accepted.connect(self.ship)
        buttons.rejected.connect(self.reject)
        for w in (self.itemLabel, self.locations):
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
            where = tr("{name} ({kind}): {available} available").format(
                name=place.name, kind=tr(place.kind), available=place.available)
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
