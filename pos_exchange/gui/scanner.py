"""Barcode scanner input: keyboard-wedge bursts, serial scanners and what a code is.

A keyboard-wedge scanner types the code like a very fast keyboard and ends it with Enter.
`BurstDetector` tells such a burst from a person typing, from key timestamps alone (no Qt,
so it is tested with explicit times). `WedgeScanner` applies it to the whole application
through an event filter: keys are held for at most `max_gap_ms`; a burst becomes one
`scanned` signal and never reaches the focused widget, anything else is handed back to
the widget it was meant for, in order. `SerialScanner` reads scanners on a serial port
through QtSerialPort. `classify` says whether a code is a product (valid EAN/UPC), an
invalid number, or text such as a receipt or exchange number; the caller plays the error
sound and shows the message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QIODeviceBase, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtSerialPort import QSerialPort
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


@dataclass(frozen=True)
class ScannerConfig:
    """How the store's scanners are set up. The defaults match a factory-set scanner."""

    prefix: str = ""  # sent before the code; most scanners send nothing
    suffix: str = "\r"  # sent after the code; usually Enter. "" means: a pause ends it
    max_gap_ms: int = 35  # scanners type a key every 1-15 ms; people rarely below 50 ms
    min_length: int = 4  # a shorter fast burst is someone typing, not a barcode
    max_length: int = 256  # longer without a suffix is not a scan (garbage, a stuck key)

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0:
            raise ValueError("The scanner key gap must be more than 0 ms.")
        if self.min_length < 1:
            raise ValueError("The shortest scanned code must be at least 1 character.")
        if self.max_length < self.min_length:
            raise ValueError("The longest scanned code cannot be shorter than the shortest.")


@dataclass(frozen=True)
class Scan:
    """A completed burst: `code` without prefix and suffix, `raw` as it was typed."""

    code: str
    raw: str


@dataclass(frozen=True)
class Replay:
    """Characters that were typing after all, to hand back in this order."""

    chars: str


Event = Scan | Replay


class BurstDetector:
    """Decides, one character at a time, whether the keys are a scanner burst.

    Every character is held until the decision is made; each one comes back exactly
    once, either inside a `Scan` or a `Replay`, and always in the order it was fed.
    A burst is: every gap at most `max_gap_ms`, starting with the prefix, ending with
    the suffix, with at least `min_length` characters of code in between.
    """

    def __init__(self, config: ScannerConfig | None = None) -> None:
        self.config = config or ScannerConfig()
        self._held: list[str] = []
        self._last_ms = 0.0

    @property
    def pending(self) -> str:
        """The characters held while the decision is open."""
        return "".join(self._held)

    def deadline(self) -> float | None:
        """When the held characters are released if nothing else arrives (ms)."""
        return self._last_ms + self.config.max_gap_ms if self._held else None

    def feed(self, char: str, t_ms: float) -> list[Event]:
        if len(char) != 1:
            raise ValueError(f"Feed one character at a time, not {char!r}.")
        events: list[Event] = []
        if self._held and t_ms - self._last_ms > self.config.max_gap_ms:
            events += self._timeout()  # too slow to belong to the held burst
        self._held.append(char)
        self._last_ms = t_ms
        events += self._drop_unviable_start()
        text = self.pending
        prefix, suffix = self.config.prefix, self.config.suffix
        if suffix and text.endswith(suffix) and len(text) >= len(prefix) + len(suffix):
            self._held.clear()
            code = text[len(prefix):len(text) - len(suffix)]
            events.append(Scan(code, text) if len(code) >= self.config.min_length
                          else Replay(text))
        elif len(text) > len(prefix) + self.config.max_length + len(suffix):
            self._held.clear()
            events.append(Replay(text))
        return events

    def flush(self, t_ms: float | None = None) -> list[Event]:
        """The timeout path: release what is held once `max_gap_ms` has passed since
        the last key. Without `t_ms` the caller's timer says the time is up."""
        if not self._held:
            return []
        if t_ms is not None and t_ms - self._last_ms <= self.config.max_gap_ms:
            return []  # a next key may still come
        return self._timeout()

    def abort(self) -> list[Event]:
        """Give back everything held as typing (another key interrupted the burst)."""
        text, self._held = self.pending, []
        return [Replay(text)] if text else []

    def _timeout(self) -> list[Event]:
        text, self._held = self.pending, []
        prefix = self.config.prefix
        # Only a scanner set up without a suffix ends its codes with a pause.
        if (not self.config.suffix and text.startswith(prefix)
                and len(text) - len(prefix) >= self.config.min_length):
            return [Scan(text[len(prefix):], text)]
        return [Replay(text)]

    def _drop_unviable_start(self) -> list[Event]:
        # With a prefix, held keys that cannot begin it are typing: give them back at
        # once, so only keys that may open a burst wait.
        prefix = self.config.prefix
        dropped = []
        while self._held:
            text = self.pending
            if text.startswith(prefix) or prefix.startswith(text):
                break
            dropped.append(self._held.pop(0))
        return [Replay("".join(dropped))] if dropped else []


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


