"""Type-ahead: keys and scans that arrive while a step is on its way are held, then given,
in order, to the field the step's answer puts the focus in.

Without it, "F9, then 100.00" sent "100" to the item field and ".00" to the cash field:
the focus moved only when the lock-in came back (about 300 ms later). Now a step holds
the window's keys (``hold``) until its answer is painted (``release``); then each held
key is sent again to whatever has the focus, as a new key event, so shortcuts (F12, Esc)
fire as they would have. A key that starts another step holds the rest again.

Install this filter on the application *before* the keyboard-wedge scanner, so the wedge
sees raw keys first (Qt calls the last-installed filter first) and decides what is a scan;
scans that arrive while held are deferred here too (``defer``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos_exchange.gui.scanner import copy_key_event

KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)


class TypeAhead(QObject):
    def __init__(self, window: QWidget,
                 passing: Callable[[], AbstractContextManager[object]] | None = None,
                 seen: Callable[[QEvent.Type], None] | None = None,
                 parent: QObject | None = None) -> None:
        """``window``: whose keys are held (dialogs it opens are their own windows and
        type freely). ``passing``: lets a replayed key through the scanner untouched.
        ``seen``: told the type of every event (the idle lock watches input there)."""
        super().__init__(parent)
        self.window = window
        self._passing = passing or nullcontext
        self._seen = seen
        self._holds = 0
        self._queue: list[QKeyEvent | Callable[[], None]] = []
        self._replaying = False
        self._passed: tuple[tuple[int, int, int, int, str], QWidget] | None = None

    @property
    def held(self) -> bool:
        return self._holds > 0

    @property
    def queued(self) -> int:
        return len(self._queue)

    def hold(self) -> None:
        self._holds += 1

    def release(self) -> None:
        """A step's answer is painted (focus set): hand back what was held meanwhile."""
        self._holds = max(0, self._holds - 1)
        if not self._holds and not self._replaying:
            self._replay()

    def defer(self, action: Callable[[], None]) -> bool:
        """Run ``action`` (a scan) in turn after the held keys; False when nothing is held
        and the caller should go ahead now."""
        if not self.held:
            return False   # nothing pending (or this is the deferred scan's own turn)
        self._queue.append(action)
        return True

    def clear(self) -> None:
        """Forget everything (the screen locked: nobody's keys may reach the next user)."""
        self._holds = 0
        self._queue.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._seen is not None:
            self._seen(kind)
        if kind not in (*KEY_EVENTS, QEvent.Type.ShortcutOverride) or self._replaying:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        assert isinstance(event, QKeyEvent)
        if not (self._holds or self._queue):
            if kind != QEvent.Type.ShortcutOverride:
                self._passed = (_fingerprint(event), watched)
            return False
        if self._propagating(event, watched):
            # A key delivered before the hold began, that its widget ignored (a line edit
            # ignores Enter after returnPressed) and Qt now offers its parent: it was
            # handled once, it must not be replayed.
            return False
        if kind == QEvent.Type.ShortcutOverride:
            # Claim it: a shortcut (F12, Esc) must not run before the step it follows;
            # the held key press runs it when it is sent again.
            event.accept()
            return True
        self._queue.append(copy_key_event(event))
        return True

    def _propagating(self, event: QKeyEvent, watched: QWidget) -> bool:
        if self._passed is None:
            return False
        fingerprint, first = self._passed
        return (fingerprint == _fingerprint(event) and shiboken6.isValid(first)
                and watched.isAncestorOf(first))

    def _replay(self) -> None:
        self._replaying = True
        try:
            while self._queue and not self._holds:
                item = self._queue.pop(0)
                if isinstance(item, QKeyEvent):
                    self._send(item)
                else:
                    with self._not_replaying():
                        item()
        finally:
            self._replaying = False

    def _send(self, event: QKeyEvent) -> None:
        target = QApplication.focusWidget()
        if target is None or target.window() is not self.window:
            target = self.window
        if not shiboken6.isValid(target):
            return
        with self._passing():
            QCoreApplication.sendEvent(target, event)

    @contextmanager
    def _not_replaying(self) -> Iterator[None]:
        # A deferred scan runs as if it had just arrived (it may hold the keys again).
        self._replaying = False
        try:
            yield
        finally:
            self._replaying = True


def _fingerprint(event: QKeyEvent) -> tuple[int, int, int, int, str]:
    """The same delivery, offered to the next parent (Qt may pass a copy of the event):
    same kind, key, modifiers, time and text."""
    return (int(event.type().value), event.key(), int(event.modifiers().value),
            event.timestamp(), event.text())
