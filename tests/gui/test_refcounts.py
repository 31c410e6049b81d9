"""Guard against the PySide6 6.12.0 defect that ended a CSR's shift.

PySide6 6.12.0 over-releases ``True`` on every ``emit()`` and ``None`` on every signal
delivered across threads (the queued delivery ``gui/tasks.py`` uses for every worker
result). On Python 3.11 the refcount of those singletons reaches zero after a few
hundred scans and the interpreter aborts (``Fatal Python error: none_dealloc``). On
3.12+ they are immortal, which hides the bug instead of fixing it, so this test checks
the counts themselves rather than waiting for a crash.

The emissions run in a child process: with a bad PySide6 the child aborts, and that must
fail this test instead of killing the whole suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

EMISSIONS = 4000

CHILD = textwrap.dedent(f"""
    import gc, json, os, sys, threading
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

    from pos_exchange.gui.tasks import TaskRunner

    app = QCoreApplication([])

    class Source(QObject):
        # The shapes gui/tasks.py sends: (job id, ok flag, payload that is often None).
        finished = Signal(int, bool, object)
        flag = Signal(bool)

    class Sink(QObject):
        def __init__(self):
            super().__init__()
            self.got = 0

        def on_finished(self, job_id, ok, payload):
            self.got += 1

        def on_flag(self, value):
            self.got += 1

    source, sink = Source(), Sink()
    source.finished.connect(sink.on_finished, Qt.ConnectionType.QueuedConnection)
    source.flag.connect(sink.on_flag, Qt.ConnectionType.QueuedConnection)

    def counts():
        gc.collect()
        return [sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)]

    before = counts()

    def worker():
        for i in range({EMISSIONS}):
            source.finished.emit(i, i % 2 == 0, None)
            source.flag.emit(i % 3 == 0)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    while sink.got < 2 * {EMISSIONS}:
        app.processEvents()

    # The real path too: the GUI's own worker lanes, results (None) delivered queued.
    runner = TaskRunner()
    done = []
    for _ in range({EMISSIONS // 4}):
        runner.run("db", lambda: None, done.append, None, "")
    while len(done) < {EMISSIONS // 4}:
        app.processEvents()
    runner.shutdown()
    after = counts()
    print(json.dumps({{"before": before, "after": after}}))
""")


def test_queued_signals_never_release_none_true_or_false() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, (
        "the signal child crashed (an over-released singleton?):\n" + proc.stderr[-2000:])
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    before, after = figures["before"], figures["after"]
    for name, b, a in zip(("None", "True", "False"), before, after, strict=True):
        # A few references come and go with the objects the run created; an over-release
        # loses one per emission, thousands in all.
        assert a >= b - 50, f"refcount of {name} fell from {b} to {a} over {EMISSIONS} signals"
