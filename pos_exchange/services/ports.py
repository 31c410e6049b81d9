"""Interfaces the services need from the outside world; adapters implement them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Protocol
from uuid import uuid4

from pos_exchange.adapters.db.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class StockHold:
    """The central system's answer to "hold these lines for this exchange"."""

    out_of_stock: tuple[str, ...] = ()


class StockCheck(Protocol):
    local_authoritative: bool  # is the register's own snapshot the truth?

    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        """Return (available, unconfirmed) from the local snapshot (a scan-time hint)."""

    def reserve(self, exchange_uuid: str, lines: list[tuple[str, int]]) -> StockHold | None:
        """Hold the lines centrally (network: never inside a transaction). None: no
        answer (no hub, or it is unreachable), so the local snapshot decides."""


class LocalStock:
    """Stock on the register's own snapshot: the truth when no hub is configured."""

    local_authoritative = True

    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        return uow.catalogue.on_hand(sku) >= qty, False

    def reserve(self, exchange_uuid: str, lines: list[tuple[str, int]]) -> StockHold | None:
        return None


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
