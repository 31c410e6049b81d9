"""The register's back-office reads: the seed's figures for a period (the dashboard and
``pos-exchange report``) and what the register tells the hub about its health.

The figures themselves are defined in ``metrics.py`` (shared with the hub); this service
only reads the facts in one transaction and, for inventory accuracy, asks the hub for its
counts (outside the transaction; without an answer the counts are simply unknown).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pos_exchange import __version__
from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.errors import PosError
from pos_exchange.services.metrics import (
    ExchangeFact,
    Metrics,
    Period,
    breakdown,
    compute,
    handed_out_skus,
)
from pos_exchange.services.ports import Catalogue, Runtime, UnitOfWorkFactory

log = logging.getLogger(__name__)
HEALTH_STOCK_DAYS = 90     # the items handed out this recently are reported to the hub
HEALTH_STOCK_MAX = 1000


@dataclass(frozen=True)
class RegisterHealth:
    """What a register reports with its journal anchor (``POST /v1/anchors``)."""

    app_version: str
    pending: int
    dead_letters: int
    uncertain_card_payments: int
    timezone: str
    expected_stock: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return {"app_version": self.app_version, "pending": self.pending,
                "dead_letters": self.dead_letters,
                "uncertain_card_payments": self.uncertain_card_payments,
                "timezone": self.timezone, "expected_stock": dict(self.expected_stock)}


class ReportService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime,
                 hub: Catalogue | None = None) -> None:
        self.uow, self.rt, self.hub = uow, runtime, hub

    def today(self) -> date:
        return self.rt.clock().astimezone(self.rt.tz).date()

    def period(self, days: int) -> Period:
        """Today (1), or the last 7 or 30 days up to today, in the store's calendar."""
        return Period.last(days, self.today())

    def facts(self, period: Period) -> list[ExchangeFact]:
        start = day_bounds(_noon(period.start, self.rt), self.rt.tz)[0]
        end = day_bounds(_noon(period.end, self.rt), self.rt.tz)[1]
        with self.uow(readonly=True) as uow:
            return uow.reports.exchange_facts(start, end, self.rt.tz)

    def metrics(self, period: Period, *, csr: str | None = None,
                with_hub_counts: bool = True) -> Metrics:
        """The figures of this register's store for the period (and one CSR)."""
        return self.report(period, csr=csr, with_hub_counts=with_hub_counts)[0]

    def report(self, period: Period, *, csr: str | None = None, with_hub_counts: bool = True
               ) -> tuple[Metrics, dict[Hashable, Metrics | PosError]]:
        """The period's figures and each day's (a day that cannot be reported keeps its
        refusal), from one read of the facts."""
        facts = self.facts(period)
        chosen = [f for f in facts if csr is None or f.csr == csr]
        stock = self.stock_figures(chosen, ask_hub=with_hub_counts)
        store = self.rt.store_id
        total = compute(facts, period, store=store, csr=csr, stock=stock)
        by_day = breakdown(facts, period, lambda f: f.day, store=store, csr=csr, stock=stock)
        return total, by_day

    def stock_figures(self, facts: list[ExchangeFact], *, ask_hub: bool = True
                      ) -> dict[tuple[str, str, str], tuple[int | None, int | None]]:
        """(store, register, sku) → (expected here, counted at the hub), for the items
        handed out."""
        pairs = handed_out_skus(facts)
        skus = {sku for _store, _register, sku in pairs}
        with self.uow(readonly=True) as uow:
            expected = uow.reports.on_hand(skus)
        counted = self.hub_counts(skus) if ask_hub else {}
        return {(store, register, sku): (expected.get(sku), counted.get(sku))
                for store, register, sku in pairs}

    def hub_counts(self, skus: set[str]) -> dict[str, int]:
        """The hub's available units of these items (network: never on the GUI thread).
        No hub, or no answer: nothing is known."""
        if self.hub is None or not skus:
            return {}
        counts: dict[str, int] = {}
        version = 0
        try:
            for _page in range(1000):
                rows, version, more = self.hub.stock_since(version)
                for row in rows:
                    if row["sku"] in skus:
                        counts[row["sku"]] = int(row["available"])
                if not more:
                    break
        except PosError as exc:
            log.warning("hub stock counts unavailable: %s", exc.code)
            return {}
        return counts

    def health(self) -> RegisterHealth:
        """What the register tells the hub about itself with each anchor."""
        since = self.rt.clock() - timedelta(days=HEALTH_STOCK_DAYS)
        with self.uow(readonly=True) as uow:
            summary = uow.outbox.summary()
            uncertain = sum(1 for a in uow.card_attempts.all_open()
                            if str(a.status) == "uncertain")
            skus = uow.reports.handed_out_since(since, HEALTH_STOCK_MAX)
            stock = uow.reports.on_hand(skus)
        return RegisterHealth(__version__, summary.pending, summary.dead, uncertain,
                              str(getattr(self.rt.tz, "key", self.rt.tz)), stock)


def _noon(day: date, rt: Runtime) -> datetime:
    """A moment inside ``day`` in the store's zone (day_bounds takes a moment)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=rt.tz)
