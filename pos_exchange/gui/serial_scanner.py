"""Scanners on a serial port (or USB-serial), read through QtSerialPort: one code a line."""

from __future__ import annotations

import re

from PySide6.QtCore import QIODeviceBase, QObject, Signal
from PySide6.QtSerialPort import QSerialPort

from pos_exchange.gui.bursts import ScannerConfig


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
        self.feed_bytes(bytes(self._port.readAll().data()))

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