def _focus() -> QObject | None:
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
        (app or QCoreApplication.instance()).installEventFilter(self)

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


class SerialScanner(QObject):
    """A scanner on a serial port (or USB-serial): one code per line."""

    scanned = Signal(str)
    error = Signal(str)

    def __init__(self, port_name: str, baud: int = 9600,
                 config: ScannerConfig | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.port_name = port_name
        self.config = config or ScannerConfig()
        self._buffer = ""
        self._discarding = False  # after an overflow, skip to the next terminator
        self._port = QSerialPort(self)
        self._port.setPortName(port_name)
        self._port.setBaudRate(baud)
        self._port.readyRead.connect(self._on_ready_read)
        self._port.errorOccurred.connect(self._on_error)
        terminators = {"\r", "\n"}
        if self.config.suffix:
            terminators.add(self.config.suffix)
        self._terminators = re.compile("|".join(
            re.escape(t) for t in sorted(terminators, key=len, reverse=True)))

    def is_open(self) -> bool:
        return self._port.isOpen()

    def open(self) -> bool:
        if self._port.isOpen():
            return True
        if self._port.open(QIODeviceBase.OpenModeFlag.ReadOnly):
            self._buffer, self._discarding = "", False
            return True
        reason = self._port.errorString().rstrip(".") or "unknown error"
        self.error.emit(f"The scanner on {self.port_name} cannot be opened: {reason}. "
                        "Check the cable and the port in the configuration.")
        return False

    def close(self) -> None:
        if self._port.isOpen():
            self._port.close()
        self._buffer, self._discarding = "", False

    def feed_bytes(self, data: bytes) -> None:
        """Handle bytes as read from the port (public so it is testable without one)."""
        # latin-1 maps every byte to a character: line noise cannot raise here.
        self._buffer += bytes(data).decode("latin-1")
        limit = self.config.max_length + len(self.config.prefix)
        while match := self._terminators.search(self._buffer):
            line = self._buffer[:match.start()]
            self._buffer = self._buffer[match.end():]
            if self._discarding:
                self._discarding = False
                continue
            if len(line) > limit:
                self._overflow(len(line))
                continue
            code = self._clean(line)
            if code:
                self.scanned.emit(code)
        if len(self._buffer) > limit:
            if not self._discarding:
                self._overflow(len(self._buffer))
            self._buffer, self._discarding = "", True

    def _overflow(self, size: int) -> None:
        self.error.emit(f"The scanner on {self.port_name} sent {size} characters without "
                        "an end-of-code mark; they were discarded. Check that the scanner "
                        "sends Enter (CR) after each code.")

    def _clean(self, line: str) -> str:
        # Noise such as NUL or a stray space at either end is not part of a code.
        line = line.strip("".join(map(chr, range(33))) + "\x7f")
        prefix = self.config.prefix
        if prefix and line.startswith(prefix):
            line = line[len(prefix):]  # a line without it is still a code: be lenient
        return line.strip()

    def _on_ready_read(self) -> None:
        self.feed_bytes(self._port.readAll().data())

    def _on_error(self, err: QSerialPort.SerialPortError) -> None:
        # A failed open is reported by open(); here only trouble on an open port.
        if err == QSerialPort.SerialPortError.NoError or not self._port.isOpen():
            return
        reason = self._port.errorString().rstrip(".") or "unknown error"
        if err == QSerialPort.SerialPortError.ResourceError:
            self.error.emit(f"The scanner on {self.port_name} was disconnected: {reason}. "
                            "Check the cable and the port in the configuration.")
            self.close()
        else:
            self.error.emit(f"The scanner on {self.port_name} reported an error: {reason}.")
