"""Payment terminal plugins, chosen by ``devices.terminal`` in the configuration.

Each plugin is a package with:
- ``terminal.py``: the backend, implementing ``services.terminal.PaymentTerminal``; Qt-free,
  so the command line and the services use it without a display;
- ``qt.py``: what the counter window shows for this terminal (imported only by the GUI);
- ``cmdline.py``: what ``pos-exchange terminal …`` prints for it.
The composition root (``bootstrap.py``) builds the terminal through ``make_terminal``;
nothing else imports a backend directly.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from pos_exchange.domain.errors import ConfigError
from pos_exchange.extras import needs

if TYPE_CHECKING:
    from pos_exchange.config import Settings
    from pos_exchange.services.terminal import PaymentTerminal

NAMES = ("simulated", "stripe")


def _part(name: str, part: str) -> ModuleType:
    if name not in NAMES:
        raise ConfigError("INVALID_CONFIG", variant="terminal", kind=name)
    with needs("counter", "stripe_reader" if name == "stripe" else "terminal"):  # [counter]
        return importlib.import_module(f"{__name__}.{name}.{part}")


def make_terminal(settings: Settings, *, interactive: bool = False) -> PaymentTerminal:
    """The configured terminal. ``interactive``: the simulated reader waits for the CSR to
    pick the demo card instead of approving by itself."""
    terminal: PaymentTerminal = _part(settings.devices.terminal, "terminal").make(
        settings, interactive=interactive)
    return terminal


def qt_part(name: str) -> ModuleType:
    """The plugin's window part (``qt.py``); only the GUI calls this."""
    return _part(name, "qt")


def cmdline_part(name: str) -> ModuleType:
    return _part(name, "cmdline")
