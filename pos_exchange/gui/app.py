"""The counter app's main(): Qt application, theme, translations, services, window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QFile, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pos_exchange.bootstrap import App, open_app
from pos_exchange.config import config_path, default_db_path, load_settings
from pos_exchange.gui import resources_rc  # noqa: F401  (registers :/theme.qss, sounds, …)
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.main_window import MainWindow
from pos_exchange.gui.sounds import Sounds
from pos_exchange.gui.tasks import TaskRunner
from pos_exchange.gui.texts import Money
from pos_exchange.messages import Renderer
from pos_exchange.plugins.terminals import qt_part

log = logging.getLogger(__name__)
LANGUAGES = {"de"}  # translations shipped besides English (resources/translations)
# Qt Multimedia reports every missing optional codec library; they are not errors here.
QUIET_QT = "qt.multimedia.*=false;qt.multimedia.ffmpeg.*=false"


# How long a worker thread may keep the GIL while the GUI thread waits for it (CPython's
# default is 5 ms). At a finalize three lanes work at once (the receipt, the printer, the
# sync), and every Python callback of a repaint waits its turn: the soak saw the event loop
# held 100-128 ms there on a loaded machine. A shorter slice hands the GUI thread the GIL
# sooner (a 2-worker test, three runs each: heartbeat p99 7.8-15.5 ms against 17.6-22 ms).
GIL_SWITCH_INTERVAL_S = 0.001


def setup_qapplication(qapp: QApplication, locale: str) -> list[QTranslator]:
    """Theme, icon and translations for the store's locale (e.g. de_DE → German), and
    the GIL's switch interval for a responsive GUI thread."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    qapp.setApplicationName("pos-exchange")
    qapp.setOrganizationName("pos-exchange")
    qapp.setWindowIcon(QIcon(":/icons/app.svg"))
    theme = QFile(":/theme.qss")
    if theme.open(QFile.OpenModeFlag.ReadOnly):
        qapp.setStyleSheet(bytes(theme.readAll().data()).decode("utf-8"))
        theme.close()
    translators: list[QTranslator] = []
    language = locale.split("_")[0].lower()
    QLocale.setDefault(QLocale(locale))
    if language in LANGUAGES:
        ours = QTranslator(qapp)
        if ours.load(f":/translations/pos_exchange_{language}.qm"):
            translators.append(ours)
        qt = QTranslator(qapp)  # Qt's own dialog buttons (Yes/No/Cancel)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.
                                                           TranslationsPath)):
            translators.append(qt)
        for translator in translators:
            qapp.installTranslator(translator)
    return translators


def build_context(app: App, sounds: bool | None = None) -> WindowContext:
    s = app.settings
    return WindowContext(app, TaskRunner(), Sounds(s.gui.sounds if sounds is None else sounds),
                         Money(s.currency, s.locale), Renderer(s.locale, s.tz()),
                         qt_part(s.devices.terminal))


def open_counter_app(db: str | None) -> App:
    """The services; a simulated reader waits for the CSR to pick the demo card."""
    return open_app(db, settings=load_settings(), interactive_terminal=True)


def run(db: str | None, demo: bool) -> int:
    os.environ.setdefault("QT_LOGGING_RULES", QUIET_QT)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app = open_counter_app(db)
    setup_qapplication(qapp, app.settings.locale)  # type: ignore[arg-type]
    ctx = build_context(app)
    window = MainWindow(ctx)
    if demo:
        window.setWindowTitle(window.windowTitle() + " — DEMO")
    # Fill the counter's screen (the layout fits 1366×768 and up). Without a window
    # manager (Xvfb, kiosks) "maximised" means nothing, so the geometry is set first.
    screen = QApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    # Card payments a crash left open are settled from the processor's record first.
    ctx.runner.run("card", lambda: app.payments.recover(), None,
                   lambda exc: log.warning("card recovery at start failed: %s", exc),
                   "Checking card payments")
    try:
        return qapp.exec()
    finally:
        ctx.runner.shutdown()
        app.close()


def demo_is_default(db: str | None) -> bool:
    """Nothing configured (no --db, no config file, no environment, no register database):
    the counter opens on the demo store."""
    if db or os.environ.get("POS_EXCHANGE_DB"):
        return False
    return not config_path().exists() and not Path(default_db_path()).exists()
