"""Every sentence the window shows has German (a static check: no window is opened).

The window's words are Qt's: free ``tr("…")`` / ``QT_TR_NOOP("…")`` literals in
pos_exchange/gui (the counter and the manager screens) and the Designer forms, extracted
by ``scripts/build-ui.sh --update-ts`` into resources/translations/pos_exchange_de.ts and
compiled into the .qm the window loads. A literal missing from the .ts, left unfinished
there, or absent from the compiled .qm would reach a German store in English."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "pos_exchange" / "gui"
TS = ROOT / "resources" / "translations" / "pos_exchange_de.ts"
QM = TS.with_suffix(".qm")
MARKERS = {"tr", "QT_TR_NOOP"}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def tr_literals() -> dict[str, str]:
    """Each literal marked for translation in gui/ → the file it is in."""
    found: dict[str, str] = {}
    for path in sorted(GUI.rglob("*.py")):
        if path.name == "resources_rc.py" or "forms" in path.parts:
            continue   # generated: the forms' words are checked through the .ts below
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else "")
            first = node.args[0]
            if name in MARKERS and isinstance(first, ast.Constant) and isinstance(
                    first.value, str):
                found.setdefault(first.value, str(path.relative_to(ROOT)))
    return found


def ts_messages() -> list[tuple[str, str, str, str | None]]:
    """(context, source, translation, type) of every message of the German .ts."""
    rows = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            rows.append((name, message.findtext("source") or "", translation.text or "",
                         translation.get("type")))
    return rows


def test_the_scan_finds_the_counter_and_the_manager_screens() -> None:
    literals = tr_literals()
    # One sentence of each place this check must reach (it would pass vacuously if
    # the scan found nothing).
    for sentence in ("ALARM: the hub refused this register's journal ({code}): call IT",
                     "Close the day (Z)", "Drawer reconciliation", "Every CSR",
                     "waiting for a manager", "Customer loyalty"):
        assert sentence in literals, sentence


def test_every_tr_literal_has_german_in_the_ts() -> None:
    german = {source: text for context, source, text, kind in ts_messages()
              if context == "" and text and kind is None}
    missing = sorted(f"{where}: {text!r}" for text, where in tr_literals().items()
                     if text not in german)
    assert not missing, (f"{len(missing)} GUI sentences lack German (run "
                         f"scripts/build-ui.sh --update-ts, translate, then "
                         f"scripts/build-ui.sh): {missing[:8]}")


def test_no_message_of_the_ts_is_left_unfinished() -> None:
    unfinished = sorted(f"[{context}] {source!r}" for context, source, text, kind in
                        ts_messages() if kind == "unfinished" or (kind is None and not text))
    assert not unfinished, f"{len(unfinished)} unfinished: {unfinished[:8]}"


def test_translations_keep_every_placeholder() -> None:
    wrong = [(source, text) for _context, source, text, _kind in ts_messages()
             if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))]
    assert not wrong, f"placeholders changed: {wrong[:5]}"


@pytest.mark.parametrize("sentence", [
    "ALARM: the hub refused this register's journal ({code}): call IT",
    "Close the day (Z)", "Drawer reconciliation", "Dashboard",
])
def test_the_compiled_qm_carries_the_german(sentence: str) -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    german = translator.translate("", sentence)
    assert german and german != sentence


def test_every_tr_literal_is_in_the_compiled_qm() -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    missing = sorted(text for text in tr_literals() if not translator.translate("", text))
    assert not missing, f"not in the .qm (run scripts/build-ui.sh): {missing[:8]}"


def test_words_that_reach_tr_as_values_have_german() -> None:
    """Conditions, approval and void reasons are tr(value): listed in texts.DYNAMIC for
    lupdate, so each must be in the .ts with German too."""
    from pos_exchange.domain.exchange import TenderKind, TenderStatus
    from pos_exchange.gui.exchange_page import APPROVAL_REASONS, CONDITIONS
    from pos_exchange.gui.payment_box import VOID_REASONS
    german = {source for context, source, text, kind in ts_messages()
              if context == "" and text and kind is None}
    values = (*CONDITIONS, *APPROVAL_REASONS, *VOID_REASONS, *TenderKind, *TenderStatus,
              "csr", "manager", "cash", "card", "store credit")  # roles, tender methods
    missing = [str(word) for word in values if str(word) not in german]
    assert not missing, missing
