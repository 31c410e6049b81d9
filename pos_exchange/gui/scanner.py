"""Barcode scanner input at the counter.

A keyboard-wedge scanner types the code like a very fast keyboard and ends it with Enter.
`BurstDetector` (gui/bursts.py, Qt-free) tells such a burst from a person typing.
`WedgeScanner` applies it to the whole application through an event filter: keys are
held for at most `max_gap_ms`; a burst becomes one `scanned` signal and never reaches the
focused widget, anything else is handed back, in order, to the widget that has the focus
(the one it was typed into, unless the screen moved the focus meanwhile). Serial scanners
are gui/serial_scanner.py's; `classify` (domain/scan_codes.py) says what a code is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from pos_exchange.gui.bursts import BurstDetector, Event, Replay, Scan, ScannerConfig
from pos_exchange.gui.serial_scanner import SerialScanner

__all__ = ["BurstDetector", "Event", "Replay", "Scan", "ScannerConfig", "SerialScanner",
           "WedgeScanner", "copy_key_event"]


_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Pressed around the characters (Shift for capitals); they neither start nor break a burst.
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                            Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_CapsLock,
                            Qt.Key.Key_NumLock})
_KM = Qt.KeyboardModifier
_PLAIN = _KM.ShiftModifier | _KM.KeypadModifier | _KM.GroupSwitchModifier


@dataclass
class _Held:
    event: QKeyEvent  # our own copy; the original is gone once the filter returns
    receiver: QObject
    unit: bool  # a character fed to the detector (not a release or a Shift)
    focused: bool = False  # the receiver had the keyboard focus when the key came


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


def _is_secret(widget: QObject) -> bool:
    return isinstance(widget, QLineEdit) and \
        widget.echoMode() != QLineEdit.EchoMode.Normal


def copy_key_event(event: QKeyEvent) -> QKeyEvent:
    """Our own copy of a key event (the original is gone once a filter returns)."""
    copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.nativeScanCode(),
                     event.nativeVirtualKey(), event.nativeModifiers(), event.text(),
                     event.isAutoRepeat(), event.count())
    copy.setTimestamp(event.timestamp())
    return copy


class WedgeScanner(QObject):
    """Captures keyboard-wedge scans wherever the focus is.

    Install it on the application: ``app.installEventFilter(wedge)``. Keys that may
    start or continue a burst are held (at most `max_gap_ms`); a burst is emitted as
    `scanned` and swallowed, so a focused line edit does not get the digits and the
    Enter does not press a default button. Typing is replayed, as new key events, to
    the widget that had the focus, in order.
    """

    scanned = Signal(str)

    def __init__(self, config: ScannerConfig | None = None,
                 clock: Callable[[], float] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config or ScannerConfig()
        # A wedge can only send Enter, so a CR/LF suffix becomes the Enter key's "\r".
        suffix = self.config.suffix.replace("\r\n", "\r").replace("\n", "\r")
        self._detector = BurstDetector(replace(self.config, suffix=suffix))
        self._suffix_chars = frozenset(suffix)
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._enabled = True
        self._replaying = False
        self._queue: list[_Held] = []
        self._orphans: dict[int, int] = {}  # keys whose press was swallowed: drop release
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.config.max_gap_ms)
        self._timer.timeout.connect(self._on_timeout)

    # -- public ---------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self.setEnabled(on)

    def isEnabled(self) -> bool:
        return self._enabled

    def setEnabled(self, on: bool) -> None:
        if not on:
            self.release()  # nothing held may be lost when capture pauses
        self._enabled = bool(on)

    def install(self, app: QCoreApplication | None = None) -> None:
        target = app or QCoreApplication.instance()
        if target is not None:
            target.installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        app = app or QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.release()

    @contextmanager
    def passing(self) -> Iterator[None]:
        """Keys sent inside this block pass untouched (someone else replays them)."""
        was, self._replaying = self._replaying, True
        try:
            yield
        finally:
            self._replaying = was

    def release(self) -> None:
        """Hand back whatever is held as typing, now, and stop the timer."""
        self._timer.stop()
        self._process(self._detector.abort())

    @property
    def pending(self) -> str:
        return self._detector.pending

    # -- the filter -----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
                        QEvent.Type.ShortcutOverride):
            return False
        # Replayed keys pass; window-level deliveries pass and come back for the widget.
        if self._replaying or not self._enabled or not watched.isWidgetType():
            return False
        if _is_secret(watched) and not self._queue:
            # A PIN typed quickly must never be taken for a scan (and shown, or routed to
            # a search): password fields get their keys directly.
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.ShortcutOverride:
            # Claim the key so an application shortcut on Enter or a digit cannot fire
            # in the middle of a scan; a replayed key is checked for shortcuts again.
            if self._char_for(event) is not None:
                event.accept()
                return True
            return False
        if kind == QEvent.Type.KeyRelease:
            if self._queue:  # keep releases behind their presses
                self._queue.append(_Held(copy_key_event(event), watched, False,
                                          watched is _focus()))
                return True
            return self._drop_orphan_release(event.key())
        char = self._char_for(event)
        if char is None:
            if event.key() in _MODIFIER_KEYS and self._queue:
                self._queue.append(_Held(copy_key_event(event), watched, False,
                                          watched is _focus()))
                return True
            self.release()  # e.g. Backspace, an arrow: the held keys come first
            self._orphans.pop(event.key(), None)
            return False
        self._queue.append(_Held(copy_key_event(event), watched, True, watched is _focus()))
        self._process(self._detector.feed(char, self._clock()))
        if self._detector.pending:
            self._timer.start()
        else:
            self._timer.stop()
        return True

    def _char_for(self, event: QKeyEvent) -> str | None:
        """The character the detector sees for this key, or None if never captured."""
        if event.isAutoRepeat():
            return None  # a held-down key; scanners never auto-repeat
        mods = event.modifiers()
        if event.key() in _RETURN_KEYS or event.key() == Qt.Key.Key_Tab:
            char = "\t" if event.key() == Qt.Key.Key_Tab else "\r"
            plain = not mods & ~_KM.KeypadModifier
            return char if plain and char in self._suffix_chars else None
        text = event.text()
        if len(text) != 1 or not text.isprintable():
            return None
        alt_gr = bool(mods & _KM.ControlModifier and mods & _KM.AltModifier)  # Windows
        if mods & ~_PLAIN and not alt_gr:
            return None  # a shortcut such as Ctrl+C
        return text

    def _on_timeout(self) -> None:
        self._process(self._detector.flush())

    def _process(self, events: list[Event]) -> None:
        codes = []
        for ev in events:
            if isinstance(ev, Scan):
                self._take(len(ev.raw), swallow=True)
                codes.append(ev.code)
            else:
                self._take(len(ev.chars), swallow=False)
        if not self._detector.pending:
            self._take(0, swallow=False, rest=True)  # trailing releases and modifiers
        # Emit last, so a slot that opens a dialog finds the filter in a clean state.
        for code in codes:
            self.scanned.emit(code)

    def _take(self, units: int, *, swallow: bool, rest: bool = False) -> None:
        """Remove from the queue the entries up to the `units`-th character and the
        releases right after it; swallow or replay them."""
        taken: list[_Held] = []
        while self._queue and (units or rest):
            entry = self._queue.pop(0)
            taken.append(entry)
            units -= entry.unit
        while not rest and self._queue and not self._queue[0].unit \
                and self._queue[0].event.type() == QEvent.Type.KeyRelease:
            taken.append(self._queue.pop(0))
        for entry in taken:
            key = entry.event.key()
            if entry.event.type() == QEvent.Type.KeyRelease:
                if not self._drop_orphan_release(key):
                    self._send(entry)
            elif swallow:
                self._orphans[key] = self._orphans.get(key, 0) + 1
            else:
                self._orphans.pop(key, None)
                self._send(entry)

    def _drop_orphan_release(self, key: int) -> bool:
        count = self._orphans.get(key, 0)
        if not count:
            return False
        if count == 1:
            del self._orphans[key]
        else:
            self._orphans[key] = count - 1
        return True

    def _send(self, entry: _Held) -> None:
        if not shiboken6.isValid(entry.receiver):
            return  # the widget was closed meanwhile; nobody to type into
        receiver = entry.receiver
        # Typing follows the focus: if the screen moved it while the key was held (a
        # step's answer focused the cash field), the key goes where the CSR now types.
        focus = _focus()
        if entry.focused and focus is not None and focus is not receiver and \
                isinstance(receiver, QWidget) and focus.window() is receiver.window():
            receiver = focus
        self._replaying = True
        try:
            QCoreApplication.sendEvent(receiver, entry.event)
        finally:
            self._replaying = False
