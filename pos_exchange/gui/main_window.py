"""The counter window: sign-in, exchange, receipt and history screens, the status bar, the
scanner, the idle lock and a safe quit."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from pos_exchange.config import Settings
from pos_exchange.domain.users import User
from pos_exchange.gui import heap, steps
from pos_exchange.gui.context import WindowContext
from pos_exchange.gui.exchange_page import ExchangePage
from pos_exchange.gui.history_page import HistoryPage
from pos_exchange.gui.receipt_page import ReceiptPage
from pos_exchange.gui.scanner import ScannerConfig, SerialScanner, WedgeScanner
from pos_exchange.gui.sign_in_page import SignInPage
from pos_exchange.gui.texts import tr
from pos_exchange.gui.type_ahead import TypeAhead
from pos_exchange.gui.widgets import shortcut
from pos_exchange.services.sync import STALE_AFTER

if TYPE_CHECKING:
    from pos_exchange.gui.manager.page import ManagerPage

log = logging.getLogger(__name__)

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
STATUS_MS = 5000
ALARM_STYLE = "QStatusBar { background: #b71c1c; color: white; font-weight: bold; }"


class _IdleWatch:
    """The time of the last key, click or touch anywhere in the application (the
    type-ahead's event filter notes it: one Python filter fewer on every event)."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def touch(self, kind: QEvent.Type) -> None:
        if kind in INPUT_EVENTS:
            self.last = time.monotonic()


def scanner_config(settings: Settings) -> ScannerConfig:
    d = settings.devices
    return ScannerConfig(prefix=d.scanner_prefix, suffix=d.scanner_suffix,
                         max_gap_ms=d.scanner_gap_ms, min_length=d.scanner_min_length)


class MainWindow(QMainWindow):
    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        s = ctx.app.settings
        self.setWindowTitle(tr("pos-exchange — {store} {register}").format(
            store=s.store_id, register=s.register_id))
        self.setWindowIcon(QIcon(":/icons/app.svg"))
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("pages")
        self.setCentralWidget(self.pages)
        app = QApplication.instance()
        self.wedge = WedgeScanner(scanner_config(s), parent=self)
        self.wedge.setObjectName("wedgeScanner")
        # Keys typed while a step is on its way wait for the field its answer focuses.
        # Installed before the wedge, so the wedge (called first) tells scans from typing.
        self.idle = _IdleWatch()
        self.type_ahead = TypeAhead(self, self.wedge.passing, self.idle.touch, parent=self)
        self.sign_in = SignInPage(ctx)
        self.sign_in.setObjectName("signInPage")
        self.exchange = ExchangePage(ctx, self.type_ahead)
        self.exchange.setObjectName("exchangePage")
        self.receipt = ReceiptPage(ctx)
        self.receipt.setObjectName("receiptPage")
        self.history = HistoryPage(ctx)
        self.history.setObjectName("historyPage")
        # The manager's pages (issue 13: manager role only, Ctrl+M) are built on first use:
        # their charts and figures cost about 120 ms of every cold start otherwise.
        self._manager: ManagerPage | None = None
        for page in (self.sign_in, self.exchange, self.receipt, self.history):
            self.pages.addWidget(page)
        self._build_status_bar()
        self._quit_confirmed = False
        self._last_status: steps.SyncState | None = None

        self.sign_in.signed_in.connect(self._signed_in)
        # While the sign-in screen waits for a CSR: what the first exchange needs is
        # imported, and what start-up built (never garbage) is frozen out of the
        # collector's walks. Not at sign-in: the first scan comes right after it, and a
        # collection in the middle of its burst would split it. A moment after the screen
        # is up, so the window's first paint does not share the CPU with the imports.
        QTimer.singleShot(heap.AFTER_START_MS, self, lambda: heap.after_start(ctx.runner))
        self.exchange.finished.connect(self._finalized)
        self.exchange.changed.connect(self.refresh_status)
        self.receipt.next_customer.connect(self._next_customer)
        self.receipt.printer_state.connect(self._printer_state)
        self.history.open_requested.connect(self._open_from_history)
        self.history.reprint_requested.connect(self._reprint)
        self.history.back.connect(lambda: self._show(self.exchange))
        ctx.runner.busy.connect(self._busy)
        for keys, slot, name in (("F3", self.show_history, "shortcutHistory"),
                                 ("Ctrl+M", self.show_manager, "shortcutManager"),
                                 ("Ctrl+L", self.lock, "shortcutLock"),
                                 ("Ctrl+Q", self.close, "shortcutQuit")):
            sc = shortcut(self, keys, slot, name)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)

        self.wedge.scanned.connect(self.route_scan)
        if app is not None:   # after the pages are built: their events need no filtering
            app.installEventFilter(self.type_ahead)
            app.installEventFilter(self.wedge)
        self.serial: SerialScanner | None = None
        if s.devices.scanner == "serial":
            self.serial = SerialScanner(s.devices.scanner_port, s.devices.scanner_baud,
                                        scanner_config(s), parent=self)
            self.serial.scanned.connect(self.route_scan)
            self.serial.error.connect(self.scannerStatus.setText)
            self.serial.open()

        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(5000)
        self._idle_timer.timeout.connect(self._check_idle)
        self._idle_timer.start()
        self._sync = steps.SyncTick(ctx.app)
        self._sync_busy = False
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(max(STATUS_MS, s.gui.sync_interval_s * 1000))
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        self._show(self.sign_in)
        self.sign_in.prepare()
        self.refresh_status()

    # ------------------------------------------------------------------ status bar
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")

        def label(name: str, accessible: str) -> QLabel:
            widget = QLabel(self)
            widget.setObjectName(name)
            widget.setAccessibleName(accessible)
            bar.addPermanentWidget(widget)
            return widget

        self.busyBar = QProgressBar(self)
        self.busyBar.setObjectName("busyIndicator")
        self.busyBar.setAccessibleName(tr("Working"))
        self.busyBar.setRange(0, 0)
        self.busyBar.setMaximumWidth(120)
        self.busyBar.setVisible(False)
        bar.addWidget(self.busyBar)
        self.busyLabel = QLabel(self)
        self.busyLabel.setObjectName("busyLabel")
        self.busyLabel.setAccessibleName(tr("What the register is doing"))
        bar.addWidget(self.busyLabel)
        self.onlineStatus = label("onlineStatus", tr("Connection to the central system"))
        self.pendingStatus = label("pendingStatus", tr("Exchanges not yet sent"))
        self.printerStatus = label("printerStatus", tr("Printer"))
        self.terminalStatus = label("terminalStatus", tr("Card terminal"))
        self.scannerStatus = label("scannerStatus", tr("Scanner"))
        self.userStatus = label("userStatus", tr("Signed-in user"))
        d = self.ctx.app.settings.devices
        printers = {"file": tr("file"), "usb": tr("USB"), "serial": tr("serial port"),
                    "network": tr("network")}
        self.printerStatus.setText(tr("Printer: {kind}").format(
            kind=printers.get(d.printer, d.printer)))
        terminal = tr("simulated") if d.terminal == "simulated" else d.reader_id or "Stripe"
        self.terminalStatus.setText(tr("Card: {terminal}").format(terminal=terminal))
        self.scannerStatus.setText(tr("Scanner: {kind}").format(
            kind=tr("keyboard") if d.scanner == "keyboard" else d.scanner_port))
        self.userStatus.setText(tr("Not signed in"))

    def _busy(self, busy: bool, label: str) -> None:
        self.busyBar.setVisible(busy)
        self.busyLabel.setText(label if busy else "")

    def _printer_state(self, ok: bool, text: str) -> None:
        self.printerStatus.setText(text)

    def refresh_status(self) -> None:
        if self._sync_busy:
            return
        self._sync_busy = True
        self.ctx.runner.run("sync", self._sync, self._status_done, self._status_failed,
                            tr("Syncing"))

    def _status_done(self, status: steps.SyncState) -> None:
        self._sync_busy = False
        self._last_status = status
        hub = status.hub
        self.onlineStatus.setText({
            "none": tr("Offline mode (no hub configured)"),
            "online": tr("Online"),
            "offline": tr("Offline: kept for later"),
        }[hub])
        if status.error:
            self.onlineStatus.setToolTip(status.error)
        # A refused journal is an alarm, not a tooltip: the whole bar turns red.
        self.statusBar().setProperty("alarm", bool(status.alarm))
        self.statusBar().setStyleSheet(ALARM_STYLE if status.alarm else "")
        if status.alarm:
            self.onlineStatus.setText(tr("ALARM: the hub refused this register's journal "
                                         "({code}): call IT").format(code=status.alarm))
        text = tr("Unsent: {n}").format(n=status.pending)
        oldest = status.oldest
        if oldest is not None and self.ctx.app.runtime.clock() - oldest > STALE_AFTER:
            text += " · " + tr("oldest over 24 h: call IT")
        if status.dead:
            text += " · " + tr("needs attention: {n}").format(n=status.dead)
        self.pendingStatus.setText(text)
        if status.more:  # a backlog: the next round at once (each round is bounded)
            QTimer.singleShot(0, self.refresh_status)

    def _status_failed(self, exc: BaseException) -> None:
        self._sync_busy = False
        log.warning("status refresh failed: %s", exc)
        self.onlineStatus.setText(tr("Offline: kept for later"))

    # ------------------------------------------------------------------ screens
    def _show(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)

    def current(self) -> QWidget | None:
        return self.pages.currentWidget()

    @property
    def manager(self) -> ManagerPage:
        if self._manager is None:
            from pos_exchange.gui.manager.page import ManagerPage

            page = ManagerPage(self.ctx)
            page.setObjectName("managerPage")
            self.pages.addWidget(page)
            page.back.connect(lambda: self._show(self.exchange))
            self._manager = page
        return self._manager

    def _signed_in(self, user: User) -> None:
        self.ctx.user = user
        self.userStatus.setText(tr("{name} ({role})").format(name=user.name, role=tr(user.role)))
        self.idle.last = time.monotonic()
        self._show(self.exchange)
        if self.exchange.number is not None:
            self.exchange.open_exchange(self.exchange.number,
                                        tr("Unlocked: {name} continues.").format(name=user.name))
            return
        app, register = self.ctx.app, self.ctx.app.settings.register_id
        # A scan right after sign-in waits for this answer: reopening an exchange must
        # not wipe the one the scan starts.
        self.type_ahead.hold()
        self.ctx.runner.run("db", lambda: steps.resume_candidate(app, register),
                            self._resume, lambda _exc: self._resume(None),
                            tr("Looking for unfinished exchanges"))

    def _resume(self, number: str | None) -> None:
        try:
            self._reopen(number)
        finally:
            self.type_ahead.release()

    def _reopen(self, number: str | None) -> None:
        if number:
            self.exchange.open_exchange(number, tr("Reopened unfinished exchange {number}.")
                                        .format(number=number))
        else:
            self.exchange.reset()

    def lock(self, message: str = "") -> None:
        """Lock the screen; the exchange in progress stays as it is."""
        if self.ctx.user is None:
            return
        self.ctx.user = None
        self.type_ahead.clear()   # keys held for the last user never reach the next one
        self.userStatus.setText(tr("Locked"))
        self._show(self.sign_in)
        self.sign_in.prepare(message or tr("Screen locked. Sign in to continue."),
                             level="info")

    def _check_idle(self) -> None:
        minutes = self.ctx.app.settings.gui.idle_lock_minutes
        if self.ctx.user is None or self.exchange.card_in_progress:
            return
        if time.monotonic() - self.idle.last > minutes * 60:
            self.lock(tr("Locked after {n} minutes without activity. Sign in to continue.")
                      .format(n=f"{minutes:g}"))

    def _finalized(self, number: str) -> None:
        self._show(self.receipt)
        self.receipt.show_exchange(number)

    def _next_customer(self) -> None:
        self.exchange.reset()
        self._show(self.exchange)

    def show_history(self) -> None:
        if self.ctx.user is None:
            return
        self._show(self.history)
        self.history.refresh()

    def show_manager(self) -> None:
        """The manager's dashboard, close and tasks: for the manager role only."""
        if self.ctx.user is None or not self.ctx.user.can_approve:
            return
        self._show(self.manager)
        self.manager.open()

    def _open_from_history(self, number: str) -> None:
        self._show(self.exchange)
        self.exchange.open_exchange(number)

    def _reprint(self, number: str) -> None:
        self._show(self.receipt)
        self.receipt.show_exchange(number, reprint=True,
                                   title=tr("Reprint of {number}").format(number=number))

    def route_scan(self, code: str) -> None:
        """A scan goes to whatever the CSR is doing: a badge on the sign-in screen, a
        search on the history, the next customer's first item on the receipt screen."""
        if self.type_ahead.defer(lambda: self.route_scan(code)):
            return   # a step is on its way: the scan waits its turn behind the keys
        page = self.current()
        owed = self.exchange.cash_owed_dialog
        if page is self.sign_in:
            self.sign_in.badge_scanned(code)
        elif owed is not None and owed.isVisible() and self.ctx.user is not None:
            owed.scanned(code)   # the receipt of a customer back for a cash refund owed
        elif self.ctx.user is None or (page is not None and page is self._manager):
            return
        elif page is self.history:
            self.history.search(code)
        elif page is self.receipt:
            self._next_customer()
            self.exchange.handle_scan(code)
        else:
            self.exchange.handle_scan(code)

    # ------------------------------------------------------------------ quitting
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.exchange.card_in_progress:
            event.ignore()
            self.exchange.fail(tr(
                "A card payment is in progress: finish or cancel it (Esc) before quitting."))
            return
        pending = self._last_status.pending if self._last_status else 0
        # Without a hub nothing is waiting for a connection: quitting loses nothing and
        # changes nothing, so the register does not ask.
        if pending and self.ctx.app.settings.hub_url and not self._quit_confirmed:
            event.ignore()
            box = QMessageBox(QMessageBox.Icon.Warning, tr("Quit pos-exchange"),
                              _unsent_question(pending),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            box.setObjectName("quitConfirm")
            box.setDefaultButton(QMessageBox.StandardButton.No)
            box.accepted.connect(self._confirmed_quit)
            box.open()
            return
        self._idle_timer.stop()
        self._status_timer.stop()
        self.exchange.stop_timers()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
            app.removeEventFilter(self.type_ahead)
        if self.serial is not None:
            self.serial.close()
        event.accept()

    def _confirmed_quit(self) -> None:
        self._quit_confirmed = True
        self.close()


def _unsent_question(n: int) -> str:
    if n == 1:
        return tr("1 exchange record is not yet sent to the central system. It is kept "
                  "safely on this register and sent the next time it runs with a "
                  "connection. Quit anyway?")
    return tr("{n} exchange records are not yet sent to the central system. They are kept "
              "safely on this register and sent the next time it runs with a connection. "
              "Quit anyway?").format(n=n)
