"""ESC/POS devices (python-escpos) chosen by configuration: file, network, usb or serial.

The receipt printer also drives the cash drawer (the drawer hangs off its kick port).
A device is opened per job and closed after: a printer switched off between two
customers is then reported on the next job, not by a stale connection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from escpos.escpos import Escpos
from escpos.printer import File, Network, Serial, Usb
from platformdirs import user_data_dir

from pos_exchange.config import demo_db_path
from pos_exchange.domain.errors import ConfigError, Unavailable


class PrinterUnavailable(Unavailable):
    """The printer (and so the drawer) could not be reached; nothing was printed."""


def demo_output() -> Path:
    """The demo store's paper roll: only the demo database prints here."""
    return Path(user_data_dir("pos-exchange", appauthor=False)) / "printer-output.bin"


def default_printer_file(db_file: Path | None) -> Path:
    """Where a ``file`` printer with no ``printer_target`` writes: the demo its own roll,
    any other store a file beside its database (``register.sqlite3`` ->
    ``register-printer-output.bin``), so two stores never share a roll. A database that
    is not a file (PostgreSQL) has no "beside": IT must name the printer."""
    if db_file is None:
        raise ConfigError("PRINTER_NOT_CONFIGURED")
    if db_file.resolve() == demo_db_path().resolve():
        return demo_output()
    return db_file.with_name(f"{db_file.stem}-printer-output.bin")


class AppendingFile(File):  # python-escpos ships no type hints: File is Any to mypy
    """python-escpos's File printer, but appending: the demo's output file then keeps every
    job (receipts, drawer kicks) like a paper roll, instead of only the last one. On a
    device node (/dev/usb/lp0) appending and writing are the same."""

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        self.device = open(self.devfile, "ab")  # noqa: SIM115 (closed by close())


def device_factory(kind: str, target: str) -> Callable[[], Escpos]:
    """A callable that opens the configured device; errors name what to check."""

    def opener() -> Escpos:
        try:
            if kind == "file":
                if not target:
                    raise ConfigError("PRINTER_NOT_CONFIGURED", variant="file")
                path = Path(target)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch(exist_ok=True)
                device: Escpos = AppendingFile(str(path))
            elif kind == "network":
                host, _, port = target.partition(":")
                device = Network(host, int(port or 9100), timeout=5)
            elif kind == "usb":
                vendor, _, product = target.partition(":")
                device = Usb(int(vendor, 16), int(product, 16))
            elif kind == "serial":
                device = Serial(target or "/dev/ttyUSB0")
            else:
                raise ConfigError("INVALID_CONFIG", variant="printer", kind=kind)
            device.open()
            return device
        except ConfigError:
            raise
        except (OSError, ValueError, Exception) as exc:  # python-escpos raises its own types
            raise PrinterUnavailable("PRINTER_OFFLINE", kind=kind, target=target or "default",
                                     detail=type(exc).__name__) from None

    return opener


class EscposCashDrawer:
    """Opens the drawer with the ESC/POS kick pulse on pin 2 (the usual wiring)."""

    def __init__(self, open_device: Callable[[], Escpos]) -> None:
        self.open_device = open_device

    def kick(self) -> None:
        device = self.open_device()
        try:
            device.cashdraw(2)
        except Exception as exc:
            raise PrinterUnavailable("PRINTER_OFFLINE", variant="drawer",
                                     detail=type(exc).__name__) from None
        finally:
            device.close()
