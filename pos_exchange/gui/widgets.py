"""Small Qt helpers the screens share."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget

from pos_exchange.domain.errors import PosError
from pos_exchange.gui.texts import tr
from pos_exchange.messages import Renderer


def shortcut(parent: QWidget, keys: str, slot: Callable[[], object], name: str) -> QShortcut:
    """A key for one screen: active while that screen (or a child) has the focus."""
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setObjectName(name)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]],
               data: Sequence[object] | None = None, numeric_from: int = 1) -> None:
    """Replace a table's rows; column 0 carries ``data`` (e.g. a line number).

    A scan repaints the whole exchange screen, but usually changes one table by one row:
    a table whose rows and data are what it already shows is left alone (rebuilding its
    items makes its columns re-measure every row), and the header's modes are set once."""
    shown = (tuple(tuple(row) for row in rows), None if data is None else tuple(data))
    if getattr(table, "_pos_shown", None) == shown:
        return
    table._pos_shown = shown  # type: ignore[attr-defined]  # the wrapper keeps it
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c >= numeric_from:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and data is not None:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    if header.sectionResizeMode(0) != QHeaderView.ResizeMode.Stretch:
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, table.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)


def selected_data(table: QTableWidget) -> object | None:
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None


def say(label: QLabel, text: str, level: str = "info") -> None:
    """A message line (never a modal: the next scan must reach the screen)."""
    label.setText(text)
    level = level if text else ""
    if label.property("level") != level:   # a re-polish recomputes the style sheet
        label.setProperty("level", level)
        label.style().unpolish(label)
        label.style().polish(label)


def error_text(exc: BaseException | str, say: Renderer) -> str:
    """The sentence for a refusal (rendered from its code, in the store's language), a
    screen's own words as given, or a calm sentence for a bug."""
    if isinstance(exc, str):
        return exc
    if isinstance(exc, PosError):
        return say(exc)
    return tr("Something went wrong ({kind}). Nothing was lost: the exchange is saved. "
              "Try again; if it repeats, call IT and quote the log.").format(
                  kind=type(exc).__name__)
