"""The cash drawer: open it (through the receipt printer) and know what it should hold."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pos_exchange.domain.calendar import day_bounds
from pos_exchange.services import journal
from pos_exchange.services.ports import Runtime, UnitOfWorkFactory


class CashDrawer(Protocol):
    def kick(self) -> None:
        """Send the open pulse; raises PrinterUnavailable if the printer does not answer."""


class CashDrawerService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime, drawer: CashDrawer) -> None:
        self.uow, self.rt, self.drawer = uow, runtime, drawer

    def open(self, user: str, reason: str = "cash payment",
             exchange_uuid: str | None = None) -> None:
        """Kick the drawer (off the GUI thread: it talks to the printer) and journal it
        (under the exchange it opened for, when it did)."""
        with self.uow(readonly=True) as uow:
            uow.users.get(user)  # an unknown employee cannot open the drawer
        self.drawer.kick()
        with self.uow() as uow:
            journal.record(uow, self.rt, user, "drawer.opened", {"reason": reason},
                           self.rt.clock(), exchange_uuid)
            uow.commit()

    def expected_total(self, day: datetime | None = None) -> dict[str, int]:
        """Cash this register took in and paid out for exchanges on the store's day
        (the float is counted separately)."""
        start, end = day_bounds(day or self.rt.clock(), self.rt.tz)
        with self.uow(readonly=True) as uow:
            cash_in, cash_out = uow.exchanges.cash_totals(self.rt.store_id,
                                                          self.rt.register_id, start, end)
        return {"cash_in": cash_in, "cash_out": cash_out, "expected": cash_in - cash_out}
