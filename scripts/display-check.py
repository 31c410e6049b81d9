"""Opens a small Qt window on the X server for a moment and exits 0, or fails.

scripts/setup-env.sh runs it once per install with QT_QPA_PLATFORM=xcb (on $DISPLAY, or
under xvfb-run): `import PySide6.QtWidgets` succeeds even when Qt's xcb platform plugin
cannot load, and then the real window aborts the process at start (core dump). Only a
QApplication on a real X server proves the plugin and its system libraries are there.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv[:1])   # aborts the process if no platform plugin loads
    if app.platformName() != "xcb":
        print(f"Qt chose the {app.platformName()!r} platform, not xcb", file=sys.stderr)
        return 1
    window = QLabel("pos-exchange: display check")
    window.resize(240, 40)
    window.show()
    exposed: list[bool] = []

    def poll() -> None:   # the X server maps the window and sends Expose: it is on screen
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            exposed.append(True)
            app.quit()

    timer = QTimer(interval=50, timeout=poll)
    timer.start()
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    if not exposed:
        print("the window was not shown on the X server within 10 s", file=sys.stderr)
        return 1
    print(f"Qt {app.platformName()} window opened on {app.primaryScreen().name()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
