"""Keep import work and Python's full garbage collections off the counter's event loop.

Start-up imports only what the sign-in screen needs (issue 15's cold start). What the
first exchange needs next, the exchange record's pydantic models, the receipt builder and
python-escpos, is imported in a worker once the sign-in screen is up (``warm_up``), while
the CSR types their ID and PIN, rather than inside the first finalize.

A full (generation 2) collection walks every object the process holds. Once the window
is built that is ~125,000 objects (Qt wrappers, SQLAlchemy, the catalogue), and the walk
takes about 55 ms on an idle 2-core machine, two to three times that under load: the soak
saw a 187 ms stall of the event loop at a receipt. Nothing built by then is garbage, so
after the warm-up, still on the sign-in screen, the heap is collected once and frozen
(``gc.freeze``: those objects move to a permanent generation the collector no longer
walks). Not at sign-in: the first scan comes right after it, and a collection in the
middle of its burst would split it. What an exchange allocates later is collected as
before.
"""

from __future__ import annotations

import gc
import importlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_exchange.gui.tasks import TaskRunner

log = logging.getLogger(__name__)

AFTER_START_MS = 250   # the sign-in screen painted; no CSR signs in faster

# What the first exchange imports otherwise (services/exchanges.py, bootstrap.App).
FIRST_EXCHANGE_MODULES = (
    "pos_exchange.services.record",
    "pos_exchange.receipts",
    "pos_exchange.adapters.printer.receipt_escpos",
)


def warm_up() -> None:
    for name in FIRST_EXCHANGE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # e.g. no python-escpos: the printer says so when it prints
            log.info("warm-up: %s is not importable", name)


def settle() -> int:
    """Collect once, then freeze what survived. Returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def after_start(runner: TaskRunner) -> None:
    """Warm up in the printer's lane (idle at the sign-in screen; the database lane stays
    free for the sign-in), then settle the heap on the GUI thread."""
    def then_settle(_result: object) -> None:
        settle()

    runner.run("printer", warm_up, then_settle, then_settle)
