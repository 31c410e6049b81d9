"""Background work for the GUI: every call that may touch the network, a printer, a card
reader or the disk runs here, never on the GUI thread.

Work goes to named lanes. Each lane is its own QThreadPool with one thread, so the jobs of
a lane run one at a time in the order they were queued: two quick scans are applied in
scan order, and a card poll never overtakes the card's start. Results and errors come back
to the GUI thread as queued signals and are handed to the callbacks there (the Electrum
pattern: success and error callbacks on the GUI thread).
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from pos_exchange.domain.errors import PosError

log = logging.getLogger(__name__)

LANES = ("db", "card", "printer", "sync")
Callback = Callable[[Any], None]


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], runner: TaskRunner) -> None:
        super().__init__()
        self.job_id, self.fn, self.runner = job_id, fn, runner
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to say
            self.runner._finished.emit(self.job_id, False, exc)
        else:
            self.runner._finished.emit(self.job_id, True, result)


class TaskRunner(QObject):
    """Owns one single-thread pool per lane. ``busy`` says what is running, for the status
    bar's progress indicator."""

    _finished = Signal(int, bool, object)
    busy = Signal(bool, str)
    instances: ClassVar[weakref.WeakSet[TaskRunner]] = weakref.WeakSet()  # tests: no dangling

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        TaskRunner.instances.add(self)
        self._pools: dict[str, QThreadPool] = {}
        for lane in LANES:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(2000)  # idle threads end soon: nothing dangles after close
            self._pools[lane] = pool
        self._callbacks: dict[int, tuple[Callback | None, Callback | None, str]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._finished.connect(self._deliver)

    def run(self, lane: str, fn: Callable[[], Any], on_done: Callback | None = None,
            on_error: Callback | None = None, label: str = "") -> int | None:
        """Queue ``fn`` on ``lane``; callbacks run on the GUI thread. None once closed."""
        if self._closed:
            return None
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error, label)
        self._pools[lane].start(_Job(job_id, fn, self))
        self.busy.emit(True, label)
        return job_id

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        on_done, on_error, label = self._callbacks.pop(job_id, (None, None, ""))
        if not self._callbacks:
            self.busy.emit(False, "")
        if self._closed:
            return
        if not ok and not isinstance(payload, PosError):  # a refusal is not a bug
            log.error("background task %s failed", label or job_id,
                      exc_info=payload)  # type: ignore[arg-type]
        if ok:
            if on_done is not None:
                on_done(payload)
        elif on_error is not None:
            on_error(payload)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Drop queued jobs, wait for running ones; True when every thread has stopped."""
        self._closed = True
        idle = True
        for pool in self._pools.values():
            pool.clear()
            idle = pool.waitForDone(timeout_ms) and idle
        return idle

    def active_threads(self) -> int:
        return sum(pool.activeThreadCount() for pool in self._pools.values())
