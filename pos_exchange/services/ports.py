"""Interfaces the services need from the outside world; adapters implement them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Protocol
from uuid import uuid4

from pos_exchange.adapters.db.unit_of_work import UnitOfWork


class StockCheck(Protocol):
    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        """Return (available, unconfirmed). Unconfirmed: decided on a local snapshot."""


class LocalStock:
    """Stock on the register's own snapshot, authoritative when no hub is configured.

    ``authoritative=False`` (a hub exists but is unreachable) marks every decision as
    unconfirmed so the hub can flag a conflict at sync (DESIGN §1).
    """

    def __init__(self, authoritative: bool = True) -> None:
        self.authoritative = authoritative

    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        return uow.catalogue.on_hand(sku) >= qty, not self.authoritative


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid4())


@dataclass(frozen=True)
class Runtime:
    """What every use case needs besides the database: where it runs and how it tells time."""

    store_id: str
    register_id: str
    currency: str
    clock: Callable[[], datetime] = utc_now
    tz: tzinfo = UTC                  # the store's calendar day, for daily limits
    ids: Callable[[], str] = new_id
