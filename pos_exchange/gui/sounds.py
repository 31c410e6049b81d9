"""The two counter sounds: a good scan, and an error the CSR must look at.

QtMultimedia plays the WAVs compiled into the resources. Where it cannot load (no audio
library on the machine) the system beep stands in for the error, so a bad scan is never
silent. ``played`` lists what was asked for, for the status log and the tests.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SOUNDS = {"scan_ok": "qrc:/sounds/scan_ok.wav", "error": "qrc:/sounds/error.wav"}


class Sounds(QObject):
    def __init__(self, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []
        self._effects: dict[str, object] = {}
        if not enabled:
            return
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError as exc:  # e.g. libpulse missing: fall back to the beep
            log.warning("sounds: QtMultimedia unavailable (%s); using the system beep", exc)
            return
        for name, url in SOUNDS.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl(url))
            effect.setVolume(0.8)
            self._effects[name] = effect

    def play(self, name: str) -> None:
        self.played.append(name)
        if not self.enabled:
            return
        effect = self._effects.get(name)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]
        elif name == "error":
            QApplication.beep()
