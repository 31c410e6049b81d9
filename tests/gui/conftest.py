"""Real counter windows, offscreen, on a private copy of the demo store.

Every test gets its own database, printer file and App; the card reader is the simulated
one (the Stripe backend is tested in tests/integration). After each test the window is
closed and the test fails if a worker thread is still running or a settings file was
written."""

from __future__ import annotations

import gc
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"   # before Qt loads: no display on CI
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_exchange.bootstrap import App, open_app
from pos_exchange.gui.app import build_context, setup_qapplication
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.main_window import MainWindow
from pos_exchange.gui.tasks import TaskRunner
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal

SCREEN = (1366, 768)   # the counter screen the window must fit (issue 9)


def _patient_wait_until(self: QtBot, callback: Callable[[], bool | None], *,
                        timeout: int | None = None) -> None:
    """pytest-qt waits 5 s by default; a loaded CI machine can take longer for a worker's
    answer. A wait that is met returns at once, so only a real failure costs the time."""
    from tests.gui.drive import WAIT_MS  # drive.py imports this module
    _plain_wait_until(self, callback, timeout=WAIT_MS if timeout is None else timeout)


_plain_wait_until = QtBot.waitUntil
QtBot.waitUntil = _patient_wait_until  # type: ignore[method-assign]


def _settings_file() -> Path:
    return Path(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          "pos-exchange", "pos-exchange").fileName())


@pytest.fixture(autouse=True)
def no_dangling_threads_or_settings(qapp: QApplication) -> Iterator[None]:
    before = _settings_file().exists()
    yield
    # A sign-in freezes the heap (gui/heap.py): one window per shift in the product, one
    # per test here, so each test's objects are handed back to the collector.
    gc.unfreeze()
    running = [r for r in TaskRunner.instances if r.active_threads()]
    assert not running, "a TaskRunner still has running workers after the test"
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    gc.collect()
    threads = [o for o in gc.get_objects() if isinstance(o, QThread) and o.isRunning()
               and o is not qapp.thread()]
    assert not threads, f"dangling QThreads: {threads}"
    assert _settings_file().exists() == before, "the GUI wrote a user settings file"


@dataclass
class Counterside:
    """A running counter window and what a test needs around it."""

    window: MainWindow
    ctx: WindowContext
    app: App
    printer_file: Path

    @property
    def ex(self):  # the exchange page
        return self.window.exchange


@pytest.fixture
def open_counter(qtbot, qapp, tmp_path, monkeypatch, clock) -> Iterator[Callable[..., Counterside]]:
    """Opens a counter window on ``db``; call again on the same db to 'restart'."""
    opened: list[Counterside] = []
    printer_file = tmp_path / "printer-output.bin"

    def _open(db: Path, **env: str) -> Counterside:
        monkeypatch.setenv("POS_EXCHANGE_DEVICES__PRINTER", "file")
        monkeypatch.setenv("POS_EXCHANGE_DEVICES__PRINTER_TARGET", str(printer_file))
        monkeypatch.setenv("POS_EXCHANGE_GUI__SYNC_INTERVAL_S", "3600")
        # The flows written step by step press F12 themselves; the fast flow
        # (test_fast_flow.py) runs with the default, a payment that finalizes by itself.
        monkeypatch.setenv("POS_EXCHANGE_GUI__AUTO_FINALIZE", "false")
        for key, value in env.items():
            monkeypatch.setenv(f"POS_EXCHANGE_{key.upper()}", value)
        app = open_app(str(db), clock=clock, terminal=SimulatedTerminal(auto_present=None))
        setup_qapplication(qapp, app.settings.locale)
        ctx = build_context(app)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(*SCREEN)
        window.show()
        side = Counterside(window, ctx, app, printer_file)
        opened.append(side)
        return side

    yield _open
    for side in opened:
        close(side)


def close(side: Counterside) -> None:
    side.window._quit_confirmed = True
    side.window.close()
    assert side.ctx.runner.shutdown(10_000), "workers did not stop"
    side.app.close()
