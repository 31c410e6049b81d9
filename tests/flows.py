"""Exchanges the tests build again and again, on the demo store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pos_exchange.bootstrap import App
from pos_exchange.domain.exchange import Exchange

GOOD, BETTER, BEST = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002", "APP-TSHIRT-P-003"


def upgrade_awaiting_payment(app: App, user: str = "csr1") -> Exchange:
    """S001-000001's T-shirt (paid 20.57 by Visa) for the better one (84.42): 63.85 due."""
    svc = app.exchanges
    ex = svc.start(user, sale_key="S001-000001")
    svc.scan_returned(ex.number, user, GOOD)
    svc.scan_requested(ex.number, user, BETTER)
    return svc.submit(ex.number, user)


def settled_upgrade(app: App, user: str = "csr1") -> str:
    """A no-receipt T-shirt for the better one, paid in cash and finalized: its number."""
    svc = app.exchanges
    ex = svc.start(user)
    svc.scan_returned(ex.number, user, GOOD)
    svc.scan_requested(ex.number, user, BETTER)
    svc.submit(ex.number, user)
    svc.pay_cash(ex.number, user, "200")
    return svc.finalize(ex.number, user).number


def copy_database(source: Path, target: Path) -> Path:
    """A private copy of a register database (the demo template), consistent under WAL:
    SQLite's backup API, not a file copy."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target
