"""The manager's screens in the counter window (pytest-qt, offscreen): the dashboard of
the day of tests/backoffice.py (its figures worked out by hand there) with its charts and
lists, and the day's close with the drawer counted by denomination."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from PySide6.QtCharts import QBarSeries, QPieSeries
from PySide6.QtCore import Qt
from sqlalchemy import text

from pos_exchange.bootstrap import open_app
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from tests.backoffice import one_day
from tests.gui.drive import WAIT_MS, idle, sign_in, type_text


def snapshot(widget, name: str) -> None:
    """README's pictures: SCREENSHOTS_DIR=docs/screenshots saves the window as shown."""
    wanted = os.environ.get("SCREENSHOTS_DIR")
    if wanted:
        widget.window().grab().save(str(Path(wanted) / f"manager-{name}.png"))


def the_day(db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    app = open_app(str(db_path), clock=clock, terminal=reader)
    try:
        return one_day(app, clock, reader)
    finally:
        app.close()


def open_manager(qtbot, side):
    sign_in(qtbot, side, "mgr1", "9999")
    qtbot.keyClick(side.window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: side.window.current() is side.window.manager, timeout=WAIT_MS)
    idle(qtbot, side)
    return side.window.manager


def test_a_csr_cannot_open_the_manager_screens(qtbot, open_counter, db_path):
    side = open_counter(db_path)
    sign_in(qtbot, side)
    qtbot.keyClick(side.window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, side)
    assert side.window.current() is side.ex


def test_the_dashboard_shows_the_days_figures_charts_and_lists(qtbot, open_counter, db_path,
                                                              clock):
    day = the_day(db_path, clock)
    side = open_counter(db_path)
    board = open_manager(qtbot, side).dashboard
    assert board.timeTile.value.text() == "5 min 40 s"          # (240 + 600 + 180) / 3
    assert "median 4 min 00 s · p90 10 min 00 s · 3 upgrades" in board.timeTile.detail.text()
    assert board.coverageTile.value.text() == "50.0 %"          # A, C of A, C, D, E
    assert board.revenueTile.value.text() == "$49.36"           # 113.21 − 63.85
    assert "54.4 %" in board.revenueTile.detail.text()
    assert "1 not known" in board.inventoryTile.detail.text()   # no hub configured
    [bars] = board.timeChart.chart().series()
    assert isinstance(bars, QBarSeries)
    counts = [bars.barSets()[0].at(i) for i in range(bars.barSets()[0].count())]
    assert counts == [0, 0, 0, 2, 0, 1, 0, 0]                  # 3–5 min: 2, 10–15: 1
    [pie] = board.coverageChart.chart().series()
    assert isinstance(pie, QPieSeries) and [s.value() for s in pie.slices()] == [2, 2]
    # The lists, one click away.
    assert board.listButtons["not_covered"].text().endswith("(2)")
    qtbot.mouseClick(board.listButtons["not_covered"], Qt.MouseButton.LeftButton)
    shown = {board.listTable.item(r, 0).text(): board.listTable.item(r, 3).text()
             for r in range(board.listTable.rowCount())}
    assert shown == {day.d: "voided", day.e: "card payment uncertain"}
    snapshot(board, "dashboard")
    qtbot.mouseClick(board.listButtons["approvals"], Qt.MouseButton.LeftButton)
    assert [board.listTable.item(0, 0).text()] == [day.d] and board.listTable.rowCount() == 1
    qtbot.mouseClick(board.listButtons["declined"], Qt.MouseButton.LeftButton)
    assert board.listTable.item(0, 0).text() == day.c
    # One CSR: csr2 only voided; the sentence replaces the figures.
    board.csrCombo.setCurrentIndex(board.csrCombo.findData("csr2"))
    qtbot.mouseClick(board.refreshButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert "all voided" in board.message.text() and board.coverageTile.value.text() == "—"
    # The last 30 days hold the same day's exchanges.
    board.csrCombo.setCurrentIndex(0)
    board.periodCombo.setCurrentIndex(board.periodCombo.findData("30"))
    qtbot.mouseClick(board.refreshButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert board.coverageTile.value.text() == "50.0 %"
    assert board.message.text().startswith("6 exchanges from 2026-10-22 to 2026-11-20")


def test_the_close_with_a_cash_count(qtbot, open_counter, db_path, clock, tmp_path):
    the_day(db_path, clock)
    side = open_counter(db_path)
    close = open_manager(qtbot, side).close_tab
    side.window.manager.show_tab(close)
    edits = close.countEdits
    type_text(qtbot, edits[2000], "three")
    assert "whole number" in close.message.text() and "three" in close.message.text()
    qtbot.mouseClick(close.closeButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert close.report is None                                  # nothing was closed
    edits[2000].clear()
    for denomination, count in ((10000, "1"), (2000, "1"), (25, "2"), (1, "7")):
        type_text(qtbot, edits[denomination], count)
    type_text(qtbot, close.floatEdit, "100.00")
    assert close.totalLabel.text() == "$120.57"
    qtbot.mouseClick(close.xButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert close.report is not None and close.report.z_number is None
    assert "X-report" in close.preview.toPlainText()
    qtbot.mouseClick(close.closeButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert close.report.z_number == 1 and "Z 1" in close.message.text()
    preview = close.preview.toPlainText()
    assert "Z-report 1" in preview and "Difference (counted − expected)" in preview
    assert "$120.57" in preview
    snapshot(close, "close")
    close.export("csv", str(tmp_path / "z1.csv"))
    close.export("pdf", str(tmp_path / "z1.pdf"))
    idle(qtbot, side)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "z1.csv").read_text("utf-8"))))
    assert next(r for r in rows if r["item"] == "difference")["amount"] == "0.00"
    assert (tmp_path / "z1.pdf").read_bytes().startswith(b"%PDF")
    qtbot.mouseClick(close.closeButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert "already closed" in close.message.text()


def test_the_tasks_tab_lists_refunds_and_dead_letters(qtbot, open_counter, db_path, clock):
    the_day(db_path, clock)
    side = open_counter(db_path)
    with side.app.engine.begin() as conn:   # one record the hub refused for good
        conn.execute(text("UPDATE outbox SET status = 'dead', last_error = 'HUB_REJECTED' "
                          "WHERE id = (SELECT MIN(id) FROM outbox)"))
    manager = open_manager(qtbot, side)
    manager.show_tab(manager.tasks)
    idle(qtbot, side)
    tasks = manager.tasks
    assert tasks.refundTable.rowCount() == 1                    # B's Visa 20.57, queued
    assert tasks.refundTable.item(0, 1).text() == "$20.57"
    assert tasks.deadTable.rowCount() == 1
    tasks.deadTable.selectRow(0)
    qtbot.mouseClick(tasks.requeueButton, Qt.MouseButton.LeftButton)
    idle(qtbot, side)
    assert "Queued again" in tasks.message.text() and tasks.deadTable.rowCount() == 0
    type_text(qtbot, tasks.drawerCounted, "20.57")
    qtbot.mouseClick(tasks.drawerCheck, Qt.MouseButton.LeftButton)
    assert tasks.drawerResult.text().endswith("$0.00")          # 363.16 in − 342.59 out
