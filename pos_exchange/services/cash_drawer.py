"""The cash drawer: open it (through the receipt printer) and know what it should hold."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, func, select

from pos_exchange.adapters.db import schema as t
from pos_exchange.adapters.db.repositories import day_bounds
from pos_exchange.adapters.db.unit_of_work import UnitOfWork
from pos_exchange.services import journal
from pos_exchange.services.ports import Runtime


class CashDrawer(Protocol):
    def kick(self) -> None:
        """Send the open pulse; raises PrinterUnavailable if the printer does not answer."""


class CashDrawerService:
    def __init__(self, engine: Engine, runtime: Runtime, drawer: CashDrawer) -> None:
        self.engine, self.rt, self.drawer = engine, runtime, drawer

    def open(self, user: str, reason: str = "cash payment") -> None:
        """Kick the drawer (off the GUI thread: it talks to the printer) and journal it."""
        with UnitOfWork(self.engine, readonly=True) as uow:
            uow.users.get(user)  # an unknown employee cannot open the drawer
        self.drawer.kick()
        with UnitOfWork(self.engine) as uow:
            journal.record(uow, self.rt, user, "drawer.opened", {"reason": reason},
                           self.rt.clock())
            uow.commit()

    def expected_total(self, day: datetime | None = None) -> dict[str, int]:
        """Cash this register took in and paid out for exchanges on the store's day
        (the float is counted separately)."""
        start, end = day_bounds(day or self.rt.clock(), self.rt.tz)
        tn, ex = t.exchange_tenders, t.exchanges
        with UnitOfWork(self.engine, readonly=True) as uow:
            def total(kind: str) -> int:
                return uow.conn.scalar(
                    select(func.coalesce(func.sum(tn.c.amount_minor), 0))
                    .join(ex, ex.c.uuid == tn.c.exchange_uuid)
                    .where(tn.c.method == "cash", tn.c.kind == kind,
                           ex.c.store_id == self.rt.store_id,
                           ex.c.register_id == self.rt.register_id,
                           tn.c.created_at >= start, tn.c.created_at < end)) or 0
            cash_in, cash_out = total("payment"), total("refund")
        return {"cash_in": cash_in, "cash_out": cash_out, "expected": cash_in - cash_out}
