"""Once the sign-in screen is up the start-up heap is frozen, so a full garbage collection
no longer walks it and cannot stall the counter's event loop (the soak's 187 ms stall at a
receipt); not at sign-in, where it would land in the first scan's burst."""

from __future__ import annotations

import gc
import subprocess
import sys

from pos_exchange.gui import heap
from tests.gui import drive


def test_the_sign_in_screen_freezes_the_start_up_heap(open_counter, db_path, qtbot):
    gc.unfreeze()
    side = open_counter(db_path)
    assert side.window.current() is side.window.sign_in
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 10_000)
    frozen = gc.get_freeze_count()
    drive.sign_in(qtbot, side)
    assert gc.get_freeze_count() <= frozen   # not again at sign-in (freed ones leave it)
    # The window itself is among what the collector no longer walks.
    assert not any(o is side.window for o in gc.get_objects(generation=2))


def test_settling_moves_live_objects_out_of_the_collected_generations():
    gc.unfreeze()
    kept = [[i] for i in range(1_000)]
    assert heap.settle() >= len(kept)
    walked = {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation)}
    assert not any(id(o) in walked for o in kept)
    gc.unfreeze()
    gc.collect()
    assert any(o is kept[0] for o in gc.get_objects(generation=2))


def test_the_sign_in_screen_warms_up_what_the_first_exchange_imports(open_counter, db_path,
                                                                     qtbot):
    """The cold start leaves the record models and python-escpos out; they are imported
    in a worker while the sign-in screen waits, before the heap is frozen."""
    gc.unfreeze()
    open_counter(db_path)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    assert all(name in sys.modules for name in heap.FIRST_EXCHANGE_MODULES)


def test_the_window_starts_without_the_record_models_and_the_manager_pages():
    """Issue 15's cold start: a fresh interpreter builds the window and shows the sign-in
    screen without importing what only a finalize or a manager needs."""
    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from pos_exchange.gui.main_window import MainWindow\n"
        "late = [m for m in ('pos_exchange.services.record',"
        " 'pos_exchange.gui.manager.page', 'escpos') if m in sys.modules]\n"
        "print(','.join(late))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == ""
