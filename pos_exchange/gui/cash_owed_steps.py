"""The counter's cash-owed steps, Qt-free (run in workers, like gui/steps.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_exchange.receipts import Receipt
from pos_exchange.services.cash_owed import CashOwedService, PaidOut
from pos_exchange.services.views import CashOwed

if TYPE_CHECKING:
    from pos_exchange.bootstrap import App


def _service(app: App) -> CashOwedService:
    return CashOwedService(app.exchanges, app.drawer)


def look_up(app: App, key: str, user: str) -> CashOwed:
    """What the register owes the customer in cash for that exchange."""
    return _service(app).owed(key, user)


def pay_out(app: App, key: str, user: str, approver: str | None,
            pin: str | None) -> PaidOut:
    """Pay it out (one transaction), then open the drawer (the printer's kick)."""
    return _service(app).pay(key, user, approver, pin)


def print_slip(app: App, number: str, user: str) -> Receipt:
    """The exchange's receipt again, now with the cash refund paid out (the printer's
    usual path; journaled as a reprint)."""
    return app.print_receipt(number, user, reprint=True)
