"""Every interactive widget and every valuation figure has a stable objectName and an
accessible name, and docs/automation.md lists exactly what the window has."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QComboBox, QWidget

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("automation_doc",
                                              ROOT / "scripts" / "automation_doc.py")
automation_doc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(automation_doc)
COMPOSITE = (QAbstractItemView, QAbstractSpinBox, QComboBox)  # their inner parts are Qt's


def _inside_composite(w: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOSITE):
            return True
        parent = parent.parentWidget()
    return False


def test_every_interactive_widget_is_named_and_documented(open_counter, db_path):
    side = open_counter(db_path)
    window = side.window
    _ = window.manager   # built on first use (Ctrl+M): check its widgets too
    unnamed = []
    for page in (window.sign_in, window.exchange, window.receipt, window.history, window):
        for w in page.findChildren(QWidget):
            if isinstance(w, automation_doc.INTERACTIVE) and not _inside_composite(w) \
                    and (not w.objectName() or not w.accessibleName()):
                unnamed.append((type(w).__name__, w.objectName(), w.accessibleName()))
    assert unnamed == []
    rows = automation_doc.named_widgets(window)
    names = {name for _, name, _, _ in rows}
    assert names >= automation_doc.READABLE_LABELS        # every figure is reachable
    assert all(acc for _, _, _, acc in rows)
    documented = (ROOT / "docs" / "automation.md").read_text()
    assert documented == automation_doc.document(rows), \
        "docs/automation.md is stale: run scripts/automation_doc.py > docs/automation.md"
